"""Comparison across cycles: the trend of benefit duration and how benefit fits the injection interval."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import stats

from tests.clinical.cycle_truth import ResponseCurve
from torsion.clinical.cycle_comparison import theil_sen
from torsion.clinical.cycles import CycleParams, CycleResult, analyse_cycles, compare_cycles

D0 = date(2024, 2, 5)


@pytest.fixture(scope="module")
def template() -> CycleResult:
    curve = ResponseCurve(4.0, 10.0, 2.0, 60.0, 4.0)
    days = np.arange(-7, 180)
    values = 6.0 - curve.improvement(days) - curve.improvement(days - 90)
    series = [(D0 + timedelta(days=int(d)), float(v)) for d, v in zip(days, values)]
    cycle = analyse_cycles([D0, D0 + timedelta(days=90)], series).cycles[0]
    assert cycle.status == "ok"
    return cycle


def cycles_with(template, benefit_days, censored=None, gaps=None, statuses=None, numbers=None):
    n = len(benefit_days)
    return [
        replace(
            template,
            number=(numbers or range(1, n + 1))[i],
            benefit_days=benefit_days[i],
            censored=bool(censored and censored[i]),
            worn_off_before_next_days=None if gaps is None else gaps[i],
            status=(statuses or ["ok"] * n)[i],
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(20))
def test_theil_sen_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 25))
    x = np.sort(rng.choice(np.arange(1, 60), size=n, replace=False)).astype(float)
    y = rng.integers(40, 100, size=n).astype(float)  # whole days: ties are common
    reference = stats.theilslopes(y, x, alpha=0.95)
    assert theil_sen(x, y) == pytest.approx((reference.slope, reference.low_slope, reference.high_slope))


@pytest.mark.parametrize(
    ("durations", "direction", "statement"),
    [
        (
            [80, 75, 70, 64, 60],
            "shorter",
            "Benefit is getting shorter: about 5.0 days less with each cycle, from 80 days in cycle 1 to 60 "
            "days in cycle 5 (5 cycles).",
        ),
        (
            [60, 66, 70, 75, 81],
            "longer",
            "Benefit is getting longer: about 5.0 days more with each cycle, from 60 days in cycle 1 to 81 "
            "days in cycle 5 (5 cycles).",
        ),
        # Four steadily shorter cycles: Kendall's test cannot reach p < 0.05 with four (p = 0.083).
        (
            [80, 75, 70, 64],
            "no_clear_change",
            "No clear change in how long benefit lasts: between 64 and 80 days over 4 cycles.",
        ),
        # A steady but small change (4 days in all) is not called a trend.
        (
            [80, 79, 78, 77, 76],
            "no_clear_change",
            "No clear change in how long benefit lasts: between 76 and 80 days over 5 cycles.",
        ),
        ([70, 70, 70], "no_clear_change", "Benefit lasted 70 days in each of the 3 cycles."),
        (
            [70, 60],
            "not_enough_cycles",
            "Not enough cycles to judge a trend: how long benefit lasted is known for 2 cycles, and at least "
            "3 are needed.",
        ),
    ],
)
def test_trend_of_benefit_duration(template, durations, direction, statement):
    trend = compare_cycles(cycles_with(template, durations), CycleParams()).trend
    assert trend.direction == direction
    assert trend.statement == statement
    assert trend.benefit_days == tuple(durations)
    if len(durations) >= 3:
        x = np.arange(1.0, len(durations) + 1)
        assert trend.slope_days_per_cycle == pytest.approx(stats.theilslopes(durations, x).slope)
        if len(set(durations)) > 1:
            tau, p = stats.kendalltau(x, durations)
            assert (trend.kendall_tau, trend.p_value) == pytest.approx((tau, p))
        else:
            assert trend.kendall_tau is None and trend.p_value is None


def test_trend_leaves_out_censored_and_insufficient_cycles_and_keeps_cycle_numbers(template):
    cycles = cycles_with(
        template,
        [90, 85, None, 80, 75, 70, 66],
        censored=[False, False, False, True, False, False, False],
        statuses=["ok", "ok", "insufficient_data", "ok", "ok", "ok", "ok"],
    )
    comparison = compare_cycles(cycles)
    assert comparison.cycles_used == (1, 2, 4, 5, 6, 7)
    trend = comparison.trend
    assert trend.cycle_numbers == (1, 2, 5, 6, 7)
    assert trend.censored_cycles == (4,)
    assert trend.direction == "shorter"
    assert trend.slope_days_per_cycle == pytest.approx(
        stats.theilslopes([90, 85, 75, 70, 66], [1, 2, 5, 6, 7]).slope
    )


def test_a_cycle_without_benefit_counts_as_zero_days(template):
    cycles = cycles_with(template, [70, 68, 72, 30, 0])
    cycles[-1] = replace(cycles[-1], responded=False)
    trend = compare_cycles(cycles).trend
    assert trend.benefit_days == (70, 68, 72, 30, 0)
    assert trend.direction == "no_clear_change"  # tau = -0.6, p = 0.23 with five cycles


@pytest.mark.parametrize(
    ("gaps", "too_long", "typical", "statement"),
    [
        (
            [18, 20, 25],
            True,
            20.0,
            "Benefit typically wears off about 20 days before the next injection (median of 3 cycles; range "
            "18 to 25 days). That is 14 days or more, so the time between injections is longer than the "
            "benefit usually lasts.",
        ),
        (
            [5, 8],
            False,
            6.5,
            "Benefit typically wears off about 6.5 days before the next injection (median of 2 cycles; range "
            "5 to 8 days).",
        ),
        (
            [0, 0, 5],
            False,
            0.0,
            "Benefit typically lasts until the next injection (2 of 3 cycles still had benefit when it "
            "came).",
        ),
        (
            [30],
            None,
            None,
            "Not enough completed cycles with benefit to compare it with the time between injections: 1, and "
            "at least 2 are needed.",
        ),
    ],
)
def test_interval_fit(template, gaps, too_long, typical, statement):
    interval = compare_cycles(cycles_with(template, [60] * len(gaps), gaps=gaps)).interval
    assert (interval.too_long, interval.typical_days, interval.statement) == (too_long, typical, statement)
    assert interval.worn_off_before_next_days == tuple(gaps)
    assert interval.threshold_days == 14.0


def test_interval_threshold_is_a_parameter(template):
    cycles = cycles_with(template, [60, 60], gaps=[10, 12])
    assert compare_cycles(cycles).interval.too_long is False
    assert compare_cycles(cycles, CycleParams(wearing_off_gap_days=11)).interval.too_long is True


def test_shortening_benefit_over_six_cycles_is_found_end_to_end():
    # Benefit fades six days earlier with each cycle; injections every 91 days.
    starts = [7 + 91 * k for k in range(6)]
    days = np.arange(starts[-1] + 91)
    rng = np.random.default_rng(5)
    severity = np.full(days.size, 6.5)
    for k, start in enumerate(starts):
        severity -= ResponseCurve(3.5, 10.0, 2.0, 75.0 - 6 * k, 4.0).improvement(days - start)
    severity += rng.normal(0, 0.1, days.size)
    series = [(D0 + timedelta(days=int(d)), float(severity[d])) for d in days]
    report = analyse_cycles([D0 + timedelta(days=s) for s in starts], series)
    assert [c.status for c in report.cycles] == ["ok"] * 6
    trend = report.comparison.trend
    assert trend.direction == "shorter"
    assert trend.slope_days_per_cycle == pytest.approx(-6.0, abs=1.0)
    assert trend.slope_low <= trend.slope_days_per_cycle <= trend.slope_high
    interval = report.comparison.interval
    assert interval.cycle_numbers == (1, 2, 3, 4, 5)  # the latest cycle has no next injection
    assert interval.too_long is True
    gaps = np.array(interval.worn_off_before_next_days)
    assert np.all(np.abs(np.diff(gaps) - 6) <= 2)  # each cycle wears off about 6 days sooner
