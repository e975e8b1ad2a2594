"""Who fills which scale, saving an administration, and the series and charts of saved scores.

Scores are never computed here: :class:`~torsion.web.assessments.forms.ScaleForm` has the engine score
the answers, and this module stores what the engine returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from torsion.clinical import scales
from torsion.clinical.scales import ScaleDefinition, UnknownScaleError
from torsion.web.accounts.models import Patient
from torsion.web.assessments.estimates import VideoEstimate
from torsion.web.assessments.forms import ScaleForm, format_score
from torsion.web.assessments.models import EstimatedItem, ScaleAdministration, ScaleCorrection
from torsion.web.core.charts import Chart, Marker, Series, date_ticks, day_number, nice_ticks
from torsion.web.core.dates import short_date
from torsion.web.recordings.models import Recording

FINAL = ScaleAdministration.Status.FINAL
DRAFT = ScaleAdministration.Status.DRAFT


def definition_or_none(scale_id: str) -> ScaleDefinition | None:
    try:
        return scales.get_scale(scale_id)
    except UnknownScaleError:
        return None


def may_fill(request, definition: ScaleDefinition) -> bool:
    """May the person of a patient page's ``request`` fill ``definition`` (see :func:`fill_allowed`)?"""
    return fill_allowed(definition, is_owner=bool(request.is_owner), can_edit=bool(request.can_edit))


def fill_allowed(definition: ScaleDefinition, *, is_owner: bool, can_edit: bool) -> bool:
    """Patient-reported scales are answered by the patient; clinician-rated ones by a clinician who may record."""
    if definition.rated_by == "patient":
        return is_owner
    return can_edit and not is_owner


def fillable_scales(request) -> list[ScaleDefinition]:
    return [definition for definition in scales.list_scales() if may_fill(request, definition)]


def may_continue(request, administration: ScaleAdministration) -> bool:
    """A draft is continued, and an administration deleted, only by the person who entered it."""
    return administration.entered_by_id == request.user.pk


@transaction.atomic
def save_administration(form: ScaleForm, *, patient: Patient, user, final: bool,
                        administration: ScaleAdministration | None = None,
                        recording: Recording | None = None) -> ScaleAdministration:
    """Store a checked form (``form.valid``): answers, the engine's scores and any video estimates used."""
    assert form.valid and form.result is not None, "save only a form that passed its check"
    result = form.result
    record = administration or ScaleAdministration(patient=patient, scale=form.definition.id, entered_by=user,
                                                   recording=recording)
    record.scale_version = result.version
    record.scale_revision = result.revision
    record.administered_on = form.administered_on
    record.answers = dict(result.items)
    record.total = result.total
    record.sections = dict(result.sections)
    record.derived = dict(result.derived)
    record.complete = result.complete
    record.note = form.note
    record.status = FINAL if final else DRAFT
    if final:
        record.finalised_at = timezone.now()
    record.save()
    _store_estimates(record, form.estimates, result.items)
    return record


#: What a correction keeps of the administration as it was.
CORRECTED_FIELDS = ("administered_on", "answers", "total", "sections", "derived", "complete", "note",
                    "scale_version", "scale_revision")


@transaction.atomic
def correct_administration(form: ScaleForm, record: ScaleAdministration, *, user, reason: str) -> ScaleCorrection:
    """Correct a saved administration with a checked form (``form.valid``), keeping what it was.

    The administration keeps its id, its author and the time it was first saved; the correction
    records who changed it, when, why, and every stored field as it was before.
    """
    assert record.is_final, "only a saved administration is corrected; a draft is simply continued"
    previous = {name: getattr(record, name) for name in CORRECTED_FIELDS}
    previous["administered_on"] = record.administered_on.isoformat()
    correction = ScaleCorrection.objects.create(administration=record, corrected_by=user, reason=reason,
                                                previous=previous)
    first_saved = record.finalised_at
    save_administration(form, patient=record.patient, user=user, final=True, administration=record)
    ScaleAdministration.objects.filter(pk=record.pk).update(finalised_at=first_saved)
    record.finalised_at = first_saved
    return correction


@dataclass(frozen=True)
class ShownCorrection:
    """A correction as the result page lists it."""

    corrected_at: object
    corrected_by_id: int | None
    corrected_by: object
    reason: str
    previous_text: str


