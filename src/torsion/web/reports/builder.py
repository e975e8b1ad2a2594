"""Gathering a patient's visit report from the record: what it says, for :mod:`torsion.reports.visit` to lay out.

Default period: from the last injection before the previous one to today, so that the last whole
toxin cycle and the current one are both in it. Nothing here is computed that the record's own
pages do not compute too: the cycle figures come from :func:`torsion.web.records.services.cycle_report`,
the measurements from the recordings' stored results.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from torsion.reports.visit import Chart, Section, Series, Table, VisitReport
from torsion.web.accounts.models import Patient
from torsion.web.core.dates import short_date
from torsion.web.learn.diagnosis import current_diagnosis
from torsion.web.recordings.models import Recording, Status
from torsion.web.recordings.protocols import KINDS
from torsion.web.records.charting import dose_grid
from torsion.web.records.models import AdverseEvent, DBSImplant, DiaryEntry, MedicationCourse, ToxinInjection
from torsion.web.records.regions import REGION_LABELS
from torsion.web.records.services import cycle_report, daily_series, today
from torsion.web.records.treatments import session_total
from torsion.web.reports.models import VisitQuestion

LAST_CYCLES = 4
BEFORE_DAYS = 28  # recordings in the 4 weeks before the last injection ...
AFTER_WINDOW = (28, 56)  # ... against those of weeks 4 to 8 after it


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def default_period(patient: Patient, on: date | None = None) -> Period:
    on = on or today()
    days = list(ToxinInjection.objects.filter(patient=patient, date__lte=on).order_by("-date")
                .values_list("date", flat=True).distinct()[:2])
    if len(days) == 2:
        return Period(days[1], on)
    if days:
        return Period(min(days[0], on - timedelta(days=90)), on)
    return Period(on - timedelta(days=90), on)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _units(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def _age(born: date | None, on: date) -> str:
    if born is None:
        return "date of birth not given"
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return f"{short_date(born)} ({years} years)"


def build_visit_report(patient: Patient, start: date | None = None, end: date | None = None) -> VisitReport:
    """The visit report of ``patient`` for the period (the default period where a bound is missing)."""
    period = default_period(patient, end)
    period = Period(start or period.start, end or period.end)
    if period.start > period.end:
        raise ValueError(f"The period starts ({period.start}) after it ends ({period.end}).")
    injections = list(ToxinInjection.objects.filter(patient=patient, date__lte=period.end)
                      .order_by("date").prefetch_related("lines"))
    injection_days = [i.date for i in injections if i.date >= period.start]
    sections = [
        _diagnosis(patient),
        _treatments(patient, period, injections),
        _protocol(patient, injections),
        _cycles(patient),
        _diary(patient, period, injection_days),
        _scales(patient, period, injection_days),
        _measures(patient, period, injections),
        _side_effects(patient, period),
        _questions(patient),
    ]
    return VisitReport(
        title=f"Visit report: {patient}",
        facts=[("Born", _age(patient.date_of_birth, period.end)),
               ("Period", f"{_day(period.start)} to {_day(period.end)}"),
               ("Made", f"{_day(timezone.localdate())} by Torsion from the patient's own record")],
        sections=sections,
        footer=f"Torsion visit report · {patient} · {_day(period.start)} to {_day(period.end)}",
    )


def _diagnosis(patient: Patient) -> Section:
    summary = current_diagnosis(patient)
    if summary is None:
        return Section("Diagnosis", empty="No diagnosis summary saved.")
    result = summary.result
    codes = "; ".join(f"{c['code']} {c.get('title', '')}".strip() for c in result.get("icd10_codes", [])) or "none"
    paragraphs = [
        f"{', '.join(result.get('forms', [])).capitalize()} ({result.get('body_distribution', '')}); "
        f"onset at {result.get('onset_age_years')} years. ICD-10-CM: {codes}.",
        (f"Confirmed by {summary.confirmed_by.shown_name}, {_day(summary.saved_at.date())}." if summary.confirmed_by
         else f"{summary.get_status_display()}, {_day(summary.saved_at.date())}."),
    ]
    if summary.examination_findings:
        paragraphs.append(f"Examination findings: {summary.examination_findings}")
    return Section("Diagnosis", paragraphs=paragraphs)


def _treatments(patient: Patient, period: Period, injections: list[ToxinInjection]) -> Section:
    rows = []
    for course in MedicationCourse.objects.filter(patient=patient, start__lte=period.end).order_by("start"):
        if course.stop and course.stop < period.start:
            continue
        dose = f"{_units(course.dose_amount)} {course.get_dose_unit_display()} × {course.times_per_day} a day"
        rows.append([str(course), dose, _day(course.start), _day(course.stop) if course.stop else "continuing"])
    implants = [f"Deep brain stimulation since {_day(i.implant_date)} ({i.target_other or i.get_target_display()}, "
                f"{i.get_side_display().lower()})" for i in DBSImplant.objects.filter(patient=patient)]
    paragraphs = implants[:]
    if injections:
        last = injections[-1]
        paragraphs.insert(0, f"Botulinum toxin: last session {_day(last.date)} ({(period.end - last.date).days} days "
                             f"before the end of the period), {len(injections)} session"
                             f"{'s' if len(injections) != 1 else ''} recorded in all.")
    tables = [Table(["Medicine", "Dose", "From", "To"], rows, caption="Oral medicines in the period")] if rows else []
    return Section("Current treatment", paragraphs=paragraphs, tables=tables, empty="No treatment recorded.")


def _protocol(patient: Patient, injections: list[ToxinInjection]) -> Section:
    if not injections:
        return Section("Last injection protocol", empty="No botulinum-toxin session recorded.")
    last = injections[-1]
    details = [f"{_day(last.date)}: {last.product_name}",
               f"dilution {_units(last.dilution_units_per_ml)} units/mL" if last.dilution_units_per_ml else "",
               f"guidance: {last.get_guidance_display()}", f"by {last.injector}" if last.injector else "",
               f"lot {last.lot_number}" if last.lot_number else ""]
    rows = [[line.muscle_name, line.get_side_display(), _units(line.units), str(line.sites)]
            for line in last.lines.all()]
    rows.append(["Total", "", _units(session_total(last)), str(sum(line.sites for line in last.lines.all()))])
    grid = dose_grid(patient, 4)
    grid_rows = [[f"{row.muscle_name} ({row.side_label.lower()})", *[_units(c) if c is not None else "–"
                                                                     for c in row.cells]] for row in grid.rows]
    grid_rows.append(["Total", *[_units(c.total) for c in grid.columns]])
    tables = [
        Table(["Muscle", "Side", "Units", "Sites"], rows, caption="; ".join(d for d in details if d), numeric=(2, 3)),
        Table(["Muscle", *[f"{_day(c.injection.date)} {c.product_short}" for c in grid.columns]], grid_rows,
              caption="Dose grid of the last sessions (each product in its own units)",
              numeric=tuple(range(1, len(grid.columns) + 1))),
    ]
    return Section("Last injection protocol", tables=tables)


def _cycles(patient: Patient) -> Section:
    analysis = cycle_report(patient)
    cycles = [c for c in analysis.report.cycles][-LAST_CYCLES:]
    if not cycles:
        return Section("Toxin cycles", empty="No toxin cycle to analyse.")
    rows = []
    for c in cycles:
        if c.status != "ok":
            rows.append([str(c.number), _day(c.start), "–", "–", "–", "–", (c.reason or c.status)[:60]])
            continue
        benefit = "" if c.benefit_days is None else f"{c.benefit_days}{'+' if c.censored else ''}"
        rows.append([str(c.number), _day(c.start), _opt(c.onset_day), _opt(c.peak_day),
                     "" if c.peak_improvement is None else f"{c.peak_improvement:.1f}", _opt(c.wearing_off_day),
                     benefit or "no clear benefit"])
    table = Table(["Cycle", "Injection", "Onset (day)", "Peak (day)", "Peak gain (points)", "Wore off (day)",
                   "Benefit (days)"], rows, caption=f"The last {len(cycles)} cycles, diary {analysis.label.lower()}",
                  numeric=(0, 2, 3, 4, 5, 6))
    paragraphs_note = "Days are counted from each injection; a benefit marked + was still present when the cycle ended."
    curves = []
    analysed = [c for c in cycles if c.status == "ok"]
    by_day: dict[int, list[float]] = {}
    for c in analysed:
        points = [(float(day), value) for day, value in zip(c.response.day, c.response.smoothed_improvement)
                  if value is not None]
        curves.append(Series(f"{_day(c.start)}" + (" (latest)" if c is analysed[-1] else ""), points))
        for day, value in points:
            by_day.setdefault(int(day), []).append(value)
    if len(analysed) >= 3:
        curves.append(Series("Median of these cycles", [(float(day), statistics.median(values))
                                                        for day, values in sorted(by_day.items())
                                                        if len(values) >= 2]))
    charts = [Chart("Improvement after each injection (smoothed)", "points better than before",
                    curves, x_label="days since the injection", highlight=curves[len(analysed) - 1].label
                    if analysed else None, zero_line=True)] if curves else []
    paragraphs = [analysis.report.comparison.interval.statement, analysis.report.comparison.trend.statement,
                  paragraphs_note]
    return Section("Toxin cycles", paragraphs=paragraphs, tables=[table], charts=charts)


def _score(value: float) -> str:
    """A scale total as people write it: whole numbers plain, others to one decimal."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _opt(value) -> str:
    return "–" if value is None else str(value)


