"""Cycle analytics: input rules, cycle grouping, insufficient data and the shape of the results."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from tests.clinical.cycle_truth import ResponseCurve, true_events
from torsion.clinical.cycles import CycleInputError, CycleParams, analyse_cycles

D0 = date(2025, 1, 6)
CURVE = ResponseCurve(4.0, rise_mid_day=10.0, rise_scale_days=2.0, fall_mid_day=60.0, fall_scale_days=4.0)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def make_series(injection_days, first, last, *, level=6.0, sign=-1.0, curve=CURVE, skip=()):
    """Noise-free daily values from day ``first`` to ``last`` (offsets from D0), without ``skip``."""
    offsets = np.arange(first, last + 1)
    benefit = sum((curve.improvement(offsets - d) for d in injection_days), np.zeros(offsets.size))
    values = level + sign * benefit
    return [(day(int(d)), float(v)) for d, v in zip(offsets, values) if int(d) not in set(skip)]


def test_baseline_is_the_mean_of_the_seven_days_before_the_injection():
    series = make_series([0], 0, 89)
    before = [(day(-10), 100.0), (day(-9), 100.0), (day(-8), 100.0)]
    before += [(day(d), v) for d, v in zip(range(-7, 0), [5.0, 6.0, 7.0, 6.0, 5.0, 6.0, 7.0])]
    cycle = analyse_cycles([day(0)], before + series).cycles[0]
    assert cycle.baseline == pytest.approx(6.0, abs=1e-12)
    assert cycle.baseline_points == 7
    # The response is the improvement over the baseline: baseline minus value, higher being worse.
    values = dict(series)
    for offset, raw in zip(cycle.response.day, cycle.response.raw_improvement):
        assert raw == pytest.approx(cycle.baseline - values[day(offset)], abs=1e-12)


def test_a_clean_cycle_is_measured_as_defined():
    cycle = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 179)).cycles[0]
    onset, peak_day, wearing_off, peak = true_events(CURVE.improvement(np.arange(90)), CycleParams())
    assert (onset, peak_day, wearing_off) == (8, 34, 61)
    assert cycle.status == "ok" and cycle.reason is None and cycle.responded
    assert abs(cycle.onset_day - onset) <= 1
    assert abs(cycle.peak_day - peak_day) <= 1
    assert abs(cycle.wearing_off_day - wearing_off) <= 1
    assert cycle.peak_improvement == pytest.approx(peak, rel=0.01)
    assert cycle.peak_improvement_pct == pytest.approx(100 * cycle.peak_improvement / 6.0)
    assert cycle.benefit_days == cycle.wearing_off_day - cycle.onset_day
    assert cycle.benefit_pct_of_interval == pytest.approx(100 * cycle.benefit_days / 90)
    assert cycle.worn_off_before_next_days == 90 - cycle.wearing_off_day
    assert cycle.censored is False
    assert (cycle.interval_days, cycle.length_days, cycle.end) == (90, 90, day(89))
    assert cycle.noise_sd < 0.1  # no noise: only where the line cannot follow the bend of the rise
    assert cycle.response.day == tuple(range(90))


def test_higher_is_better_series_gives_the_same_measures():
    worse = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 179)).cycles[0]
    better = analyse_cycles(
        [day(0), day(90)], make_series([0, 90], -7, 179, level=20.0, sign=1.0), higher_is_worse=False
    ).cycles[0]
    assert (better.onset_day, better.peak_day, better.wearing_off_day) == (
        worse.onset_day,
        worse.peak_day,
        worse.wearing_off_day,
    )
    assert better.peak_improvement == pytest.approx(worse.peak_improvement, abs=1e-9)
    assert better.peak_improvement_pct == pytest.approx(100 * better.peak_improvement / 20.0)


@pytest.mark.parametrize(
    ("first_value_day", "reason"),
    [
        (0, "There are values for 0 of the 7 days before the injection; at least 4 are needed to know how "
         "things were before it."),
        (-3, "There are values for 3 of the 7 days before the injection; at least 4 are needed to know how "
         "things were before it."),
    ],
)
def test_too_few_baseline_values_make_the_cycle_insufficient_without_numbers(first_value_day, reason):
    cycle = analyse_cycles([day(0)], make_series([0], first_value_day, 89)).cycles[0]
    assert cycle.status == "insufficient_data"
    assert cycle.reason == reason
    assert cycle.baseline is None
    for name in ("noise_sd", "responded", "onset_day", "peak_day", "peak_improvement",
                 "peak_improvement_pct", "wearing_off_day", "benefit_days", "benefit_pct_of_interval",
                 "censored", "worn_off_before_next_days"):
        assert getattr(cycle, name) is None, name
    assert cycle.response.day == ()


@pytest.mark.parametrize(
    ("skip", "reason"),
    [
        (
            [d for d in range(90) if d % 5 in (1, 2, 3)],
            "Values were recorded on 36 of the 90 days of this cycle (40 %); at least 50 % of days are "
            "needed.",
        ),
        (
            range(20, 42),
            "There are no values from day 20 to day 41 after the injection (22 days in a row); with gaps "
            "longer than 14 days the course of the effect cannot be followed.",
        ),
        (
            range(0, 15),
            "There are no values from day 0 to day 14 after the injection (15 days in a row); with gaps "
            "longer than 14 days the course of the effect cannot be followed.",
        ),
        (range(0, 90), "No values were recorded during this cycle."),
    ],
    ids=["sparse", "long-gap", "gap-from-injection", "no-values"],
)
def test_data_checks_give_a_reason(skip, reason):
    series = make_series([0, 90], -7, 179, skip=skip)
    first = analyse_cycles([day(0), day(90)], series).cycles[0]
    assert first.status == "insufficient_data"
    assert first.reason == reason
    assert first.baseline == 6.0
    assert first.benefit_days is None and first.onset_day is None
    # The raw improvement is still there for the chart; the smoothed curve is not.
    assert first.response.smoothed_improvement == (None,) * 90
    assert sum(v is not None for v in first.response.raw_improvement) == first.observed_days


def test_a_gap_of_fourteen_days_is_still_analysed():
    cycle = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 179, skip=range(30, 44))).cycles[0]
    assert cycle.status == "ok"
    assert all(v is not None for v in cycle.response.smoothed_improvement)


def test_benefit_that_began_before_the_first_value_cannot_be_dated():
    # The response rises around day 10; values start only on day 13, when it is already well under way.
    series = make_series([0, 90], -7, 179, skip=range(0, 13))
    cycle = analyse_cycles([day(0), day(90)], series).cycles[0]
    assert cycle.status == "insufficient_data"
    assert cycle.reason == (
        "The improvement began while values were missing (no estimate from day 0 to day 12), so the day "
        "cannot be told."
    )
    assert cycle.baseline == 6.0
    assert cycle.response.smoothed_improvement == (None,) * 90


def test_benefit_already_present_on_the_first_day_after_a_missing_injection_day_cannot_be_dated():
    # Full benefit from the first value on (day 1), and no value on the injection day.
    sudden = ResponseCurve(4.0, rise_mid_day=-5.0, rise_scale_days=1.0, fall_mid_day=60.0, fall_scale_days=4)
    series = make_series([0, 90], -7, 179, skip=[0], curve=sudden)
    cycle = analyse_cycles([day(0), day(90)], series).cycles[0]
    assert cycle.reason == (
        "The improvement began while values were missing (no estimate for day 0), so the day cannot be told."
    )


def test_an_onset_inside_a_gap_is_estimated_with_a_note():
    cycle = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 179, skip=range(5, 12))).cycles[0]
    assert cycle.status == "ok"
    assert abs(cycle.onset_day - 8) <= 2
    assert (
        "The onset day fell in a gap without values (days 5 to 11); it is estimated from the values on "
        "either side."
    ) in cycle.notes


def test_injections_on_the_same_day_are_one_cycle():
    series = make_series([0, 90], -7, 179)
    once = analyse_cycles([day(0), day(90)], series)
    twice = analyse_cycles([day(0), day(0), day(90)], series)
    assert len(twice.cycles) == 2
    assert twice.cycles[0].notes == ("2 injections on 2025-01-06 are counted as one.",)
    assert twice.cycles[0].top_ups == ()
    same = {k: v for k, v in twice.cycles[0].to_dict().items() if k != "notes"}
    assert same == {k: v for k, v in once.cycles[0].to_dict().items() if k != "notes"}


def test_a_top_up_within_four_weeks_stays_in_the_cycle():
    series = make_series([0, 90], -7, 179)
    report = analyse_cycles([day(0), day(5), day(90)], series)
    assert [c.start for c in report.cycles] == [day(0), day(90)]
    first = report.cycles[0]
    assert first.top_ups == (day(5),)
    assert first.notes == (
        "The injection on 2025-01-11 (day 5) came less than 28 days after this cycle's first injection, so "
        "it is counted as a top-up within this cycle.",
    )
    assert first.interval_days == 90 and first.onset_day is not None


@pytest.mark.parametrize(("second", "cycles"), [(27, 1), (28, 2)])
def test_top_up_window_boundary(second, cycles):
    report = analyse_cycles([day(0), day(second)], make_series([0], -7, 120))
    assert len(report.cycles) == cycles


def test_top_ups_are_counted_from_the_first_injection_of_the_cycle_not_chained():
    report = analyse_cycles([day(0), day(20), day(40), day(130)], make_series([0, 40, 130], -7, 220))
    assert [c.start for c in report.cycles] == [day(0), day(40), day(130)]
    assert report.cycles[0].top_ups == (day(20),)


def test_the_latest_cycle_runs_to_the_last_value():
    report = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 150))
    last = report.cycles[-1]
    assert last.open_ended and last.next_injection is None and last.interval_days is None
    assert last.end == day(150) and last.length_days == 61
    assert last.notes == ("This is the latest injection: the cycle runs to the last recorded value.",)
    assert last.status == "ok"
    assert last.benefit_pct_of_interval is None and last.worn_off_before_next_days is None


def test_an_open_cycle_still_too_short_is_insufficient():
    last = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 109)).cycles[-1]
    assert last.status == "insufficient_data"
    assert last.reason == (
        "This cycle covers only 20 days; at least 28 are needed to see the effect of an injection."
    )


def test_cycles_after_the_series_ends_have_no_values():
    report = analyse_cycles([day(0), day(90), day(200)], make_series([0], -7, 89))
    second, third = report.cycles[1:]
    assert second.status == third.status == "insufficient_data"
    assert second.reason == "No values were recorded during this cycle."
    assert third.reason.startswith("There are values for 0 of the 7 days")
    assert third.end == third.start and third.length_days == 1


def test_a_series_that_starts_after_the_first_injection():
    report = analyse_cycles([day(0), day(90)], make_series([0, 90], 60, 179))
    assert [c.status for c in report.cycles] == ["insufficient_data", "ok"]


def test_analysis_stops_at_the_longest_cycle():
    params = CycleParams(max_cycle_days=100)
    report = analyse_cycles([day(0), day(150)], make_series([0, 150], -7, 400), params=params)
    first, last = report.cycles
    assert first.end == day(99) and first.interval_days == 150
    assert "Only the first 100 days after the injection are analysed." in first.notes
    assert first.worn_off_before_next_days is None  # the days before the next injection were not seen
    assert last.end == day(249)
    assert "Only the first 100 days after the injection are analysed." in last.notes


def test_benefit_still_present_at_the_next_injection_is_censored():
    report = analyse_cycles([day(0), day(50), day(140)], make_series([0, 50, 140], -7, 229))
    first = report.cycles[0]
    assert first.status == "ok" and first.censored is True
    assert first.wearing_off_day is None
    assert first.benefit_days == 50 - first.onset_day
    assert first.worn_off_before_next_days == 0
    assert first.benefit_pct_of_interval == pytest.approx(100 * first.benefit_days / 50)


@pytest.mark.parametrize(
    ("level", "sign", "higher_is_worse", "has_pct"),
    [
        (6.0, -1.0, True, True),  # a 0-10 score: never below zero
        (1.0, -1.0, True, False),  # crosses zero (a signed angle, say): no percentage
        (-20.0, 1.0, False, True),  # all values negative: the scale does not cross zero
    ],
)
def test_percent_of_baseline_only_when_the_scale_does_not_cross_zero(level, sign, higher_is_worse, has_pct):
    series = make_series([0, 90], -7, 179, level=level, sign=sign)
    cycle = analyse_cycles([day(0), day(90)], series, higher_is_worse=higher_is_worse).cycles[0]
    if has_pct:
        assert cycle.peak_improvement_pct == pytest.approx(100 * cycle.peak_improvement / abs(level))
    else:
        assert cycle.peak_improvement_pct is None


def test_input_order_does_not_matter():
    series = make_series([0, 90, 180], -7, 260)
    injections = [day(180), day(0), day(90)]
    shuffled = series[:]
    random.Random(3).shuffle(shuffled)
    expected = analyse_cycles(sorted(injections), series).to_dict()
    assert analyse_cycles(injections, shuffled).to_dict() == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_refused(bad):
    series = make_series([0], -7, 60)
    series[9] = (series[9][0], bad)
    message = r"^The value for 2025-01-08 is not a finite number \((nan|inf|-inf)\); give a number or leave"
    with pytest.raises(CycleInputError, match=message):
        analyse_cycles([day(0)], series)


def test_two_values_for_one_day_are_refused():
    series = make_series([0], -7, 60)
    series.append((day(2), 5.0))
    with pytest.raises(
        CycleInputError,
        match=r"^The series has more than one value for 2025-01-08; keep one value per day \(for example",
    ):
        analyse_cycles([day(0)], series)


@pytest.mark.parametrize(
    ("injections", "series", "message"),
    [
        ([datetime(2025, 1, 6, 9, 30)], [], "injection 1 must be a datetime.date, not datetime"),
        (["2025-01-06"], [], "injection 1 must be a datetime.date, not str"),
        ([D0], [(D0, "6")], "the value of series item 1 must be a number, not str"),
        ([D0], [(D0, True)], "the value of series item 1 must be a number, not bool"),
        ([D0], [(D0, None)], "the value of series item 1 must be a number, not NoneType"),
        ([D0], [("2025-01-06", 6.0)], "the date of series item 1 must be a datetime.date, not str"),
        ([D0], [(D0, 6.0, 1)], "series item 1 must be a"),
        ([D0], [6.0], "series item 1 must be a"),
    ],
)
def test_wrong_types_are_programming_errors(injections, series, message):
    with pytest.raises(TypeError, match=f"^{message}"):
        analyse_cycles(injections, series)


def test_numpy_numbers_are_accepted():
    series = [(d, np.float32(v)) for d, v in make_series([0], -7, 60)]
    assert analyse_cycles([day(0)], series).cycles[0].status == "ok"


def test_no_injections_and_no_values():
    empty = analyse_cycles([], make_series([], -7, 60))
    assert empty.cycles == []
    assert empty.comparison.trend.direction == "not_enough_cycles"
    assert empty.comparison.interval.too_long is None
    no_values = analyse_cycles([day(0), day(90)], [])
    assert [c.status for c in no_values.cycles] == ["insufficient_data"] * 2
    assert no_values.cycles[1].end == day(90)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(onset_fraction=0.6), "0 < onset_fraction <= wearing_off_fraction < 1 is required"),
        (dict(wearing_off_fraction=1.0), "0 < onset_fraction <= wearing_off_fraction < 1 is required"),
        (dict(smoothing_half_window_days=2.5), "smoothing_half_window_days must be an integer"),
        (dict(sustain_days=True), "sustain_days must be an integer"),
        (dict(min_coverage=0.0), r"min_coverage must be in \(0, 1\]"),
        (dict(min_improvement=math.nan), "min_improvement must be a finite number"),
        (dict(baseline_min_points=8), "baseline_min_points must be between 1 and baseline_days"),
        (dict(max_cycle_days=20), "max_cycle_days must be at least min_cycle_days"),
        (dict(trend_min_cycles=2), "trend_min_cycles must be at least 3"),
        (dict(max_gap_days=-1), "max_gap_days must not be negative"),
    ],
)
def test_parameters_are_checked(changes, message):
    with pytest.raises(ValueError, match=f"^CycleParams: {message}"):
        CycleParams(**changes)


def test_params_and_direction_are_type_checked():
    with pytest.raises(TypeError, match="params must be a CycleParams"):
        analyse_cycles([], [], params={"sustain_days": 3})
    with pytest.raises(TypeError, match="higher_is_worse must be True or False"):
        analyse_cycles([], [], higher_is_worse="yes")


def test_to_dict_is_json_ready_and_complete():
    report = analyse_cycles([day(0), day(90)], make_series([0, 90], -7, 170, skip=[3, 40]))
    out = report.to_dict()
    assert list(out) == ["cycles", "comparison"]
    first = out["cycles"][0]
    assert list(first) == [
        "number", "start", "end", "next_injection", "interval_days", "length_days", "open_ended",
        "top_ups", "status", "reason", "notes", "baseline", "baseline_points", "observed_days",
        "coverage", "noise_sd", "responded", "onset_day", "peak_day", "peak_improvement",
        "peak_improvement_pct", "wearing_off_day", "benefit_days", "benefit_pct_of_interval",
        "censored", "worn_off_before_next_days", "response",
    ]  # fmt: skip
    dates = (first["start"], first["end"], first["next_injection"])
    assert dates == ("2025-01-06", "2025-04-05", "2025-04-06")
    assert first["coverage"] == round(88 / 90, 4)
    assert first["response"]["raw_improvement"][3] is None
    assert first["response"]["smoothed_improvement"][3] is not None
    assert len(first["response"]["day"]) == 90
    assert all(
        v is None or v == round(v, 4)
        for v in first["response"]["raw_improvement"] + first["response"]["smoothed_improvement"]
    )
    assert list(out["comparison"]) == ["cycles_used", "trend", "interval"]
