"""Parameters and result types of the botulinum-toxin cycle analytics.

The method is described in :mod:`torsion.clinical.cycles`, which also re-exports everything here;
import from there. Every result has a ``to_dict()`` giving its JSON form: dates as ISO strings,
floats rounded to 4 decimals (results are never more precise than the data), tuples as lists.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal

CycleStatus = Literal["ok", "insufficient_data"]
TrendDirection = Literal["shorter", "longer", "no_clear_change", "not_enough_cycles"]


class CycleInputError(ValueError):
    """The injections or the series cannot be analysed; the message says why in plain words."""


@dataclass(frozen=True)
class CycleParams:
    """Every threshold used by :func:`torsion.clinical.cycles.analyse_cycles`, with its default.

    Days are calendar days; improvements are in the series' units.

    Attributes
    ----------
    baseline_days : int
        The baseline is the mean of the values on the ``baseline_days`` days before the injection.
        Default 7.
    baseline_min_points : int
        Fewest values in that window for a baseline. Default 4 (more than half of a week).
    top_up_window_days : int
        An injection fewer than this many days after a cycle's first injection is a top-up within
        that cycle. Default 28.
    max_cycle_days : int
        Longest stretch analysed after an injection. Default 365.
    min_cycle_days : int
        Shortest cycle that can be analysed. Default 28.
    min_coverage : float
        Smallest fraction of a cycle's days that must have a value, 0-1. Default 0.5.
    max_gap_days : int
        Longest run of days without a value allowed inside a cycle (from day 0 on). Default 14.
    smoothing_half_window_days : int
        Half-width of the local linear smoother used for onset, peak and wearing-off days. Default 4
        (a 9-day window).
    peak_smoothing_half_window_days : int
        Half-width of the wider smoother used for the peak improvement. Default 10.
    onset_fraction : float
        Onset threshold, as a fraction of the peak improvement. Default 0.25.
    wearing_off_fraction : float
        Wearing-off threshold, as a fraction of the peak improvement. Default 0.5.
    sustain_days : int
        How long a crossing must hold to count. Default 7.
    min_improvement : float
        Smallest peak improvement that counts as benefit, in the series' units (set it to the
        smallest change that matters on that measure). Default 0.
    min_peak_to_noise : float
        Smallest ratio of peak improvement to day-to-day noise that counts as benefit. Default 2
        (on synthetic cycles, pure noise reaches it in about 1.4 % of cycles, and a response three
        times the noise nearly always does).
    trend_min_cycles : int
        Fewest uncensored ``ok`` cycles for a trend. Default 3 (at the default ``trend_alpha``, a
        trend can only be called with five or more).
    trend_alpha : float
        Significance level of Kendall's tau test for a trend. Default 0.05.
    trend_min_change_days : float
        Smallest change in ``benefit_days`` between the first and last cycle of a trend (from the
        slope) that is called shorter or longer. Default 7.
    interval_min_cycles : int
        Fewest completed ``ok`` cycles with benefit to judge the interval. Default 2.
    wearing_off_gap_days : float
        Median number of days between wearing-off and the next injection at or above which the
        interval is called longer than the benefit. Default 14.
    """

    baseline_days: int = 7
    baseline_min_points: int = 4
    top_up_window_days: int = 28
    max_cycle_days: int = 365
    min_cycle_days: int = 28
    min_coverage: float = 0.5
    max_gap_days: int = 14
    smoothing_half_window_days: int = 4
    peak_smoothing_half_window_days: int = 10
    onset_fraction: float = 0.25
    wearing_off_fraction: float = 0.5
    sustain_days: int = 7
    min_improvement: float = 0.0
    min_peak_to_noise: float = 2.0
    trend_min_cycles: int = 3
    trend_alpha: float = 0.05
    trend_min_change_days: float = 7.0
    interval_min_cycles: int = 2
    wearing_off_gap_days: float = 14.0

    def __post_init__(self) -> None:
        def need(condition: bool, message: str) -> None:
            if not condition:
                raise ValueError(f"CycleParams: {message}")

        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "int":
                need(isinstance(value, int) and not isinstance(value, bool), f"{f.name} must be an integer")
            else:
                need(
                    isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value),
                    f"{f.name} must be a finite number",
                )
        need(self.baseline_days >= 1, "baseline_days must be at least 1")
        need(
            1 <= self.baseline_min_points <= self.baseline_days,
            "baseline_min_points must be between 1 and baseline_days",
        )
        need(self.top_up_window_days >= 1, "top_up_window_days must be at least 1")
        need(self.min_cycle_days >= 2, "min_cycle_days must be at least 2")
        need(self.max_cycle_days >= self.min_cycle_days, "max_cycle_days must be at least min_cycle_days")
        need(0.0 < self.min_coverage <= 1.0, "min_coverage must be in (0, 1]")
        need(self.max_gap_days >= 0, "max_gap_days must not be negative")
        need(self.smoothing_half_window_days >= 1, "smoothing_half_window_days must be at least 1")
        need(
            self.peak_smoothing_half_window_days >= 1, "peak_smoothing_half_window_days must be at least 1"
        )
        need(
            0.0 < self.onset_fraction <= self.wearing_off_fraction < 1.0,
            "0 < onset_fraction <= wearing_off_fraction < 1 is required",
        )
        need(self.sustain_days >= 1, "sustain_days must be at least 1")
        need(self.min_improvement >= 0.0, "min_improvement must not be negative")
        need(self.min_peak_to_noise >= 0.0, "min_peak_to_noise must not be negative")
        need(self.trend_min_cycles >= 3, "trend_min_cycles must be at least 3")
        need(0.0 < self.trend_alpha < 1.0, "trend_alpha must be in (0, 1)")
        need(self.trend_min_change_days >= 0.0, "trend_min_change_days must not be negative")
        need(self.interval_min_cycles >= 1, "interval_min_cycles must be at least 1")
        need(self.wearing_off_gap_days >= 0.0, "wearing_off_gap_days must not be negative")


@dataclass(frozen=True)
class CycleResponse:
    """One cycle's daily response, for overlaying cycles from their injection day.

    Attributes
    ----------
    day : tuple of int, length L
        Day offsets ``0 .. L-1`` from the injection; empty when the cycle has no baseline.
    raw_improvement : tuple of float or None, length L
        Baseline minus value (higher is worse) or value minus baseline; ``None`` on days without a
        value. Series units.
    smoothed_improvement : tuple of float or None, length L
        The local linear smoothing of ``raw_improvement``; ``None`` where the curve is not defined and
        everywhere in an ``insufficient_data`` cycle.
    """

    day: tuple[int, ...]
    raw_improvement: tuple[float | None, ...]
    smoothed_improvement: tuple[float | None, ...]

    def to_dict(self) -> dict[str, list[Any]]:
        return {
            "day": list(self.day),
            "raw_improvement": [rounded(v) for v in self.raw_improvement],
            "smoothed_improvement": [rounded(v) for v in self.smoothed_improvement],
        }


@dataclass(frozen=True)
class CycleResult:
    """What one injection cycle did. Days are offsets from ``start`` (day 0); values in series units.

    Attributes
    ----------
    number : int
        1 for the first cycle, counting every cycle (also those with too little data).
    start : date
        The injection that opens the cycle.
    end : date
        The last day analysed (the day before the next cycle, the last recorded value, or the
        ``max_cycle_days`` limit).
    next_injection : date or None
        The injection that opens the next cycle; ``None`` for the latest cycle (``open_ended``).
    interval_days : int or None
        Days from ``start`` to ``next_injection``.
    length_days : int
        Days analysed: ``(end - start).days + 1``.
    open_ended : bool
        No later injection is known.
    top_ups : tuple of date
        Later injections counted within this cycle.
    status : {"ok", "insufficient_data"}
    reason : str or None
        Why the cycle could not be analysed (``insufficient_data`` only).
    notes : tuple of str
        Decisions taken on the input (merged injections, limits).
    baseline : float or None
        Mean of the values in the ``baseline_days`` days before ``start``.
    baseline_points : int
        Values in that window.
    observed_days : int
        Days of the cycle with a value.
    coverage : float
        ``observed_days / length_days``.
    noise_sd : float or None
        Day-to-day scatter of the values around the smoothed curve (``ok`` cycles only).
    responded : bool or None
        Whether the cycle shows benefit (``ok`` cycles only).
    onset_day, peak_day, wearing_off_day : int or None
        See the module docstring; ``None`` without benefit, ``wearing_off_day`` also when censored.
    peak_improvement : float or None
        Peak improvement ``P``, also reported for a cycle without benefit.
    peak_improvement_pct : float or None
        ``100 * P / |baseline|``, given only when no value of the baseline window and the cycle is of
        the opposite sign to another (the scale does not cross zero) and the baseline is not 0.
    benefit_days : int or None
        Days with benefit: ``wearing_off_day - onset_day``; to the last smoothed day when censored;
        0 without benefit.
    benefit_pct_of_interval : float or None
        ``100 * benefit_days / interval_days`` (closed cycles only).
    censored : bool or None
        Benefit was still present at the end of the cycle, so ``benefit_days`` is a lower bound.
    worn_off_before_next_days : int or None
        ``interval_days - wearing_off_day``: days without benefit before the next injection; 0 when
        censored. Only for closed cycles with benefit, analysed up to the next injection.
    response : CycleResponse
        The daily response curve.
    """

    number: int
    start: date
    end: date
    next_injection: date | None
    interval_days: int | None
    length_days: int
    open_ended: bool
    top_ups: tuple[date, ...]
    status: CycleStatus
    reason: str | None
    notes: tuple[str, ...]
    baseline: float | None
    baseline_points: int
    observed_days: int
    coverage: float
    noise_sd: float | None
    responded: bool | None
    onset_day: int | None
    peak_day: int | None
    peak_improvement: float | None
    peak_improvement_pct: float | None
    wearing_off_day: int | None
    benefit_days: int | None
    benefit_pct_of_interval: float | None
    censored: bool | None
    worn_off_before_next_days: int | None
    response: CycleResponse

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: dates as ISO strings, floats rounded to 4 decimals, the response nested."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, float):
                value = rounded(value)
            elif f.name == "top_ups":
                value = [d.isoformat() for d in value]
            elif f.name == "notes":
                value = list(value)
            elif f.name == "response":
                value = value.to_dict()
            out[f.name] = value
        return out


@dataclass(frozen=True)
class BenefitTrend:
    """Is benefit getting shorter? From ``ok`` cycles whose benefit ended before the cycle did.

    Attributes
    ----------
    direction : {"shorter", "longer", "no_clear_change", "not_enough_cycles"}
        The rule is in :mod:`torsion.clinical.cycle_comparison`.
    statement : str
        The finding in plain words, with its numbers.
    cycle_numbers, benefit_days : tuple of int
        The cycles used and their ``benefit_days``.
    censored_cycles : tuple of int
        ``ok`` cycles left out because benefit outlasted the cycle.
    slope_days_per_cycle, slope_low, slope_high : float or None
        Theil-Sen slope of ``benefit_days`` per cycle number (days per cycle) and its 95 % interval.
    kendall_tau, p_value : float or None
        Kendall's tau-b and its two-sided p-value (``None`` when all durations are equal).
    """

    direction: TrendDirection
    statement: str
    cycle_numbers: tuple[int, ...]
    benefit_days: tuple[int, ...]
    censored_cycles: tuple[int, ...]
    slope_days_per_cycle: float | None
    slope_low: float | None
    slope_high: float | None
    kendall_tau: float | None
    p_value: float | None

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass(frozen=True)
class IntervalFit:
    """Does benefit last until the next injection? From completed ``ok`` cycles with benefit.

    Attributes
    ----------
    too_long : bool or None
        The median of ``worn_off_before_next_days`` is at least ``threshold_days``; ``None`` with
        fewer than ``interval_min_cycles`` cycles.
    statement : str
        The finding in plain words, with its numbers.
    cycle_numbers, worn_off_before_next_days : tuple of int
        The cycles used and, for each, the days between wearing-off and the next injection (0 when
        benefit lasted until it).
    typical_days : float or None
        Median of ``worn_off_before_next_days``, days.
    threshold_days : float
        ``wearing_off_gap_days``.
    """

    too_long: bool | None
    statement: str
    cycle_numbers: tuple[int, ...]
    worn_off_before_next_days: tuple[int, ...]
    typical_days: float | None
    threshold_days: float

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass(frozen=True)
class CycleComparison:
    """How the cycles compare; ``cycles_used`` lists the ``ok`` cycles the comparison could draw on."""

    cycles_used: tuple[int, ...]
    trend: BenefitTrend
    interval: IntervalFit

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycles_used": list(self.cycles_used),
            "trend": self.trend.to_dict(),
            "interval": self.interval.to_dict(),
        }


@dataclass(frozen=True)
class CycleReport:
    """All cycles in date order, and their comparison."""

    cycles: list[CycleResult]
    comparison: CycleComparison

    def to_dict(self) -> dict[str, Any]:
        """``{"cycles": [...], "comparison": {...}}``: the ``torsion cycles --json`` output."""
        return {"cycles": [c.to_dict() for c in self.cycles], "comparison": self.comparison.to_dict()}


def rounded(value: float | None, decimals: int = 4) -> float | None:
    """``value`` rounded for JSON output (results are never more precise than the data)."""
    return None if value is None else round(float(value), decimals)


def plain_dict(obj: Any) -> dict[str, Any]:
    """JSON-ready dict of a flat result dataclass: tuples become lists, floats are rounded."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float):
            value = rounded(value)
        out[f.name] = value
    return out
