"""Building the clinician's patient list: one :class:`PatientSummary` per patient, rebuilt when stale.

The record's models mark a summary stale when they change (signals, see :mod:`torsion.web.clinic.apps`,
and :func:`mark_stale` where rows are written in bulk). The list then rebuilds only the stale ones,
so showing 500 patients costs one query and rendering, not 500 cycle analyses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from torsion.web.accounts.models import CareGrant
from torsion.web.clinic.models import PatientSummary
from torsion.web.learn.diagnosis import current_diagnosis
from torsion.web.recordings.models import Recording, Status
from torsion.web.recordings.protocols import KINDS
from torsion.web.records.models import ToxinInjection
from torsion.web.records.services import cycle_report, today


def mark_stale(patient_ids) -> None:
    """Make the patient list rebuild these patients' summaries the next time it is shown."""
    ids = [patient_ids] if isinstance(patient_ids, int) else list(patient_ids)
    PatientSummary.objects.filter(patient_id__in=ids, stale=False).update(stale=True)


def build(patient) -> PatientSummary:
    """Compute ``patient``'s summary from their record and store it."""
    diagnosis = current_diagnosis(patient)
    last = ToxinInjection.objects.filter(patient=patient, date__lte=today()).order_by("-date", "-pk").first()
    values = {
        "diagnosis": ", ".join(diagnosis.result.get("forms", [])) if diagnosis else "",
        "diagnosis_status": diagnosis.get_status_display() if diagnosis else "",
        "last_injection": last.date if last else None,
        "last_product": last.product_name if last else "",
        "wears_off_early": None, "wears_off_days": None, "wears_off_statement": "",
        "computed_on": today(), "stale": False,
    }
    if last is not None:
        interval = cycle_report(patient).report.comparison.interval
        values.update(wears_off_early=interval.too_long, wears_off_days=interval.typical_days,
                      wears_off_statement=interval.statement[:400])
    values.update(_measure_change(patient))
    summary, _ = PatientSummary.objects.update_or_create(patient=patient, defaults=values)
    return summary


def _measure_change(patient) -> dict:
    """The latest finished recording's first trend number beside the same number one recording before."""
    latest = Recording.objects.filter(patient=patient, status=Status.DONE).order_by("-recorded_at", "-pk").first()
    if latest is None or latest.kind not in KINDS or not KINDS[latest.kind].metrics:
        return {"measure_change": "", "measure_date": None}
    key, label, unit = KINDS[latest.kind].metrics[0]
    when = timezone.localtime(latest.recorded_at).date()
    if key not in latest.metrics:
        return {"measure_change": "", "measure_date": None}
    previous = (Recording.objects.filter(patient=patient, status=Status.DONE, kind=latest.kind, task=latest.task,
                                         recorded_at__lt=latest.recorded_at)
                .order_by("-recorded_at", "-pk").values_list("metrics", flat=True).first())
    now = _number(latest.metrics[key], unit)
    if previous and key in previous:
        text = f"{label}: {_number(previous[key], unit)} → {now}"
    else:
        text = f"{label}: {now} (no earlier recording of this task)"
    return {"measure_change": text[:200], "measure_date": when}


def _number(value, unit: str) -> str:
    """A measure as the list shows it: a count (no unit, a whole number) without decimals, else one
    decimal with its unit."""
    if not unit:
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    number = f"{value:.1f}"
    return f"{number}{unit}" if unit in ("°", "%") else f"{number} {unit}"


@dataclass(frozen=True)
class Row:
    grant: CareGrant
    summary: PatientSummary
    age: int | None
    days_since: int | None

    @property
    def patient(self):
        return self.grant.patient

    @property
    def name(self) -> str:
        return str(self.grant.patient)


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def rows_for(clinician) -> list[Row]:
    """Every patient sharing with ``clinician``, with a fresh summary each."""
    grants = list(CareGrant.objects.active().filter(clinician=clinician).select_related("patient__user"))
    on = today()
    summaries = {s.patient_id: s for s in PatientSummary.objects.filter(patient_id__in=[g.patient_id for g in grants])}
    rows = []
    for grant in grants:
        summary = summaries.get(grant.patient_id)
        if summary is None or summary.stale or summary.computed_on != on:
            summary = build(grant.patient)
        days = (on - summary.last_injection).days if summary.last_injection else None
        rows.append(Row(grant, summary, _age(grant.patient.date_of_birth, on), days))
    return rows


def _none_last(value):
    return (value is None, value)


#: Sort keys of the list: query value -> (heading, key function).
SORTS = {
    "name": ("Patient", lambda r: r.name.lower()),
    "age": ("Age", lambda r: _none_last(r.age)),
    "diagnosis": ("Diagnosis", lambda r: (not r.summary.diagnosis, r.summary.diagnosis.lower())),
    "injection": ("Last injection", lambda r: _none_last(r.days_since)),
    "wearing": ("Wore off before next injection", lambda r: {True: 0, False: 1, None: 2}[r.summary.wears_off_early]),
    "measure": ("Latest measurement", lambda r: (r.summary.measure_date is None,
                                                   -(r.summary.measure_date.toordinal() if r.summary.measure_date else 0))),
    "access": ("Access", lambda r: not r.grant.can_edit),
}


def search(rows: list[Row], query: str) -> list[Row]:
    words = query.lower().split()
    if not words:
        return rows

    def text(row: Row) -> str:
        user = row.grant.patient.user
        return " ".join([row.name, user.username, row.summary.diagnosis, row.summary.last_product]).lower()

    return [row for row in rows if all(word in text(row) for word in words)]


def sort(rows: list[Row], key: str, descending: bool) -> list[Row]:
    _, function = SORTS.get(key, SORTS["name"])
    return sorted(rows, key=function, reverse=descending)
