"""Comparison across toxin cycles: is benefit getting shorter, and does it last until the next injection?

Both questions use only cycles with status ``ok`` from :func:`torsion.clinical.cycles.analyse_cycles`.

Trend. The cycles whose benefit ended within the cycle (not censored; a cycle without benefit counts
with 0 days) give pairs (cycle number, ``benefit_days``). The slope is the Theil-Sen estimator, the
median of the slopes between all pairs of cycles (Sen, J Am Stat Assoc 1968;63:1379-1389), with
Sen's 95 % confidence interval from the normal approximation of Kendall's statistic, computed as
:func:`scipy.stats.theilslopes` does. Whether there is a monotonic trend at all is Kendall's tau-b
test (:func:`scipy.stats.kendalltau`, exact p-value for small untied samples). Benefit is called
shorter (longer) when the test gives p below ``trend_alpha``, the slope is negative (positive) and the
slope amounts to at least ``trend_min_change_days`` between the first and last cycle used. With three
cycles the smallest possible p is 0.33 and with four 0.083, so at the default level of 0.05 a
trend needs at least five cycles: fewer cannot separate a trend from chance.

Interval. For completed cycles with benefit, analysed up to the next injection, the days between
wearing-off and the next injection (0 when benefit was still present). The median of these is the
typical number of days without benefit before the next injection; at or above
``wearing_off_gap_days`` the time between injections is called longer than the benefit lasts. This
describes; it does not advise.

Typical course. :func:`typical_response` is the day-by-day median of the smoothed improvement of
the ``ok`` cycles, counted from each injection (day 0). A day has a median only when at least half
of those cycles (and at least two) have a smoothed value on it, so the curve stops where most
cycles have ended instead of following the one longest cycle. The median rather than the mean, so
that one unusual cycle does not bend the typical course.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from torsion.clinical.cycle_types import (
    BenefitTrend,
    CycleComparison,
    CycleParams,
    CycleResult,
    IntervalFit,
    TrendDirection,
)

#: Two-sided 95 % quantile of the standard normal distribution.
_Z_975 = 1.959963984540054


def compare_cycles(cycles: Sequence[CycleResult], params: CycleParams = CycleParams()) -> CycleComparison:
    """Compare the ``ok`` cycles: the trend of benefit duration and the fit of the interval.

    Parameters
    ----------
    cycles : sequence of CycleResult
        As in :attr:`torsion.clinical.cycles.CycleReport.cycles`; other statuses are ignored.
    params : CycleParams
        ``trend_*``, ``interval_min_cycles`` and ``wearing_off_gap_days`` are used.

    Returns
    -------
    CycleComparison
    """
    ok = [c for c in cycles if c.status == "ok"]
    return CycleComparison(
        cycles_used=tuple(c.number for c in ok),
        trend=benefit_trend(ok, params),
        interval=interval_fit(ok, params),
    )


def theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Theil-Sen slope of ``y`` on ``x`` with Sen's 95 % confidence interval.

    Parameters
    ----------
    x, y : ndarray, shape (n,)
        ``x`` strictly increasing, ``n >= 2``.

    Returns
    -------
    slope, low, high : float
        The median pairwise slope and the interval bounds, as :func:`scipy.stats.theilslopes` gives
        them for ``alpha=0.95`` (it is reimplemented here only because SciPy's version spends about a
        millisecond on overhead).
    """
    i, j = np.triu_indices(x.size, k=1)
    slopes = np.sort((y[j] - y[i]) / (x[j] - x[i]))
    n, pairs = x.size, slopes.size
    # Sen (1968), equation 2.6: the variance of Kendall's statistic, less the ties among the y values.
    _, tie_counts = np.unique(y, return_counts=True)
    ties = sum(k * (k - 1) * (2 * k + 5) for k in tie_counts.tolist() if k > 1)
    sigma = math.sqrt(max(n * (n - 1) * (2 * n + 5) - ties, 0) / 18.0)
    upper = min(int(round((pairs + _Z_975 * sigma) / 2.0)), pairs - 1)
    lower = max(int(round((pairs - _Z_975 * sigma) / 2.0)) - 1, 0)
    return float(np.median(slopes)), float(slopes[lower]), float(slopes[upper])


