"""Botulinum-toxin cycle analytics: how much each injection helped, when, for how long, and the trend.

Input is a list of injection dates and one daily series of severity (diary scores 0-10, head rotation
in degrees, rating-scale totals: any one measure, one value per day at most). ``higher_is_worse``
gives its direction. Everything is computed in the series' own units, and improvement is always
positive when the person is better: ``baseline - value`` when higher is worse, ``value - baseline``
otherwise. Day offsets count from the injection day, day 0.

Background (clinical reference, section 5): benefit usually starts within one to two weeks, peaks
around four to six weeks and lasts about 11-12 weeks (longer for daxibotulinumtoxinA); re-injection
is usually no sooner than 12 weeks, and many people notice the effect wearing off before the next
one. This module measures exactly those things for one person. It gives no advice.

Method, per cycle (every threshold is a field of :class:`CycleParams`):

1. Cycles. Injection dates are sorted; several on one day count once. An injection less than
   ``top_up_window_days`` after the first injection of a cycle is a top-up and stays in that cycle
   (with a note); day 0 stays the first injection. A cycle runs to the day before the next cycle's
   injection, for at most ``max_cycle_days`` days; the latest cycle is open-ended and runs to the last
   recorded value.
2. Baseline: the mean of the values recorded in the ``baseline_days`` days before the injection
   (day -7 to day -1 by default); at least ``baseline_min_points`` values are needed.
3. Data checks: the cycle needs at least ``min_cycle_days`` days, values on at least ``min_coverage``
   of them, and no run of more than ``max_gap_days`` days without a value (counted from day 0). A
   cycle failing a check has status ``insufficient_data``, a ``reason`` sentence, and no measures.
4. Daily response: raw improvement per day with a value, and a smoothed improvement from tricube
   local linear regression over ``smoothing_half_window_days`` days each side (see
   :mod:`torsion.clinical.cycle_curve`). Missing days stay missing: no raw value is invented. The
   smoothed curve interpolates between values (straight across a gap wider than its window, up to
   ``max_gap_days``), never extrapolates before the first or after the last value of a cycle, and
   never reaches across an injection.
5. Peak improvement ``P``: the highest value, over the days, of the lower of two smoothings of the
   improvement, the ordinary one and a wider one (``peak_smoothing_half_window_days``). The top of a
   toxin response is broad, so the wider window costs little height; taking the lower of the two
   keeps day-to-day noise (which lifts the ordinary curve) and the straight-line overshoot of the
   wide window at the ends of a cycle from inflating the peak. An inflated peak would move the
   wearing-off threshold up and make benefit look shorter than it was.
6. Response: the cycle shows benefit when ``P > 0``, ``P >= min_improvement`` and
   ``P >= min_peak_to_noise * noise_sd``, where ``noise_sd`` is the day-to-day scatter of the raw
   values around the smoothed curve. Without benefit, onset, peak and wearing-off days are ``None``
   and ``benefit_days`` is 0.
7. Onset, peak and wearing-off days on the smoothed curve, as defined in
   :func:`torsion.clinical.cycle_curve.locate_events`: the peak day is the centre of the part of the
   curve above half the peak; onset is the first day of an improvement of at least ``onset_fraction``
   of ``P`` that holds for ``sustain_days`` days (or until the peak day); wearing-off is the first day
   after the peak day of a fall below ``wearing_off_fraction`` of ``P`` that holds for
   ``sustain_days`` days (or until the cycle ends). When the improvement is already above the
   onset threshold on the first day with a smoothed value after day 0 (the values start late), the
   onset cannot be dated and the cycle is ``insufficient_data``. An onset or wearing-off day inside
   a run of three or more days without values is kept, with a note that it was interpolated.
8. Duration: ``benefit_days`` = wearing-off day - onset day. Without a wearing-off day the benefit
   was still present at the end of the cycle: the cycle is ``censored`` and ``benefit_days`` counts
   to the last day with a smoothed value (a lower bound).

Across cycles (:func:`compare_cycles`, only cycles with status ``ok``): the trend of
``benefit_days`` over cycle numbers (Theil-Sen slope, Kendall's tau test), and how many days before
the next injection the benefit typically wears off (median).

Accuracy on synthetic cycles with known answers is measured in ``tests/clinical`` and summarised in
``docs/cycles.md``.
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from torsion.clinical.cycle_comparison import compare_cycles
from torsion.clinical.cycle_curve import SmoothedCurve, locate_events, smooth_local_linear
from torsion.clinical.cycle_types import (
    BenefitTrend,
    CycleComparison,
    CycleInputError,
    CycleParams,
    CycleReport,
    CycleResponse,
    CycleResult,
    CycleStatus,
    IntervalFit,
    TrendDirection,
)

__all__ = [
    "BenefitTrend",
    "CycleComparison",
    "CycleInputError",
    "CycleParams",
    "CycleReport",
    "CycleResponse",
    "CycleResult",
    "CycleStatus",
    "IntervalFit",
    "TrendDirection",
    "analyse_cycles",
    "compare_cycles",
]

logger = logging.getLogger(__name__)


def analyse_cycles(
    injections: Sequence[date],
    series: Sequence[tuple[date, float]],
    *,
    higher_is_worse: bool = True,
    params: CycleParams = CycleParams(),
) -> CycleReport:
    """Analyse every toxin cycle of one person against one daily series.

    Parameters
    ----------
    injections : sequence of datetime.date
        Injection dates, in any order; repeated dates count once.
    series : sequence of (datetime.date, float)
        At most one value per day, in any order; days without a value are simply absent.
    higher_is_worse : bool
        Direction of the series (True for symptom scores and head deviation in degrees).
    params : CycleParams
        Thresholds; see :class:`CycleParams`.

    Returns
    -------
    CycleReport
        One :class:`CycleResult` per cycle, in date order, and their :class:`CycleComparison`.

    Raises
    ------
    CycleInputError
        A value is not a finite number, or a day has two values.
    TypeError
        A date is not a ``datetime.date`` (a ``datetime`` is refused too), or a value not a number.
    """
    if not isinstance(params, CycleParams):
        raise TypeError("params must be a CycleParams")
    if not isinstance(higher_is_worse, (bool, np.bool_)):
        raise TypeError("higher_is_worse must be True or False")
    injection_days = sorted(_ordinal(d, f"injection {i + 1}") for i, d in enumerate(injections))
    days, values = _series_arrays(series)
    last_value_day = int(days[-1]) if days.size else None
    plans = _plan_cycles(injection_days, last_value_day, params)
    prepared = [_prepare(plan, days, values, higher_is_worse, params) for plan in plans]
    cycles = _finish_all(prepared, params)
    comparison = compare_cycles(cycles, params)
    logger.debug(
        "analysed %d cycles (%d ok) from %d injections and %d values",
        len(cycles),
        len(comparison.cycles_used),
        len(injection_days),
        days.size,
    )
    return CycleReport(cycles=cycles, comparison=comparison)


# --- input ------------------------------------------------------------------------------------------


def _ordinal(value: Any, what: str) -> int:
    if type(value) is not date and (isinstance(value, datetime) or not isinstance(value, date)):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value.toordinal()


def _number(value: Any, what: str) -> float:
    is_number = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if type(value) is not float and not is_number:
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    return float(value)


def _series_arrays(series: Iterable[tuple[date, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Validate the series and return its days (ordinals) and values, sorted by day."""
    pairs = list(series)
    for i, item in enumerate(pairs, start=1):
        if type(item) is not tuple or len(item) != 2:
            try:
                _, _ = item
            except (TypeError, ValueError):
                raise TypeError(f"series item {i} must be a (date, value) pair") from None
    given_days = [day for day, _ in pairs]
    values = [value for _, value in pairs]
    # Checking each item costs more than the whole analysis, so only unusual types are checked one by one.
    if not {type(day) for day in given_days} <= {date}:
        for i, day in enumerate(given_days, start=1):
            _ordinal(day, f"the date of series item {i}")
    if not {type(value) for value in values} <= {float, int}:
        for i, value in enumerate(values, start=1):
            _number(value, f"the value of series item {i}")
    days = [day.toordinal() for day in given_days]
    value_array = np.asarray(values, dtype=float)
    not_finite = np.flatnonzero(~np.isfinite(value_array))
    if not_finite.size:
        i = int(not_finite[0])
        raise CycleInputError(
            f"The value for {_iso(days[i])} is not a finite number ({values[i]}); "
            "give a number or leave that day out."
        )
    day_array = np.asarray(days, dtype=np.int64)
    order = np.argsort(day_array, kind="stable")
    day_array, value_array = day_array[order], value_array[order]
    repeated = np.flatnonzero(np.diff(day_array) == 0)
    if repeated.size:
        raise CycleInputError(
            f"The series has more than one value for {_iso(int(day_array[repeated[0]]))}; "
            "keep one value per day (for example their average)."
        )
    return day_array, value_array


