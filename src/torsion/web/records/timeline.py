"""The history page's timeline: the whole record on one time axis, drawn as SVG on the server.

At the top, the diary's daily mean severity (0-10), with botulinum-toxin injections as dashed
lines; below it one lane per kind of treatment: injections and other one-day events as dots,
medicine courses and side effects with a known duration as bars (a course still being taken runs to
today). Overlapping bars are stacked in rows so none hides another. Stretches of more than a week
without a diary entry are left blank rather than bridged.

Like :mod:`torsion.web.core.charts`, the drawing has a ``<title>`` and ``<desc>``, takes its colours
from CSS classes (both themes apply) and sits beside a table with the same events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from torsion.web.accounts.models import Patient
from torsion.web.core.charts import date_ticks
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    DBSProgramming,
    DiaryEntry,
    MedicationCourse,
    Procedure,
    TherapySession,
)
from torsion.web.records.services import series_from_rows
from torsion.web.records.treatments import describe_treatment, injections_with_totals

#: Days without an entry after which the diary line is broken.
DIARY_GAP_DAYS = 7

_WIDTH, _LEFT, _RIGHT, _TOP = 960, 150, 14, 10
_DIARY_HEIGHT, _ROW, _LANE_GAP, _AXIS = 110, 20, 10, 26


@dataclass(frozen=True)
class Mark:
    """One thing on a lane: a dot on ``start``, or a bar from ``start`` to ``end`` (inclusive)."""

    start: date
    label: str
    end: date | None = None


@dataclass
class Lane:
    key: str
    title: str
    marks: list[Mark] = field(default_factory=list)

    def rows(self) -> list[list[Mark]]:
        """The marks packed into rows: a bar goes in the first row where it overlaps nothing."""
        rows: list[list[Mark]] = []
        ends: list[date] = []
        for mark in sorted(self.marks, key=lambda m: m.start):
            last = mark.end or mark.start
            for index, end in enumerate(ends):
                if mark.start > end:
                    rows[index].append(mark)
                    ends[index] = last
                    break
            else:
                rows.append([mark])
                ends.append(last)
        return rows if any(m.end for m in self.marks) else [sorted(self.marks, key=lambda m: m.start)]


@dataclass(frozen=True)
class HistoryEvent:
    """A row of the table beside the timeline."""

    day: date
    end: date | None
    kind: str
    text: str
    url: str


@dataclass(frozen=True)
class DiaryMonth:
    month: date
    days: int
    mean: float
    lowest: float
    highest: float


@dataclass
class Timeline:
    start: date
    end: date
    diary: list[tuple[date, float]]
    injection_days: list[date]
    lanes: list[Lane]
    events: list[HistoryEvent]

    @property
    def is_empty(self) -> bool:
        return not self.diary and not self.events

    def months(self) -> list[DiaryMonth]:
        """The diary series month by month (the table alternative to the line), newest first."""
        by_month: dict[date, list[float]] = defaultdict(list)
        for day, value in self.diary:
            by_month[day.replace(day=1)].append(value)
        return [DiaryMonth(month, len(values), mean(values), min(values), max(values))
                for month, values in sorted(by_month.items(), reverse=True)]

    def description(self) -> str:
        parts = [f"{len(self.diary)} days of diary check-ins (mean severity 0 to 10)"] if self.diary else []
        parts += [f"{lane.title.lower()}: {len(lane.marks)}" for lane in self.lanes]
        return (f"The record from {self.start:%d %b %Y} to {self.end:%d %b %Y}: " + "; ".join(parts) +
                ". The same events are listed in the table below.")

    def render(self) -> SafeString:
        return render_timeline(self)


def build_timeline(patient: Patient, today: date) -> Timeline:
    """Everything in ``patient``'s record, one query per kind (``values_list`` for the diary)."""
    pid = patient.pk
    diary = series_from_rows(DiaryEntry.objects.filter(patient=patient).order_by("date")
                             .values_list("date", "severity", "pain", "limitation"), "mean")
    kinds = {"injections": ("Injections", "Injection"), "medicines": ("Medicines", "Medicine"),
             "dbs": ("Deep brain stimulation", "Deep brain stimulation"), "procedures": ("Procedures", "Procedure"),
             "therapy": ("Therapy", "Therapy"), "side_effects": ("Side effects", "Side effect")}
    lanes = {key: Lane(key, title) for key, (title, _) in kinds.items()}
    events: list[HistoryEvent] = []

    def add(lane: str, start: date, label: str, url: str, end: date | None = None, table_end: date | None = None):
        lanes[lane].marks.append(Mark(start, label, end))
        events.append(HistoryEvent(start, table_end, kinds[lane][1], label, url))

    injection_days = []
    for injection in injections_with_totals(patient):
        units = f"{injection.units_sum.normalize():f}" if injection.units_sum is not None else "0"
        injection_days.append(injection.date)
        add("injections", injection.date, f"Injection: {units} units of {injection.product_name}, "
                                          f"{len(injection.lines.all())} muscles",
            reverse("records:injection_detail", kwargs={"patient_id": pid, "injection_id": injection.pk}))
    for course in MedicationCourse.objects.filter(patient=patient):
        dose = f"{course.dose_amount.normalize():f} {course.get_dose_unit_display()} {course.times_per_day}× a day"
        add("medicines", course.start, f"{course} ({dose}){'' if course.stop else ', still taken'}",
            reverse("records:treatments", kwargs={"patient_id": pid}) + "#medicines",
            end=min(course.stop or today, today), table_end=course.stop)
    for implant in DBSImplant.objects.filter(patient=patient):
        add("dbs", implant.implant_date, describe_treatment(implant),
            reverse("records:implant_detail", kwargs={"patient_id": pid, "implant_id": implant.pk}))
    for session in DBSProgramming.objects.filter(implant__patient=patient).select_related("implant"):
        add("dbs", session.date, f"DBS programming session ({session.implant.get_target_display()})",
            reverse("records:implant_detail", kwargs={"patient_id": pid, "implant_id": session.implant_id}))
    for procedure in Procedure.objects.filter(patient=patient):
        add("procedures", procedure.date, describe_treatment(procedure) + (f": {procedure.details}"
                                                                           if procedure.details else ""),
            reverse("records:procedure_edit", kwargs={"patient_id": pid, "procedure_id": procedure.pk}))
    for therapy in TherapySession.objects.filter(patient=patient):
        minutes = f", {therapy.duration_min} minutes" if therapy.duration_min else ""
        add("therapy", therapy.date, f"{therapy.get_kind_display()}{minutes}",
            reverse("records:treatments", kwargs={"patient_id": pid}) + "#therapy")
    for event in AdverseEvent.objects.filter(patient=patient).select_related("injection", "medication", "dbs_implant",
                                                                             "procedure"):
        end = event.onset + timedelta(days=event.duration_days - 1) if event.duration_days else None
        after = f", after: {describe_treatment(event.treatment)}" if event.treatment else ""
        add("side_effects", event.onset, f"{event.get_kind_display()} ({event.get_severity_display().lower()}){after}",
            reverse("records:side_effect_edit", kwargs={"patient_id": pid, "event_id": event.pk}),
            end=min(end, today) if end and end > event.onset else None, table_end=end)

    days = [d for d, _ in diary] + [e.day for e in events]
    start = min(days) if days else today
    end = max([today, *days])
    if (end - start).days < 30:
        start = end - timedelta(days=30)
    events.sort(key=lambda e: (e.day, e.kind), reverse=True)
    return Timeline(start, end, diary, injection_days, [lane for lane in lanes.values() if lane.marks], events)


