from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from torsion.web.accounts.permissions import Access, patient_view
from torsion.web.assessments.services import latest_results
from torsion.web.core.theme import THEME_COOKIE, THEMES
from torsion.web.learn.diagnosis import current_diagnosis
from torsion.web.recordings.models import Recording
from torsion.web.recordings.protocols import KINDS
from torsion.web.recordings.views import trends as recording_trends
from torsion.web.recordings.views_drawing import drawing_trends
from torsion.web.records.reminders import reminders_of
from torsion.web.records.services import cycle_report, dashboard_summary, today


def home(request):
    return render(request, "core/home.html", {"measures": [kind.title.lower() for kind in KINDS.values()]})


@login_required
def dashboard(request):
    """Send each person to their own starting page."""
    if hasattr(request.user, "patient"):
        return redirect("core:patient_dashboard", patient_id=request.user.patient.pk)
    if hasattr(request.user, "clinician"):
        return redirect("clinic:patients")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "core/no_role.html", {"title": "Your account"})


@patient_view(Access.VIEW)
def patient_dashboard(request, patient_id: int):
    patient = request.patient
    summary = dashboard_summary(patient)
    latest_recordings = Recording.objects.filter(patient=patient).order_by("-recorded_at")[:3]
    trend_charts = [chart for kind in KINDS
                    for chart in recording_trends(patient, kind, for_patient=request.is_owner)[:1]]
    return render(request, "core/dashboard.html", {
        "title": "Dashboard",
        "record_section": "overview",
        "summary": summary,
        "diagnosis": current_diagnosis(patient),
        "latest_recordings": latest_recordings,
        "trend_charts": trend_charts,
        "drawing_trends": drawing_trends(patient, first_only=True, for_patient=request.is_owner),
        "latest_drawing": patient.drawings.first(),
        "cycles": cycle_report(patient) if summary.last_injection else None,
        "scale_results": latest_results(patient)[:4],
        "reminders": reminders_of(patient, today()) if request.is_owner else None,
    })


@require_POST
def set_theme(request):
    theme = request.POST.get("theme", "system")
    if theme not in THEMES:
        theme = "system"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(THEME_COOKIE, theme, max_age=365 * 24 * 3600, samesite="Lax", httponly=False,
                        secure=request.is_secure())
    return response


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"title": "Page not found", "status": 404,
                                               "text": "There is nothing at this address, or it is not yours to see."},
                  status=404)


def server_error(request):
    return render(request, "core/error.html", {"title": "Something went wrong", "status": 500,
                                               "text": "Torsion could not finish this request. Nothing you saved "
                                                       "before was lost. Please try again."}, status=500)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"title": "Not allowed", "status": 403,
                                               "text": "You do not have access to this page."}, status=403)


def csrf_failure(request, reason=""):
    return render(request, "core/error.html", {"title": "Form expired", "status": 403,
                                               "text": "The form was open too long or came from elsewhere. "
                                                       "Go back, reload the page and send it again."}, status=403)
