"""The treatment log in the JSON API: list, add, read, correct and delete each kind of treatment.

Every route resolves the patient through :func:`get_patient` (view, or edit for changes) and every
object through its ``patient``. Input is checked by the same Django forms as the pages, so the rules
and the messages are the same; a rule broken gives HTTP 422 with ``{"detail": [{"loc", "msg",
"type"}]}``, as for malformed input. A correction (PUT) replaces the whole entry, including an
injection's muscle lines. Decimal amounts are returned as numbers.

An injection session is checked before it is saved, as on the page (unusual doses per muscle or per
session, label maxima, a short interval since the same region was injected): unless the request says
``"confirm": true``, such a session is refused with HTTP 422 and one ``{"type": "dose_check"}`` entry
per finding, and nothing is saved. A confirmed session is saved exactly as sent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from torsion.web.accounts.permissions import Access, get_patient, get_patient_object
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    DBSProgramming,
    MedicationCourse,
    Procedure,
    TherapySession,
    ToxinInjection,
)
from torsion.web.records.treatment_forms import (
    AdverseEventForm,
    DBSImplantForm,
    DBSProgrammingForm,
    InjectionForm,
    InjectionLineForm,
    MedicationForm,
    ProcedureForm,
    TherapyForm,
    line_problems,
)
from torsion.web.records.treatments import (
    LINK_FIELDS,
    checked_session,
    confirmed_record,
    record_totals,
    session_checks,
    session_total,
)

router = Router(tags=["treatments"])

BODY = ("body", "payload")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _raise(errors: list[dict]) -> None:
    if errors:
        raise ValidationError(errors)


def _form_errors(form, loc: tuple = BODY, rename: dict[str, tuple] | None = None) -> list[dict]:
    """A Django form's errors in the API's 422 format (``loc`` names the field in the request body)."""
    errors = []
    for field, messages in form.errors.items():
        where = (rename or {}).get(field) or (loc if field == "__all__" else (*loc, field))
        errors += [{"loc": list(where), "msg": message, "type": "value_error"} for message in messages]
    return errors


def _object(request, patient_id: int, model, pk: int, access: Access = Access.VIEW):
    patient = get_patient(request.user, patient_id, access)
    return get_patient_object(request.user, model, pk, access, patient=patient)


def _save_form(request, patient_id: int, form_class, payload: Schema, instance=None):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    form = form_class(data=payload.dict(), instance=instance, patient=patient)
    _raise(_form_errors(form))
    return form.save()


# --- botulinum-toxin injections ---------------------------------------------------------------------

class LineIn(Schema):
    muscle: str = Field(..., description="Muscle code from the catalogue, or 'other' with muscle_other.")
    muscle_other: str = ""
    side: str = Field(..., description="left, right, bilateral or midline.")
    units: Decimal = Field(..., description="Units of the session's product.")
    sites: int = 1


class InjectionIn(Schema):
    date: date
    product: str = Field(..., description="onabotulinumtoxinA, abobotulinumtoxinA, incobotulinumtoxinA, "
                                          "rimabotulinumtoxinB, daxibotulinumtoxinA or other.")
    product_other: str = ""
    lot_number: str = ""
    dilution_units_per_ml: Decimal | None = None
    guidance: str = "none"
    injector: str = ""
    notes: str = ""
    lines: list[LineIn]
    confirm: bool = Field(False, description="Save as sent even if the checks before saving find unusual values "
                                            "(after a 422 listing them).")


class LineOut(Schema):
    id: int
    muscle: str
    muscle_other: str
    muscle_name: str
    side: str
    units: float
    sites: int


class InjectionOut(Schema):
    id: int
    date: date
    product: str
    product_other: str
    product_name: str
    lot_number: str
    dilution_units_per_ml: float | None
    guidance: str
    injector: str
    notes: str
    lines: list[LineOut]
    total_units: float = Field(..., description="Units of this session's one product.")
    confirmed_checks: list[str] = Field(..., description="Checks before saving that were confirmed when the session "
                                                         "was saved as entered; never advice.")


class ProductTotalOut(Schema):
    product: str
    label: str
    sessions: int
    total_units: float


def _injection_out(injection: ToxinInjection) -> InjectionOut:
    return InjectionOut(
        id=injection.pk, date=injection.date, product=injection.product, product_other=injection.product_other,
        product_name=injection.product_name, lot_number=injection.lot_number,
        dilution_units_per_ml=_number(injection.dilution_units_per_ml), guidance=injection.guidance,
        injector=injection.injector, notes=injection.notes,
        lines=[LineOut(id=line.pk, muscle=line.muscle, muscle_other=line.muscle_other, muscle_name=line.muscle_name,
                       side=line.side, units=float(line.units), sites=line.sites) for line in injection.lines.all()],
        total_units=float(session_total(injection)),
        confirmed_checks=[check.get("message", "") for check in injection.confirmed_checks],
    )


def _save_injection(request, patient_id: int, payload: InjectionIn, injection: ToxinInjection | None = None):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    data = payload.dict()
    lines = data.pop("lines")
    confirm = data.pop("confirm")
    form = InjectionForm(data=data, instance=injection, patient=patient)
    line_forms = [InjectionLineForm(data=line) for line in lines]
    errors = _form_errors(form)
    for index, line_form in enumerate(line_forms):
        errors += _form_errors(line_form, (*BODY, "lines", index))
    _raise(errors)
    _raise([{"loc": [*BODY, "lines"], "msg": message, "type": "value_error"}
            for message in line_problems([f.cleaned_data for f in line_forms])])
    entered = form.cleaned_data
    session = checked_session(entered["date"], entered["product"], entered.get("product_other", ""),
                              [f.cleaned_data for f in line_forms])
    every_check, pending = session_checks(patient, session, injection)
    if not confirm:
        _raise([{"loc": [*BODY, "lines", check.line, "units"] if check.line is not None else list(BODY),
                 "msg": check.message, "type": "dose_check"} for check in pending])
    with transaction.atomic():
        form.instance.confirmed_checks = confirmed_record(every_check)
        saved = form.save()
        saved.lines.all().delete()
        for line_form in line_forms:
            line = line_form.save(commit=False)
            line.injection = saved
            line.save()
    return ToxinInjection.objects.prefetch_related("lines").get(pk=saved.pk)


@router.get("/patients/{patient_id}/injections", response=list[InjectionOut],
            summary="Botulinum-toxin sessions with their muscle lines, newest first")
def list_injections(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_injection_out(i) for i in ToxinInjection.objects.filter(patient=patient).prefetch_related("lines")]


@router.post("/patients/{patient_id}/injections", response={201: InjectionOut},
             summary="Add a session with its muscle lines (a date in the future is refused; unusual values are "
                     "refused with 422 unless confirmed)")
def add_injection(request, patient_id: int, payload: InjectionIn):
    return Status(201, _injection_out(_save_injection(request, patient_id, payload)))


@router.get("/patients/{patient_id}/injection-totals", response=list[ProductTotalOut],
            summary="Units per product over the whole record (never added across products)")
def injection_totals(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [ProductTotalOut(product=t.key, label=t.label, sessions=t.sessions, total_units=float(t.units))
            for t in record_totals(patient)]


@router.get("/patients/{patient_id}/injections/{injection_id}", response=InjectionOut, summary="One session")
def get_injection(request, patient_id: int, injection_id: int):
    return _injection_out(_object(request, patient_id, ToxinInjection, injection_id))


@router.put("/patients/{patient_id}/injections/{injection_id}", response=InjectionOut,
            summary="Correct a session; its muscle lines are replaced by the ones given (checked as when added)")
def put_injection(request, patient_id: int, injection_id: int, payload: InjectionIn):
    injection = _object(request, patient_id, ToxinInjection, injection_id, Access.EDIT)
    return _injection_out(_save_injection(request, patient_id, payload, injection))


@router.delete("/patients/{patient_id}/injections/{injection_id}", response={204: None},
               summary="Delete a session (linked side effects are kept without the link; the diary is unchanged)")
def delete_injection(request, patient_id: int, injection_id: int):
    _object(request, patient_id, ToxinInjection, injection_id, Access.EDIT).delete()
    return Status(204, None)


# --- medicines ----------------------------------------------------------------------------------------

class MedicationIn(Schema):
    drug: str
    drug_other: str = ""
    dose_amount: Decimal
    dose_unit: str = "mg"
    times_per_day: int = 1
    schedule_note: str = ""
    start: date
    stop: date | None = None
    stop_reason: str = ""
    side_effects: str = ""


class MedicationOut(Schema):
    id: int
    drug: str
    drug_other: str
    name: str
    dose_amount: float
    dose_unit: str
    times_per_day: int
    schedule_note: str
    start: date
    stop: date | None
    stop_reason: str
    side_effects: str


def _medication_out(m: MedicationCourse) -> MedicationOut:
    return MedicationOut(id=m.pk, drug=m.drug, drug_other=m.drug_other, name=str(m), dose_amount=float(m.dose_amount),
                         dose_unit=m.dose_unit, times_per_day=m.times_per_day, schedule_note=m.schedule_note,
                         start=m.start, stop=m.stop, stop_reason=m.stop_reason, side_effects=m.side_effects)


@router.get("/patients/{patient_id}/medications", response=list[MedicationOut], summary="Medicine courses")
def list_medications(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_medication_out(m) for m in MedicationCourse.objects.filter(patient=patient)]


@router.post("/patients/{patient_id}/medications", response={201: MedicationOut}, summary="Add a medicine course")
def add_medication(request, patient_id: int, payload: MedicationIn):
    return Status(201, _medication_out(_save_form(request, patient_id, MedicationForm, payload)))


@router.get("/patients/{patient_id}/medications/{medication_id}", response=MedicationOut, summary="One course")
def get_medication(request, patient_id: int, medication_id: int):
    return _medication_out(_object(request, patient_id, MedicationCourse, medication_id))


@router.put("/patients/{patient_id}/medications/{medication_id}", response=MedicationOut, summary="Correct a course")
def put_medication(request, patient_id: int, medication_id: int, payload: MedicationIn):
    course = _object(request, patient_id, MedicationCourse, medication_id, Access.EDIT)
    return _medication_out(_save_form(request, patient_id, MedicationForm, payload, course))


@router.delete("/patients/{patient_id}/medications/{medication_id}", response={204: None}, summary="Delete a course")
def delete_medication(request, patient_id: int, medication_id: int):
    _object(request, patient_id, MedicationCourse, medication_id, Access.EDIT).delete()
    return Status(204, None)


# --- deep brain stimulation ---------------------------------------------------------------------------

class SideSettings(Schema):
    contacts: str = Field(..., description="Active contacts with polarity, e.g. '1-, C+'.")
    amplitude: Decimal
    amplitude_unit: str = Field(..., description="mA or V.")
    pulse_width_us: int
    frequency_hz: int


class ProgrammingIn(Schema):
    date: date
    settings: dict[str, SideSettings] = Field(..., description="Per side of the implant (left, right).")
    notes: str = ""


class ProgrammingOut(Schema):
    id: int
    implant_id: int
    date: date
    settings: dict
    notes: str


def _programming_out(p: DBSProgramming) -> ProgrammingOut:
    return ProgrammingOut(id=p.pk, implant_id=p.implant_id, date=p.date, settings=p.settings, notes=p.notes)


def _programming(request, patient_id: int, implant_id: int, programming_id: int, access: Access) -> DBSProgramming:
    implant = _object(request, patient_id, DBSImplant, implant_id, access)
    programming = DBSProgramming.objects.filter(pk=programming_id, implant=implant).first()
    if programming is None:
        raise Http404("Not found.")
    return programming


def _save_programming(implant: DBSImplant, payload: ProgrammingIn, programming: DBSProgramming | None = None):
    data = {"date": payload.date, "notes": payload.notes}
    form = DBSProgrammingForm(data=data, implant=implant)
    sides = {side for side, _ in form.sides}
    _raise([{"loc": [*BODY, "settings", side], "type": "value_error",
             "msg": f"This implant has no {side} side; give {' and '.join(sorted(sides))}."}
            for side in sorted(set(payload.settings) - sides)])
    for side, values in payload.settings.items():
        data.update({f"{side}_{key}": value for key, value in values.dict().items()})
    form = DBSProgrammingForm(data=data, implant=implant)
    rename = {f"{side}_{key}": (*BODY, "settings", side, key) for side in sides
              for key in SideSettings.model_fields}
    _raise(_form_errors(form, rename=rename))
    saved = form.apply_to(programming or DBSProgramming())
    saved.save()
    return saved


# Programming routes come before the implant's own routes, so that a client (or a test) walking the
# routes in order reaches them before the implant's delete.
@router.get("/patients/{patient_id}/dbs-implants/{implant_id}/programming", response=list[ProgrammingOut],
            summary="Programming sessions of one implant, newest first")
def list_programming(request, patient_id: int, implant_id: int):
    implant = _object(request, patient_id, DBSImplant, implant_id)
    return [_programming_out(p) for p in implant.programming.order_by("-date", "-pk")]


@router.post("/patients/{patient_id}/dbs-implants/{implant_id}/programming", response={201: ProgrammingOut},
             summary="Add a programming session (settings per side, checked against device ranges)")
def add_programming(request, patient_id: int, implant_id: int, payload: ProgrammingIn):
    implant = _object(request, patient_id, DBSImplant, implant_id, Access.EDIT)
    return Status(201, _programming_out(_save_programming(implant, payload)))


@router.get("/patients/{patient_id}/dbs-implants/{implant_id}/programming/{programming_id}",
            response=ProgrammingOut, summary="One programming session")
def get_programming(request, patient_id: int, implant_id: int, programming_id: int):
    return _programming_out(_programming(request, patient_id, implant_id, programming_id, Access.VIEW))


@router.put("/patients/{patient_id}/dbs-implants/{implant_id}/programming/{programming_id}",
            response=ProgrammingOut, summary="Correct a programming session")
def put_programming(request, patient_id: int, implant_id: int, programming_id: int, payload: ProgrammingIn):
    programming = _programming(request, patient_id, implant_id, programming_id, Access.EDIT)
    return _programming_out(_save_programming(programming.implant, payload, programming))


@router.delete("/patients/{patient_id}/dbs-implants/{implant_id}/programming/{programming_id}", response={204: None},
               summary="Delete a programming session")
def delete_programming(request, patient_id: int, implant_id: int, programming_id: int):
    _programming(request, patient_id, implant_id, programming_id, Access.EDIT).delete()
    return Status(204, None)


class ImplantIn(Schema):
    implant_date: date
    target: str = Field(..., description="gpi, stn or other.")
    target_other: str = ""
    side: str = Field("bilateral", description="left, right or bilateral.")
    device: str = ""
    notes: str = ""


class ImplantOut(ImplantIn):
    id: int


def _implant_out(i: DBSImplant) -> ImplantOut:
    return ImplantOut(id=i.pk, implant_date=i.implant_date, target=i.target, target_other=i.target_other, side=i.side,
                      device=i.device, notes=i.notes)


@router.get("/patients/{patient_id}/dbs-implants", response=list[ImplantOut], summary="DBS implants")
def list_implants(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_implant_out(i) for i in DBSImplant.objects.filter(patient=patient)]


@router.post("/patients/{patient_id}/dbs-implants", response={201: ImplantOut}, summary="Add a DBS implant")
def add_implant(request, patient_id: int, payload: ImplantIn):
    return Status(201, _implant_out(_save_form(request, patient_id, DBSImplantForm, payload)))


@router.get("/patients/{patient_id}/dbs-implants/{implant_id}", response=ImplantOut, summary="One implant")
def get_implant(request, patient_id: int, implant_id: int):
    return _implant_out(_object(request, patient_id, DBSImplant, implant_id))


@router.put("/patients/{patient_id}/dbs-implants/{implant_id}", response=ImplantOut, summary="Correct an implant")
def put_implant(request, patient_id: int, implant_id: int, payload: ImplantIn):
    implant = _object(request, patient_id, DBSImplant, implant_id, Access.EDIT)
    return _implant_out(_save_form(request, patient_id, DBSImplantForm, payload, implant))


@router.delete("/patients/{patient_id}/dbs-implants/{implant_id}", response={204: None},
               summary="Delete an implant and its programming sessions")
def delete_implant(request, patient_id: int, implant_id: int):
    _object(request, patient_id, DBSImplant, implant_id, Access.EDIT).delete()
    return Status(204, None)


# --- procedures and therapy -------------------------------------------------------------------------

class ProcedureIn(Schema):
    date: date
    kind: str = Field(..., description="selective_peripheral_denervation, myectomy, intrathecal_baclofen or other.")
    details: str = ""
    notes: str = ""


class ProcedureOut(ProcedureIn):
    id: int


def _procedure_out(p: Procedure) -> ProcedureOut:
    return ProcedureOut(id=p.pk, date=p.date, kind=p.kind, details=p.details, notes=p.notes)


@router.get("/patients/{patient_id}/procedures", response=list[ProcedureOut], summary="Procedures")
def list_procedures(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_procedure_out(p) for p in Procedure.objects.filter(patient=patient)]


@router.post("/patients/{patient_id}/procedures", response={201: ProcedureOut}, summary="Add a procedure")
def add_procedure(request, patient_id: int, payload: ProcedureIn):
    return Status(201, _procedure_out(_save_form(request, patient_id, ProcedureForm, payload)))


@router.get("/patients/{patient_id}/procedures/{procedure_id}", response=ProcedureOut, summary="One procedure")
def get_procedure(request, patient_id: int, procedure_id: int):
    return _procedure_out(_object(request, patient_id, Procedure, procedure_id))


@router.put("/patients/{patient_id}/procedures/{procedure_id}", response=ProcedureOut, summary="Correct a procedure")
def put_procedure(request, patient_id: int, procedure_id: int, payload: ProcedureIn):
    procedure = _object(request, patient_id, Procedure, procedure_id, Access.EDIT)
    return _procedure_out(_save_form(request, patient_id, ProcedureForm, payload, procedure))


@router.delete("/patients/{patient_id}/procedures/{procedure_id}", response={204: None}, summary="Delete a procedure")
def delete_procedure(request, patient_id: int, procedure_id: int):
    _object(request, patient_id, Procedure, procedure_id, Access.EDIT).delete()
    return Status(204, None)


class TherapyIn(Schema):
    date: date
    kind: str = Field(..., description="physical, occupational, speech or other.")
    duration_min: int | None = None
    therapist: str = ""
    notes: str = ""


class TherapyOut(TherapyIn):
    id: int


def _therapy_out(t: TherapySession) -> TherapyOut:
    return TherapyOut(id=t.pk, date=t.date, kind=t.kind, duration_min=t.duration_min, therapist=t.therapist,
                      notes=t.notes)


@router.get("/patients/{patient_id}/therapy-sessions", response=list[TherapyOut], summary="Therapy sessions")
def list_therapy(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_therapy_out(t) for t in TherapySession.objects.filter(patient=patient)]


@router.post("/patients/{patient_id}/therapy-sessions", response={201: TherapyOut}, summary="Add a therapy session")
def add_therapy(request, patient_id: int, payload: TherapyIn):
    return Status(201, _therapy_out(_save_form(request, patient_id, TherapyForm, payload)))


@router.get("/patients/{patient_id}/therapy-sessions/{therapy_id}", response=TherapyOut, summary="One session")
def get_therapy(request, patient_id: int, therapy_id: int):
    return _therapy_out(_object(request, patient_id, TherapySession, therapy_id))


@router.put("/patients/{patient_id}/therapy-sessions/{therapy_id}", response=TherapyOut, summary="Correct a session")
def put_therapy(request, patient_id: int, therapy_id: int, payload: TherapyIn):
    session = _object(request, patient_id, TherapySession, therapy_id, Access.EDIT)
    return _therapy_out(_save_form(request, patient_id, TherapyForm, payload, session))


@router.delete("/patients/{patient_id}/therapy-sessions/{therapy_id}", response={204: None},
               summary="Delete a therapy session")
def delete_therapy(request, patient_id: int, therapy_id: int):
    _object(request, patient_id, TherapySession, therapy_id, Access.EDIT).delete()
    return Status(204, None)


# --- side effects ---------------------------------------------------------------------------------------

class AdverseEventIn(Schema):
    onset: date
    kind: str
    description: str = ""
    severity: str = Field(..., description="mild, moderate or severe.")
    duration_days: int | None = None
    injection_id: int | None = Field(None, description="At most one of the four links, to this patient's treatment.")
    medication_id: int | None = None
    dbs_implant_id: int | None = None
    procedure_id: int | None = None


class AdverseEventOut(AdverseEventIn):
    id: int


def _event_out(e: AdverseEvent) -> AdverseEventOut:
    return AdverseEventOut(id=e.pk, onset=e.onset, kind=e.kind, description=e.description, severity=e.severity,
                           duration_days=e.duration_days, injection_id=e.injection_id, medication_id=e.medication_id,
                           dbs_implant_id=e.dbs_implant_id, procedure_id=e.procedure_id)


def _save_event(request, patient_id: int, payload: AdverseEventIn, event: AdverseEvent | None = None):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    data = payload.dict()
    links = {field: data.pop(f"{field}_id") for field in LINK_FIELDS}
    given = [(field, pk) for field, pk in links.items() if pk is not None]
    if len(given) > 1:
        _raise([{"loc": list(BODY), "type": "value_error",
                 "msg": "Link a side effect to one treatment at most."}])
    data["treatment"] = f"{given[0][0]}:{given[0][1]}" if given else ""
    form = AdverseEventForm(data=data, instance=event, patient=patient)
    rename = {"treatment": (*BODY, f"{given[0][0]}_id")} if given else None
    _raise(_form_errors(form, rename=rename))
    return form.save()


@router.get("/patients/{patient_id}/adverse-events", response=list[AdverseEventOut], summary="Side effects")
def list_events(request, patient_id: int):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_event_out(e) for e in AdverseEvent.objects.filter(patient=patient)]


@router.post("/patients/{patient_id}/adverse-events", response={201: AdverseEventOut},
             summary="Add a side effect, linked to at most one of this patient's treatments")
def add_event(request, patient_id: int, payload: AdverseEventIn):
    return Status(201, _event_out(_save_event(request, patient_id, payload)))


@router.get("/patients/{patient_id}/adverse-events/{event_id}", response=AdverseEventOut, summary="One side effect")
def get_event(request, patient_id: int, event_id: int):
    return _event_out(_object(request, patient_id, AdverseEvent, event_id))


@router.put("/patients/{patient_id}/adverse-events/{event_id}", response=AdverseEventOut,
            summary="Correct a side effect")
def put_event(request, patient_id: int, event_id: int, payload: AdverseEventIn):
    event = _object(request, patient_id, AdverseEvent, event_id, Access.EDIT)
    return _event_out(_save_event(request, patient_id, payload, event))


@router.delete("/patients/{patient_id}/adverse-events/{event_id}", response={204: None},
               summary="Delete a side effect")
def delete_event(request, patient_id: int, event_id: int):
    _object(request, patient_id, AdverseEvent, event_id, Access.EDIT).delete()
    return Status(204, None)
