"""Reading and writing the patient record: plain functions the views and the API share."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from torsion.clinical.checkins import daily_means, mean_of_scores
from torsion.clinical.cycle_comparison import typical_response
from torsion.clinical.cycles import CycleReport, CycleResult, analyse_cycles
from torsion.web.accounts.models import Patient
from torsion.web.assessments.services import is_scale_metric, scale_metrics, scale_series
from torsion.web.core.charts import Chart, Marker, Series, date_ticks, day_number, nice_ticks
from torsion.web.core.dates import short_date
from torsion.web.records.models import DiaryEntry, MedicationCourse, ToxinInjection
from torsion.web.records.regions import REGION_CHOICES, REGION_LABELS


def today() -> date:
    return timezone.localdate()


def daily_series(patient: Patient, metric: str = "mean", start: date | None = None,
                 end: date | None = None) -> list[tuple[date, float]]:
    """The diary as one value per day with a check-in (missing days stay missing).

    ``metric`` is ``mean`` (mean severity over the regions scored), ``pain``, ``limitation`` or a body
    region's code. A day with several check-ins has their mean (:func:`torsion.clinical.checkins.daily_means`).
    """
    rows = DiaryEntry.objects.filter(patient=patient)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return series_from_rows(rows.values_list("date", "severity", "pain", "limitation"), metric)


def checkin_value(severity: dict, pain: int | None, limitation: int | None, metric: str) -> float | None:
    """One check-in's value of ``metric`` (see :func:`daily_series`); ``None`` when it has none."""
    if metric == "mean":
        return mean_of_scores(severity)
    if metric == "pain":
        return pain
    if metric == "limitation":
        return limitation
    return severity.get(metric)


def series_from_rows(rows: Iterable[tuple[date, dict, int | None, int | None]],
                     metric: str) -> list[tuple[date, float]]:
    """One value per day, oldest first, from ``(date, severity, pain, limitation)`` check-in rows in any order.

    A day's value is the mean over its check-ins that have one (see :func:`daily_series`).
    """
    return daily_means((day, checkin_value(severity, pain, limitation, metric))
                       for day, severity, pain, limitation in rows)


def diary_chart(patient: Patient, days: int = 90, end: date | None = None) -> Chart | None:
    end = end or today()
    start = end - timedelta(days=days - 1)
    series = daily_series(patient, "mean", start, end)
    if not series:
        return None
    by_day = dict(series)
    points = [(day_number(start + timedelta(d)), by_day.get(start + timedelta(d))) for d in range(days)]
    injections = ToxinInjection.objects.filter(patient=patient, date__range=(start, end))
    return Chart(
        title=f"Daily severity, last {days} days",
        description=(
            f"Mean severity (0 to 10) on {len(series)} days with check-ins between {short_date(start)} and {short_date(end)}; "
            "vertical lines mark botulinum-toxin injections; missing days are left blank."
        ),
        series=[Series("Mean severity (0-10)", points, "s1", dots=True)],
        x_min=day_number(start),
        x_max=day_number(end),
        y_min=0,
        y_max=10,
        y_ticks=[(v, f"{v:g}") for v in nice_ticks(0, 10, 5)],
        x_ticks=date_ticks(start, end),
        markers=[Marker(day_number(i.date), f"Injection {short_date(i.date)}", "marker injection") for i in injections],
        y_label="Severity",
    )


@dataclass(frozen=True)
class DiaryDay:
    """One day of the diary: its check-ins in the day's order, and their means."""

    date: date
    checkins: list[DiaryEntry]

    def _mean(self, metric: str) -> float | None:
        series = series_from_rows(((e.date, e.severity, e.pain, e.limitation) for e in self.checkins), metric)
        return series[0][1] if series else None

    @property
    def mean_severity(self) -> float | None:
        return self._mean("mean")

    @property
    def pain(self) -> float | None:
        return self._mean("pain")

    @property
    def limitation(self) -> float | None:
        return self._mean("limitation")

    @property
    def severity(self) -> dict[str, float]:
        """Each body part scored that day -> its mean over the check-ins that scored it."""
        regions = list(dict.fromkeys(region for e in self.checkins for region in e.severity))
        means = {region: self._mean(region) for region in regions}
        return {region: value for region, value in means.items() if value is not None}


