"""Charts of a recording's result (drawn from the stored series; nothing is re-measured here)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from torsion.web.core.charts import (
    Chart,
    Marker,
    PointLabel,
    Series,
    date_ticks,
    day_number,
    nice_ticks,
)
from torsion.web.core.dates import short_date

MAX_POINTS = 1500


def _decimate(xs: Sequence[float], ys: Sequence[float | None]) -> list[tuple[float, float | None]]:
    step = max(1, math.ceil(len(xs) / MAX_POINTS))
    return [(xs[i], ys[i]) for i in range(0, len(xs), step)]


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _time_ticks(duration: float) -> list[tuple[float, str]]:
    return [(t, f"{t:g} s") for t in nice_ticks(0, duration, 6)]


def _range(values: list[float], floor: float = 0.0, pad: float = 0.1) -> tuple[float, float]:
    if not values:
        return -1.0, 1.0
    lo, hi = min(values), max(values)
    span = max(hi - lo, floor)
    return lo - span * pad, hi + span * pad


def traces_chart(series: dict, keys: Sequence[tuple[str, str, str]], *, title: str, description: str,
                 y_label: str, band: tuple[float, float] | None = None, floor: float = 2.0,
                 unit: str = "") -> Chart | None:
    """Per-frame traces against time; frames without tracking are gaps, never joined.

    ``unit`` ("°" or "%") is written after each value of the y axis.
    """
    t = series.get("t_s") or []
    if not t:
        return None
    drawn, values = [], []
    for key, label, css in keys:
        ys = series.get(key)
        if ys is None:
            continue
        values += _finite(ys)
        drawn.append(Series(label, _decimate(t, ys), css))
    if not drawn:
        return None
    lo, hi = _range(values + (list(band) if band else []), floor=floor)
    return Chart(title=title, description=description, series=drawn, x_min=0, x_max=max(t[-1], 1e-6),
                 y_min=lo, y_max=hi, x_ticks=_time_ticks(t[-1]),
                 y_ticks=[(v, _with_unit(v, unit)) for v in nice_ticks(lo, hi, 5)], y_label=y_label, band=band)


def spectrum_chart(spectrum: dict, axes: Sequence[tuple[str, str, str]]) -> Chart | None:
    freqs = spectrum.get("frequencies_hz") or []
    if not freqs:
        return None
    drawn, values = [], []
    for key, label, css in axes:
        power = spectrum.get(key)
        if power:
            values += _finite(power)
            drawn.append(Series(label, list(zip(freqs, power)), css))
    if not drawn or not values:
        return None
    top = max(values) * 1.1 or 1.0
    return Chart(title="Head movement spectrum", description=(
        f"Power of head movement at each frequency from {freqs[0]:g} to {freqs[-1]:g} hertz, one line per axis; a "
        "tall narrow peak means rhythmic movement at that frequency, called tremor from 2 to 12 hertz."),
        series=drawn, x_min=freqs[0], x_max=freqs[-1], y_min=0,
        y_max=top, x_ticks=[(f, f"{f:g} Hz") for f in nice_ticks(freqs[0], freqs[-1], 6)],
        y_ticks=[(v, f"{v:.3g}") for v in nice_ticks(0, top, 4)], y_label="Power (°² per Hz)")


def blink_raster(result: dict) -> Chart | None:
    """Each closure as a short bar on a time line: blinks low, prolonged closures (spasms) tall."""
    duration = result.get("duration_s") or 0
    events = result.get("events") or []
    if duration <= 0:
        return None
    blink_points: list[tuple[float, float | None]] = []
    spasm_points: list[tuple[float, float | None]] = []
    for event in events:
        if event.get("eye") not in (None, "both"):
            continue
        target = spasm_points if event["kind"].startswith("prolonged") else blink_points
        height = 2.0 if target is spasm_points else 1.0
        target += [(event["onset_s"], 0.0), (event["onset_s"], height), (event["offset_s"], height),
                   (event["offset_s"], 0.0), (event["offset_s"], None)]
    return Chart(title="Blink raster", description=(
        f"{result.get('blinks', 0)} blinks (short marks) and {result.get('prolonged_closures', 0)} closures of "
        f"half a second or longer (tall marks) over {duration:.0f} seconds."),
        series=[Series("Blinks", blink_points, "s1"), Series("Prolonged closures", spasm_points, "s2")],
        x_min=0, x_max=duration, y_min=0, y_max=2.4, x_ticks=_time_ticks(duration), y_ticks=[], height=140)


#: Fewest recordings that show a trend; with fewer, the chart shows the points with their dates.
MIN_POINTS_FOR_TREND = 3

#: Least half-height of a trend chart's axis around its values, by unit, so that a change smaller than
#: this never fills the chart (one recording at 0.7 degrees is drawn on -10 to +10 degrees, not zoomed
#: to 0.65-0.80).
MIN_HALF_SPAN = {"°": 10.0, "%": 10.0, "/min": 5.0, "": 2.0}

#: Least half-height by metric, where a metric's usual values are a small part of its unit: jitter is
#: a fraction of a per cent (below about 1 % in a healthy voice, the MDVP threshold being 1.04 %), so the
#: 10 % of :data:`MIN_HALF_SPAN` would flatten every change; half a percentage point either side shows a
#: step of 0.2-0.3 points, the size that separates a steady voice from a rough one.
METRIC_MIN_HALF_SPAN = {"jitter_percent": 0.5}

#: Bounds a unit cannot leave (a share is 0-100 %, a rate or a count is never negative).
UNIT_BOUNDS = {"%": (0.0, 100.0), "/min": (0.0, math.inf), "": (0.0, math.inf)}


def trend_axis(values: Sequence[float], unit: str, min_half_span: float | None = None
               ) -> tuple[float, float, list[float]]:
    """The y axis of a trend chart: (bottom, top, ticks), on round ticks.

    The axis is at least ``min_half_span`` either side of the values' centre, by default the unit's
    :data:`MIN_HALF_SPAN`.
    """
    lo, hi = min(values), max(values)
    centre = (lo + hi) / 2
    least = MIN_HALF_SPAN.get(unit, 1.0) if min_half_span is None else min_half_span
    half = max((hi - lo) / 2 * 1.15, least)
    bottom, top = centre - half, centre + half
    floor, ceiling = UNIT_BOUNDS.get(unit, (-math.inf, math.inf))
    if bottom < floor:
        bottom, top = floor, min(top + floor - bottom, ceiling)
    if top > ceiling:
        bottom, top = max(bottom - (top - ceiling), floor), ceiling
    return round_axis(bottom, top)


def round_axis(bottom: float, top: float, count: int = 4) -> tuple[float, float, list[float]]:
    """The axis from ``bottom`` to ``top`` widened out to round ticks: (bottom, top, ticks).

    The first and last tick are the ends of the axis, so no value drawn lies beyond the last labelled tick.
    """
    rough = nice_ticks(bottom, top, count)
    step = rough[1] - rough[0] if len(rough) > 1 else 1.0
    first, last = math.floor(bottom / step + 1e-9), math.ceil(top / step - 1e-9)
    ticks = [round(n * step, 10) for n in range(first, last + 1)]
    return ticks[0], ticks[-1], ticks


def _with_unit(value: float, unit: str) -> str:
    text = f"{value:g}"
    return f"{text}{unit}" if unit in ("°", "%") else text


def trend_chart(title: str, unit: str, points: list[tuple], injections: list,
                min_half_span: float | None = None, *, for_patient: bool = True) -> Chart | None:
    """A metric over recording dates, with injection dates marked.

    With fewer than :data:`MIN_POINTS_FOR_TREND` recordings the points carry their dates and values
    and a note says that a trend needs more recordings; the axis is never shorter than
    ``min_half_span`` (by default the unit's :data:`MIN_HALF_SPAN`) either side of the values. The
    note asks the patient to record again (``for_patient``), or tells a clinician what makes a trend.
    """
    if not points:
        return None
    first, last = points[0][0], points[-1][0]
    values = [v for _, v in points]
    few = len(points) < MIN_POINTS_FOR_TREND
    start = min([first, *injections])
    pad = 15 if few else 3  # days either side, so that a lone point does not sit on the frame
    x_min, x_max = day_number(start) - pad, day_number(last) + pad
    lo, hi, ticks = trend_axis(values, unit, min_half_span)
    labels = []
    if few:
        for index, (day, value) in enumerate(points):
            text = f"{short_date(day)}: {_with_unit(round(value, 1), unit)}{'' if unit in ('°', '%') else ' ' + unit}"
            labels.append(PointLabel(day_number(day), value, text.strip(), "below" if index else "above", "s1"))
    count = "One recording" if len(points) == 1 else f"{len(points)} recordings"
    advice = ("Repeat this recording every week or two, and around injections." if for_patient else
              "Recordings every week or two, and around injections, make a trend.")
    note = f"{count} so far: a trend needs at least {MIN_POINTS_FOR_TREND}. {advice}" if few else ""
    return Chart(title=title, description=f"{title} in {count.lower()} from {short_date(first)} to {short_date(last)}"
                 "; dashed lines mark injections.",
                 series=[Series(title, list(zip([day_number(d) for d, _ in points], values)), "s1", dots=True,
                                line=not few)],
                 x_min=x_min, x_max=x_max, y_min=lo, y_max=hi,
                 x_ticks=date_ticks(date.fromordinal(int(x_min)), date.fromordinal(int(x_max))),
                 y_ticks=[(v, _with_unit(v, unit)) for v in ticks],
                 y_label={"/min": "Per minute"}.get(unit, ""),
                 markers=[Marker(day_number(d), f"Injection {short_date(d)}", "marker injection") for d in injections],
                 point_labels=labels, note=note, height=220)


def _break_events(result: dict) -> list[dict]:
    """The breaks to mark: in connected speech the phonatory breaks (pauses between words are not
    breaks), in the held vowel every voice break."""
    phonatory = result.get("phonatory_breaks")
    if phonatory is not None:
        return phonatory.get("events") or []
    return result.get("voice_break_events") or []


def _break_bars(result: dict, height: float) -> Series | None:
    """The breaks in the voice as bars at ``height``, with gaps between them."""
    spans = [(e["start_s"], e["end_s"]) for e in _break_events(result)]
    if not spans:
        return None
    points: list[tuple[float, float | None]] = []
    for start, end in sorted(set(spans)):
        points += [(start, height), (end, height), (end, None)]
    return Series("Breaks in the voice", points, "s2")


def waveform_chart(result: dict) -> Chart | None:
    """The sound's envelope over time, with the breaks in the voice marked beneath it."""
    series = result.get("series") or {}
    t = series.get("envelope_t_s") or []
    if not t:
        return None
    peak = max(max(abs(v) for v in series["envelope_min"]), max(series["envelope_max"]), 1e-6)
    top = [v / peak for v in series["envelope_max"]]
    bottom = [v / peak for v in series["envelope_min"]]
    # One outline: along the upper edge of the envelope, then back along the lower edge.
    upper, lower = _decimate(t, top), _decimate(t, bottom)
    drawn = [Series("Sound", upper + lower[::-1], "s1")]
    bars = _break_bars(result, -1.15)
    if bars:
        drawn.append(bars)
    duration = result.get("duration_s") or t[-1]
    count = len(_break_events(result))
    return Chart(title="Loudness over time", description=(
        f"The sound's envelope over {duration:.1f} seconds, scaled to its loudest moment"
        + (f"; {count} breaks in the voice are marked as bars beneath it." if count else "; no break in the voice.")),
        series=drawn, x_min=0, x_max=max(duration, 1e-6), y_min=-1.3, y_max=1.1, x_ticks=_time_ticks(duration),
        y_ticks=[], height=170)


def pitch_chart(result: dict) -> Chart | None:
    """The voice's pitch (F0) over time, unvoiced moments left as gaps, breaks marked beneath it."""
    series = result.get("series") or {}
    t, f0 = series.get("pitch_t_s") or [], series.get("pitch_hz") or []
    values = _finite(f0)
    if not t or not values:
        return None
    lo, hi = min(values), max(values)
    span = max(hi - lo, 20.0)
    y_min, y_max = max(lo - 0.35 * span, 0.0), hi + 0.15 * span
    drawn = [Series("Pitch", _decimate(t, f0), "s1")]
    bars = _break_bars(result, y_min + 0.08 * (y_max - y_min))
    if bars:
        drawn.append(bars)
    duration = result.get("duration_s") or t[-1]
    return Chart(title="Pitch of the voice", description=(
        f"The pitch of the voice in hertz over {duration:.1f} seconds; gaps are moments without voice, and bars "
        f"beneath the line mark the breaks. Average {result.get('f0_mean_hz') or 0:.0f} Hz."),
        series=drawn, x_min=0, x_max=max(duration, 1e-6), y_min=y_min, y_max=y_max, x_ticks=_time_ticks(duration),
        y_ticks=[(v, f"{v:g}") for v in nice_ticks(y_min, y_max, 4)], y_label="Hz", height=220)
