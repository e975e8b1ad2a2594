"""The files a record can be downloaded as: the diary, and one CSV file per kind of treatment.

Treatments are exported one kind per file because the kinds share almost no columns: a combined
file would be mostly empty cells. Injections have one row per injected muscle, with the session's
details repeated on each of its rows and the session's total in that product's own units (never
added across products). Dates are ISO (YYYY-MM-DD); codes are written as the names people read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torsion.clinical import catalogue
from torsion.web.accounts.models import Patient
from torsion.web.assessments.services import export_rows as scale_rows
from torsion.web.records import diary_csv
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    DBSProgramming,
    MedicationCourse,
    Procedure,
    TherapySession,
    ToxinInjection,
)
from torsion.web.records.treatments import describe_treatment, session_total

Rows = tuple[list[str], list[list]]


def _day(value) -> str:
    return value.isoformat() if value else ""


def _number(value) -> str:
    return "" if value is None else f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


def injection_rows(patient: Patient) -> Rows:
    header = ["Date", "Product", "Lot number", "Dilution (units per mL)", "Guidance", "Injected by", "Muscle", "Side",
              "Units", "Sites", "Session total units", "Notes"]
    sides = dict(catalogue.SIDES)
    guidance = dict(catalogue.INJECTION_GUIDANCE)
    rows = []
    for injection in ToxinInjection.objects.filter(patient=patient).prefetch_related("lines").order_by("date", "pk"):
        total = _number(session_total(injection))
        for line in injection.lines.all():
            rows.append([_day(injection.date), injection.product_name, injection.lot_number,
                         _number(injection.dilution_units_per_ml), guidance.get(injection.guidance, injection.guidance),
                         injection.injector, line.muscle_name, sides.get(line.side, line.side), _number(line.units),
                         line.sites, total, injection.notes])
    return header, rows


def medication_rows(patient: Patient) -> Rows:
    header = ["Medicine", "Dose", "Unit", "Times a day", "Schedule", "Started", "Stopped", "Why stopped",
              "Side effects"]
    units = dict(catalogue.DOSE_UNITS)
    rows = [[str(m), _number(m.dose_amount), units.get(m.dose_unit, m.dose_unit), m.times_per_day, m.schedule_note,
             _day(m.start), _day(m.stop), m.stop_reason, m.side_effects]
            for m in MedicationCourse.objects.filter(patient=patient).order_by("start", "pk")]
    return header, rows


def implant_rows(patient: Patient) -> Rows:
    header = ["Implant date", "Target", "Side", "Device", "Notes"]
    rows = [[_day(i.implant_date), i.target_other or i.get_target_display(), i.get_side_display(), i.device, i.notes]
            for i in DBSImplant.objects.filter(patient=patient).order_by("implant_date", "pk")]
    return header, rows


def programming_rows(patient: Patient) -> Rows:
    header = ["Date", "Implant date", "Side", "Contacts", "Amplitude", "Amplitude unit", "Pulse width (µs)",
              "Frequency (Hz)", "Notes"]
    rows = []
    sessions = DBSProgramming.objects.filter(implant__patient=patient).select_related("implant").order_by("date", "pk")
    for session in sessions:
        for side, values in sorted(session.settings.items()):
            rows.append([_day(session.date), _day(session.implant.implant_date), side, values.get("contacts", ""),
                         _blank(values.get("amplitude")), values.get("amplitude_unit", ""),
                         _blank(values.get("pulse_width_us")), _blank(values.get("frequency_hz")), session.notes])
    return header, rows


def _blank(value) -> str:
    return "" if value is None else str(value)


def procedure_rows(patient: Patient) -> Rows:
    header = ["Date", "Procedure", "Details", "Notes"]
    rows = [[_day(p.date), p.get_kind_display(), p.details, p.notes]
            for p in Procedure.objects.filter(patient=patient).order_by("date", "pk")]
    return header, rows


def therapy_rows(patient: Patient) -> Rows:
    header = ["Date", "Therapy", "Minutes", "Therapist", "Notes"]
    rows = [[_day(t.date), t.get_kind_display(), _blank(t.duration_min), t.therapist, t.notes]
            for t in TherapySession.objects.filter(patient=patient).order_by("date", "pk")]
    return header, rows


def side_effect_rows(patient: Patient) -> Rows:
    header = ["Began", "Side effect", "Description", "Severity", "Days it lasted", "After treatment"]
    events = (AdverseEvent.objects.filter(patient=patient)
              .select_related("injection", "medication", "dbs_implant", "procedure").order_by("onset", "pk"))
    rows = [[_day(e.onset), e.get_kind_display(), e.description, e.get_severity_display(), _blank(e.duration_days),
             describe_treatment(e.treatment) if e.treatment else ""] for e in events]
    return header, rows


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    rows: Callable[[Patient], Rows]


EXPORTS: dict[str, Export] = {e.name: e for e in (
    Export("diary", "Diary", "One row per day: severity per body part, pain, limitation, triggers, what helped, note.",
           diary_csv.export_rows),
    Export("injections", "Botulinum-toxin injections",
           "One row per injected muscle, with the session's product, lot, guidance and total units.", injection_rows),
    Export("medications", "Medicines", "One row per course: dose, schedule, start, stop and why.", medication_rows),
    Export("dbs-implants", "Deep brain stimulation implants", "One row per implant.", implant_rows),
    Export("dbs-programming", "Deep brain stimulation programming",
           "One row per programming session and side.", programming_rows),
    Export("procedures", "Procedures", "One row per procedure.", procedure_rows),
    Export("therapy", "Therapy sessions", "One row per session.", therapy_rows),
    Export("side-effects", "Side effects", "One row per side effect, with the treatment it followed.",
           side_effect_rows),
    Export("rating-scales", "Rating scales",
           "One row per item of each saved scale, with the total and whether the answer started from a video "
           "estimate.", scale_rows),
)}