# --- cycles -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CyclePlan:
    number: int
    start: int
    end: int
    next_start: int | None
    top_ups: tuple[int, ...]
    notes: tuple[str, ...]


def _plan_cycles(
    injection_days: list[int], last_value_day: int | None, params: CycleParams
) -> list[_CyclePlan]:
    """Group sorted injection days (ordinals) into cycles and fix each cycle's analysed span."""
    groups: list[list[int]] = []
    for day in injection_days:
        if groups and day - groups[-1][0] < params.top_up_window_days:
            groups[-1].append(day)
        else:
            groups.append([day])
    plans = []
    for number, group in enumerate(groups, start=1):
        start = group[0]
        notes = [
            f"{group.count(day)} injections on {_iso(day)} are counted as one."
            for day in sorted(set(group))
            if group.count(day) > 1
        ]
        top_ups = tuple(sorted(set(group) - {start}))
        notes += [
            f"The injection on {_iso(day)} (day {day - start}) came less than {params.top_up_window_days} "
            "days after this cycle's first injection, so it is counted as a top-up within this cycle."
            for day in top_ups
        ]
        limit = start + params.max_cycle_days - 1
        if number < len(groups):
            next_start: int | None = groups[number][0]
            natural_end = next_start - 1
        else:
            next_start = None
            natural_end = start if last_value_day is None else max(start, last_value_day)
            notes.append("This is the latest injection: the cycle runs to the last recorded value.")
        if natural_end > limit:
            notes.append(f"Only the first {params.max_cycle_days} days after the injection are analysed.")
        plans.append(_CyclePlan(number, start, min(natural_end, limit), next_start, top_ups, tuple(notes)))
    return plans


