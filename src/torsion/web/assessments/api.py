"""Rating scales through the JSON API: the saved results, one result with its corrections, and a new result.

The same rules as the pages: the patient's access decides who reads (:mod:`torsion.web.accounts.permissions`),
a patient-reported scale is answered only by the patient and a clinician-rated one only by a clinician
who may record, and every score comes from the scale engine (:mod:`torsion.clinical.scales`), never
from the client. A refused result stores nothing and says, item by item, what is wrong.
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from torsion.clinical import scales
from torsion.clinical.scales import ScaleAnswerError
from torsion.web.accounts.permissions import Access, get_patient, get_patient_object
from torsion.web.assessments import services
from torsion.web.assessments.forms import ScaleForm
from torsion.web.assessments.models import ScaleAdministration

router = Router(tags=["rating scales"])

Answer = int | float | str


class ScaleResultIn(Schema):
    scale: str = Field(description="Id of the scale, e.g. twstrs, cdip58, bsdi (see the scale pages).")
    administered_on: date = Field(description="The day the scale was filled in; not in the future.")
    answers: dict[str, Answer] = Field(
        description="Item id -> answer: one of the item's allowed values, or \"na\" where the scale allows "
                    "an item not to apply. Every item is answered.")
    note: str = Field("", max_length=2000)


class CorrectionOut(Schema):
    corrected_at: datetime
    reason: str
    previous_total: float | None
    previous: dict = Field(description="The date, answers, scores and note as they were before this correction.")


class ScaleResultOut(Schema):
    id: int
    scale: str
    abbreviation: str
    name: str
    scale_version: str = Field(description="The version of the scale the score was computed for.")
    status: str = Field(description="final (saved), or draft (only ever shown to the person who started it).")
    administered_on: date
    total: float | None
    min_total: float
    max_total: float
    higher_is_worse: bool
    sections: dict[str, float | None]
    derived: dict[str, float | None]
    answers: dict[str, Answer]
    complete: bool
    note: str
    entered_by_patient: bool
    saved_at: datetime | None
    corrections: list[CorrectionOut] = Field(description="Newest first; empty when the result was never corrected.")
    page_url: str


def _definition(scale_id: str):
    definition = services.definition_or_none(scale_id)
    if definition is None:
        known = ", ".join(d.id for d in scales.list_scales())
        raise ValidationError([{"loc": ["body", "payload", "scale"], "type": "value_error",
                                "msg": f"There is no scale {scale_id!r}; use one of {known}."}])
    return definition


def _problems(definition, answers: dict, date_error: str | None) -> list[dict]:
    """What is wrong with a result, in the API's 422 format: the engine's sentence for each item at fault."""
    where = ["body", "payload"]
    errors = []
    try:
        scales.score(definition, answers)
    except ScaleAnswerError as error:
        errors += [{"loc": [*where, "answers", problem.item] if problem.item else [*where, "answers"],
                    "msg": problem.message, "type": "value_error"} for problem in error.problems]
    if date_error:
        errors.append({"loc": [*where, "administered_on"], "msg": date_error, "type": "value_error"})
    return errors


def _out(record: ScaleAdministration) -> ScaleResultOut:
    definition = scales.get_scale(record.scale)
    return ScaleResultOut(
        id=record.pk, scale=record.scale, abbreviation=definition.abbreviation, name=definition.name,
        scale_version=record.scale_version, status=record.status, administered_on=record.administered_on,
        total=record.total, min_total=definition.min_total, max_total=definition.max_total, higher_is_worse=definition.higher_is_worse,
        sections=record.sections, derived=record.derived, answers=record.answers, complete=record.complete,
        note=record.note, entered_by_patient=record.entered_by_id == record.patient.user_id,
        saved_at=record.finalised_at,
        corrections=[CorrectionOut(corrected_at=c.corrected_at, reason=c.reason, previous_total=c.previous_total,
                                   previous=c.previous) for c in record.corrections.all()],
        page_url=reverse("assessments:detail", kwargs={"patient_id": record.patient_id,
                                                       "administration_id": record.pk}),
    )


@router.get("/patients/{patient_id}/scales", response=list[ScaleResultOut],
            summary="Saved rating-scale results, newest first (and your own drafts)")
def list_results(request, patient_id: int, scale: str | None = None):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    records = (ScaleAdministration.objects.filter(patient=patient).select_related("patient")
               .prefetch_related("corrections"))
    records = records.filter(status=services.FINAL) | records.filter(status=services.DRAFT, entered_by=request.user)
    if scale:
        records = records.filter(scale=scale)
    return [_out(record) for record in records.order_by("-administered_on", "-pk")]


@router.get("/patients/{patient_id}/scales/{administration_id}", response=ScaleResultOut,
            summary="One rating-scale result, with its corrections")
def get_result(request, patient_id: int, administration_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return _out(get_patient_object(request.user, ScaleAdministration, administration_id, patient=patient))


@router.post("/patients/{patient_id}/scales", response={201: ScaleResultOut},
             summary="Save a complete rating-scale result; the scale engine scores it")
def create_result(request, patient_id: int, payload: ScaleResultIn):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    definition = _definition(payload.scale)
    is_owner = patient.user_id == request.user.pk
    if not services.fill_allowed(definition, is_owner=is_owner, can_edit=True):  # EDIT access was checked above
        who = "the patient" if definition.rated_by == "patient" else "a clinician whose access allows recording"
        raise HttpError(403, f"{definition.abbreviation} is answered by {who}.")
    form = ScaleForm(definition, dict(payload.answers), payload.administered_on, note=payload.note.strip(),
                     for_patient=is_owner)
    if not form.check(final=True, today=timezone.localdate()):
        raise ValidationError(_problems(definition, payload.answers, form.date_error))
    record = services.save_administration(form, patient=patient, user=request.user, final=True)
    return Status(201, _out(record))
