"""The history page's timeline: the record on one time axis, drawn as SVG on the server.

At the top, the diary's daily mean severity (0-10), with botulinum-toxin injections as dashed
lines; below it one lane per kind of treatment: injections and other one-day events as dots,
medicine courses and side effects with a known duration as bars (a course still being taken runs to
today). Overlapping bars are stacked in rows so none hides another. Stretches of more than a week
without a diary entry are left blank rather than bridged.

The page opens on the last twelve months; each calendar year and the whole record can be chosen
(:func:`periods`), so the most recent months are what a person sees first, on a phone too.

Like :mod:`torsion.web.core.charts`, the drawing has a ``<title>`` and ``<desc>``, takes its colours
from CSS classes (both themes apply), keeps its text at its CSS size at any width (pixels down,
percentages across) and sits beside a table with the same events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from statistics import mean

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from torsion.web.accounts.models import Patient
from torsion.web.core.charts import (
    CHAR_PX,
    DRAWING_WIDTH,
    NARROW_PLOT_PX,
    date_ticks,
    place_x_labels,
    x_label_text,
)
from torsion.web.core.dates import short_date
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

#: Heights in CSS pixels: a lane's title line, the diary panel, one row of marks, the space after a
#: lane, the axis labels at the bottom.
_TITLE, _DIARY_HEIGHT, _ROW, _LANE_GAP, _AXIS = 20, 100, 22, 8, 28


@dataclass(frozen=True)
class Period:
    """A stretch of the record the timeline can show; ``key`` is its value in the address (``?period=``)."""

    key: str
    label: str
    start: date | None  # None: from the start of the record
    end: date


def periods(first: date | None, today: date) -> list[Period]:
    """The last twelve months (the default, first), each calendar year of the record, the whole record."""
    choices = [Period("recent", "Last 12 months", today - timedelta(days=365), today)]
    if first is not None:
        choices += [Period(str(year), str(year), date(year, 1, 1), min(date(year, 12, 31), today))
                    for year in range(today.year, first.year - 1, -1)]
    choices.append(Period("all", "Whole record", None, today))
    return choices


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

    @property
    def dot_lanes(self) -> list[str]:
        """Keys of the lanes with one-day marks (dots), so that the key shows each dot in its own colour."""
        return [lane.key for lane in self.lanes if any(m.end is None for m in lane.marks)]

    @property
    def span_lanes(self) -> list[str]:
        """Keys of the lanes with lasting marks (bars)."""
        return [lane.key for lane in self.lanes if any(m.end is not None for m in lane.marks)]

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
        return (f"The record from {short_date(self.start)} to {short_date(self.end)}: " + "; ".join(parts) +
                ". The same events are listed in the table below.")

    def window(self, start: date | None, end: date) -> Timeline:
        """The part of the timeline from ``start`` (None: the beginning) to ``end``; bars are cut at its edges."""
        start = self.start if start is None or start < self.start else start
        end = min(end, self.end)

        def inside(first: date, last: date | None) -> bool:
            return first <= end and (last or first) >= start

        lanes = []
        for lane in self.lanes:
            marks = [replace(m, start=max(m.start, start), end=min(m.end, end) if m.end else None)
                     for m in lane.marks if inside(m.start, m.end)]
            if marks:
                lanes.append(Lane(lane.key, lane.title, marks))
        return Timeline(start, end, [(d, v) for d, v in self.diary if start <= d <= end],
                        [d for d in self.injection_days if start <= d <= end], lanes,
                        [e for e in self.events if inside(e.day, e.end)])

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
    span = max(end - start + 1, 1)

    def fraction(day: date) -> float:
        return (day.toordinal() - start) / span

    def sx(day: date) -> float:  # in the stretched drawings
        return fraction(day) * DRAWING_WIDTH

    lane_rows = [(lane, lane.rows()) for lane in timeline.lanes]
    diary_h = _TITLE + _DIARY_HEIGHT + _LANE_GAP if timeline.diary else 0
    lanes_h = sum(_TITLE + len(rows) * _ROW + _LANE_GAP for _, rows in lane_rows)
    bottom = diary_h + lanes_h
    parts = [
        f'<div class="chart-box"><svg class="chart timeline" data-gutter="s" height="{bottom + _AXIS}" role="img" '
        'aria-labelledby="timeline-t timeline-d">',
        '<title id="timeline-t">The record on one time axis</title>'
        f'<desc id="timeline-d">{escape(timeline.description())}</desc>',
        f'<svg class="plot" width="100%" height="{bottom}">',
    ]
    ticks = date_ticks(timeline.start, timeline.end, max_ticks=12)
    for value, _ in ticks:
        x = f"{(value - start) / span * 100:.2f}%"
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="0" y2="{bottom}"/>')
    parts += [x_label_text(label, bottom + 19) for label in place_x_labels([((v - start) / span, t) for v, t in ticks])]
    y = 0
    if timeline.diary:
        parts += _diary_panel(timeline, fraction, sx, y)
        y += diary_h
    for lane, rows in lane_rows:
        lane_h = len(rows) * _ROW
        parts.append(f'<text class="lane-title" x="-36" y="{y + 14}">{escape(lane.title)}</text>')
        parts.append(f'<svg class="drawing" viewBox="0 0 {DRAWING_WIDTH} {lane_h}" preserveAspectRatio="none" '
                     f'y="{y + _TITLE}" width="100%" height="{lane_h}">')
        labels = []
        for index, row in enumerate(rows):
            middle = index * _ROW + _ROW / 2
            for mark in row:
                parts.append(_mark(mark, lane.key, sx, middle))
                labels.append(_span_label(mark, fraction, y + _TITLE + middle))
        parts.append("</svg>")
        parts += [label for label in labels if label]
        y += _TITLE + lane_h + _LANE_GAP
        parts.append(f'<line class="lane-line" x1="0" x2="100%" y1="{y - _LANE_GAP / 2:.1f}" '
                     f'y2="{y - _LANE_GAP / 2:.1f}"/>')
    parts.append("</svg></svg></div>")
    return mark_safe("".join(parts))


def _diary_panel(timeline: Timeline, fraction, sx, top: float) -> list[str]:
    panel_top = top + _TITLE

    def sy(value: float) -> float:
        return 6 + (1 - value / 10) * (_DIARY_HEIGHT - 12)

    parts = [f'<text class="lane-title" x="-36" y="{top + 14}">Diary: mean severity (0 to 10)</text>']
    for value in (0, 5, 10):
        parts.append(f'<line class="grid" x1="0" x2="100%" y1="{panel_top + sy(value):.1f}" '
                     f'y2="{panel_top + sy(value):.1f}"/>')
        parts.append(f'<text class="tick" x="-6" y="{panel_top + sy(value) + 4.5:.1f}" text-anchor="end">{value}</text>')
    for day in timeline.injection_days:
        x = f"{fraction(day) * 100:.2f}%"
        parts.append(f'<line class="marker injection" x1="{x}" x2="{x}" y1="{panel_top}" '
                     f'y2="{panel_top + _DIARY_HEIGHT}"><title>{escape(f"Injection {short_date(day)}")}</title></line>')
    parts.append(f'<svg class="drawing" viewBox="0 0 {DRAWING_WIDTH} {_DIARY_HEIGHT}" preserveAspectRatio="none" '
                 f'y="{panel_top}" width="100%" height="{_DIARY_HEIGHT}">')
    run: list[str] = []
    previous: date | None = None
    for day, value in timeline.diary:
        if previous is not None and (day - previous).days > DIARY_GAP_DAYS:
            parts.append(_polyline(run))
            run = []
        run.append(f"{sx(day):.1f},{sy(value):.1f}")
        previous = day
    parts.append(_polyline(run))
    parts.append("</svg>")
    return parts


def _polyline(points: list[str]) -> str:
    if len(points) == 1:
        x, y = points[0].split(",")
        return f'<path class="point s1" d="M{x} {y}h0"/>'
    return f'<polyline class="line s1 diary-line" points="{" ".join(points)}"/>' if points else ""


def _mark(mark: Mark, lane: str, sx, middle: float) -> str:
    title = f"<title>{escape(f'{short_date(mark.start)}: {mark.label}')}</title>"
    if mark.end is None:
        return f'<path class="event {lane}" d="M{sx(mark.start):.1f} {middle:.1f}h0">{title}</path>'
    x0, x1 = sx(mark.start), sx(mark.end + timedelta(days=1))
    return (f'<rect class="span {lane}" x="{x0:.1f}" y="{middle - 7:.1f}" width="{max(x1 - x0, 3.0):.1f}" '
            f'height="14">{title}</rect>')


def _span_label(mark: Mark, fraction, middle: float) -> str:
    """A bar's name written on it, when the bar is long enough for it on a phone."""
    if mark.end is None:
        return ""
    name = mark.label.split(" (")[0]
    left, right = fraction(mark.start), fraction(mark.end + timedelta(days=1))
    if (right - left) * NARROW_PLOT_PX < CHAR_PX * len(name) + 10:
        return ""
    return (f'<text class="span-label" x="{left * 100 + 0.5:.2f}%" y="{middle + 4.5:.1f}">{escape(name)}</text>')