@dataclass
class _Prepared:
    """A cycle after the data checks: either finished (``result``) or waiting for its curve."""

    plan: _CyclePlan
    common: dict[str, Any]
    result: CycleResult | None = None
    baseline: float = math.nan
    raw: np.ndarray | None = None
    same_sign: bool = False


def _prepare(
    plan: _CyclePlan, days: np.ndarray, values: np.ndarray, higher_is_worse: bool, params: CycleParams
) -> _Prepared:
    """Baseline, raw improvement and data checks of one cycle."""
    length = plan.end - plan.start + 1
    lo, first, last = np.searchsorted(days, [plan.start - params.baseline_days, plan.start, plan.end + 1])
    before = values[lo:first]
    offsets = days[first:last] - plan.start
    in_cycle = values[first:last]
    common: dict[str, Any] = {
        "number": plan.number,
        "start": date.fromordinal(plan.start),
        "end": date.fromordinal(plan.end),
        "next_injection": None if plan.next_start is None else date.fromordinal(plan.next_start),
        "interval_days": None if plan.next_start is None else plan.next_start - plan.start,
        "length_days": length,
        "open_ended": plan.next_start is None,
        "top_ups": tuple(date.fromordinal(d) for d in plan.top_ups),
        "notes": plan.notes,
        "baseline_points": int(before.size),
        "observed_days": int(offsets.size),
        "coverage": offsets.size / length,
    }
    if before.size < params.baseline_min_points:
        reason = (
            f"There are values for {before.size} of the {params.baseline_days} days before the "
            f"injection; at least {params.baseline_min_points} are needed to know how things were "
            "before it."
        )
        return _Prepared(plan, common, result=_insufficient(common, reason, None, CycleResponse((), (), ())))
    baseline = float(np.mean(before))
    raw = np.full(length, np.nan)
    raw[offsets] = (baseline - in_cycle) if higher_is_worse else (in_cycle - baseline)
    reason = _coverage_problem(offsets, length, params)
    if reason is not None:
        response = CycleResponse(tuple(range(length)), _optional(raw), (None,) * length)
        return _Prepared(plan, common, result=_insufficient(common, reason, baseline, response))
    window = np.concatenate([before, in_cycle])
    same_sign = bool(np.all(window >= 0.0) or np.all(window <= 0.0))
    return _Prepared(plan, common, baseline=baseline, raw=raw, same_sign=same_sign)