def benefit_trend(ok: Sequence[CycleResult], params: CycleParams) -> BenefitTrend:
    """The trend of ``benefit_days`` over the uncensored cycles among ``ok`` (see the module docstring)."""
    used = [c for c in ok if not c.censored and c.benefit_days is not None]
    numbers = tuple(c.number for c in used)
    durations = tuple(int(c.benefit_days) for c in used if c.benefit_days is not None)
    censored = tuple(c.number for c in ok if c.censored)
    n = len(used)
    if n < params.trend_min_cycles:
        statement = (
            f"Not enough cycles to judge a trend: how long benefit lasted is known for {n} "
            f"{'cycle' if n == 1 else 'cycles'}, and at least {params.trend_min_cycles} are needed."
        )
        return BenefitTrend(
            "not_enough_cycles", statement, numbers, durations, censored, None, None, None, None, None
        )
    x = np.asarray(numbers, dtype=float)
    y = np.asarray(durations, dtype=float)
    slope, low, high = theil_sen(x, y)
    if np.all(y == y[0]):
        statement = f"Benefit lasted {durations[0]} days in each of the {n} cycles."
        return BenefitTrend(
            "no_clear_change", statement, numbers, durations, censored, slope, low, high, None, None
        )
    from scipy import stats

    tau, p_value = stats.kendalltau(x, y)
    direction: TrendDirection = "no_clear_change"
    if p_value < params.trend_alpha and abs(slope) * (x[-1] - x[0]) >= params.trend_min_change_days:
        direction = "shorter" if slope < 0 else "longer"
    if direction == "no_clear_change":
        statement = (
            f"No clear change in how long benefit lasts: between {min(durations)} and {max(durations)} "
            f"days over {n} cycles."
        )
    else:
        statement = (
            f"Benefit is getting {direction}: about {abs(slope):.1f} days "
            f"{'less' if slope < 0 else 'more'} with each cycle, from {durations[0]} days in cycle "
            f"{numbers[0]} to {durations[-1]} days in cycle {numbers[-1]} ({n} cycles)."
        )
    return BenefitTrend(
        direction, statement, numbers, durations, censored, slope, low, high, float(tau), float(p_value)
    )


def interval_fit(ok: Sequence[CycleResult], params: CycleParams) -> IntervalFit:
    """How long before the next injection benefit typically wears off (see the module docstring)."""
    used = [c for c in ok if c.worn_off_before_next_days is not None]
    numbers = tuple(c.number for c in used)
    gaps = tuple(int(c.worn_off_before_next_days) for c in used if c.worn_off_before_next_days is not None)
    threshold = float(params.wearing_off_gap_days)
    n = len(used)
    if n < params.interval_min_cycles:
        statement = (
            "Not enough completed cycles with benefit to compare it with the time between injections: "
            f"{n}, and at least {params.interval_min_cycles} are needed."
        )
        return IntervalFit(None, statement, numbers, gaps, None, threshold)
    typical = float(statistics.median(gaps))
    too_long = typical >= threshold
    if typical == 0:
        lasting = sum(1 for g in gaps if g == 0)
        statement = (
            f"Benefit typically lasts until the next injection ({lasting} of {n} cycles still had "
            "benefit when it came)."
        )
    else:
        statement = (
            f"Benefit typically wears off about {typical:g} days before the next injection (median of "
            f"{n} cycles; range {min(gaps)} to {max(gaps)} days)."
        )
    if too_long:
        statement += (
            f" That is {threshold:g} days or more, so the time between injections is longer than the "
            "benefit usually lasts."
        )
    return IntervalFit(too_long, statement, numbers, gaps, typical, threshold)


@dataclass(frozen=True)
class TypicalResponse:
    """The median course of several cycles, from their injection day.

    Attributes
    ----------
    day : tuple of int
        Day offsets ``0 .. L-1`` from the injection, L the longest cycle's length.
    median_improvement : tuple of float or None
        The median of the cycles' smoothed improvement on each day (series units); ``None`` on days
        where fewer than half of the cycles (or fewer than two) have a value.
    cycles_used : tuple of int
        Numbers of the cycles the median is taken over.
    """

    day: tuple[int, ...]
    median_improvement: tuple[float | None, ...]
    cycles_used: tuple[int, ...]


def median_curve(curves: Sequence[Sequence[float | None]], min_share: float = 0.5,
                 min_curves: int = 2) -> list[float | None]:
    """Day-by-day median of curves of different lengths with missing values (``None``).

    Parameters
    ----------
    curves : sequence of sequences of float or None
        One curve per cycle, day 0 first.
    min_share : float
        Smallest share of the curves that must have a value on a day for it to get a median (0-1).
    min_curves : int
        Fewest curves with a value on a day for it to get a median.

    Returns
    -------
    list of float or None
        As long as the longest curve.
    """
    if not 0.0 < min_share <= 1.0:
        raise ValueError("min_share must be in (0, 1]")
    length = max((len(c) for c in curves), default=0)
    need = max(min_curves, math.ceil(min_share * len(curves)))
    medians: list[float | None] = []
    for day in range(length):
        values = [c[day] for c in curves if day < len(c) and c[day] is not None and math.isfinite(c[day])]
        medians.append(statistics.median(values) if values and len(values) >= need else None)
    return medians


def typical_response(cycles: Sequence[CycleResult]) -> TypicalResponse | None:
    """The median smoothed course of the ``ok`` cycles (see the module docstring).

    ``None`` when fewer than two cycles have a smoothed curve: one cycle has no typical course.
    """
    used = [c for c in cycles if c.status == "ok" and any(v is not None for v in c.response.smoothed_improvement)]
    if len(used) < 2:
        return None
    medians = median_curve([c.response.smoothed_improvement for c in used])
    return TypicalResponse(day=tuple(range(len(medians))), median_improvement=tuple(medians),
                           cycles_used=tuple(c.number for c in used))