def corrections(record: ScaleAdministration, definition: ScaleDefinition) -> list[ShownCorrection]:
    """The corrections of ``record``, newest first, each saying what it changed in the version before it."""
    labels = {item.id: item.label for item in definition.items}
    rows = list(record.corrections.select_related("corrected_by"))  # newest first
    shown = []
    after = {"administered_on": record.administered_on.isoformat(), "answers": record.answers}
    for row in rows:
        before = row.previous
        changes = [f"total {format_score(before.get('total'))}"]
        if before.get("administered_on") and before["administered_on"] != after["administered_on"]:
            changes.append(f"dated {short_date(date.fromisoformat(before['administered_on']))}")
        old, new = before.get("answers") or {}, after.get("answers") or {}
        changed = [labels.get(item, item) for item in labels if old.get(item) != new.get(item)]
        if changed:
            more = f" and {len(changed) - 4} more" if len(changed) > 4 else ""
            changes.append("different answers to " + ", ".join(changed[:4]) + more)
        shown.append(ShownCorrection(row.corrected_at, row.corrected_by_id, row.corrected_by, row.reason,
                                     "; ".join(changes)))
        after = before
    return shown


def _store_estimates(record: ScaleAdministration, estimates: dict[str, VideoEstimate], answers: dict) -> None:
    stored = {row.item: row for row in record.estimates.all()}
    for item_id, estimate in estimates.items():
        row = stored.get(item_id) or EstimatedItem(
            administration=record, item=item_id, estimated_score=estimate.score, excursion=estimate.excursion,
            unit=estimate.unit, direction=estimate.direction or "", details=estimate.details)
        confirmed = answers.get(item_id)
        row.confirmed_score = float(confirmed) if isinstance(confirmed, (int, float)) else None
        row.changed = row.confirmed_score is not None and row.confirmed_score != row.estimated_score
        row.save()


def stored_estimates(record: ScaleAdministration) -> dict[str, VideoEstimate]:
    return {row.item: VideoEstimate.from_stored(row) for row in record.estimates.all()}


# --- saved scores over time ---------------------------------------------------------------------------

def finals(patient: Patient, scale_id: str):
    return (ScaleAdministration.objects.filter(patient=patient, scale=scale_id, status=FINAL)
            .order_by("administered_on", "pk"))


def daily_totals(patient: Patient, scale_id: str) -> list[tuple[date, float]]:
    """One total per day with a saved administration (the one saved last when a day has several)."""
    by_day: dict[date, float] = {}
    for day, total in finals(patient, scale_id).values_list("administered_on", "total"):
        if total is not None:
            by_day[day] = total
    return sorted(by_day.items())


@dataclass(frozen=True)
class LatestResult:
    definition: ScaleDefinition
    administration: ScaleAdministration
    count: int

    @property
    def total_text(self) -> str:
        return format_score(self.administration.total)


def latest_results(patient: Patient) -> list[LatestResult]:
    """The latest saved administration of each scale the patient has, most recent first."""
    latest: dict[str, ScaleAdministration] = {}
    counts: dict[str, int] = {}
    for record in ScaleAdministration.objects.filter(patient=patient, status=FINAL).order_by("administered_on", "pk"):
        latest[record.scale] = record
        counts[record.scale] = counts.get(record.scale, 0) + 1
    results = []
    for scale_id, record in latest.items():
        definition = definition_or_none(scale_id)
        if definition is not None:
            results.append(LatestResult(definition, record, counts[scale_id]))
    return sorted(results, key=lambda r: (r.administration.administered_on, r.administration.pk), reverse=True)