def _coverage_problem(offsets: np.ndarray, length: int, params: CycleParams) -> str | None:
    """The first data check a cycle fails, as a sentence, or ``None``."""
    if offsets.size == 0:
        return "No values were recorded during this cycle."
    if length < params.min_cycle_days:
        return (
            f"This cycle covers only {length} days; at least {params.min_cycle_days} are needed to see "
            "the effect of an injection."
        )
    if offsets.size < params.min_coverage * length:
        return (
            f"Values were recorded on {offsets.size} of the {length} days of this cycle "
            f"({100.0 * offsets.size / length:.0f} %); at least {100.0 * params.min_coverage:.0f} % "
            "of days are needed."
        )
    edges = np.concatenate([[-1], offsets, [length]])
    runs = np.diff(edges) - 1
    longest = int(np.argmax(runs))
    if runs[longest] > params.max_gap_days:
        return (
            f"There are no values from day {int(edges[longest]) + 1} to day {int(edges[longest + 1]) - 1} "
            f"after the injection ({int(runs[longest])} days in a row); with gaps longer than "
            f"{params.max_gap_days} days the course of the effect cannot be followed."
        )
    return None


def _finish_all(prepared: list[_Prepared], params: CycleParams) -> list[CycleResult]:
    """Smooth all cycles that passed the checks in one pass, then measure each."""
    pending = [p for p in prepared if p.result is None]
    if pending:
        # One array for all cycles, NaN padding between them, so no window reaches across an injection.
        pad = max(
            params.smoothing_half_window_days, params.peak_smoothing_half_window_days, params.max_gap_days + 1
        )
        starts, pieces, position = [], [], 0
        for p in pending:
            assert p.raw is not None
            starts.append(position)
            pieces += [p.raw, np.full(pad, np.nan)]
            position += p.raw.size + pad
        joined = np.concatenate(pieces)
        curve = smooth_local_linear(joined, params.smoothing_half_window_days, params.max_gap_days)
        wide = smooth_local_linear(joined, params.peak_smoothing_half_window_days, params.max_gap_days)
        for p, at in zip(pending, starts):
            p.result = _measure(p, curve, wide, at, params)
    return [p.result for p in prepared if p.result is not None]


