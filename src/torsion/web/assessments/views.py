"""Rating-scale pages: the scales one may fill, the form of a scale, a saved result, a scale's history.

Every page goes through :func:`torsion.web.accounts.permissions.patient_view`. On top of that check,
a patient-reported scale is filled only by the patient and a clinician-rated one only by a clinician
who may record; anyone else who may see the record is sent back to the list with a sentence saying so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from torsion.clinical import scales
from torsion.clinical.scales import ScaleAnswerError, ScaleDefinition
from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.assessments import estimates as video
from torsion.web.assessments import services
from torsion.web.assessments.forms import ScaleForm, format_score, read_answers, score_summary
from torsion.web.assessments.models import ScaleAdministration
from torsion.web.core.dates import short_date
from torsion.web.recordings.models import Recording
from torsion.web.records.models import ToxinInjection


def _definition(scale_id: str) -> ScaleDefinition:
    definition = services.definition_or_none(scale_id)
    if definition is None:
        raise Http404("No such scale.")
    return definition


def _not_yours_to_fill(request, definition: ScaleDefinition):
    if definition.rated_by == "patient":
        text = (f"{definition.abbreviation} is answered by the patient." if not request.is_owner else "")
    elif request.is_owner:
        text = f"{definition.abbreviation} is rated by your clinician, who enters it here."
    else:
        text = f"{definition.abbreviation} is rated by a clinician whose access allows recording."
    messages.info(request, text)
    return redirect("assessments:index", patient_id=request.patient.pk)


@patient_view(Access.VIEW)
def index(request, patient_id: int):
    patient = request.patient
    fillable = services.fillable_scales(request)
    drafts = (ScaleAdministration.objects.filter(patient=patient, status=services.DRAFT, entered_by=request.user)
              .order_by("-updated_at"))
    return render(request, "assessments/index.html", {
        "title": "Rating scales",
        "record_section": "scales",
        "clinician_scales": [d for d in fillable if d.rated_by == "clinician"],
        "patient_scales": [d for d in fillable if d.rated_by == "patient"],
        "drafts": [(services.definition_or_none(d.scale), d) for d in drafts],
        "results": services.latest_results(patient),
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def new(request, patient_id: int, scale_id: str):
    definition = _definition(scale_id)
    if not services.may_fill(request, definition):
        return _not_yours_to_fill(request, definition)
    recording = None
    chosen = request.POST.get("recording") or request.GET.get("recording")
    if chosen and video.offers_estimates(definition):
        if not chosen.isdigit():
            raise Http404("No such recording.")
        recording = get_patient_object(request.user, Recording, int(chosen), patient=request.patient)
    estimates = video.estimates_from_recording(recording, definition) if recording else {}
    if not estimates:
        recording = None  # a recording with nothing to offer (another task, not analysed) is not linked
    if request.method == "POST":
        form = ScaleForm.from_post(definition, request.POST, estimates=estimates, for_patient=request.is_owner)
        return _save_or_show(request, form, recording=recording)
    initial = {item: estimate.score for item, estimate in estimates.items()}
    form = ScaleForm(definition, initial, timezone.localdate(), estimates=estimates, for_patient=request.is_owner)
    return _form_page(request, form, recording=recording)


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def edit(request, patient_id: int, administration_id: int):
    record, definition = _administration(request, administration_id)
    if record.is_final or not services.may_continue(request, record) or not services.may_fill(request, definition):
        messages.info(request, "Only a draft can be changed, by the person who started it.")
        return redirect("assessments:detail", patient_id=patient_id, administration_id=record.pk)
    form = _stored_form(request, record, definition)
    if request.method == "POST":
        return _save_or_show(request, form, administration=record, recording=record.recording)
    return _form_page(request, form, administration=record, recording=record.recording)


def _administration(request, administration_id: int) -> tuple[ScaleAdministration, ScaleDefinition]:
    """The patient's administration (404 when it is not theirs) and its scale."""
    record = get_patient_object(request.user, ScaleAdministration, administration_id, Access.EDIT,
                                patient=request.patient)
    return record, _definition(record.scale)


def _stored_form(request, record: ScaleAdministration, definition: ScaleDefinition, *,
                 confirm_estimates: bool = False) -> ScaleForm:
    """The form of a stored administration: what was just posted over it, or its saved answers
    (with the video's estimates marked as already looked at when ``confirm_estimates``)."""
    estimates = services.stored_estimates(record)
    if request.method == "POST":
        return ScaleForm.from_post(definition, request.POST, estimates=estimates, for_patient=request.is_owner)
    return ScaleForm(definition, dict(record.answers), record.administered_on, note=record.note,
                     estimates=estimates, estimates_confirmed=confirm_estimates and bool(estimates),
                     for_patient=request.is_owner)


