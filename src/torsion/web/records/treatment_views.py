"""Pages of the treatment log: the overview, and adding, correcting and deleting each kind of treatment.

Adding and correcting need an edit grant (``Access.EDIT``); everyone who may see the record sees the
overview and the detail pages. Deleting asks for confirmation and happens only on POST. Deleting a
treatment never touches the diary; side effects linked to it are kept, without the link.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.core.dates import short_date
from torsion.web.records.charting import (
    COMPACT_GRID_SESSIONS,
    GRID_SESSION_CHOICES,
    GRID_SESSIONS,
    dose_grid,
    has_cervical_dystonia,
    latest_posture,
)
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
    EditLineFormSet,
    InjectionForm,
    MedicationForm,
    NewLineFormSet,
    ProcedureForm,
    TherapyForm,
    line_formset,
    programming_sides,
    repeat_initial,
)
from torsion.web.records.treatments import (
    checked_session,
    checks_fingerprint,
    confirmed_record,
    record_totals,
    session_checks,
    session_total,
)


@dataclass(frozen=True)
class Kind:
    """A kind of treatment-log entry edited with one plain form."""

    name: str  # URL names: <name>_new, <name>_edit, <name>_delete
    path: str  # address part under /treatments/
    model: type
    form: type[forms.ModelForm]
    noun: str
    id_kwarg: str
    section: str  # anchor of its section on the overview page


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("medication", "medications", MedicationCourse, MedicationForm, "medicine", "medication_id", "medicines"),
    Kind("implant", "dbs", DBSImplant, DBSImplantForm, "deep brain stimulation implant", "implant_id", "dbs"),
    Kind("procedure", "procedures", Procedure, ProcedureForm, "procedure", "procedure_id", "procedures"),
    Kind("therapy", "therapy", TherapySession, TherapyForm, "therapy session", "therapy_id", "therapy"),
    Kind("side_effect", "side-effects", AdverseEvent, AdverseEventForm, "side effect", "event_id", "side-effects"),
)}


def _overview(patient_id: int, section: str) -> str:
    return reverse("records:treatments", kwargs={"patient_id": patient_id}) + f"#{section}"


def is_owner(request) -> bool:
    """Whether the person looking is the patient (``request.is_owner``, set here if nobody set it)."""
    if getattr(request, "is_owner", None) is None:
        request.is_owner = request.patient.user_id == request.user.pk
    return request.is_owner


@patient_view(Access.VIEW)
def treatments(request, patient_id: int):
    patient = request.patient
    is_owner(request)
    injections = list(ToxinInjection.objects.filter(patient=patient).prefetch_related("lines").order_by("-date", "-pk"))
    for injection in injections:
        injection.session_units = session_total(injection)
    events = AdverseEvent.objects.filter(patient=patient).select_related("injection", "medication", "dbs_implant",
                                                                         "procedure")
    return render(request, "records/treatments.html", {
        "title": "Treatment log",
        "record_section": "treatments",
        "injections": injections,
        "last_injection": injections[0] if injections else None,
        "totals": record_totals(patient),
        "medications": MedicationCourse.objects.filter(patient=patient).order_by("-start"),
        "implants": DBSImplant.objects.filter(patient=patient).prefetch_related("programming"),
        "procedures": Procedure.objects.filter(patient=patient),
        "therapy_sessions": TherapySession.objects.filter(patient=patient),
        "events": events,
    })


# --- botulinum-toxin injections ----------------------------------------------------------------------

def _injection(request, injection_id: int, access: Access = Access.VIEW) -> ToxinInjection:
    return get_patient_object(request.user, ToxinInjection.objects.prefetch_related("lines"), injection_id, access,
                              patient=request.patient)


@patient_view(Access.VIEW)
def injection_detail(request, patient_id: int, injection_id: int):
    injection = _injection(request, injection_id)
    is_owner(request)
    return render(request, "records/injection_detail.html", {
        "title": f"Injection of {short_date(injection.date)}",
        "record_section": "treatments",
        "injection": injection,
        "total_units": session_total(injection),
        "events": injection.adverse_events.all(),
    })


@patient_view(Access.VIEW)
def injection_grid(request, patient_id: int):
    """The dose grid: muscles and sides by the last sessions, in each session's product's own units."""
    is_owner(request)
    try:
        sessions = int(request.GET.get("sessions", GRID_SESSIONS))
    except ValueError:
        sessions = GRID_SESSIONS
    if sessions not in GRID_SESSION_CHOICES:
        sessions = GRID_SESSIONS
    return render(request, "records/injection_grid.html", {
        "title": "Dose grid",
        "record_section": "treatments",
        "grid": dose_grid(request.patient, sessions),
        "sessions": sessions,
        "session_choices": GRID_SESSION_CHOICES,
    })


def _kept_lines(formset) -> list[tuple[int, dict]]:
    """(index in the formset, cleaned data) of the lines to save: not removed, not left empty."""
    return [(index, form.cleaned_data) for index, form in enumerate(formset.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE")]


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def injection_form(request, patient_id: int, injection_id: int | None = None):
    """Add a session with its muscle lines, or correct one.

    Before anything is saved, the entry is checked (:func:`session_checks`); unusual values are shown
    on the form with a confirmation bound to exactly those values. A confirmed entry is saved as
    entered, with the checks it was confirmed with.
    """
    injection = _injection(request, injection_id, Access.EDIT) if injection_id else ToxinInjection(
        patient=request.patient)
    stored = injection if injection.pk else None
    data = request.POST if request.method == "POST" else None
    form = InjectionForm(data, instance=injection, patient=request.patient)
    formset_class = EditLineFormSet if injection.pk else NewLineFormSet
    formset = formset_class(data, instance=injection, prefix="lines")
    checks, fingerprint = [], ""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = _kept_lines(formset)
        entered = form.cleaned_data
        session = checked_session(entered["date"], entered["product"], entered.get("product_other", ""),
                                  [line for _, line in kept])
        every_check, pending = session_checks(request.patient, session, stored)
        fingerprint = checks_fingerprint(request.patient, stored, session, pending)
        if not pending or request.POST.get("confirm_checks") == fingerprint:
            with transaction.atomic():
                form.instance.confirmed_checks = confirmed_record(every_check)
                saved = form.save()
                formset.instance = saved
                formset.save()
            messages.success(request, f"Saved the injection of {short_date(saved.date)}: "
                                      f"{session_total(saved).normalize():f} units of {saved.product_name}.")
            return redirect("records:injection_detail", patient_id=patient_id, injection_id=saved.pk)
        # Point each per-muscle finding at its line as numbered on the form.
        checks = [replace(c, line=kept[c.line][0]) if c.line is not None else c for c in pending]
        for check in checks:
            if check.line is not None:
                line_form = formset.forms[check.line]
                line_form.dose_checks = [*getattr(line_form, "dose_checks", []), check.message]
    return _injection_page(request, form, formset, injection, checks=checks, fingerprint=fingerprint)


@patient_view(Access.EDIT)
@require_http_methods(["GET"])
def injection_repeat(request, patient_id: int, injection_id: int):
    """A new session pre-filled from ``injection`` (dated today); saving goes through the usual form."""
    previous = _injection(request, injection_id, Access.EDIT)
    session_initial, lines_initial = repeat_initial(previous)
    injection = ToxinInjection(patient=request.patient)
    form = InjectionForm(instance=injection, patient=request.patient, initial=session_initial)
    formset = line_formset(extra=len(lines_initial) + 1)(instance=injection, prefix="lines", initial=lines_initial)
    return _injection_page(request, form, formset, injection, repeat_from=previous,
                           action=reverse("records:injection_new", kwargs={"patient_id": patient_id}))


def _injection_page(request, form, formset, injection: ToxinInjection, *, checks=(), fingerprint: str = "",
                    repeat_from: ToxinInjection | None = None, action: str = ""):
    patient = request.patient
    is_owner(request)
    previous = None
    if not injection.pk and repeat_from is None and not form.is_bound:  # not while an entry is on the form
        previous = ToxinInjection.objects.filter(patient=patient).prefetch_related("lines").order_by(
            "-date", "-pk").first()
    muscles = [f["muscle"].value() for f in formset.forms if f["muscle"].value()]
    cervical = has_cervical_dystonia(patient, muscles)
    return render(request, "records/injection_form.html", {
        "title": "Correct an injection" if injection.pk else "Add a botulinum-toxin injection",
        "record_section": "treatments",
        "form": form,
        "formset": formset,
        "injection": injection,
        "dose_checks": checks,
        "checks_fingerprint": fingerprint,
        "repeat_from": repeat_from,
        "previous_injection": previous,
        "form_action": action,
        "grid": dose_grid(patient, COMPACT_GRID_SESSIONS),
        "show_posture": cervical,
        "posture": latest_posture(patient) if cervical else None,
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def injection_delete(request, patient_id: int, injection_id: int):
    injection = _injection(request, injection_id, Access.EDIT)
    if request.method == "POST":
        injection.delete()
        messages.success(request, f"Deleted the injection of {short_date(injection.date)}. The diary is unchanged.")
        return redirect(_overview(patient_id, "injections"))
    lines = injection.lines.count()
    return _confirm_delete(request, injection, [
        f"Its {lines} muscle line{'s' if lines != 1 else ''} will be deleted with it.",
        *_kept_events(injection),
    ], back=reverse("records:injection_detail", kwargs={"patient_id": patient_id, "injection_id": injection.pk}))


# --- the plain kinds ------------------------------------------------------------------------------------

def _kind_object(request, kind: Kind, ids: dict, access: Access):
    return get_patient_object(request.user, kind.model, ids[kind.id_kwarg], access, patient=request.patient)


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def record_form(request, patient_id: int, kind: str, **ids):
    """Add or correct a medicine, DBS implant, procedure, therapy session or side effect."""
    spec = KINDS[kind]
    instance = _kind_object(request, spec, ids, Access.EDIT) if ids else spec.model(patient=request.patient)
    extra = {}
    if not instance.pk and spec.name == "side_effect" and request.GET.get("treatment"):
        extra["initial"] = {"treatment": request.GET["treatment"]}  # from "Add a side effect after it"
    form = spec.form(request.POST if request.method == "POST" else None, instance=instance,
                     patient=request.patient, **extra)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved: {saved}.")
        if spec.name == "implant":
            return redirect("records:implant_detail", patient_id=patient_id, implant_id=saved.pk)
        return redirect(_overview(patient_id, spec.section))
    return render(request, "records/treatment_form.html", {
        "title": f"Correct a {spec.noun}" if instance.pk else f"Add a {spec.noun}",
        "record_section": "treatments",
        "form": form,
        "back": _overview(patient_id, spec.section),
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def record_delete(request, patient_id: int, kind: str, **ids):
    spec = KINDS[kind]
    obj = _kind_object(request, spec, ids, Access.EDIT)
    if request.method == "POST":
        obj.delete()
        messages.success(request, f"Deleted: {obj}. The diary is unchanged.")
        return redirect(_overview(patient_id, spec.section))
    consequences = []
    if spec.name == "implant":
        count = obj.programming.count()
        consequences.append(f"Its {count} programming session{'s' if count != 1 else ''} will be deleted with it.")
    if spec.name != "side_effect" and spec.name != "therapy":
        consequences += _kept_events(obj)
    return _confirm_delete(request, obj, consequences, back=_overview(patient_id, spec.section))


def _kept_events(obj) -> list[str]:
    count = obj.adverse_events.count()
    if not count:
        return []
    return [f"The {count} side effect{'s' if count != 1 else ''} linked to it will be kept, no longer linked."]


def _confirm_delete(request, obj, consequences: list[str], *, back: str):
    return render(request, "records/treatment_delete.html", {
        "title": "Delete this entry?",
        "record_section": "treatments",
        "object": obj,
        "consequences": [*consequences, "The diary is not changed."],
        "back": back,
    })


# --- deep brain stimulation: the implant and its programming sessions -------------------------------

@patient_view(Access.VIEW)
def implant_detail(request, patient_id: int, implant_id: int):
    implant = get_patient_object(
        request.user, DBSImplant.objects.prefetch_related(Prefetch("programming", DBSProgramming.objects.order_by(
            "-date", "-pk"))),
        implant_id, patient=request.patient)
    return render(request, "records/implant_detail.html", {
        "title": f"Deep brain stimulation, {short_date(implant.implant_date)}",
        "record_section": "treatments",
        "implant": implant,
        "sides": programming_sides(implant),
        "events": implant.adverse_events.all(),
    })


def _programming(implant: DBSImplant, programming_id: int) -> DBSProgramming:
    programming = DBSProgramming.objects.filter(pk=programming_id, implant=implant).first()
    if programming is None:
        raise Http404("Not found.")
    return programming


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def programming_form(request, patient_id: int, implant_id: int, programming_id: int | None = None):
    implant = get_patient_object(request.user, DBSImplant, implant_id, Access.EDIT, patient=request.patient)
    programming = _programming(implant, programming_id) if programming_id else None
    form = DBSProgrammingForm(request.POST if request.method == "POST" else None, implant=implant,
                              programming=programming)
    if request.method == "POST" and form.is_valid():
        saved = form.apply_to(programming or DBSProgramming())
        saved.save()
        messages.success(request, f"Saved the programming session of {short_date(saved.date)}.")
        return redirect("records:implant_detail", patient_id=patient_id, implant_id=implant.pk)
    return render(request, "records/programming_form.html", {
        "title": "Correct a programming session" if programming else "Add a programming session",
        "record_section": "treatments",
        "form": form,
        "implant": implant,
        "side_groups": [(label, [form[name] for name in form.side_fields(side)]) for side, label in form.sides],
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def programming_delete(request, patient_id: int, implant_id: int, programming_id: int):
    implant = get_patient_object(request.user, DBSImplant, implant_id, Access.EDIT, patient=request.patient)
    programming = _programming(implant, programming_id)
    back = reverse("records:implant_detail", kwargs={"patient_id": patient_id, "implant_id": implant.pk})
    if request.method == "POST":
        programming.delete()
        messages.success(request, f"Deleted the programming session of {short_date(programming.date)}.")
        return redirect(back)
    return _confirm_delete(request, f"Programming session of {short_date(programming.date)}", [], back=back)