def diary_days(entries: Iterable[DiaryEntry]) -> list[DiaryDay]:
    """Check-ins grouped by day, newest day first, each day's check-ins in the day's order."""
    by_day: dict[date, list[DiaryEntry]] = {}
    for entry in entries:
        by_day.setdefault(entry.date, []).append(entry)
    return [DiaryDay(day, sorted(found, key=lambda e: e.sort_key)) for day, found in
            sorted(by_day.items(), reverse=True)]


def diary_day_of(patient: Patient, day: date) -> DiaryDay:
    """``patient``'s check-ins of ``day`` (possibly none)."""
    found = diary_days(DiaryEntry.objects.filter(patient=patient, date=day))
    return found[0] if found else DiaryDay(day, [])


def add_check_in(entry: DiaryEntry) -> tuple[DiaryEntry, bool]:
    """Store a new check-in once; returns (the stored check-in, whether it was stored now).

    A check-in whose ``client_key`` is already stored for the patient (the same form sent twice, or a
    check-in kept on a device and sent again because the answer to the first sending was lost) is
    not stored again: the check-in stored first is returned. The database's unique key settles two
    sendings that arrive at the same moment.
    """
    if entry.client_key is not None:
        stored = DiaryEntry.objects.filter(patient=entry.patient, client_key=entry.client_key).first()
        if stored is not None:
            return stored, False
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        if entry.client_key is None:
            raise
        return DiaryEntry.objects.get(patient=entry.patient, client_key=entry.client_key), False
    return entry, True


@dataclass
class DashboardSummary:
    checked_in_today: bool
    last_day: DiaryDay | None
    days_last_30_days: int
    checkins_last_30_days: int
    last_injection: ToxinInjection | None
    days_since_injection: int | None
    current_medications: list[MedicationCourse]
    chart: Chart | None


def dashboard_summary(patient: Patient) -> DashboardSummary:
    now = today()
    last_date = DiaryEntry.objects.filter(patient=patient).order_by("-date").values_list("date", flat=True).first()
    recent = DiaryEntry.objects.filter(patient=patient, date__gt=now - timedelta(days=30))
    last_injection = (
        ToxinInjection.objects.filter(patient=patient, date__lte=now).prefetch_related("lines").order_by("-date").first()
    )
    return DashboardSummary(
        checked_in_today=last_date == now,
        last_day=diary_day_of(patient, last_date) if last_date else None,
        days_last_30_days=recent.order_by().values("date").distinct().count(),
        checkins_last_30_days=recent.count(),
        last_injection=last_injection,
        days_since_injection=(now - last_injection.date).days if last_injection else None,
        current_medications=list(MedicationCourse.objects.filter(patient=patient, stop__isnull=True)),
        chart=diary_chart(patient, end=now),
    )


# --- toxin cycles ---------------------------------------------------------------------------------------

#: What the improvement of a diary series is counted in.
DIARY_UNIT = "points of the 0 to 10 scale"

def metric_label(metric: str) -> str:
    """How a diary series is named on the pages: "Mean severity", "Pain", "Severity: Neck", ..."""
    if metric == "mean":
        return "Mean severity"
    if metric in ("pain", "limitation"):
        return metric.capitalize()
    return f"Severity: {REGION_LABELS.get(metric, metric)}"


