"""Archimedean spiral drawing: shape, smoothness, tightness, speed and tremor.

Entry point: :func:`measure_spiral` (:class:`~torsion.measures.drawing.PenSamples`) ->
:class:`SpiralResult`.

Method (lengths in the drawing's unit, millimetres or CSS pixels; see :mod:`torsion.measures.drawing`):

1. **Centre.** The pen-down path is resampled to equal steps of length (so that slow stretches do
   not weigh more), and the centre is the point about which the radius is best explained by a
   straight line in the unwrapped angle, ``r = a + b * theta`` (least squares with a soft-L1 loss
   over the centre, the line fitted exactly for each candidate; started from the middle of the
   drawing's bounding box, its mean, and its first and last points on a quarter of the points,
   the best refined on all of them).
2. **Unravelling.** About that centre each sample has a radius ``r`` and an angle ``theta``
   unwrapped along the drawing, counted from the first sample in the direction the spiral was drawn
   (``direction`` says which, as seen on the screen). ``turns`` is the angle covered over 2 pi; a
   drawing with less than one turn is not measured. ``a`` and ``b`` are refitted on the resampled
   path; ``b`` is negative for a spiral drawn from the outside in.
3. **Radial deviation**: root mean square of ``r - (a + b theta)`` along the path.
4. **Smoothness**: each pen-down stretch on a uniform time grid, low-passed at 20 Hz (above any
   tremor, below sampling noise), gives ``r(theta)``, interpolated on a 1-degree grid of ``theta``
   (where ``theta`` moves forward). *First-order smoothness* is the mean of ``|dr/dtheta - b|``
   (unit per radian), *second-order smoothness* the mean of ``|d2r/dtheta2|`` (unit per radian
   squared): both 0 for a perfect Archimedean spiral and larger for a shakier or jerkier one
   (Pullman 1998's first- and second-order smoothness, in Torsion's definition).
5. **Tightness** is the mean spacing between neighbouring loops, ``r(theta + 2 pi) - r(theta)``
   taken on the smooth path (low-passed at 2 Hz), in unit per turn; *tightness variability* is that
   spacing's coefficient of variation (standard deviation over mean).
6. **Zero-crossing rate**: how often per second the radial residual ``r - (a + b theta)`` (20 Hz
   low-pass) changes sign, with a dead band of 0.1 mm so that sampling noise does not count; a
   tremor at f Hz in the radial direction adds about 2f crossings per second.
7. **Time and speed**: ``duration_s`` from the first to the last pen-down sample; mean speed is
   the pen-down path length (low-passed at 20 Hz so that sampling noise does not lengthen it) over
   the pen-down time.
8. **Tremor**: :mod:`torsion.measures.drawing_tremor` on the residual from the smooth path rebuilt
   from radius and angle (each low-passed at 2 Hz) about the centre. Left out: the first half loop
   around the centre, and wherever the path's heading turns faster than once a second (the tight
   inner loops), because the harmonics of such fast turning reach the tremor band when the
   drawing is not a perfect spiral about one centre. Stretches shorter than 1.5 s are not used.
9. **Template** (traced spirals): with a :class:`SpiralTemplate`, ``template_deviation`` is the
   root mean square distance from each pen-down sample to the nearest loop of the template, along
   the template's radius.

Sources: spiral analysis by unravelling to radius against angle (Pullman 1998; Saunders-Pullman
2008); tablet tremor amplitude against clinical ratings (Elble); see docs/measures-drawing.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from torsion.measures.drawing import (
    DrawingInputError,
    PenSamples,
    analysis_rate_hz,
    drawn_length,
    lowpass,
    path_length,
    rounded,
    uniform_pieces,
)
from torsion.measures.drawing_tremor import DETREND_CUTOFF_HZ, PenTremor, TremorPiece, analyse_pen_tremor

__all__ = ["SpiralResult", "SpiralTemplate", "measure_spiral"]

#: Low-pass for smoothness and the zero-crossing rate: above the tremor band, below sampling noise.
SHAPE_CUTOFF_HZ = 20.0
#: Step of the angle grid for smoothness and tightness, radians.
THETA_STEP_RAD = math.radians(1.0)
#: Dead band of the zero-crossing count, millimetres.
ZERO_CROSSING_DEADBAND_MM = 0.1
#: Fastest turning of the path (turns per second) left in the tremor analysis: its harmonics must
#: stay below the tremor band.
MAX_TURNING_HZ = 1.0
#: Shortest stretch (seconds) of a spiral's outer loops that enters the tremor analysis.
MIN_TREMOR_STRETCH_S = 1.5
#: Points the path is resampled to for the centre and the fit.
FIT_POINTS = 1200
#: Points kept in the stored unravelled spiral.
SERIES_POINTS = 1200


@dataclass(frozen=True)
class SpiralTemplate:
    """The spiral shown under the pen for a traced spiral, in the drawing's unit.

    ``r = start_radius + spacing * phi / (2 pi)`` for ``phi`` from 0 to ``2 pi turns``, starting at
    ``start_angle_rad`` (screen axes, y down) and going clockwise on the screen when ``clockwise``.
    """

    centre_x: float
    centre_y: float
    start_radius: float
    spacing: float
    turns: float
    start_angle_rad: float = 0.0
    clockwise: bool = True

    def deviation(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Distance of each point from the nearest loop, along the template's radius."""
        dx, dy = x - self.centre_x, y - self.centre_y
        radius = np.hypot(dx, dy)
        angle = np.arctan2(dy, dx) - self.start_angle_rad
        phi = np.mod(angle if self.clockwise else -angle, 2 * np.pi)
        # Turns along the template at which each point's angle comes round, one per loop (a little
        # beyond either end, so that a point just before the start still finds the first loop).
        turns_at = phi[:, None] / (2 * np.pi) + np.arange(-1, int(math.ceil(self.turns)) + 1)[None, :]
        within = (turns_at >= -0.05) & (turns_at <= self.turns + 0.05)
        candidates = np.where(within, self.start_radius + self.spacing * turns_at, np.inf)
        return np.min(np.abs(radius[:, None] - candidates), axis=1)


