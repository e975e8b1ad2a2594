"""Handwriting kinematics: strokes, their rhythm and fluency, pen lifts, pressure, speed and jerk.

Entry point: :func:`measure_writing` (:class:`~torsion.measures.drawing.PenSamples`) ->
:class:`WritingResult`.

Method (lengths in the drawing's unit; "up" is up the screen):

1. Each pen-down stretch is resampled to a uniform time grid and low-passed at
   :data:`SMOOTHING_HZ` (zero-phase Butterworth), as handwriting analysis smooths before
   differentiating; velocity, acceleration and jerk are successive derivatives.
2. **Strokes** are the up and down movements between successive zero crossings of the vertical
   velocity (the usual segmentation of handwriting into strokes, as in CSWin and its successors).
   Crossings that enclose less than :data:`MIN_STROKE_HEIGHT_MM` of vertical travel (a pause, a
   flat connecting stroke, noise) do not make a stroke.
3. **Stroke frequency** is one over the mean stroke duration (Hz): fluent handwriting makes about
   4-5 strokes a second (unverified); writer's cramp writes slower.
4. **NIV**, the number of inversions in velocity per stroke: how many times the vertical
   acceleration changes sign within a stroke, counting a change only once the vertical speed has
   moved by at least 10% of the stroke's peak speed. A fluent, automated stroke has one smooth
   velocity peak (NIV = 1); every hesitation adds two.
5. **Pen lifts** are the breaks between pen-down stretches; *on-surface time* is the time with the
   pen down and *in-air time* the time in those breaks (whether or not the device saw the pen
   hover).
6. **Pressure**: mean and coefficient of variation over pen-down samples, when the device reports a
   pressure that varies (a mouse and most fingers report a constant); touch-screen and tablet
   pressure measures only the force perpendicular to the surface, and saturates.
7. **Speed and jerk**: mean speed is the pen-down path length over the on-surface time; jerk is the
   root mean square of the third derivative of position (unit/s^3) over on-surface time, and the
   *normalised jerk* of each stroke, ``sqrt(0.5 * integral(jerk^2) * T^5 / L^2)`` (dimensionless,
   Teulings et al. 1997), is summarised by its median over strokes.

Sources: writer's cramp writes with more velocity inversions per stroke, a lower stroke
frequency, more breaks and in-air time, and excess pressure (docs/measures-drawing.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from torsion.measures.drawing import (
    DrawingInputError,
    PenSamples,
    analysis_rate_hz,
    lowpass,
    rounded,
    uniform_pieces,
)

__all__ = ["WritingResult", "measure_writing"]

#: Low-pass before differentiating, Hz.
SMOOTHING_HZ = 12.0
#: Smallest vertical travel of a stroke, millimetres.
MIN_STROKE_HEIGHT_MM = 0.5
#: A velocity inversion counts once the vertical speed moved by this share of the stroke's peak.
INVERSION_HYSTERESIS = 0.10


@dataclass
class WritingResult:
    """Measures of one handwriting sample (lengths in ``unit``)."""

    unit: str
    duration_s: float
    on_surface_s: float
    in_air_s: float
    pen_lifts: int
    strokes: int
    stroke_frequency_hz: float
    niv_per_stroke: float
    mean_stroke_height: float
    mean_speed: float
    jerk: float
    normalized_jerk: float
    mean_pressure: float | None
    pressure_variability: float | None
    sample_rate_hz: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, series: bool = False) -> dict:
        """JSON-ready result; length keys end in the unit (``_mm`` or ``_px``)."""
        u = self.unit
        return rounded({
            "task": "writing",
            "unit": u,
            "duration_s": self.duration_s,
            "on_surface_s": self.on_surface_s,
            "in_air_s": self.in_air_s,
            "pen_lifts": self.pen_lifts,
            "strokes": self.strokes,
            "stroke_frequency_hz": self.stroke_frequency_hz,
            "niv_per_stroke": self.niv_per_stroke,
            f"mean_stroke_height_{u}": self.mean_stroke_height,
            f"mean_speed_{u}_s": self.mean_speed,
            f"jerk_{u}_s3": self.jerk,
            "normalized_jerk": self.normalized_jerk,
            "mean_pressure": self.mean_pressure,
            "pressure_variability": self.pressure_variability,
            "sample_rate_hz": self.sample_rate_hz,
            "warnings": list(self.warnings),
        })


def _inversions(velocity: np.ndarray) -> int:
    """Sign changes of the acceleration of ``velocity`` (one stroke), with hysteresis."""
    speed = np.abs(velocity)
    threshold = INVERSION_HYSTERESIS * speed.max()
    count, rising, extreme = 0, True, speed[0]
    for value in speed[1:]:
        if rising:
            if value > extreme:
                extreme = value
            elif extreme - value > threshold:
                count, rising, extreme = count + 1, False, value
        elif value < extreme:
            extreme = value
        elif value - extreme > threshold:
            count, rising, extreme = count + 1, True, value
    return count


def measure_writing(samples: PenSamples) -> WritingResult:
    """Measure one handwriting sample.

    Parameters
    ----------
    samples : PenSamples

    Returns
    -------
    WritingResult

    Raises
    ------
    DrawingInputError
        No up-and-down strokes were found.
    """
    unit, scale = samples.unit, samples.mm_per_unit
    warnings: list[str] = []
    rate = analysis_rate_hz(samples)
    min_height = MIN_STROKE_HEIGHT_MM / scale

    durations, heights, nivs, normalized = [], [], [], []
    jerk_energy, analysed_s, length = 0.0, 0.0, 0.0
    for _, xy in uniform_pieces(samples, rate):
        smooth = lowpass(xy, rate, SMOOTHING_HZ)
        velocity = np.gradient(smooth, axis=0) * rate
        jerk = np.gradient(np.gradient(velocity, axis=0), axis=0) * rate**2
        jerk_sq = np.sum(jerk**2, axis=1)
        jerk_energy += float(jerk_sq.sum() / rate)
        analysed_s += xy.shape[0] / rate
        length += float(np.hypot(*np.diff(smooth, axis=0).T).sum())
        vy = velocity[:, 1]
        crossings = np.flatnonzero(np.signbit(vy[1:]) != np.signbit(vy[:-1])) + 1
        bounds = np.r_[0, crossings, vy.size - 1]
        # A stroke runs from one crossing to the first later crossing with enough vertical travel
        # between them (smaller wiggles stay inside the stroke).
        start = 0
        for stop in bounds[1:]:
            travel = abs(smooth[stop, 1] - smooth[start, 1])
            if travel < min_height:
                continue
            part = slice(start, stop + 1)
            duration = (stop - start) / rate
            stroke_length = float(np.hypot(*np.diff(smooth[part], axis=0).T).sum())
            durations.append(duration)
            heights.append(travel)
            nivs.append(_inversions(vy[start:stop]))  # the samples moving one way
            normalized.append(float(np.sqrt(0.5 * jerk_sq[part].sum() / rate * duration**5 / stroke_length**2)))
            start = stop
    if not durations:
        raise DrawingInputError("No up-and-down strokes were found in the writing.")

    segments = samples.segments()
    on_surface = float(sum(samples.t_s[s][-1] - samples.t_s[s][0] for s in segments))
    in_air = float(sum(samples.t_s[b.start] - samples.t_s[a.stop - 1] for a, b in zip(segments, segments[1:])))
    t_down = samples.t_s[samples.pen_down]

    mean_pressure = variability = None
    if samples.pressure is not None:
        pressed = samples.pressure[samples.pen_down]
        if np.ptp(pressed) > 0:
            mean_pressure = float(pressed.mean())
            variability = float(pressed.std() / mean_pressure) if mean_pressure > 0 else None
        else:
            warnings.append("This device reports no pressure (the same value throughout).")
    if unit == "px":
        warnings.append("Lengths are in screen pixels because the screen was not calibrated; compare them only "
                        "with writing done on the same device.")
    return WritingResult(
        unit=unit,
        duration_s=float(t_down[-1] - t_down[0]),
        on_surface_s=on_surface,
        in_air_s=in_air,
        pen_lifts=len(segments) - 1,
        strokes=len(durations),
        stroke_frequency_hz=float(1.0 / np.mean(durations)),
        niv_per_stroke=float(np.mean(nivs)),
        mean_stroke_height=float(np.mean(heights)),
        mean_speed=length / analysed_s if analysed_s > 0 else 0.0,
        jerk=float(np.sqrt(jerk_energy / analysed_s)) if analysed_s > 0 else 0.0,
        normalized_jerk=float(np.median(normalized)),
        mean_pressure=mean_pressure,
        pressure_variability=variability,
        sample_rate_hz=samples.sample_rate_hz,
        warnings=warnings,
    )
