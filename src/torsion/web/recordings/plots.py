"""Charts of a recording's result (drawn from the stored series; nothing is re-measured here)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from torsion.web.core.charts import Chart, Marker, Series, date_ticks, day_number, nice_ticks

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
                 y_label: str, band: tuple[float, float] | None = None, floor: float = 2.0) -> Chart | None:
    """Per-frame traces against time; frames without tracking are gaps, never joined."""
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
                 y_ticks=[(v, f"{v:g}") for v in nice_ticks(lo, hi, 5)], y_label=y_label, band=band)


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
        "Power of head movement at each frequency from 1 to 12 hertz, one line per axis; a tall narrow peak "
        "means rhythmic shaking at that frequency."), series=drawn, x_min=freqs[0], x_max=freqs[-1], y_min=0,
        y_max=top, x_ticks=[(f, f"{f:g} Hz") for f in nice_ticks(freqs[0], freqs[-1], 6)],
        y_ticks=[(v, f"{v:.3g}") for v in nice_ticks(0, top, 4)], y_label="Power (deg²/Hz)")


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


def trend_chart(title: str, unit: str, points: list[tuple], injections: list) -> Chart | None:
    """A metric over recording dates, with injection dates marked."""
    if not points:
        return None
    start, end = points[0][0], points[-1][0]
    if injections:
        start = min(start, min(injections))
    days = [day_number(d) for d, _ in points]
    x_min, x_max = day_number(start) - 3, day_number(end) + 3
    lo, hi = _range([v for _, v in points], floor=1.0)
    return Chart(title=title, description=f"{title} in {len(points)} recordings from {points[0][0]:%d %b %Y} to "
                 f"{points[-1][0]:%d %b %Y}; dashed lines mark injections.",
                 series=[Series(title, list(zip(days, [v for _, v in points])), "s1", dots=True)],
                 x_min=x_min, x_max=x_max, y_min=lo, y_max=hi, x_ticks=date_ticks(start, end),
                 y_ticks=[(v, f"{v:g}") for v in nice_ticks(lo, hi, 4)], y_label=unit,
                 markers=[Marker(day_number(d), f"Injection {d:%d %b %Y}", "marker injection") for d in injections],
                 height=200)


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
