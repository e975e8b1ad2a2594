"""A straight line drawn between two marks: straightness, speed and tremor.

Entry point: :func:`measure_line` (:class:`~torsion.measures.drawing.PenSamples`) ->
:class:`LineResult`.

Method (lengths in the drawing's unit):

* The line's direction is the principal axis of the pen-down points (total least squares);
  ``length`` is their extent along it and ``angle_deg`` its angle from the screen's horizontal
  (positive = sloping down to the right, as y grows downwards; the sign follows the direction of drawing).
* ``deviation`` is the root mean square distance of the pen-down points from that straight line
  and ``max_deviation`` the largest; a bowed or wandering line has large values, a shaky one too.
* ``duration_s`` runs from the first to the last pen-down sample; ``mean_speed`` is the pen-down
  path length (low-passed at 20 Hz) over the pen-down time; ``straightness`` is the line's length over the path length
  (1 for a perfectly straight stroke).
* Tremor: :mod:`torsion.measures.drawing_tremor` on each pen-down stretch minus its own 2 Hz
  low-pass (the page's axes only: along and across a straight line is a fixed frame too).

A line is a standard companion of the spiral for tremor (it shows tremor that follows the direction
of movement) and for the jerky, slowed strokes of writer's cramp; see docs/measures-drawing.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from torsion.measures.drawing import PenSamples, analysis_rate_hz, drawn_length, lowpass, rounded, uniform_pieces
from torsion.measures.drawing_tremor import DETREND_CUTOFF_HZ, PenTremor, TremorPiece, analyse_pen_tremor

__all__ = ["LineResult", "measure_line"]


@dataclass
class LineResult:
    """Measures of one straight-line drawing (lengths in ``unit``)."""

    unit: str
    duration_s: float
    pen_down_s: float
    length: float
    path_length: float
    angle_deg: float
    mean_speed: float
    deviation: float
    max_deviation: float
    straightness: float
    pen_lifts: int
    tremor: PenTremor
    sample_rate_hz: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, series: bool = False) -> dict:
        """JSON-ready result; length keys end in the unit (``_mm`` or ``_px``)."""
        u = self.unit
        out = rounded({
            "task": "line",
            "unit": u,
            "duration_s": self.duration_s,
            "pen_down_s": self.pen_down_s,
            f"length_{u}": self.length,
            f"path_length_{u}": self.path_length,
            "angle_deg": self.angle_deg,
            f"mean_speed_{u}_s": self.mean_speed,
            f"deviation_{u}": self.deviation,
            f"max_deviation_{u}": self.max_deviation,
            "straightness": self.straightness,
            "pen_lifts": self.pen_lifts,
            "sample_rate_hz": self.sample_rate_hz,
            "tremor": self.tremor.to_dict(),
            "warnings": list(self.warnings),
        })
        if series:
            out["tremor"] = self.tremor.to_dict(series=True)
        return out


def measure_line(samples: PenSamples) -> LineResult:
    """Measure one straight line.

    Parameters
    ----------
    samples : PenSamples

    Returns
    -------
    LineResult
    """
    warnings: list[str] = []
    down = samples.down_xy()
    middle = down.mean(axis=0)
    _, _, axes = np.linalg.svd(down - middle, full_matrices=False)
    along = axes[0]
    if np.dot(down[-1] - down[0], along) < 0:
        along = -along  # point the axis the way the line was drawn
    across = np.array([-along[1], along[0]])
    projected = (down - middle) @ along
    offsets = (down - middle) @ across
    length = float(np.ptp(projected))
    segments = samples.segments()
    drawn = drawn_length(samples)
    pen_down_s = float(sum(samples.t_s[s][-1] - samples.t_s[s][0] for s in segments))
    t_down = samples.t_s[samples.pen_down]
    pen_lifts = len(segments) - 1
    if pen_lifts:
        warnings.append(f"The pen was lifted {pen_lifts} time{'s' if pen_lifts > 1 else ''} during the line.")

    rate = analysis_rate_hz(samples)
    pieces = [TremorPiece(xy - lowpass(xy, rate, DETREND_CUTOFF_HZ)) for _, xy in uniform_pieces(samples, rate)]
    tremor, tremor_warnings = analyse_pen_tremor(pieces, rate, unit=samples.unit, mm_per_unit=samples.mm_per_unit)
    warnings += tremor_warnings
    if samples.unit == "px":
        warnings.append("Lengths are in screen pixels because the screen was not calibrated; compare them only "
                        "with drawings made on the same device.")
    return LineResult(
        unit=samples.unit,
        duration_s=float(t_down[-1] - t_down[0]),
        pen_down_s=pen_down_s,
        length=length,
        path_length=drawn,
        angle_deg=float(math.degrees(math.atan2(along[1], along[0]))),
        mean_speed=drawn / pen_down_s if pen_down_s > 0 else 0.0,
        deviation=float(np.sqrt(np.mean(offsets**2))),
        max_deviation=float(np.abs(offsets).max()),
        straightness=length / drawn if drawn > 0 else 0.0,
        pen_lifts=pen_lifts,
        tremor=tremor,
        sample_rate_hz=samples.sample_rate_hz,
        warnings=warnings,
    )