def _diary(patient: Patient, period: Period, injection_days: list[date]) -> Section:
    entries = list(DiaryEntry.objects.filter(patient=patient, date__range=(period.start, period.end))
                   .order_by("date").values_list("date", "severity", "pain"))
    if not entries:
        return Section("Diary", empty="No check-ins in the period.")
    mean = daily_series(patient, "mean", period.start, period.end)  # a day with several check-ins: their mean
    pain = daily_series(patient, "pain", period.start, period.end)
    regions = sorted({r for _, s, _ in entries for r in s})
    series = [Series("Mean severity of " + ", ".join(REGION_LABELS.get(r, r).lower() for r in regions), mean),
              Series("Pain", pain)]
    days = (period.end - period.start).days + 1
    paragraphs = [f"{len(entries)} check-ins on {len({d for d, _, _ in entries})} of {days} days. Mean severity "
                  + (f"{statistics.fmean(v for _, v in mean):.1f} of 10" if mean else "not scored")
                  + (f", pain {statistics.fmean(v for _, v in pain):.1f} of 10." if pain else ".")]
    notes = list(DiaryEntry.objects.filter(patient=patient, date__range=(period.start, period.end))
                 .exclude(note="").order_by("-date").values_list("date", "note")[:5])
    if notes:
        paragraphs.append("Latest notes: " + " · ".join(f"{_day(d)}: {n}" for d, n in notes))
    chart = Chart("Daily scores (0-10, higher is worse)", "score", series, injections=injection_days,
                  y_limits=(0, 10))
    return Section("Diary", paragraphs=paragraphs, charts=[chart])


