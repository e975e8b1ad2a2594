"""Pages of the treatment log: the overview, and adding, correcting and deleting each kind of treatment.

Adding and correcting need an edit grant (``Access.EDIT``); everyone who may see the record sees the
overview and the detail pages. Deleting asks for confirmation and happens only on POST. Deleting a
treatment never touches the diary; side effects linked to it are kept, without the link.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    programming_sides,
)
from torsion.web.records.treatments import injection_warning, record_totals, session_total


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


@patient_view(Access.VIEW)
def treatments(request, patient_id: int):
    patient = request.patient
    injections = list(ToxinInjection.objects.filter(patient=patient).prefetch_related("lines").order_by("-date", "-pk"))
    for injection in injections:
        injection.session_units = session_total(injection)
        injection.warning = injection_warning(injection)
    events = AdverseEvent.objects.filter(patient=patient).select_related("injection", "medication", "dbs_implant",
                                                                         "procedure")
    return render(request, "records/treatments.html", {
        "title": "Treatment log",
        "record_section": "treatments",
        "injections": injections,
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
    return render(request, "records/injection_detail.html", {
        "title": f"Injection of {short_date(injection.date)}",
        "record_section": "treatments",
        "injection": injection,
        "total_units": session_total(injection),
        "warning": injection_warning(injection),
        "events": injection.adverse_events.all(),
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def injection_form(request, patient_id: int, injection_id: int | None = None):
    """Add a session with its muscle lines, or correct one; a dose check follows saving."""
    injection = _injection(request, injection_id, Access.EDIT) if injection_id else ToxinInjection(
        patient=request.patient)
    data = request.POST if request.method == "POST" else None
    form = InjectionForm(data, instance=injection, patient=request.patient)
    formset_class = EditLineFormSet if injection.pk else NewLineFormSet
    formset = formset_class(data, instance=injection, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = saved
            formset.save()
        saved = ToxinInjection.objects.prefetch_related("lines").get(pk=saved.pk)
        messages.success(request, f"Saved the injection of {short_date(saved.date)}: "
                                  f"{session_total(saved).normalize():f} units of {saved.product_name}.")
        warning = injection_warning(saved)
        if warning:
            messages.warning(request, warning)
        return redirect("records:injection_detail", patient_id=patient_id, injection_id=saved.pk)
    return render(request, "records/injection_form.html", {
        "title": "Correct an injection" if injection.pk else "Add a botulinum-toxin injection",
        "record_section": "treatments",
        "form": form,
        "formset": formset,
        "injection": injection,
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