@dataclass
class SpiralResult:
    """Measures of one spiral drawing (lengths in ``unit``).

    Attributes
    ----------
    unit : str
        ``"mm"`` or ``"px"`` (CSS pixels).
    duration_s : float
        First to last pen-down sample.
    pen_down_s : float
    path_length : float
    mean_speed : float
        Unit per second, pen down.
    turns : float
    direction : str
        ``"clockwise"`` or ``"counterclockwise"`` as seen on the screen.
    outward : bool
        Drawn from the centre outwards.
    centre : (float, float)
    fit_a, fit_b : float
        ``r = a + b theta``; ``b`` in unit per radian.
    radial_deviation : float
        RMS of the radial residual.
    first_order_smoothness : float
        Mean ``|dr/dtheta - b|``, unit per radian.
    second_order_smoothness : float
        Mean ``|d2r/dtheta2|``, unit per radian squared.
    tightness : float
        Mean loop spacing, unit per turn.
    tightness_variability : float or None
        Coefficient of variation of the loop spacing (needs more than one turn).
    zero_crossing_rate_hz : float
        Sign changes of the radial residual per second.
    pen_lifts : int
    template_deviation : float or None
    tremor : PenTremor
    warnings : list of str
    """

    unit: str
    duration_s: float
    pen_down_s: float
    path_length: float
    mean_speed: float
    turns: float
    direction: str
    outward: bool
    centre: tuple[float, float]
    fit_a: float
    fit_b: float
    radial_deviation: float
    first_order_smoothness: float
    second_order_smoothness: float
    tightness: float
    tightness_variability: float | None
    zero_crossing_rate_hz: float
    pen_lifts: int
    tremor: PenTremor
    template_deviation: float | None = None
    sample_rate_hz: float = 0.0
    unravelled: dict[str, np.ndarray] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, series: bool = False) -> dict:
        """JSON-ready result; length keys end in the unit (``_mm`` or ``_px``). ``series=True`` adds
        the unravelled spiral and the tremor spectrum."""
        u = self.unit
        out = {
            "task": "spiral",
            "unit": u,
            "duration_s": self.duration_s,
            "pen_down_s": self.pen_down_s,
            f"path_length_{u}": self.path_length,
            f"mean_speed_{u}_s": self.mean_speed,
            "turns": self.turns,
            "direction": self.direction,
            "outward": self.outward,
            f"centre_{u}": list(self.centre),
            "fit": {f"a_{u}": self.fit_a, f"b_{u}_per_rad": self.fit_b},
            f"radial_deviation_{u}": self.radial_deviation,
            "first_order_smoothness": self.first_order_smoothness,
            "second_order_smoothness": self.second_order_smoothness,
            "tightness": self.tightness,
            "tightness_variability": self.tightness_variability,
            "zero_crossing_rate_hz": self.zero_crossing_rate_hz,
            "pen_lifts": self.pen_lifts,
            f"template_deviation_{u}": self.template_deviation,
            "sample_rate_hz": self.sample_rate_hz,
            "tremor": self.tremor.to_dict(),
            "warnings": list(self.warnings),
        }
        out = rounded(out)
        if series:
            out["tremor"] = self.tremor.to_dict(series=True)
            out["unravelled"] = {name: [round(float(v), 4) for v in values] for name, values in self.unravelled.items()}
        return out