def _measures(patient: Patient, period: Period, injections: list[ToxinInjection]) -> Section:
    charts, rows = [], []
    last = injections[-1].date if injections else None
    for kind in KINDS.values():
        if not kind.metrics:
            continue
        recordings = list(Recording.objects.filter(patient=patient, kind=kind.code, status=Status.DONE)
                          .order_by("recorded_at").values_list("recorded_at", "task", "metrics"))
        if not recordings:
            continue
        task = kind.tasks[0].code
        in_period = [(timezone.localtime(when).date(), m) for when, t, m in recordings if t == task
                     and period.start <= timezone.localtime(when).date() <= period.end]
        first_unit = kind.metrics[0][2]
        series = [Series(label, [(d, float(m[key])) for d, m in in_period if key in m])
                  for key, label, unit in kind.metrics if unit == first_unit][:3]
        if any(len(s.points) >= 2 for s in series):  # a trend needs two recordings; the table shows single ones
            charts.append(Chart(f"{kind.title}: {kind.tasks[0].title.lower()}", first_unit or "value", series,
                                injections=[i.date for i in injections if period.start <= i.date <= period.end],
                                x_limits=(period.start, period.end)))
        if last is not None:
            for key, label, unit in kind.metrics:
                before = [m[key] for when, t, m in recordings if t == task and key in m
                          and 0 < (last - timezone.localtime(when).date()).days <= BEFORE_DAYS]
                after = [m[key] for when, t, m in recordings if t == task and key in m
                         and AFTER_WINDOW[0] <= (timezone.localtime(when).date() - last).days <= AFTER_WINDOW[1]]
                if before or after:
                    rows.append([f"{kind.title}: {label}", _median(before, unit), _median(after, unit),
                                 f"{len(before)} / {len(after)}"])
    drawing_charts, drawing_rows = _drawings(patient, period, injections)
    charts += drawing_charts
    rows += drawing_rows
    tables = [Table(["Measure", "4 weeks before", "Weeks 4-8 after", "Recordings"], rows,
                    caption=f"Around the last injection ({_day(last)}): medians", numeric=(1, 2, 3))] if rows else []
    return Section("Objective measures", charts=charts, tables=tables, empty="No analysed recordings.")