def _measure(
    p: _Prepared, curve: SmoothedCurve, wide: SmoothedCurve, at: int, params: CycleParams
) -> CycleResult:
    """Peak, response, onset, peak day and wearing-off of one cycle whose curve starts at ``at``."""
    assert p.raw is not None
    length = p.raw.size
    part = slice(at, at + length)
    smoothed, valid = curve.value[part], curve.valid[part]
    wide_valid = wide.valid[part]
    if not np.any(valid):
        reason = "The values are too scattered to draw the course of the effect."
        unsmoothed = CycleResponse(tuple(range(length)), _optional(p.raw), (None,) * length)
        return _insufficient(p.common, reason, p.baseline, unsmoothed)
    both = valid & wide_valid
    peak_source = np.minimum(smoothed[both], wide.value[part][both]) if np.any(both) else smoothed[valid]
    peak_improvement = float(np.max(peak_source))
    noise_sd = curve.noise_sd(at, at + length)
    response = CycleResponse(tuple(range(length)), _optional(p.raw), _optional(smoothed))
    interval = p.common["interval_days"]
    responded = bool(
        peak_improvement > 0.0
        and peak_improvement >= params.min_improvement
        and (noise_sd is None or peak_improvement >= params.min_peak_to_noise * noise_sd)
    )
    measures: dict[str, Any] = {
        "baseline": p.baseline,
        "noise_sd": noise_sd,
        "responded": responded,
        "peak_improvement": peak_improvement,
        "peak_improvement_pct": (
            100.0 * peak_improvement / abs(p.baseline) if p.same_sign and p.baseline != 0.0 else None
        ),
        "response": response,
    }
    if not responded:
        return CycleResult(
            **p.common,
            **measures,
            status="ok",
            reason=None,
            onset_day=None,
            peak_day=None,
            wearing_off_day=None,
            benefit_days=0,
            benefit_pct_of_interval=None if interval is None else 0.0,
            censored=False,
            worn_off_before_next_days=None,
        )
    events = locate_events(
        smoothed,
        valid,
        peak_improvement,
        onset_fraction=params.onset_fraction,
        wearing_off_fraction=params.wearing_off_fraction,
        sustain_days=params.sustain_days,
    )
    for day, bracketed, what in (
        (events.onset_day, events.onset_bracketed, "The improvement began"),
        (events.wearing_off_day, events.wearing_off_bracketed, "The benefit faded"),
    ):
        if not bracketed:
            assert day is not None
            earlier = np.flatnonzero(valid[:day])
            gap_from = int(earlier[-1]) + 1 if earlier.size else 0
            missing = f"from day {gap_from} to day {day - 1}"
            if gap_from == day - 1:
                missing = f"for day {gap_from}"
            reason = f"{what} while values were missing (no estimate {missing}), so the day cannot be told."
            unsmoothed = CycleResponse(response.day, response.raw_improvement, (None,) * length)
            return _insufficient(p.common, reason, p.baseline, unsmoothed)
    notes = list(p.common["notes"])
    for day, what in ((events.onset_day, "onset"), (events.wearing_off_day, "wearing-off")):
        gap = None if day is None else _missing_run(p.raw, day)
        if gap is not None:
            notes.append(
                f"The {what} day fell in a gap without values (days {gap[0]} to {gap[1]}); it is "
                "estimated from the values on either side."
            )
    common = p.common | {"notes": tuple(notes)}
    censored = events.wearing_off_day is None
    if events.wearing_off_day is None:
        benefit_days = int(np.flatnonzero(valid)[-1]) + 1 - events.onset_day
        worn_off_before_next = 0
    else:
        benefit_days = events.wearing_off_day - events.onset_day
        worn_off_before_next = None if interval is None else interval - events.wearing_off_day
    to_next = p.plan.next_start is not None and p.plan.end == p.plan.next_start - 1
    return CycleResult(
        **common,
        **measures,
        status="ok",
        reason=None,
        onset_day=events.onset_day,
        peak_day=events.peak_day,
        wearing_off_day=events.wearing_off_day,
        benefit_days=benefit_days,
        benefit_pct_of_interval=None if interval is None else 100.0 * benefit_days / interval,
        censored=censored,
        worn_off_before_next_days=worn_off_before_next if to_next else None,
    )


def _insufficient(
    common: dict[str, Any], reason: str, baseline: float | None, response: CycleResponse
) -> CycleResult:
    return CycleResult(
        **common,
        status="insufficient_data",
        reason=reason,
        baseline=baseline,
        noise_sd=None,
        responded=None,
        onset_day=None,
        peak_day=None,
        peak_improvement=None,
        peak_improvement_pct=None,
        wearing_off_day=None,
        benefit_days=None,
        benefit_pct_of_interval=None,
        censored=None,
        worn_off_before_next_days=None,
        response=response,
    )


def _missing_run(raw: np.ndarray, day: int, shortest: int = 3) -> tuple[int, int] | None:
    """First and last day of the run of at least ``shortest`` days without a value around ``day``."""
    if not math.isnan(raw[day]):
        return None
    first, last = day, day
    while first > 0 and math.isnan(raw[first - 1]):
        first -= 1
    while last + 1 < raw.size and math.isnan(raw[last + 1]):
        last += 1
    return (first, last) if last - first + 1 >= shortest else None


def _optional(values: np.ndarray) -> tuple[float | None, ...]:
    """Floats with ``None`` for NaN (days without a value)."""
    return tuple([None if v != v else v for v in values.tolist()])


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()
