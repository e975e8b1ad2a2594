"""Pictures of a drawing and its results, drawn on the server from stored samples and results.

Nothing is measured here: the drawing is the stored samples, the unravelled spiral and the spectrum
are series the measure stored with its result, and trends are the numbers kept for each drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from torsion.web.core.charts import Chart, Marker, PointLabel, Series, date_ticks, day_number, nice_ticks
from torsion.web.core.dates import short_date
from torsion.web.recordings.plots import MIN_POINTS_FOR_TREND, round_axis

#: Points per stroke kept in the server-drawn picture (the replay uses every sample).
MAX_PICTURE_POINTS = 4000


def strokes(document: dict) -> list[list[tuple[float, float]]]:
    """Pen-down runs of the stored samples, as lists of (x, y) in CSS pixels."""
    x, y = document["x"], document["y"]
    down = document.get("pen_down") or [1] * len(x)
    runs, current = [], []
    for k in range(len(x)):
        if down[k]:
            current.append((x[k], y[k]))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def guide_points(guide: dict, step_rad: float = 0.08) -> list[tuple[float, float]]:
    """The traced spiral's guide as points (CSS pixels)."""
    count = int(guide["turns"] * 2 * math.pi / step_rad) + 1
    points = []
    for k in range(count):
        phi = k * step_rad
        r = guide["start_radius"] + guide["spacing"] * phi / (2 * math.pi)
        angle = guide["start_angle_rad"] + (phi if guide["clockwise"] else -phi)
        points.append((guide["centre_x"] + r * math.cos(angle), guide["centre_y"] + r * math.sin(angle)))
    return points