@dataclass(frozen=True)
class CycleAnalysis:
    """The toxin-cycle analysis of one diary series of one patient.

    Attributes
    ----------
    metric : str
        ``mean``, ``pain``, ``limitation``, a body region's code, or ``scale:<id>`` for the saved totals
        of a rating scale.
    metrics : list of (str, str)
        Every series that can be analysed for this patient, as (metric, label).
    report : CycleReport
        :func:`torsion.clinical.cycles.analyse_cycles` on the injection days (up to today) and the
        series; improvement is in the series' units (:attr:`unit`).
    values : int
        Days with a value in the series.
    higher_is_worse : bool
        Direction of the series (diary scores and most scales: True).
    unit : str
        What improvement is counted in, e.g. "points of the 0 to 10 scale".
    series : tuple of (date, float)
        The series analysed.
    """

    metric: str
    metrics: list[tuple[str, str]]
    report: CycleReport
    values: int
    higher_is_worse: bool = True
    unit: str = DIARY_UNIT
    series: tuple[tuple[date, float], ...] = ()

    @property
    def label(self) -> str:
        return dict(self.metrics).get(self.metric) or metric_label(self.metric)

    @property
    def is_scale(self) -> bool:
        return is_scale_metric(self.metric)

    @property
    def analysed(self) -> list[CycleResult]:
        return [c for c in self.report.cycles if c.status == "ok"]

    @property
    def latest(self) -> CycleResult | None:
        """The most recent cycle that could be analysed (for a short summary on the dashboard)."""
        analysed = self.analysed
        return analysed[-1] if analysed else None


class UnknownMetric(ValueError):
    """The requested diary series does not exist for this patient."""


def cycle_report(patient: Patient, metric: str = "mean") -> CycleAnalysis:
    """Analyse every botulinum-toxin cycle of ``patient`` against one diary series or scale's totals.

    Three queries (``values_list``): the diary's (date, severity, pain, limitation) rows, the scales
    with saved totals, and the injection days (one more for a scale's totals). A day with several
    check-ins counts with their mean. Injections after today are plans and are left out.

    Raises
    ------
    UnknownMetric
        ``metric`` is not one of :attr:`CycleAnalysis.metrics`.
    """
    rows = list(DiaryEntry.objects.filter(patient=patient).order_by("date")
                .values_list("date", "severity", "pain", "limitation"))
    scored: set[str] = set()
    for _, severity, _, _ in rows:
        scored.update(severity)
    regions = [code for code, _ in REGION_CHOICES if code in scored or code in patient.diary_regions]
    metrics = [(m, metric_label(m)) for m in ("mean", *regions, "pain", "limitation")] + scale_metrics(patient)
    if metric not in dict(metrics):
        raise UnknownMetric(f"There is no diary series “{metric}”; choose one of: "
                            f"{', '.join(m for m, _ in metrics)}.")
    higher_is_worse, unit = True, DIARY_UNIT
    if is_scale_metric(metric):
        scale = scale_series(patient, metric)
        series, higher_is_worse, unit = scale.points, scale.higher_is_worse, scale.unit
    else:
        series = series_from_rows(rows, metric)
    injections = list(ToxinInjection.objects.filter(patient=patient, date__lte=today()).order_by("date")
                      .values_list("date", flat=True))
    report = analyse_cycles(injections, series, higher_is_worse=higher_is_worse)
    return CycleAnalysis(metric=metric, metrics=metrics, report=report, values=len(series),
                         higher_is_worse=higher_is_worse, unit=unit, series=tuple(series))


@dataclass(frozen=True)
class CycleValues:
    """The values of a series that fall in one cycle, each with its day counted from the injection."""

    cycle: CycleResult
    before: tuple[date, float] | None  # the last value before the injection
    values: list[tuple[date, int, float]]  # (date, day of the cycle, value)


def values_by_cycle(analysis: CycleAnalysis) -> list[CycleValues]:
    """Each cycle's values, for series too sparse to draw a course (a scale rated at some visits)."""
    grouped = []
    for cycle in analysis.report.cycles:
        before = [(day, value) for day, value in analysis.series if day < cycle.start]
        inside = [(day, (day - cycle.start).days, value) for day, value in analysis.series
                  if day >= cycle.start and (cycle.next_injection is None or day < cycle.next_injection)]
        grouped.append(CycleValues(cycle, before[-1] if before else None, inside))
    return grouped


