"""The patient's sharing page and the clinician's "accept an invitation" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from torsion.web.accounts import sharing
from torsion.web.accounts.forms import AcceptInvitationForm, InvitationForm
from torsion.web.accounts.models import CareGrant, Invitation
from torsion.web.accounts.permissions import Access, get_patient_object, patient_view


def _sharing_page(request, *, form=None, new=None, status=200):
    patient = request.patient
    grants = CareGrant.objects.filter(patient=patient).select_related("clinician__user").order_by("-granted_at")
    return render(request, "accounts/sharing.html", {
        "title": "Sharing your record",
        "form": form or InvitationForm(),
        "new": new,
        "accept_url": request.build_absolute_uri(reverse("clinic:accept")),
        "pending": Invitation.objects.pending().filter(patient=patient),
        "active": [g for g in grants if g.revoked_at is None],
        "past": [g for g in grants if g.revoked_at is not None][:20],
    }, status=status)


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def sharing_page(request, patient_id: int):
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return _sharing_page(request, form=form, status=400)
        new = sharing.invite(request.patient, can_edit=form.cleaned_data["level"] == "edit",
                             days=form.cleaned_data["days"])
        return _sharing_page(request, new=new)
    return _sharing_page(request)


@patient_view(Access.OWNER)
@require_POST
def cancel_invitation(request, patient_id: int, invitation_id: int):
    invitation = get_patient_object(request.user, Invitation.objects.filter(patient=request.patient),
                                    invitation_id, Access.OWNER)
    sharing.cancel(invitation)
    messages.success(request, "The invitation was cancelled: its code no longer works.")
    return redirect("sharing:page", patient_id=patient_id)


@patient_view(Access.OWNER)
@require_POST
def stop_sharing(request, patient_id: int, grant_id: int):
    grant = get_patient_object(request.user, CareGrant.objects.filter(patient=request.patient, revoked_at__isnull=True)
                               .select_related("clinician__user"), grant_id, Access.OWNER)
    sharing.stop_sharing(grant)
    messages.success(request, f"{grant.clinician} no longer has access to your record, from now on.")
    return redirect("sharing:page", patient_id=patient_id)


@login_required
@require_http_methods(["GET", "POST"])
def accept(request):
    """A clinician types (or follows a link with) the code a patient gave them."""
    clinician = getattr(request.user, "clinician", None)
    if clinician is None:
        return render(request, "accounts/message.html", {
            "title": "For clinicians",
            "text": "Invitation codes are accepted by a clinician's account. If you are the patient, "
                    "give the code to your clinician.",
        }, status=403)
    if request.method == "POST":
        form = AcceptInvitationForm(request.POST)
        if form.is_valid():
            try:
                grant = sharing.accept(clinician, form.cleaned_data["code"])
            except sharing.InvitationError as error:
                form.add_error("code", str(error))
            else:
                level = "see and add to" if grant.can_edit else "see"
                messages.success(request, f"{grant.patient} shared their record with you: you may {level} it.")
                return redirect("core:patient_dashboard", patient_id=grant.patient_id)
        return render(request, "clinic/accept.html", {"title": "Accept an invitation", "form": form}, status=400)
    form = AcceptInvitationForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "clinic/accept.html", {"title": "Accept an invitation", "form": form})