def render_timeline(timeline: Timeline) -> SafeString:
    start, end = timeline.start.toordinal(), timeline.end.toordinal()
    plot_w = _WIDTH - _LEFT - _RIGHT
    span = max(end - start, 1)

    def sx(day: date) -> float:
        return _LEFT + (day.toordinal() - start) / span * plot_w

    lane_rows = [(lane, lane.rows()) for lane in timeline.lanes]
    diary_h = _DIARY_HEIGHT if timeline.diary else 0
    lanes_h = sum(len(rows) * _ROW + _LANE_GAP for _, rows in lane_rows)
    height = _TOP + diary_h + (_LANE_GAP if diary_h else 0) + lanes_h + _AXIS
    bottom = height - _AXIS
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {_WIDTH} {height}" role="img" '
        'aria-labelledby="timeline-t timeline-d" preserveAspectRatio="xMidYMid meet">',
        '<title id="timeline-t">The whole record on one time axis</title>'
        f'<desc id="timeline-d">{escape(timeline.description())}</desc>',
        f'<rect class="plot-bg" x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{bottom - _TOP}"/>',
    ]
    for value, label in date_ticks(timeline.start, timeline.end, max_ticks=8):
        x = _LEFT + (value - start) / span * plot_w
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{bottom}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(label)}</text>')
    y = _TOP
    if diary_h:
        parts += _diary_panel(timeline, sx, y, diary_h)
        y += diary_h + _LANE_GAP
    for lane, rows in lane_rows:
        lane_h = len(rows) * _ROW
        parts.append(f'<text class="lane-title" x="{_LEFT - 8}" y="{y + min(lane_h, _ROW) / 2 + 4:.1f}" '
                     f'text-anchor="end">{escape(lane.title)}</text>')
        divider = y + lane_h + _LANE_GAP / 2
        parts.append(f'<line class="lane-line" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{divider:.1f}" '
                     f'y2="{divider:.1f}"/>')
        for index, row in enumerate(rows):
            middle = y + index * _ROW + _ROW / 2
            for mark in row:
                parts.append(_mark(mark, lane.key, sx, middle))
        y += lane_h + _LANE_GAP
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _diary_panel(timeline: Timeline, sx, top: float, height: float) -> list[str]:
    def sy(value: float) -> float:
        return top + 6 + (1 - value / 10) * (height - 12)

    parts = [f'<text class="lane-title" x="4" y="{top + height / 2 - 4:.1f}">Diary: mean</text>',
             f'<text class="lane-title" x="4" y="{top + height / 2 + 12:.1f}">severity 0-10</text>']
    for value in (0, 5, 10):
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{sy(value):.1f}" '
                     f'y2="{sy(value):.1f}"/>')
        parts.append(f'<text class="tick" x="{_LEFT - 6}" y="{sy(value) + 4:.1f}" text-anchor="end">{value}</text>')
    for day in timeline.injection_days:
        x = sx(day)
        parts.append(f'<line class="marker injection" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + height}"/>')
    run: list[str] = []
    previous: date | None = None
    for day, value in timeline.diary:
        if previous is not None and (day - previous).days > DIARY_GAP_DAYS:
            parts.append(_polyline(run))
            run = []
        run.append(f"{sx(day):.1f},{sy(value):.1f}")
        previous = day
    parts.append(_polyline(run))
    return parts


def _polyline(points: list[str]) -> str:
    if len(points) == 1:
        x, y = points[0].split(",")
        return f'<circle class="line s1" cx="{x}" cy="{y}" r="2"/>'
    return f'<polyline class="line s1 diary-line" points="{" ".join(points)}"/>' if points else ""


def _mark(mark: Mark, lane: str, sx, middle: float) -> str:
    title = f"<title>{escape(f'{mark.start:%d %b %Y}: {mark.label}')}</title>"
    if mark.end is None:
        return f'<circle class="event {lane}" cx="{sx(mark.start):.1f}" cy="{middle:.1f}" r="5">{title}</circle>'
    x0, x1 = sx(mark.start), sx(mark.end + timedelta(days=1))
    width = max(x1 - x0, 3.0)
    parts = [f'<rect class="span {lane}" x="{x0:.1f}" y="{middle - 7:.1f}" width="{width:.1f}" height="14" rx="3">'
             f'{title}</rect>']
    name = mark.label.split(" (")[0]
    if width > 7 * len(name) + 10:
        parts.append(f'<text class="span-label" x="{x0 + 5:.1f}" y="{middle + 4:.1f}">{escape(name)}</text>')
    return "".join(parts)