def cycle_chart(analysis: CycleAnalysis) -> Chart | None:
    """Each analysed cycle's smoothed improvement from its injection day, overlaid on one chart.

    x is days since the injection (day 0), y the improvement in the series' units (above 0: better
    than before the injection). Earlier cycles are quiet lines that name themselves on hover and
    keyboard focus; the typical course (the median of the cycles,
    :func:`torsion.clinical.cycle_comparison.typical_response`) and the latest analysed cycle are
    drawn strong on top. Cycles without enough data have no curve and are left out (the table beside
    the chart says why).
    """
    curves = []
    for cycle in analysis.analysed:
        points = [(float(day), value) for day, value in zip(cycle.response.day, cycle.response.smoothed_improvement)]
        if any(value is not None for _, value in points):
            curves.append((cycle, points))
    if not curves:
        return None
    typical = typical_response([cycle for cycle, _ in curves])
    values = [v for _, points in curves for _, v in points if v is not None]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    rough = nice_ticks(low, high, 5)
    step = rough[1] - rough[0] if len(rough) > 1 else 1.0
    # The axis ends on the ticks just outside the data, so no curve touches the frame.
    y_min, y_max = math.floor(low / step) * step, math.ceil(high / step) * step
    if y_max == y_min:  # every curve flat at 0
        y_min, y_max = -1.0, 1.0
    ticks = nice_ticks(y_min, y_max, 5)
    longest = max(len(points) for _, points in curves)
    day_step = 14 if longest <= 200 else 28
    latest = curves[-1][0]
    series = []
    for cycle, points in curves:
        name = f"Cycle {cycle.number}, injected {short_date(cycle.start)}"
        if cycle is latest:
            continue
        series.append(Series(name, points, "earlier-cycle", focus_label=f"{name}: {_benefit_words(cycle)}"))
    legend = [("earlier-cycle", f"Earlier cycles ({len(curves) - 1})")] if len(curves) > 1 else []
    if typical is not None:
        series.append(Series("Typical cycle", [(float(d), v) for d, v in zip(typical.day, typical.median_improvement)],
                             "s1 typical-cycle",
                             focus_label=f"Typical cycle: the median of {len(typical.cycles_used)} cycles"))
        legend.append(("s1 typical-cycle", f"Typical cycle (median of {len(typical.cycles_used)})"))
    latest_name = f"Latest: cycle {latest.number}, injected {short_date(latest.start)}"
    series.append(Series(latest_name, curves[-1][1], "s2 latest-cycle", focus_label=(
        f"Cycle {latest.number} (latest), injected {short_date(latest.start)}: {_benefit_words(latest)}")))
    legend.append(("s2 latest-cycle", latest_name))
    typical_words = (" The typical cycle, the median of the cycles day by day, is drawn in its own colour."
                     if typical is not None else "")
    return Chart(
        title=f"Improvement after each injection: {analysis.label if analysis.is_scale else analysis.label.lower()}",
        description=(
            f"{len(curves)} cycles overlaid from their injection day (day 0) to the next injection. Horizontal: "
            f"days since the injection; vertical: improvement in {analysis.unit} compared with the week "
            f"before the injection (above 0 is better). The latest cycle, injected {short_date(latest.start)}, is "
            f"highlighted.{typical_words} The table below gives each cycle's numbers."
        ),
        series=series,
        x_min=0,
        x_max=float(longest - 1),
        y_min=y_min,
        y_max=y_max,
        x_ticks=[(float(day), f"day {day}" if day == 0 else str(day)) for day in range(0, longest, day_step)],
        y_ticks=[(v, f"{v:g}") for v in ticks],
        y_label="Points better than before",
        legend=legend,
        note=("Horizontal: days since the injection. Vertical: points better (above 0) or worse (below 0) than "
              "the week before it. Point at a line, tap it or reach it with the Tab key to see which cycle it is."),
        height=300,
    )


def _benefit_words(cycle: CycleResult) -> str:
    """One cycle's benefit in a few words, for the label shown on hover or focus."""
    if not cycle.responded:
        return "no clear benefit"
    if cycle.censored:
        return f"benefit from day {cycle.onset_day}, at least {cycle.benefit_days} days"
    return f"benefit from day {cycle.onset_day}, lasted {cycle.benefit_days} days"
