"""Small, accessible SVG charts rendered on the server.

Charts are drawn here rather than in the browser so that pages work without JavaScript, print well
and render fast. Every chart carries a ``<title>`` and ``<desc>`` and is meant to sit beside a table
or a sentence with the same numbers. Colours come from CSS classes so both themes apply.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Series:
    label: str
    points: Sequence[tuple[float, float | None]]  # (x, y); y None marks a gap
    css_class: str = "s1"
    dots: bool = False


@dataclass
class Marker:
    x: float
    label: str
    css_class: str = "marker"


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
    width: int = 720
    height: int = 260
    band: tuple[float, float] | None = None  # a shaded y range, e.g. a resting range

    def render(self) -> SafeString:
        return render_chart(self)

    def render_figure(self) -> SafeString:
        """The chart with its title as a caption and a key naming each series."""
        keys = "".join(f'<span><span class="key {escape(s.css_class)}"></span> {escape(s.label)}</span>'
                       for s in self.series)
        if any("injection" in m.css_class for m in self.markers):
            keys += '<span><span class="key injection"></span> Injection</span>'
        return mark_safe(f'<figure class="chart-figure"><figcaption>{escape(self.title)}</figcaption>'
                         f'{render_chart(self)}<p class="chart-legend">{keys}</p></figure>')


_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 48, 12, 14, 34


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


def render_chart(chart: Chart) -> SafeString:
    w, h = chart.width, chart.height
    plot_w = w - _PAD_LEFT - _PAD_RIGHT
    plot_h = h - _PAD_TOP - _PAD_BOTTOM
    x_span = (chart.x_max - chart.x_min) or 1.0
    y_span = (chart.y_max - chart.y_min) or 1.0

    def sx(x: float) -> float:
        return _PAD_LEFT + (x - chart.x_min) / x_span * plot_w

    def sy(y: float) -> float:
        return _PAD_TOP + (1 - (y - chart.y_min) / y_span) * plot_h

    parts: list[str] = [
        f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{{id}}-t {{id}}-d" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{{id}}-t">{escape(chart.title)}</title><desc id="{{id}}-d">{escape(chart.description)}</desc>',
        f'<rect class="plot-bg" x="{_PAD_LEFT}" y="{_PAD_TOP}" width="{plot_w}" height="{plot_h}"/>',
    ]
    if chart.band is not None:
        lo, hi = chart.band
        parts.append(f'<rect class="band" x="{_PAD_LEFT}" y="{sy(hi):.1f}" width="{plot_w}" '
                     f'height="{max(sy(lo) - sy(hi), 0):.1f}"/>')
    for value, label in chart.y_ticks:
        y = sy(value)
        parts.append(f'<line class="grid" x1="{_PAD_LEFT}" x2="{w - _PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{_PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>')
    for value, label in chart.x_ticks:
        x = sx(value)
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{_PAD_TOP}" y2="{h - _PAD_BOTTOM}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{h - _PAD_BOTTOM + 16}" text-anchor="middle">'
                     f'{escape(label)}</text>')
    for marker in chart.markers:
        if chart.x_min <= marker.x <= chart.x_max:
            x = sx(marker.x)
            parts.append(f'<line class="{marker.css_class}" x1="{x:.1f}" x2="{x:.1f}" y1="{_PAD_TOP}" '
                         f'y2="{h - _PAD_BOTTOM}"><title>{escape(marker.label)}</title></line>')
    for series in chart.series:
        for run in _runs(series.points):
            if len(run) == 1:
                x, y = run[0]
                parts.append(f'<circle class="line {series.css_class}" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2"/>')
                continue
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in run)
            parts.append(f'<polyline class="line {series.css_class}" points="{path}"/>')
        if series.dots:
            for x, y in series.points:
                if y is not None:
                    parts.append(f'<circle class="dot {series.css_class}" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3"/>')
    if chart.y_label:
        parts.append(f'<text class="axis-label" x="12" y="{_PAD_TOP + plot_h / 2:.1f}" '
                     f'transform="rotate(-90 12 {_PAD_TOP + plot_h / 2:.1f})" text-anchor="middle">'
                     f'{escape(chart.y_label)}</text>')
    parts.append("</svg>")
    chart_id = "c" + hashlib.sha1(f"{chart.title}|{chart.description}".encode()).hexdigest()[:10]
    return mark_safe("".join(parts).replace("{id}", chart_id))


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


def date_ticks(start: date, end: date, max_ticks: int = 6) -> list[tuple[float, str]]:
    """Month or year ticks between two dates, as (day number, label)."""
    span_days = (end - start).days
    ticks: list[tuple[float, str]] = []
    if span_days > 730:
        for year in range(start.year + 1, end.year + 1):
            ticks.append((day_number(date(year, 1, 1)), str(year)))
    else:
        step = max(1, math.ceil(span_days / 30 / max_ticks))
        year, month = start.year, start.month
        while True:
            month += 1
            if month > 12:
                year, month = year + 1, 1
            first = date(year, month, 1)
            if first > end:
                break
            if (month - 1) % step == 0:
                ticks.append((day_number(first), first.strftime("%b %Y" if month == 1 else "%b")))
    return ticks
