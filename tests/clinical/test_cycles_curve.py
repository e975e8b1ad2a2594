"""The numerical steps of the cycle analytics: local linear smoothing and the onset/peak/wearing-off rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from torsion.clinical.cycle_curve import locate_events, smooth_local_linear


def weighted_line_at_centre(y: np.ndarray, day: int, h: int) -> float:
    """Reference: fit a line by weighted least squares with numpy.polyfit and evaluate it at ``day``."""
    lo, hi = max(0, day - h), min(y.size, day + h + 1)
    x = np.arange(lo, hi)
    keep = ~np.isnan(y[lo:hi])
    weights = (1 - np.abs((x[keep] - day) / (h + 1)) ** 3) ** 3
    slope, intercept = np.polyfit(x[keep] - day, y[lo:hi][keep], 1, w=np.sqrt(weights))
    return float(intercept)


@pytest.mark.parametrize("seed", range(5))
def test_smoothing_matches_weighted_least_squares(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=70)
    y[rng.random(70) < 0.3] = np.nan
    curve = smooth_local_linear(y, 4)
    assert curve.valid.sum() > 40
    for day in np.flatnonzero(curve.fitted):
        assert curve.value[day] == pytest.approx(weighted_line_at_centre(y, int(day), 4), abs=1e-9)


def test_straight_line_is_reproduced_exactly_even_with_gaps_and_at_the_edges():
    y = 2.5 - 0.3 * np.arange(40.0)
    y[[0, 5, 6, 7, 20, 38]] = np.nan
    curve = smooth_local_linear(y, 4)
    expected = 2.5 - 0.3 * np.arange(40.0)
    # Day 0 has no value and nothing before it, so it has no estimate.
    assert not curve.valid[0]
    assert curve.valid[1:].all()
    np.testing.assert_allclose(curve.value[1:], expected[1:], atol=1e-12)


def test_never_extrapolates_beyond_the_first_and_last_value():
    y = np.full(30, np.nan)
    y[5:20] = 1.0
    curve = smooth_local_linear(y, 4)
    assert np.flatnonzero(curve.valid).tolist() == list(range(5, 20))


def test_gap_wider_than_the_window_is_bridged_by_a_straight_line_up_to_the_limit():
    y = np.arange(60.0)
    y[20:32] = np.nan  # 12 missing days: no day in the gap has values within 4 days on both sides
    curve = smooth_local_linear(y, 4, bridge_days=14)
    assert np.flatnonzero(~curve.fitted).tolist() == list(range(20, 32))
    assert curve.valid.all()
    np.testing.assert_allclose(curve.value, np.arange(60.0), atol=1e-12)
    assert np.flatnonzero(~smooth_local_linear(y, 4, bridge_days=11).valid).tolist() == list(range(20, 32))
    assert smooth_local_linear(y, 4, bridge_days=12).valid.all()


def test_noise_estimate_is_close_to_the_true_noise():
    rng = np.random.default_rng(7)
    day = np.arange(2000.0)
    y = 3 * np.sin(day / 30) + rng.normal(0, 0.8, day.size)
    y[rng.random(day.size) < 0.25] = np.nan
    assert smooth_local_linear(y, 4).noise_sd() == pytest.approx(0.8, rel=0.05)


def test_noise_estimate_needs_three_residuals():
    y = np.full(20, np.nan)
    y[[3, 5]] = [1.0, 2.0]
    assert smooth_local_linear(y, 4).noise_sd() is None


def events(values, peak=None, sustain=3, valid=None):
    array = np.asarray(values, dtype=float)
    mask = ~np.isnan(array) if valid is None else np.asarray(valid)
    return locate_events(
        array,
        mask,
        max(v for v in values if not math.isnan(v)) if peak is None else peak,
        onset_fraction=0.25,
        wearing_off_fraction=0.5,
        sustain_days=sustain,
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Symmetric peak: the centre is the maximum (day 4); 25 % of 4 is 1, reached on day 2;
        # half is 2 (day 5 is at it, not below), and the fall below it from day 6 lasts.
        ([0, 0, 1, 2, 4, 2, 1, 0, 0, 0], (2, 4, 6)),
        # Flat top from day 3 to day 7: the peak day is its middle, day 5.
        ([0, 0, 1, 4, 4, 4, 4, 4, 1, 0, 0, 0], (2, 5, 8)),
        # An early blip above the onset threshold that does not last is not the onset.
        ([0, 2, 0, 0, 0, 1, 3, 4, 3, 1, 0, 0, 0], (5, 7, 9)),
        # A brief dip below half on day 7, after the peak day, is not wearing-off; the lasting fall
        # from day 9 is.
        ([0, 1, 4, 4, 4, 4, 4, 1, 4, 0, 0, 0, 0, 0, 0], (1, 5, 9)),
        # A day exactly at half the peak still has benefit: the fall from day 5 does not last, since
        # day 6 is back at half; the lasting one starts on day 7.
        ([0, 1, 4, 4, 4, 1, 2, 0, 0, 0, 0], (1, 3, 7)),
        # Benefit still present at the end: no wearing-off day.
        ([0, 0, 2, 4, 4, 4, 4], (2, 5, None)),
        # A fall at the very end counts when it holds for the days that remain.
        ([0, 0, 2, 4, 4, 4, 4, 4, 1], (2, 5, 8)),
    ],
)
def test_event_rules_on_hand_made_curves(values, expected):
    found = events(values)
    assert (found.onset_day, found.peak_day, found.wearing_off_day) == expected
    assert found.onset_bracketed and found.wearing_off_bracketed


def test_peak_day_is_the_weighted_centre_of_the_curve_above_half_the_peak():
    # Above half (2): days 2..6 with excess 1, 2, 2, 1, 0 -> centre (2 + 6 + 8 + 5 + 0) / 6 = 3.5 -> 4
    found = events([0, 1, 3, 4, 4, 3, 2, 1, 0, 0, 0])
    assert found.peak_day == 4


def test_missing_days_are_skipped_by_the_rules():
    nan = math.nan
    found = events([0, 0, 1, nan, 4, nan, 4, 1, nan, 0, 0])
    assert (found.onset_day, found.peak_day, found.wearing_off_day) == (2, 5, 7)


def test_onset_right_after_a_stretch_without_values_is_not_bracketed():
    nan = math.nan
    found = events([nan, nan, nan, 2, 4, 4, 4, 1, 0, 0, 0])
    assert found.onset_day == 3
    assert not found.onset_bracketed
    assert events([2, 4, 4, 4, 1, 0, 0, 0]).onset_bracketed  # day 0 needs nothing before it


def test_wearing_off_right_after_a_stretch_without_values_is_not_bracketed():
    nan = math.nan
    found = events([0, 1, 4, 4, 4, nan, nan, 0, 0, 0, 0])
    assert found.wearing_off_day == 7
    assert not found.wearing_off_bracketed


def test_onset_falls_back_to_the_last_day_above_threshold_when_the_curve_dips_before_the_peak_day():
    # Two humps above half with a dip to 0 between them; the centre (day 5) sits in the dip. No day up
    # to day 5 starts a stretch that stays at or above 1 for 7 days or until day 5, so the onset is
    # the last day at or above 1 before it (day 3).
    found = events([0, 2, 4, 2, 0, 0, 0, 2, 4, 2, 0, 0, 0, 0], sustain=7)
    assert found.peak_day == 5
    assert found.onset_day == 3
