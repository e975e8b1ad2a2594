"""The daily response curve of one toxin cycle: smoothing, and the days where benefit starts and ends.

These are the numerical steps behind :mod:`torsion.clinical.cycles`, kept apart so that the rules
can be read on their own. Everything works on one cycle at a time, on day offsets ``0 .. L-1``
counted from the injection day (day 0), with missing days held as NaN and never filled in.

Smoothing is local linear regression with tricube weights (the estimator inside LOWESS; Cleveland,
J Am Stat Assoc 1979;74:829-836, without its robustness iterations). The estimate for day ``d`` is
the value at ``d`` of a straight line fitted by weighted least squares to the observed values of
days ``d - h .. d + h``, with weight ``(1 - (|j| / (h + 1))**3)**3`` for a value ``j`` days away.
A straight line, unlike a moving average, follows a rising or falling stretch without lag and keeps
its level at the edges of the cycle. A day gets a smoothed value only when its window holds at least
two observed days, one on or before it and one on or after it. Inside a gap too wide for the window
(up to a set length), the curve is a straight line between the fitted values on either side of the
gap. The curve therefore interpolates across gaps but never extrapolates beyond the first or last
value of the cycle, and raw values are never invented.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SmoothedCurve:
    """A local linear smoothing of a daily series.

    Attributes
    ----------
    value : ndarray, shape (L,)
        Smoothed value per day, in the series' units; NaN where ``valid`` is false.
    valid : ndarray of bool, shape (L,)
        Days that have a smoothed value: ``fitted`` days and the bridged days between them.
    fitted : ndarray of bool, shape (L,)
        Days whose value comes from their own window (see the module docstring).
    residual_sq : ndarray, shape (L,)
        Squared difference between the raw and the smoothed value on days that have both, else 0.
    residual_dof : ndarray, shape (L,)
        On those days, the expected squared residual per unit noise variance,
        ``1 - 2 l_dd + sum_j l_dj**2`` with ``l`` the smoother's weights; else 0.
    """

    value: np.ndarray
    valid: np.ndarray
    fitted: np.ndarray
    residual_sq: np.ndarray
    residual_dof: np.ndarray

    def noise_sd(self, start: int = 0, stop: int | None = None) -> float | None:
        """Standard deviation of the raw values around the curve over days ``start .. stop - 1``.

        The usual variance estimate for a linear smoother: residual sum of squares divided by its
        expectation per unit variance. ``None`` with fewer than three residuals. Series units.
        """
        part = slice(start, stop)
        if np.count_nonzero(self.residual_dof[part]) < 3:
            return None
        expected = float(np.sum(self.residual_dof[part]))
        if expected <= 0.0:
            return None
        return math.sqrt(float(np.sum(self.residual_sq[part])) / expected)


def smooth_local_linear(y: np.ndarray, half_window_days: int, bridge_days: int = 0) -> SmoothedCurve:
    """Smooth a daily series by tricube-weighted local linear regression.

    Parameters
    ----------
    y : ndarray, shape (L,)
        One value per day, NaN for days without a value. Several cycles can be smoothed in one call
        when they are separated by at least ``half_window_days`` NaN days: no window then reaches
        from one into the next.
    half_window_days : int
        ``h``: the window of day ``d`` is ``d - h .. d + h``.
    bridge_days : int
        Longest stretch of days without a fit (inside a gap wider than the window) that is bridged by
        a straight line between the fitted values on either side; longer stretches stay undefined.

    Returns
    -------
    SmoothedCurve
    """
    h = int(half_window_days)
    length = y.shape[0]
    observed = ~np.isnan(y)
    mask = np.zeros(length + 2 * h)
    mask[h : h + length] = observed
    data = np.zeros(length + 2 * h)
    data[h : h + length] = np.where(observed, y, 0.0)
    offsets = np.arange(-h, h + 1, dtype=float)
    kernel = (1.0 - np.abs(offsets / (h + 1)) ** 3) ** 3

    def window_sum(signal: np.ndarray, taps: np.ndarray) -> np.ndarray:
        # sum over j = -h..h of signal[d + j] * taps[j], for every day d
        return np.correlate(signal, taps, mode="valid")

    s0 = window_sum(mask, kernel)
    s1 = window_sum(mask, kernel * offsets)
    s2 = window_sum(mask, kernel * offsets**2)
    t0 = window_sum(data, kernel)
    t1 = window_sum(data, kernel * offsets)
    determinant = s0 * s2 - s1 * s1
    side = np.ones(h + 1)
    valid = (
        (np.correlate(mask, np.concatenate([side, np.zeros(h)]), mode="valid") > 0.5)
        & (np.correlate(mask, np.concatenate([np.zeros(h), side]), mode="valid") > 0.5)
        & (window_sum(mask, np.ones(2 * h + 1)) > 1.5)
        & (determinant > 1e-12 * np.maximum(s0 * s2, 1.0))
    )
    safe = np.where(valid, determinant, 1.0)
    # The estimate is sum_j l_j y_j with l_j = w_j (s2 - s1 j) / (s0 s2 - s1^2), w_j the kernel on
    # observed days: the smoother's "equivalent kernel". Its own weight l_0 and its sum of squares
    # give the expected squared residual per unit variance, 1 - 2 l_0 + sum_j l_j^2.
    value = np.where(valid, (s2 * t0 - s1 * t1) / safe, np.nan)
    squared = kernel * kernel
    c0 = window_sum(mask, squared)
    c1 = window_sum(mask, squared * offsets)
    c2 = window_sum(mask, squared * offsets**2)
    own_weight = kernel[h] * s2 / safe
    sum_squares = (s2 * s2 * c0 - 2.0 * s2 * s1 * c1 + s1 * s1 * c2) / (safe * safe)
    used = valid & observed
    residual_sq = np.where(used, (np.where(used, y, 0.0) - np.where(used, value, 0.0)) ** 2, 0.0)
    residual_dof = np.where(used, 1.0 - 2.0 * own_weight + sum_squares, 0.0)
    fitted = valid.copy()
    ends = np.flatnonzero(valid)
    holes = np.diff(ends) - 1
    for k in np.flatnonzero((holes > 0) & (holes <= bridge_days)):
        left, right = int(ends[k]), int(ends[k + 1])
        inside = np.arange(left + 1, right)
        value[inside] = value[left] + (value[right] - value[left]) * (inside - left) / (right - left)
        valid[inside] = True
    return SmoothedCurve(
        value=value, valid=valid, fitted=fitted, residual_sq=residual_sq, residual_dof=residual_dof
    )


@dataclass(frozen=True)
class CycleEvents:
    """Where benefit starts, peaks and ends on one smoothed improvement curve (day offsets)."""

    onset_day: int
    peak_day: int
    wearing_off_day: int | None
    onset_bracketed: bool
    wearing_off_bracketed: bool


def locate_events(
    improvement: np.ndarray,
    valid: np.ndarray,
    peak_improvement: float,
    *,
    onset_fraction: float,
    wearing_off_fraction: float,
    sustain_days: int,
) -> CycleEvents:
    """Find onset, peak and wearing-off days on a smoothed improvement curve.

    Parameters
    ----------
    improvement : ndarray, shape (L,)
        Smoothed improvement per day offset (positive is better), NaN where not ``valid``.
    valid : ndarray of bool, shape (L,)
        Days with a smoothed value; the rules skip the others.
    peak_improvement : float
        ``P > 0``, the cycle's peak improvement, in the series' units.
    onset_fraction, wearing_off_fraction : float
        Onset threshold ``onset_fraction * P`` and wearing-off threshold ``wearing_off_fraction * P``;
        ``0 < onset_fraction <= wearing_off_fraction < 1``.
    sustain_days : int
        ``S``: length of the stretch over which a crossing must hold.

    Returns
    -------
    CycleEvents
        With these definitions, all over days that have a value:

        - peak day: the improvement-weighted mean day of the curve above ``wearing_off_fraction * P``
          (weights ``improvement - wearing_off_fraction * P``), rounded to the nearest day (halves
          up). It is the centre of the benefit: the day of the maximum for a symmetric peak, the
          middle of the plateau for a flat-topped one.
        - onset day: the first day ``d`` up to the peak day whose value, and every value of days
          ``d .. min(d + S - 1, peak day)``, is at or above ``onset_fraction * P``. When no day
          qualifies (only possible when the curve dips just before the peak day), the last day up to
          the peak day at or above that threshold.
        - wearing-off day: the first day ``d`` after the peak day whose value, and every value of
          days ``d .. d + S - 1`` (cut at the cycle's end), is below ``wearing_off_fraction * P``;
          ``None`` when there is none (benefit still present at the end).

        ``onset_bracketed`` is false when onset is after day 0 and the day before it has no value
        (the crossing happened somewhere in a gap); ``wearing_off_bracketed`` likewise.
    """
    # Plain loops over lists: for a cycle of ~100 days they are quicker than NumPy calls, and they
    # read like the definitions above.
    values = improvement.tolist()
    has = valid.tolist()
    length = len(values)
    half_level = wearing_off_fraction * peak_improvement
    onset_level = onset_fraction * peak_improvement

    total = weighted = 0.0
    for day in range(length):
        if has[day] and values[day] >= half_level:
            total += values[day] - half_level
            weighted += day * (values[day] - half_level)
    if total > 0.0:
        peak_day = math.floor(weighted / total + 0.5)
    else:
        peak_day = max((d for d in range(length) if has[d]), key=lambda d: values[d])

    def holds(first: int, last: int, above: bool) -> bool:
        return all(
            (values[e] >= onset_level) if above else (values[e] < half_level)
            for e in range(first, last + 1)
            if has[e]
        )

    onset_day = None
    for day in range(peak_day + 1):
        last = min(day + sustain_days - 1, peak_day)
        if has[day] and values[day] >= onset_level and holds(day, last, above=True):
            onset_day = day
            break
    if onset_day is None:
        reaching = [d for d in range(peak_day + 1) if has[d] and values[d] >= onset_level]
        onset_day = reaching[-1] if reaching else peak_day

    wearing_off_day = None
    for day in range(peak_day + 1, length):
        last = min(day + sustain_days - 1, length - 1)
        if has[day] and values[day] < half_level and holds(day, last, above=False):
            wearing_off_day = day
            break

    return CycleEvents(
        onset_day=onset_day,
        peak_day=peak_day,
        wearing_off_day=wearing_off_day,
        onset_bracketed=onset_day == 0 or has[onset_day - 1],
        wearing_off_bracketed=wearing_off_day is None or has[wearing_off_day - 1],
    )