#: Longest reason for a correction.
REASON_MAX = 500


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def correct(request, patient_id: int, administration_id: int):
    """Correct a saved administration: the same form, a reason, and the earlier version kept."""
    record, definition = _administration(request, administration_id)
    if not record.is_final:
        return redirect("assessments:edit", patient_id=patient_id, administration_id=record.pk)
    if not services.may_continue(request, record) or not services.may_fill(request, definition):
        messages.info(request, "Only the person who entered a scale can correct it.")
        return redirect("assessments:detail", patient_id=patient_id, administration_id=record.pk)
    form = _stored_form(request, record, definition, confirm_estimates=True)
    if request.method == "POST":
        reason = " ".join(request.POST.get("reason", "").split())
        form_ok = form.check(final=True, today=timezone.localdate())
        reason_error = ""
        if not reason:
            reason_error = "Say in a few words what was wrong, for example \"item 3 entered as 2, rated 3\"."
        elif len(reason) > REASON_MAX:
            reason_error = f"Keep the reason under {REASON_MAX} characters."
        if form_ok and not reason_error:
            services.correct_administration(form, record, user=request.user, reason=reason)
            messages.success(request, f"{definition.abbreviation} corrected: total {format_score(record.total)}. "
                                      "The earlier answers are kept below.")
            return redirect("assessments:detail", patient_id=patient_id, administration_id=record.pk)
        return _form_page(request, form, administration=record, recording=record.recording, status=400,
                          correcting={"reason": reason, "error": reason_error})
    return _form_page(request, form, administration=record, recording=record.recording,
                      correcting={"reason": "", "error": ""})


def _save_or_show(request, form: ScaleForm, *, administration=None, recording=None):
    final = request.POST.get("action") == "final"
    if not form.check(final=final, today=timezone.localdate()):
        return _form_page(request, form, administration=administration, recording=recording, status=400)
    record = services.save_administration(form, patient=request.patient, user=request.user, final=final,
                                          administration=administration, recording=recording)
    name = form.definition.abbreviation
    if final:
        messages.success(request, f"{name} saved: total {format_score(record.total)}.")
        return redirect("assessments:history", patient_id=request.patient.pk, scale_id=record.scale)
    messages.success(request, f"{name} kept as a draft. Nothing counts until it is saved.")
    return redirect("assessments:edit", patient_id=request.patient.pk, administration_id=record.pk)


def _form_page(request, form: ScaleForm, *, administration=None, recording=None, status: int = 200,
               correcting: dict | None = None):
    definition = form.definition
    offers = (video.offers_estimates(definition) and administration is None and not request.is_owner)
    return render(request, "assessments/form.html", {
        "title": f"Correct {definition.abbreviation}" if correcting else definition.abbreviation,
        "record_section": "scales",
        "definition": definition,
        "form": form,
        "correcting": correcting,
        "summary": form.summary(),
        "administration": administration,
        "recording": recording,
        "recordings": video.recordings_with_estimates(request.patient) if offers else [],
        "today": timezone.localdate(),
    }, status=status)


@patient_view(Access.VIEW)
def detail(request, patient_id: int, administration_id: int):
    record = get_patient_object(request.user, ScaleAdministration, administration_id, patient=request.patient)
    definition = _definition(record.scale)
    form = _stored_form(request, record, definition)
    return render(request, "assessments/detail.html", {
        "title": f"{definition.abbreviation}, {short_date(record.administered_on)}",
        "record_section": "scales",
        "definition": definition,
        "record": record,
        "form": form,
        "summary": score_summary(definition, form.running_score()),
        "estimates": list(record.estimates.all()),
        "corrections": services.corrections(record, definition),
        "may_change": services.may_continue(request, record) and request.can_edit,
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def delete(request, patient_id: int, administration_id: int):
    record = get_patient_object(request.user, ScaleAdministration, administration_id, Access.EDIT,
                                patient=request.patient)
    if not services.may_continue(request, record):
        messages.info(request, "Only the person who entered a scale can delete it.")
        return redirect("assessments:detail", patient_id=patient_id, administration_id=record.pk)
    definition = _definition(record.scale)
    if request.method == "POST":
        record.delete()
        messages.success(request, f"The {definition.abbreviation} of {short_date(record.administered_on)} was deleted.")
        return redirect("assessments:index", patient_id=patient_id)
    return render(request, "assessments/delete.html", {"title": "Delete a scale", "record_section": "scales",
                                                       "definition": definition, "record": record})


@patient_view(Access.VIEW)
def history(request, patient_id: int, scale_id: str):
    definition = _definition(scale_id)
    patient = request.patient
    saved = list(services.finals(patient, scale_id).select_related("entered_by").prefetch_related("estimates"))
    injections = list(ToxinInjection.objects.filter(patient=patient).order_by("date").values_list("date", flat=True))
    points = services.daily_totals(patient, scale_id)
    return render(request, "assessments/history.html", {
        "title": f"{definition.abbreviation} over time",
        "record_section": "scales",
        "definition": definition,
        "chart": services.history_chart(definition, points, injections),
        "rows": [(record, format_score(record.total), [(section.name, format_score(record.sections.get(section.id)))
                                                        for section in definition.sections])
                 for record in reversed(saved)],
        "estimates_column": video.offers_estimates(definition),
        "agreement": video.agreement(patient, definition) if video.offers_estimates(definition) else [],
        "may_fill": services.may_fill(request, definition),
        "cycle_metric": services.SERIES_PREFIX + scale_id,
    })


@login_required
@require_GET
def score(request, scale_id: str):
    """The engine's running score of the answers in the query (the form's live total); stores nothing.

    It holds no patient data, so it needs no patient: the answers are the form's, the definition is public.
    """
    definition = _definition(scale_id)
    try:
        result = scales.score_draft(definition, read_answers(definition, request.GET))
    except ScaleAnswerError as error:
        return JsonResponse({"problems": [{"item": p.item, "message": p.message} for p in error.problems]},
                            status=400)
    return JsonResponse(score_summary(definition, result))