def _drawings(patient: Patient, period: Period, injections: list[ToxinInjection]) -> tuple[list, list]:
    """Spirals, lines and handwriting: the first two numbers of each task per hand, and around the last injection."""
    from torsion.web.recordings.models_drawing import Drawing, Hand
    from torsion.web.recordings.services_drawing import metrics_of

    charts, rows = [], []
    last = injections[-1].date if injections else None
    marks = [i.date for i in injections if period.start <= i.date <= period.end]
    done = list(Drawing.objects.filter(patient=patient, status=Status.DONE).order_by("recorded_at")
                .values_list("recorded_at", "task", "hand", "metrics"))
    for task, tasks, title in (("spiral", ("spiral", "spiral_traced"), "Spirals"), ("line", ("line",), "Lines"),
                               ("writing", ("writing",), "Handwriting")):
        drawn = [(timezone.localtime(when).date(), hand, m) for when, t, hand, m in done if t in tasks]
        if not drawn:
            continue
        for metric in metrics_of(task)[:2]:
            key = metric.key.format(u="mm")
            unit = metric.unit.format(u="mm")
            series = [Series(f"{label}", [(d, float(m[key])) for d, h, m in drawn if h == hand and key in m
                                          and period.start <= d <= period.end])
                      for hand, label in Hand.choices]
            if any(len(s.points) >= 2 for s in series):
                charts.append(Chart(f"{title}: {metric.label[0].lower()}{metric.label[1:]}", unit, series,
                                    injections=marks, x_limits=(period.start, period.end)))
            if last is None:
                continue
            for hand, label in Hand.choices:
                before = [m[key] for d, h, m in drawn if h == hand and key in m and 0 < (last - d).days <= BEFORE_DAYS]
                after = [m[key] for d, h, m in drawn if h == hand and key in m
                         and AFTER_WINDOW[0] <= (d - last).days <= AFTER_WINDOW[1]]
                if before or after:
                    rows.append([f"{title}, {label.lower()}: {metric.label[0].lower()}{metric.label[1:]}",
                                 _median(before, unit), _median(after, unit), f"{len(before)} / {len(after)}"])
    return charts, rows


def _median(values: list[float], unit: str) -> str:
    if not values:
        return "none"
    return f"{statistics.median(values):.1f}{unit if unit in ('°', '%') else (' ' + unit if unit else '')}"


def _scales(patient: Patient, period: Period, injection_days: list[date]) -> Section:
    """Each rating scale's saved totals: the latest beside the one before, and their course with injections."""
    from torsion.web.assessments.services import daily_totals, latest_results

    rows, charts = [], []
    for result in latest_results(patient):
        definition = result.definition
        totals = [(d, t) for d, t in daily_totals(patient, definition.id) if d <= period.end]
        if not totals:
            continue
        latest_day, latest = totals[-1]
        before = f"{_score(totals[-2][1])} ({_day(totals[-2][0])})" if len(totals) > 1 else "–"
        rows.append([definition.abbreviation, f"{_score(latest)} of {_units(definition.max_total)}",
                     _day(latest_day), before, str(len(totals))])
        in_period = [(d, t) for d, t in totals if d >= period.start]
        if len(in_period) >= 2:
            charts.append(Chart(f"{definition.abbreviation} total", f"0 to {_units(definition.max_total)}",
                                [Series(definition.abbreviation, in_period)], injections=injection_days,
                                x_limits=(period.start, period.end),
                                y_limits=(float(definition.min_total), float(definition.max_total))))
    tables = [Table(["Scale", "Latest", "On", "The one before", "Saved in all"], rows, numeric=(4,))] if rows else []
    return Section("Rating scales", tables=tables, charts=charts, empty="No rating scale saved.")


def _side_effects(patient: Patient, period: Period) -> Section:
    events = AdverseEvent.objects.filter(patient=patient, onset__range=(period.start, period.end)).order_by("onset")
    rows = [[_day(e.onset), e.get_kind_display(), e.get_severity_display(),
             "" if e.duration_days is None else str(e.duration_days), e.description] for e in events]
    tables = [Table(["Began", "Side effect", "Severity", "Days", "Description"], rows)] if rows else []
    return Section("Side effects", tables=tables, empty="None recorded in the period.")


def _questions(patient: Patient) -> Section:
    questions = list(VisitQuestion.objects.filter(patient=patient, discussed_at__isnull=True).order_by("created_at"))
    return Section("The patient's points for this visit", paragraphs=[f"• {q.text}" for q in questions],
                   empty="None written.")