def drawing_svg(document: dict, *, label: str) -> SafeString:
    """The drawing as an SVG picture, with the traced guide (if any) underneath in grey."""
    runs = strokes(document)
    canvas = document.get("canvas") or {}
    xs = [p[0] for run in runs for p in run] or [0.0]
    ys = [p[1] for run in runs for p in run] or [0.0]
    width = canvas.get("width") or (max(xs) + 10)
    height = canvas.get("height") or (max(ys) + 10)
    parts = [f'<svg class="drawing-picture" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
             f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">']
    if document.get("template"):
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in guide_points(document["template"]))
        parts.append(f'<polyline class="guide" points="{path}"/>')
    total = sum(len(run) for run in runs)
    step = max(1, math.ceil(total / MAX_PICTURE_POINTS))
    for run in runs:
        kept = run[::step] if len(run) > 2 * step else run
        if len(kept) == 1:
            parts.append(f'<circle class="ink" cx="{kept[0][0]:.1f}" cy="{kept[0][1]:.1f}" r="1.5"/>')
        else:
            parts.append(f'<polyline class="ink" points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in kept)}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


#: Chart size (SVG units): narrow enough that its text stays readable on a phone.
#: Height of the result charts, in CSS pixels (they take the width of their box).
HEIGHT = 280


def unravelled_chart(result: dict) -> Chart | None:
    """Radius against turns, with the fitted straight line: a perfect spiral lies on the line."""
    series = result.get("unravelled") or {}
    turns, radius, fit = series.get("theta_turns") or [], series.get("r") or [], series.get("r_fit") or []
    if len(turns) < 2:
        return None
    unit = result.get("unit", "mm")
    values = radius + fit
    lo, hi = min(values), max(values)
    pad = 0.05 * (hi - lo or 1.0)
    return Chart(
        title="The spiral unravelled",
        description=(f"Distance from the spiral's centre ({unit}) against the turns drawn. An even spiral is a "
                     "straight rising line; tremor shows as ripples, uneven loops as bends."),
        series=[Series("Even spiral fitted", list(zip(turns, fit, strict=True)), "s2"),
                Series("Drawn", list(zip(turns, radius, strict=True)), "s1")],
        x_min=turns[0], x_max=turns[-1], y_min=lo - pad, y_max=hi + pad,
        x_ticks=[(v, f"{v:g}") for v in nice_ticks(turns[0], turns[-1], 5)],
        y_ticks=[(v, f"{v:g}") for v in nice_ticks(lo - pad, hi + pad, 4)],
        y_label=f"Radius ({unit})", height=HEIGHT,
    )


def departure_chart(result: dict) -> Chart | None:
    """How far the drawn radius departs from the even spiral at each point, magnified."""
    series = result.get("unravelled") or {}
    turns, radius, fit = series.get("theta_turns") or [], series.get("r") or [], series.get("r_fit") or []
    if len(turns) < 2:
        return None
    unit = result.get("unit", "mm")
    departure = [r - f for r, f in zip(radius, fit, strict=True)]
    limit = max(max(abs(v) for v in departure), 0.5 if unit == "mm" else 2.0) * 1.1
    return Chart(
        title="Departure from an even spiral",
        description=(f"How far the drawing lies outside (above zero) or inside (below zero) the fitted even spiral, "
                     f"in {unit}, against the turns drawn. Fast ripples are tremor; slow waves are uneven loops."),
        series=[Series("Drawn minus even spiral", list(zip(turns, departure, strict=True)), "s1")],
        x_min=turns[0], x_max=turns[-1], y_min=-limit, y_max=limit,
        x_ticks=[(v, f"{v:g}") for v in nice_ticks(turns[0], turns[-1], 5)],
        y_ticks=[(v, f"{v:g}") for v in nice_ticks(-limit, limit, 4)],
        y_label=f"Outside (+) / inside (−), {unit}", height=HEIGHT - 40,
    )


def spectrum_chart(result: dict) -> Chart | None:
    """Tremor spectrum of the drawing, with the detected peak marked."""
    tremor = result.get("tremor") or {}
    spectrum = tremor.get("spectrum") or {}
    unit = result.get("unit", "mm")
    freqs = spectrum.get("frequencies_hz") or []
    density = spectrum.get(f"density_{unit}2_per_hz") or []
    if len(freqs) < 2 or not density:
        return None
    top = max(density) * 1.1 or 1.0
    markers = []
    if tremor.get("detected"):
        markers.append(Marker(tremor["peak_frequency_hz"], f"Tremor peak at {tremor['peak_frequency_hz']:.1f} Hz"))
    found = (f" The peak at {tremor['peak_frequency_hz']:.1f} Hz is the tremor." if tremor.get("detected")
             else " No peak stands out: no tremor was detected.")
    return Chart(
        title="Shaking at each frequency",
        description=("How much fast movement the drawing holds at each frequency from 2 to 15 hertz (cycles a "
                     "second), after the smooth movement of drawing is taken away; a tall narrow peak is a "
                     "rhythmic tremor." + found),
        series=[Series("Power", list(zip(freqs, density, strict=True)), "s1")],
        x_min=freqs[0], x_max=freqs[-1], y_min=0, y_max=top,
        x_ticks=[(f, f"{f:g} Hz") for f in nice_ticks(freqs[0], freqs[-1], 5)],
        y_ticks=[(v, f"{v:.2g}") for v in nice_ticks(0, top, 4)],
        y_label=f"Power ({unit}²/Hz)", markers=markers, height=HEIGHT - 40,
    )


@dataclass(frozen=True)
class TreatmentDates:
    """Dates to mark on trends: injections, and medicines started or stopped."""

    injections: list[date]
    medicines: list[tuple[date, str]]  # (date, "Started baclofen")


HANDS = (("right", "Right hand", "s1"), ("left", "Left hand", "s2"))


def hands_trend_chart(title: str, unit: str, points_by_hand: dict[str, list[tuple[date, float]]],
                      dates: TreatmentDates, *, for_patient: bool = True) -> Chart | None:
    """One metric over time, the right and left hand as separate lines, treatments marked.

    A hand with fewer than :data:`~torsion.web.recordings.plots.MIN_POINTS_FOR_TREND` drawings is
    shown as dated points without a line, and a note says that a trend needs more drawings: it asks
    the patient to draw (``for_patient``), or tells a clinician what makes a trend.
    """
    drawn = {hand: points for hand, points in points_by_hand.items() if points}
    if not drawn:
        return None
    all_points = [p for points in drawn.values() for p in points]
    start, end = min(d for d, _ in all_points), max(d for d, _ in all_points)
    injections = [d for d in dates.injections if start <= d <= end]
    medicines = [(d, text) for d, text in dates.medicines if start <= d <= end]
    values = [v for _, v in all_points]
    lo, hi = min(values + [0.0]), max(values)
    if hi > lo:
        pad = 0.1 * (hi - lo)
        lo, hi = (lo - pad if lo < 0 else lo), hi + pad
    else:  # only zeros (no tremor in any drawing): a scale of 0 to 1 unit
        hi = lo + 1.0
    lo, hi, ticks = round_axis(lo, hi)
    markers = [Marker(day_number(d), f"Injection {short_date(d)}", "marker injection") for d in injections]
    markers += [Marker(day_number(d), f"{text} {short_date(d)}", "marker medicine") for d, text in medicines]
    counts = ", ".join(f"{len(drawn[h])} with the {label.lower()}" for h, label, _ in HANDS if h in drawn)
    few = [label.lower() for hand, label, _ in HANDS if hand in drawn and len(drawn[hand]) < MIN_POINTS_FOR_TREND]
    labels = [PointLabel(day_number(d), v, f"{label}, {short_date(d)}: {v:.3g}", "above" if hand == "right" else "below",
                         css)
              for hand, label, css in HANDS if label.lower() in few for d, v in drawn[hand]]
    advice = ("Draw every week or two, and around injections." if for_patient else
              "Drawings every week or two, and around injections, make a trend.")
    note = (f"Too few drawings with the {' and the '.join(few)} for a trend: it needs at least "
            f"{MIN_POINTS_FOR_TREND}. {advice}") if few else ""
    return Chart(
        title=title,
        description=(f"{title} in drawings from {short_date(start)} to {short_date(end)} ({counts}); dashed lines mark "
                     "injections, dotted lines medicines started or stopped."),
        series=[Series(label, [(day_number(d), v) for d, v in drawn[hand]], css, dots=True,
                       line=len(drawn[hand]) >= MIN_POINTS_FOR_TREND)
                for hand, label, css in HANDS if hand in drawn],
        x_min=day_number(start) - (15 if few else 3), x_max=day_number(end) + (15 if few else 3), y_min=lo, y_max=hi,
        x_ticks=date_ticks(start, end), y_ticks=[(v, f"{v:g}") for v in ticks], y_label=unit,
        markers=markers, point_labels=labels, note=note, height=HEIGHT - 40,
    )


def trend_figure(chart: Chart) -> SafeString:
    """The chart with its caption and a key for each hand and each kind of treatment mark."""
    return chart.render_figure()