def history_chart(definition: ScaleDefinition, points: list[tuple[date, float]],
                  injections: list[date]) -> Chart | None:
    """Totals over time on the scale's whole range, with botulinum-toxin injections marked."""
    if not points:
        return None
    start, end = points[0][0] - timedelta(days=14), points[-1][0] + timedelta(days=14)
    shown = [day for day in injections if start <= day <= end]
    low, high = float(definition.min_total), float(definition.max_total)
    direction = "higher is worse" if definition.higher_is_worse else "higher is better"
    unit = f" ({definition.unit})" if definition.unit else ""
    return Chart(
        title=f"{definition.abbreviation} total",
        description=(f"{definition.abbreviation} total{unit} of {len(points)} saved administration"
                     f"{'s' if len(points) != 1 else ''} from {short_date(points[0][0])} to {short_date(points[-1][0])}, "
                     f"on its whole range {format_score(low)} to {format_score(high)} ({direction}); "
                     "dashed lines mark botulinum-toxin injections."),
        series=[Series(f"{definition.abbreviation} total", [(day_number(d), v) for d, v in points], "s1", dots=True)],
        x_min=day_number(start), x_max=day_number(end), y_min=low, y_max=high,
        x_ticks=date_ticks(start, end), y_ticks=[(v, format_score(v)) for v in nice_ticks(low, high, 5)],
        y_label=f"Total{unit}",
        markers=[Marker(day_number(d), f"Injection {short_date(d)}", "marker injection") for d in shown],
        height=240,
    )


# --- series for the toxin-cycle page ---------------------------------------------------------------------

SERIES_PREFIX = "scale:"


@dataclass(frozen=True)
class ScaleSeries:
    metric: str
    label: str
    points: list[tuple[date, float]]
    higher_is_worse: bool
    unit: str


def scale_metrics(patient: Patient) -> list[tuple[str, str]]:
    """(metric, label) of each scale with a saved administration, for the cycle page's choices."""
    scale_ids = (ScaleAdministration.objects.filter(patient=patient, status=FINAL, total__isnull=False)
                 .values_list("scale", flat=True).distinct())
    metrics = []
    for scale_id in sorted(set(scale_ids)):
        definition = definition_or_none(scale_id)
        if definition is not None:
            metrics.append((SERIES_PREFIX + scale_id, f"{definition.abbreviation} total"))
    return metrics


def is_scale_metric(metric: str) -> bool:
    return metric.startswith(SERIES_PREFIX)


def scale_series(patient: Patient, metric: str) -> ScaleSeries | None:
    """The daily totals of the scale named by ``metric`` (``scale:<id>``), or None for an unknown scale."""
    definition = definition_or_none(metric.removeprefix(SERIES_PREFIX)) if is_scale_metric(metric) else None
    if definition is None:
        return None
    unit = (f"points of the {definition.abbreviation} total ({format_score(definition.min_total)} to "
            f"{format_score(definition.max_total)}{definition.unit or ''})")
    return ScaleSeries(metric, f"{definition.abbreviation} total", daily_totals(patient, definition.id),
                       definition.higher_is_worse, unit)


# --- export -------------------------------------------------------------------------------------------------

def export_rows(patient: Patient) -> tuple[list[str], list[list]]:
    """Saved administrations as CSV rows, one per item, with where each answer came from.

    Items that started from a video estimate give the estimate, the excursion it came from and whether
    the rating changed it, so the pairs can be taken elsewhere to check the estimates.
    """
    header = ["Date", "Scale", "Version", "Total", "Section", "Item", "Label", "Answer", "From", "Video estimate",
              "Excursion", "Changed from the estimate", "Entered by"]
    rows = []
    records = (ScaleAdministration.objects.filter(patient=patient, status=FINAL).select_related("entered_by")
               .prefetch_related("estimates").order_by("administered_on", "pk"))
    for record in records:
        definition = definition_or_none(record.scale)
        if definition is None:
            continue
        estimates = {row.item: row for row in record.estimates.all()}
        who = "the patient" if record.entered_by_id == patient.user_id else (
            record.entered_by.shown_name if record.entered_by else "")
        for item in definition.items:
            answer = record.answers.get(item.id, "")
            estimate = estimates.get(item.id)
            if estimate is None:
                source = ["entered", "", "", ""]
            else:
                excursion = ("" if estimate.excursion is None
                             else f"{estimate.excursion:.1f} {estimate.unit} {estimate.direction}".strip())
                source = ["video estimate", estimate.estimated_score, excursion, "yes" if estimate.changed else "no"]
            rows.append([record.administered_on.isoformat(), definition.abbreviation, record.scale_version,
                         format_score(record.total), item.section, item.id, item.label,
                         format_score(answer) if isinstance(answer, (int, float)) else answer, *source, who])
    return header, rows
