"""Small, accessible SVG charts rendered on the server, legible on a phone and on a desktop.

Charts are drawn here rather than in the browser so that pages work without JavaScript, print well
and render fast. Every chart carries a ``<title>`` and ``<desc>`` and is meant to sit beside a table
or a sentence with the same numbers. Colours come from CSS classes so both themes apply.

Layout. A chart has a fixed height in CSS pixels and takes the whole width of its box, so its text is
never scaled: a chart squeezed into a 390-pixel phone would otherwise shrink 13-pixel labels to 5.
Vertical positions are pixels; horizontal positions are percentages of the plot's width. The data
lines are drawn in an inner drawing stretched to the plot (``preserveAspectRatio="none"``) whose
strokes do not stretch (``vector-effect: non-scaling-stroke``); dots are the round caps of
zero-length lines, which stay round however the drawing is stretched. The value labels of the y axis
sit in a gutter left of the plot (padding of the ``<svg>``, whose percentages then measure the plot).

Labels of the x axis are thinned here: those that fit side by side on a phone-sized plot
(:data:`NARROW_PLOT_PX`) are always shown; the others only when the chart's box is wide (a CSS
container query on ``.chart-box``, see ``site.css``). Legends are HTML lists under the chart, so that
each colour key wraps together with its name.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from torsion.web.core.dates import short_date

#: Size of chart text in CSS pixels (``site.css`` sets the same); never scaled, see the module docstring.
FONT_PX = 13
#: Width of one character of chart text, generously (digits of DejaVu Sans at 13 px are 8.3 px).
CHAR_PX = 8.0
#: The narrowest plot the x labels are laid out for: a 360-pixel phone, less margins and the y gutter.
NARROW_PLOT_PX = 240
#: The narrowest plot on which the thinned-out x labels are shown too (``.chart-box`` 36rem wide or more).
WIDE_PLOT_PX = 500
#: The narrowest plot on which the labels thinned out even for :data:`WIDE_PLOT_PX` are shown as well
#: (``.chart-box`` 56rem wide or more, such as a chart across a desktop page).
XWIDE_PLOT_PX = 800
#: Least space between two x labels, in CSS pixels.
LABEL_GAP_PX = 10
#: Widths of the y-label gutter in CSS pixels, by the value of the chart's ``data-gutter`` (see ``site.css``).
GUTTERS = {"s": 36, "m": 52, "l": 68}
#: Width of the inner drawing's view box; x in data units maps onto 0..DRAWING_WIDTH.
DRAWING_WIDTH = 1000

_YEAR = re.compile(r"\b\d{4}\b")


@dataclass
class Series:
    """One line (or set of dots) of a chart.

    ``focus_label``, when given, makes the series a keyboard-focusable part of the chart that names
    itself on hover and focus (used where many similar lines are overlaid, such as toxin cycles); it
    is written at the top left of the plot, on a second line after a colon.
    """

    label: str
    points: Sequence[tuple[float, float | None]]  # (x, y); y None marks a gap
    css_class: str = "s1"
    dots: bool = False
    focus_label: str = ""
    line: bool = True  # False: the dots alone (too few points to join, say)


@dataclass
class Marker:
    x: float
    label: str
    css_class: str = "marker"


@dataclass
class PointLabel:
    """Text written beside a point of the chart (such as the date of one of only two recordings)."""

    x: float
    y: float
    text: str
    position: str = "above"  # or "below" the point
    css_class: str = ""  # the series' class, so the label takes its colour


@dataclass
class Chart:
    title: str
    description: str
    series: list[Series]
    x_min: float
    x_max: float
    y_min: float
    y_max: float
    markers: list[Marker] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_label: str = ""
    height: int = 260  # CSS pixels, axis labels included
    band: tuple[float, float] | None = None  # a shaded y range, e.g. a resting range
    point_labels: list[PointLabel] = field(default_factory=list)
    legend: list[tuple[str, str]] | None = None  # (css class, name); None: one entry per series
    note: str = ""  # a sentence under the chart, such as why a trend cannot be read yet

    def render(self) -> SafeString:
        """The drawing alone, in its box."""
        return render_chart(self)

    def legend_items(self) -> list[tuple[str, str]]:
        if self.legend is not None:
            items = list(self.legend)
        else:
            items, seen = [], set()
            for series in self.series:
                if series.label not in seen:
                    seen.add(series.label)
                    items.append((series.css_class, series.label))
        for kind, name in (("injection", "Injection"), ("medicine", "Medicine started or stopped")):
            if any(kind in m.css_class for m in self.markers) and all(n != name for _, n in items):
                items.append((kind, name))
        if len(items) == 1 and items[0][1] == self.title:
            return []  # the caption already names the only line
        return items

    def render_legend(self) -> SafeString:
        items = "".join(f'<li><span class="key {escape(css)}" aria-hidden="true"></span>{escape(name)}</li>'
                        for css, name in self.legend_items())
        return mark_safe(f'<ul class="chart-legend" aria-label="Key">{items}</ul>' if items else "")

    def render_panel(self) -> SafeString:
        """The drawing with its key and note, for a page that gives the chart its own heading."""
        note = f'<p class="chart-note">{escape(self.note)}</p>' if self.note else ""
        return mark_safe(f"{render_chart(self)}{self.render_legend()}{note}")

    def render_figure(self) -> SafeString:
        """The chart with its title as a caption, its key and its note."""
        return mark_safe(f'<figure class="chart-figure"><figcaption>{escape(self.title)}</figcaption>'
                         f"{self.render_panel()}</figure>")


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if not math.isfinite(lo) or not math.isfinite(hi) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass(frozen=True)
class PlacedLabel:
    """An x label laid out: where it sits (0-1 of the plot), how it is anchored, and when it shows."""

    fraction: float
    text: str
    anchor: str  # "start", "middle" or "end"
    always: bool  # fits on a phone-sized plot; otherwise shown only on a wide one
    extra_wide: bool = False  # shown only on an extra-wide plot (XWIDE_PLOT_PX)
    xwide_anchor: str = ""  # the anchor on an extra-wide plot, where it differs from ``anchor``

    @property
    def x(self) -> str:
        return f"{self.fraction * 100:.2f}%"


def _span(fraction: float, text: str, plot_px: float, anchor: str) -> tuple[float, float]:
    centre, width = fraction * plot_px, len(text) * CHAR_PX
    if anchor == "start":
        return centre, centre + width
    if anchor == "end":
        return centre - width, centre
    return centre - width / 2, centre + width / 2


def _anchor(fraction: float, text: str, plot_px: float = NARROW_PLOT_PX) -> str:
    """Labels near an edge of the plot are anchored to stay inside it (on a phone, unless ``plot_px`` is given)."""
    half = len(text) * CHAR_PX / 2
    if fraction * plot_px < half:
        return "start"
    if (1 - fraction) * plot_px < half:
        return "end"
    return "middle"


def place_x_labels(labels: Sequence[tuple[float, str]]) -> list[PlacedLabel]:
    """Thin a row of x labels (fraction 0-1 of the plot, text) so that no two overlap.

    A label is shown always when it clears every label kept before it by :data:`LABEL_GAP_PX` on a
    plot :data:`NARROW_PLOT_PX` wide; labels naming a year are tried first (so the year is never
    lost), then the others from left to right. Of the rest, those that clear their neighbours on a
    plot :data:`WIDE_PLOT_PX` wide are shown on wide boxes only, and of the rest again those that clear
    on a plot :data:`XWIDE_PLOT_PX` wide on extra-wide boxes only; the others are left out (their grid
    lines stay).
    """
    ordered = sorted((f, t) for f, t in labels if 0 <= f <= 1 and t)
    anchors = [_anchor(f, t) for f, t in ordered]
    xwide_anchors = list(anchors)
    by_priority = sorted(range(len(ordered)), key=lambda i: (not _YEAR.search(ordered[i][1]), i))

    def clears(i: int, kept: list[int], plot_px: float) -> bool:
        placed = xwide_anchors if plot_px == XWIDE_PLOT_PX else anchors
        left, right = _span(*ordered[i], plot_px, placed[i])
        for k in kept:
            k_left, k_right = _span(*ordered[k], plot_px, placed[k])
            if not (right + LABEL_GAP_PX <= k_left or left >= k_right + LABEL_GAP_PX):
                return False
        return True

    always: list[int] = []
    for i in by_priority:
        if clears(i, always, NARROW_PLOT_PX):
            always.append(i)
    kept = list(always)
    for i in range(len(ordered)):
        if i not in always and clears(i, kept, WIDE_PLOT_PX):
            kept.append(i)
    wide = list(kept)
    # On an extra-wide plot a label pushed off-centre for the phone's sake sits on its tick again, if it
    # still clears its neighbours there.
    for i in wide:
        phone_anchor, xwide_anchors[i] = xwide_anchors[i], _anchor(*ordered[i], XWIDE_PLOT_PX)
        if not clears(i, [k for k in wide if k != i], XWIDE_PLOT_PX):
            xwide_anchors[i] = phone_anchor
    for i in range(len(ordered)):
        if i not in wide and clears(i, kept, XWIDE_PLOT_PX):
            kept.append(i)
    return [PlacedLabel(ordered[i][0], ordered[i][1], anchors[i], i in always, i not in wide,
                        xwide_anchors[i] if xwide_anchors[i] != anchors[i] else "") for i in sorted(kept)]


#: Height of a line of chart text, for keeping point labels apart, in CSS pixels.
LINE_PX = 17


def place_point_labels(points: Sequence[tuple[float, float, str, str]],
                       plot_h: float) -> list[tuple[float, float, str, str]]:
    """Lay out labels beside points: (fraction across, pixels down, "above" or "below", text) in,
    (fraction, baseline, anchor, text) out.

    Each label goes just above or below its point as asked, else to the nearest free line away from
    it, so that no two labels overlap on a phone-sized plot (:data:`NARROW_PLOT_PX`) and none leaves
    the plot; wider plots only move labels further apart. A label too long to sit centred on its
    point, or to start or end there, is moved along its line until it fits.
    """
    placed: list[tuple[float, float, str, str]] = []
    boxes: list[tuple[float, float, float]] = []  # left, right, baseline
    top, bottom = FONT_PX + 1, plot_h - 3
    for fraction, y, position, text in points:
        width = len(text) * CHAR_PX / NARROW_PLOT_PX  # as a share of the plot
        anchor = _anchor(fraction, text)
        if anchor == "start" and fraction + width > 1:
            anchor, fraction = ("end", fraction) if fraction >= width else ("start", max(0.0, 1 - width))
        elif anchor == "end" and fraction < width:
            anchor, fraction = "start", max(0.0, min(fraction, 1 - width))
        left, right = _span(fraction, text, NARROW_PLOT_PX, anchor)
        above, below = y - 8, y + FONT_PX + 6
        first, second = (above, below) if position == "above" else (below, above)
        candidates = [first, second] + [c for k in range(1, 12) for c in (first - k * LINE_PX, second + k * LINE_PX)]
        free = [c for c in candidates if top <= c <= bottom and all(
            right + 4 <= b_left or left >= b_right + 4 or abs(c - b_y) >= LINE_PX for b_left, b_right, b_y in boxes)]
        baseline = free[0] if free else min(max(first, top), bottom)
        boxes.append((left, right, baseline))
        placed.append((fraction, baseline, anchor, text))
    return placed


def gutter_class(labels: Sequence[str]) -> str:
    """The narrowest y-label gutter that holds the longest label (right-aligned, 6 px from the plot)."""
    need = max((len(label) for label in labels), default=0) * CHAR_PX + 8
    return next((name for name, px in GUTTERS.items() if px >= need), "l")


def x_label_text(label: PlacedLabel, y: float) -> str:
    css = "tick" if label.always else "tick xwide-only" if label.extra_wide else "tick wide-only"
    if label.xwide_anchor:
        css += f" xwide-{label.xwide_anchor}"
    return (f'<text class="{css}" x="{label.x}" y="{y:.1f}" text-anchor="{label.anchor}">'
            f"{escape(label.text)}</text>")


def render_chart(chart: Chart) -> SafeString:
    top = 28 if chart.y_label else 12
    bottom = 30 if chart.x_ticks else 8
    plot_h = max(chart.height - top - bottom, 40)
    x_span = (chart.x_max - chart.x_min) or 1.0
    y_span = (chart.y_max - chart.y_min) or 1.0

    def fx(x: float) -> float:  # 0-1 across the plot
        return (x - chart.x_min) / x_span

    def sx(x: float) -> float:  # in the inner drawing
        return fx(x) * DRAWING_WIDTH

    def sy(y: float) -> float:
        return (1 - (y - chart.y_min) / y_span) * plot_h

    interactive = any(s.focus_label for s in chart.series)
    role = "group" if interactive else "img"
    gutter = gutter_class([label for _, label in chart.y_ticks])
    parts: list[str] = [
        f'<svg class="chart" data-gutter="{gutter}" height="{chart.height}" role="{role}" '
        'aria-labelledby="{id}-t {id}-d">',
        f'<title id="{{id}}-t">{escape(chart.title)}</title><desc id="{{id}}-d">{escape(chart.description)}</desc>',
    ]
    if chart.y_label:
        parts.append(f'<text class="axis-label" x="-{GUTTERS[gutter]}" y="{top - 10}">{escape(chart.y_label)}</text>')
    parts += [f'<svg class="plot" y="{top}" width="100%" height="{plot_h}">',
              '<rect class="plot-bg" width="100%" height="100%"/>']
    if chart.band is not None:
        lo, hi = chart.band
        parts.append(f'<rect class="band" width="100%" y="{sy(hi):.1f}" height="{max(sy(lo) - sy(hi), 0):.1f}"/>')
    for value, label in chart.y_ticks:
        y = sy(value)
        parts.append(f'<line class="grid" x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="-6" y="{y + 4.5:.1f}" text-anchor="end">{escape(label)}</text>')
    for value, _ in chart.x_ticks:
        x = f"{fx(value) * 100:.2f}%"
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="0" y2="{plot_h}"/>')
    parts += [x_label_text(label, plot_h + 19) for label in place_x_labels([(fx(v), t) for v, t in chart.x_ticks])]
    for marker in chart.markers:
        if chart.x_min <= marker.x <= chart.x_max:
            x = f"{fx(marker.x) * 100:.2f}%"
            parts.append(f'<line class="{escape(marker.css_class)}" x1="{x}" x2="{x}" y1="0" y2="{plot_h}">'
                         f"<title>{escape(marker.label)}</title></line>")
    drawing = f'<svg class="drawing" viewBox="0 0 {DRAWING_WIDTH} {plot_h}" preserveAspectRatio="none" ' \
              'width="100%" height="100%">'
    plain = [s for s in chart.series if not s.focus_label]
    if plain:
        parts.append(drawing + "".join(_series_marks(s, sx, sy) for s in plain) + "</svg>")
    for series in chart.series:
        if series.focus_label:
            label = escape(series.focus_label)
            first, _, second = series.focus_label.partition(": ")
            lines = f'<tspan x="6" y="16">{escape(first)}</tspan>' + (
                f'<tspan x="6" y="33">{escape(second)}</tspan>' if second else "")
            parts.append(f'<g class="focusable" tabindex="0" role="img" aria-label="{label}"><title>{label}</title>'
                         f'{drawing}{_series_marks(series, sx, sy, hit=True)}</svg>'
                         f'<text class="focus-label">{lines}</text></g>')
    placed = place_point_labels([(fx(p.x), sy(p.y), p.position, p.text) for p in chart.point_labels], plot_h)
    for point, (fraction, y, anchor, text) in zip(chart.point_labels, placed):
        css = f"point-label {point.css_class}".strip()
        parts.append(f'<text class="{escape(css)}" x="{fraction * 100:.2f}%" y="{y:.1f}" '
                     f'text-anchor="{anchor}">{escape(text)}</text>')
    parts.append("</svg></svg>")
    chart_id = "c" + hashlib.sha1(f"{chart.title}|{chart.description}".encode()).hexdigest()[:10]
    return mark_safe('<div class="chart-box">' + "".join(parts).replace("{id}", chart_id) + "</div>")


def _series_marks(series: Series, sx, sy, *, hit: bool = False) -> str:
    css = escape(series.css_class)
    parts = []
    for run in _runs(series.points) if series.line else []:
        if len(run) == 1:
            x, y = run[0]
            parts.append(f'<path class="point {css}" d="M{sx(x):.1f} {sy(y):.1f}h0"/>')
            continue
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in run)
        if hit:  # a wide invisible stroke under the line, so that a pointer finds it easily
            parts.append(f'<polyline class="hit" points="{path}"/>')
        parts.append(f'<polyline class="line {css}" points="{path}"/>')
    if series.dots:
        for x, y in series.points:
            if y is not None:
                parts.append(f'<path class="dot {css}" d="M{sx(x):.1f} {sy(y):.1f}h0"/>')
    return "".join(parts)


def _runs(points: Sequence[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Split a series at gaps (y is None) so that missing days are never drawn as a line."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for x, y in points:
        if y is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((x, y))
    if current:
        runs.append(current)
    return runs


def day_number(day: date) -> float:
    return float(day.toordinal())


def date_ticks(start: date, end: date, max_ticks: int = 8) -> list[tuple[float, str]]:
    """Month or year ticks between two dates, as (day number, label).

    Over two years, one tick per year; otherwise one per month, or every second, third or sixth
    month for long spans. A month tick names its year when it is January or the first tick, so the
    year is never lost when the labels are thinned for a phone. When no month starts between the
    two dates (everything within a few weeks, or on one day), the ticks are the two dates themselves
    (one when they are the same day), so that the axis always says when.
    """
    span_days = (end - start).days
    ticks: list[tuple[float, str]] = []
    if span_days > 730:
        for year in range(start.year + 1, end.year + 1):
            ticks.append((day_number(date(year, 1, 1)), str(year)))
        return ticks
    months = span_days / 30.44
    step = next((s for s in (1, 2, 3, 6) if months / s <= max_ticks), 12)
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        first = date(year, month, 1)
        if first > end:
            break
        if (month - 1) % step == 0:
            ticks.append((day_number(first), first.strftime("%b %Y" if month == 1 or not ticks else "%b")))
    if not ticks:
        ticks = [(day_number(day), short_date(day)) for day in sorted({start, end})]
    return ticks