def _radial_fit(theta: np.ndarray, r: np.ndarray) -> tuple[float, float]:
    theta_mean = theta.mean()
    spread = np.sum((theta - theta_mean) ** 2)
    b = float(np.sum((theta - theta_mean) * (r - r.mean())) / spread) if spread > 0 else 0.0
    return float(r.mean() - b * theta_mean), b


def _polar(points: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d = points - centre
    return np.hypot(d[:, 0], d[:, 1]), np.unwrap(np.arctan2(d[:, 1], d[:, 0]))


def _fit_residuals(centre: np.ndarray, points: np.ndarray) -> np.ndarray:
    r, theta = _polar(points, centre)
    a, b = _radial_fit(theta, r)
    return r - (a + b * theta)


def _resample_by_length(points: np.ndarray, n: int) -> np.ndarray:
    steps = np.hypot(*np.diff(points, axis=0).T)
    moving = np.r_[True, steps > 0]
    points = points[moving]
    s = np.r_[0.0, np.cumsum(steps[steps > 0])]
    grid = np.linspace(0.0, s[-1], n)
    return np.column_stack([np.interp(grid, s, points[:, 0]), np.interp(grid, s, points[:, 1])])


def _centre(points: np.ndarray) -> np.ndarray:
    """The centre about which ``r = a + b theta`` fits best: each start fitted on every fourth point,
    the best of them refined on all."""
    extent = float(np.ptp(points, axis=0).max())
    options = {"loss": "soft_l1", "f_scale": 0.02 * extent, "x_scale": extent, "max_nfev": 200}
    starts = [0.5 * (points.min(axis=0) + points.max(axis=0)), points.mean(axis=0), points[0], points[-1]]
    coarse = points[::4]
    best = min((optimize.least_squares(_fit_residuals, start, args=(coarse,), **options) for start in starts),
               key=lambda fit: fit.cost)
    return optimize.least_squares(_fit_residuals, best.x, args=(points,), **options).x


def _monotone(theta: np.ndarray) -> np.ndarray:
    """Mask of samples where ``theta`` reaches beyond every earlier sample (the path moving forward)."""
    running = np.maximum.accumulate(theta)
    return np.r_[True, theta[1:] > running[:-1]]


def _on_theta_grid(theta: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    forward = _monotone(theta)
    theta, r = theta[forward], r[forward]
    grid = np.arange(theta[0], theta[-1], THETA_STEP_RAD)
    return grid, np.interp(grid, theta, r)


def _zero_crossings(values: np.ndarray, deadband: float) -> int:
    """Sign changes of ``values``, ignoring excursions that stay within +/- ``deadband``."""
    state = np.where(values > deadband, 1, np.where(values < -deadband, -1, 0))
    state = state[state != 0]
    return int(np.count_nonzero(np.diff(state))) if state.size else 0


def measure_spiral(samples: PenSamples, *, template: SpiralTemplate | None = None) -> SpiralResult:
    """Measure one Archimedean spiral.

    Parameters
    ----------
    samples : PenSamples
        The drawing; pen-up samples and lifts are allowed.
    template : SpiralTemplate, optional
        The spiral that was traced, for ``template_deviation``.

    Returns
    -------
    SpiralResult

    Raises
    ------
    DrawingInputError
        The drawing goes less than once around its centre.
    """
    unit, scale = samples.unit, samples.mm_per_unit
    warnings: list[str] = []
    segments = samples.segments()
    down = samples.down_xy()
    t_down = samples.t_s[samples.pen_down]

    # 1-2. Centre and unravelling, on the path resampled to equal steps of length.
    pieces_xy = [np.column_stack([samples.x[s], samples.y[s]]) for s in segments]
    lengths = [path_length(p) for p in pieces_xy]
    length = float(sum(lengths))
    even = np.concatenate([_resample_by_length(p, max(2, int(round(FIT_POINTS * piece_length / length))))
                           for p, piece_length in zip(pieces_xy, lengths, strict=True) if piece_length > 0])
    centre = _centre(even)
    _, theta_raw = _polar(down, centre)
    sense = 1.0 if theta_raw[-1] >= theta_raw[0] else -1.0
    origin = theta_raw[0]
    theta_all = sense * (theta_raw - origin)
    turns = float(np.ptp(theta_all) / (2 * np.pi))
    if turns < 1.0:
        raise DrawingInputError(
            f"The drawing goes only {turns:.1f} times around its centre; a spiral needs at least one full turn."
        )
    r_even, theta_even_raw = _polar(even, centre)
    # The resampled path starts where the first stroke with any length starts; unwrapped on its
    # own, its angle may be whole turns apart from the samples' there: align it.
    first = next(k for k, piece_length in enumerate(lengths) if piece_length > 0)
    start_theta = theta_raw[sum(p.shape[0] for p in pieces_xy[:first])]
    theta_even_raw = theta_even_raw + 2 * np.pi * np.round((start_theta - theta_even_raw[0]) / (2 * np.pi))
    theta_even = sense * (theta_even_raw - origin)
    a, b = _radial_fit(theta_even, r_even)
    residual_even = r_even - (a + b * theta_even)
    radial_deviation = float(np.sqrt(np.mean(residual_even**2)))

    # 4-6. Smoothness, tightness and zero crossings on uniform time grids.
    rate = analysis_rate_hz(samples)
    grids = uniform_pieces(samples, rate)
    theta_fine, r_fine, r_smooth_all, theta_smooth_all, residual_time = [], [], [], [], []
    tremor_pieces: list[TremorPiece] = []
    for t_grid, xy in grids:
        fine = lowpass(xy, rate, SHAPE_CUTOFF_HZ)
        r_f, th_f = _polar(fine, centre)
        th_f = th_f + 2 * np.pi * np.round((np.interp(t_grid[0], t_down, theta_raw) - th_f[0]) / (2 * np.pi))
        theta_f = sense * (th_f - origin)
        theta_fine.append(theta_f)
        r_fine.append(r_f)
        residual_time.append(r_f - (a + b * theta_f))
        r_s = lowpass(r_f, rate, DETREND_CUTOFF_HZ)
        th_s = lowpass(th_f, rate, DETREND_CUTOFF_HZ)
        r_smooth_all.append(r_s)
        theta_smooth_all.append(sense * (th_s - origin))
        radial = np.column_stack([np.cos(th_s), np.sin(th_s)])
        ideal = centre + r_s[:, None] * radial
        # Leave out where the path turns too fast to be told from tremor (the inner loops) and the
        # first half loop around the centre, whichever is more.
        heading = np.unwrap(np.arctan2(*np.gradient(lowpass(xy, rate, DETREND_CUTOFF_HZ), axis=0).T[::-1]))
        turning_hz = np.abs(np.gradient(heading)) * rate / (2 * np.pi)
        usable = (r_s >= 0.5 * abs(b) * 2 * np.pi) & (turning_hz <= MAX_TURNING_HZ)
        edges = np.diff(np.r_[0, usable.astype(np.int8), 0])
        for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            if stop - start >= MIN_TREMOR_STRETCH_S * rate:
                tremor_pieces.append(TremorPiece(xy[start:stop] - ideal[start:stop], radial[start:stop]))

    theta_cat, r_cat = np.concatenate(theta_fine), np.concatenate(r_fine)
    grid, r_grid = _on_theta_grid(theta_cat, r_cat)
    if grid.size < 5:
        raise DrawingInputError("The drawing is too short to measure as a spiral.")
    dr = np.gradient(r_grid, THETA_STEP_RAD)
    d2r = np.gradient(dr, THETA_STEP_RAD)
    first_order = float(np.mean(np.abs(dr - b)))
    second_order = float(np.mean(np.abs(d2r)))

    grid_s, r_grid_s = _on_theta_grid(np.concatenate(theta_smooth_all), np.concatenate(r_smooth_all))
    shift = int(round(2 * np.pi / THETA_STEP_RAD))
    if grid_s.size > shift + 1:
        spacing = r_grid_s[shift:] - r_grid_s[:-shift]
        tightness = float(abs(spacing.mean()))
        tightness_variability = float(spacing.std() / tightness) if tightness > 0 else None
    else:
        tightness, tightness_variability = float(abs(b) * 2 * np.pi), None
        warnings.append("The spiral has too little of a second turn to measure how evenly its loops are spaced.")

    analysed_s = sum(t_grid[-1] - t_grid[0] for t_grid, _ in grids)
    crossings = sum(_zero_crossings(res, ZERO_CROSSING_DEADBAND_MM / scale) for res in residual_time)
    zero_crossing_rate = float(crossings / analysed_s) if analysed_s > 0 else 0.0

    # 7. Time and speed.
    pen_down_s = float(sum(samples.t_s[s][-1] - samples.t_s[s][0] for s in segments))
    length = drawn_length(samples)
    duration = float(t_down[-1] - t_down[0])
    pen_lifts = len(segments) - 1
    if pen_lifts:
        warnings.append(f"The pen was lifted {pen_lifts} time{'s' if pen_lifts > 1 else ''} during the spiral.")

    # 8. Tremor.
    tremor, tremor_warnings = analyse_pen_tremor(
        tremor_pieces, rate, unit=unit, mm_per_unit=scale,
        cut_at="pen lifts, near the centre and at turns too quick to tell from tremor")
    warnings += tremor_warnings
    if samples.sample_rate_hz < 40:
        warnings.append(
            f"The device sent about {samples.sample_rate_hz:.0f} samples a second; fast tremor may be missed."
        )
    if unit == "px":
        warnings.append("Lengths are in screen pixels because the screen was not calibrated; compare them only "
                        "with drawings made on the same device.")

    template_deviation = None
    if template is not None:
        template_deviation = float(np.sqrt(np.mean(template.deviation(down[:, 0], down[:, 1]) ** 2)))

    step = max(1, math.ceil(grid.size / SERIES_POINTS))
    unravelled = {
        "theta_turns": grid[::step] / (2 * np.pi),
        "r": r_grid[::step],
        "r_fit": a + b * grid[::step],
    }
    return SpiralResult(
        unit=unit,
        duration_s=duration,
        pen_down_s=pen_down_s,
        path_length=length,
        mean_speed=length / pen_down_s if pen_down_s > 0 else 0.0,
        turns=turns,
        direction="clockwise" if sense > 0 else "counterclockwise",
        outward=b > 0,
        centre=(float(centre[0]), float(centre[1])),
        fit_a=a,
        fit_b=b,
        radial_deviation=radial_deviation,
        first_order_smoothness=first_order,
        second_order_smoothness=second_order,
        tightness=tightness,
        tightness_variability=tightness_variability,
        zero_crossing_rate_hz=zero_crossing_rate,
        pen_lifts=pen_lifts,
        tremor=tremor,
        template_deviation=template_deviation,
        sample_rate_hz=samples.sample_rate_hz,
        unravelled=unravelled,
        warnings=warnings,
    )
