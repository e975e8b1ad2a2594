"""Face analysis: resting range, time outside it, distributions, gating and errors."""

import json

import numpy as np
import pytest

from torsion.measures.face import (
    FaceAnalysisError,
    FaceParameters,
    analyse_face,
    resting_range,
    weighted_quantile,
)
from torsion.measures.quality import UnusableRecording


def series(duration_s=20.0, fps=30.0):
    t = np.arange(int(round(duration_s * fps))) / fps
    return t, np.zeros((t.size, 3)), np.ones(t.size, bool)


def with_excursions(t, values, column, excursions):
    """Set ``values[:, column]`` to ``level`` during each (start_s, end_s, level)."""
    for start, end, level in excursions:
        values[(t >= start) & (t < end), column] = level
    return values


# Jaw at rest (0) apart from 3 s deviated to the person's right (+0.2) and 2 s to the left (-0.15).
JAW_EXCURSIONS = [(8.0, 11.0, 0.2), (14.0, 16.0, -0.15)]


@pytest.mark.parametrize("rest_s", [5.0, None])
def test_fraction_outside_resting_range_on_a_known_series(rest_s):
    t, values, tracked = series()
    values += np.random.default_rng(3).normal(0, 0.002, values.shape)
    with_excursions(t, values, 1, JAW_EXCURSIONS)
    result = analyse_face(t, values, tracked, rest_s=rest_s)

    jaw = result.features["jaw_deviation"]
    assert jaw.fraction_above_rest == pytest.approx(3 / 20)
    assert jaw.fraction_below_rest == pytest.approx(2 / 20)
    assert jaw.fraction_outside_rest == pytest.approx(5 / 20)
    # Jitter of 0.002 is far below the floor: the range is the floor around the rest centre.
    assert jaw.rest_low == pytest.approx(-0.02, abs=0.002)
    assert jaw.rest_high == pytest.approx(0.02, abs=0.002)
    assert jaw.p95 == pytest.approx(0.2, abs=0.01)
    assert jaw.p5 == pytest.approx(-0.15, abs=0.01)
    assert jaw.median == pytest.approx(0.0, abs=0.002)
    for name in ("mouth_opening", "lip_pull"):
        assert result.features[name].fraction_outside_rest == 0.0
    if rest_s is None:
        assert result.rest_method == "densest half of the recording"
        assert result.warnings == [
            "No neutral period was given: the resting range assumes the face was at rest at least half "
            "of the time."
        ]
    else:
        assert result.rest_method == "neutral period, first 5 s"
        assert result.warnings == []


@pytest.mark.parametrize("rest_s", [5.0, None])
def test_resting_range_widens_with_resting_spread(rest_s):
    rng = np.random.default_rng(5)
    values = rng.normal(0.1, 0.03, 6000)
    low, high = resting_range(values, FaceParameters(rest_s=rest_s))
    assert (low + high) / 2 == pytest.approx(0.1, abs=0.003)
    assert (high - low) / 2 == pytest.approx(3 * 0.03, rel=0.06)


def test_resting_range_from_the_recording_ignores_a_minority_of_deviated_time():
    rng = np.random.default_rng(6)
    values = np.concatenate([rng.normal(0.0, 0.005, 600), rng.normal(0.3, 0.005, 400)])
    low, high = resting_range(values, FaceParameters())
    assert (low + high) / 2 == pytest.approx(0.0, abs=0.002)
    assert high < 0.05


def test_neutral_period_defines_the_centre_even_when_deviation_dominates():
    t, values, tracked = series()
    with_excursions(t, values, 1, [(4.0, 20.0, 0.25)])  # deviated for 80 % of the recording
    result = analyse_face(t, values, tracked, rest_s=3.0)
    assert result.features["jaw_deviation"].fraction_above_rest == pytest.approx(0.8)


def test_time_weighting_with_variable_frame_rate():
    # 300 frames 1/30 s apart, then 150 frames 1/15 s apart with the jaw deviated: 10 s each.
    t = np.concatenate([np.arange(300) / 30, 10 + np.arange(150) / 15])
    values = np.zeros((t.size, 3))
    values[300:, 1] = 0.2
    result = analyse_face(t, values, np.ones(t.size, bool), rest_s=5.0)
    assert result.features["jaw_deviation"].fraction_above_rest == pytest.approx(0.5, abs=0.005)
    assert result.analysed_duration_s == pytest.approx(20.0, abs=0.07)


def test_weighted_quantile_matches_numpy_for_equal_weights_and_follows_weights():
    values = np.array([3.0, 1.0, 4.0, 1.5, 9.0, 2.6])
    for q in (0.05, 0.3, 0.5, 0.95):
        hazen = np.quantile(values, q, method="hazen")
        assert weighted_quantile(values, np.ones(6), q) == pytest.approx(hazen)
    # Value 1 holds three quarters of the time: positions 0.125 and 0.625.
    assert weighted_quantile(np.array([1.0, 0.0]), np.array([3.0, 1.0]), 0.5) == pytest.approx(0.75)
    assert weighted_quantile(np.array([1.0, 0.0]), np.array([3.0, 1.0]), 0.9) == 1.0


def test_strongly_turned_frames_are_left_out_with_a_warning():
    t, values, tracked = series(10.0)
    yaw = np.zeros(t.size)
    yaw[60:120] = 40.0  # 2 of 10 s turned away
    values[60:120, 1] = 0.5  # what a turned face might fake
    result = analyse_face(t, values, tracked, yaw_deg=yaw, rest_s=1.0)
    assert result.frames_analyzed == 240
    assert result.features["jaw_deviation"].fraction_outside_rest == 0.0
    assert result.warnings == [
        "The head was turned more than 30 degrees in 20% of the tracked frames; those frames were left out."
    ]
    assert analyse_face(t, values, tracked, yaw_deg=yaw, rest_s=1.0, max_yaw_deg=45).frames_analyzed == 300


def test_untracked_frames_are_not_interpolated():
    t, values, tracked = series(10.0)
    tracked[100:160] = False
    values[100:160] = np.nan
    result = analyse_face(t, values, tracked, rest_s=2.0)
    assert result.frames_analyzed == 240
    assert np.isnan(result.values[100:160]).all()
    assert result.analysed_duration_s == pytest.approx(8.0)


def test_to_dict_reports_each_feature_with_its_range_and_plain_json():
    t, values, tracked = series()
    with_excursions(t, values, 1, JAW_EXCURSIONS)
    result = analyse_face(t, values, tracked, rest_s=5.0)
    summary = result.to_dict()
    assert summary["frames_analyzed"] == 600 and summary["duration_s"] == pytest.approx(20.0)
    assert set(summary["jaw_deviation"]) == {
        "median",
        "p5",
        "p95",
        "resting_range",
        "fraction_outside_rest",
        "fraction_above_rest",
        "fraction_below_rest",
        "positive",
    }
    assert summary["jaw_deviation"]["positive"] == "chin towards the person's right"
    assert summary["jaw_deviation"]["fraction_outside_rest"] == 0.25
    assert "series" not in summary
    full = result.to_dict(series=True)
    json.dumps(full, allow_nan=False)
    assert len(full["series"]["jaw_deviation"]) == 600


def test_neutral_period_longer_than_the_recording_is_refused():
    t, values, tracked = series(5.0)
    message = r"The neutral period \(8 s\) is not shorter than the whole recording \(5.0 s\)"
    with pytest.raises(FaceAnalysisError, match=message):
        analyse_face(t, values, tracked, rest_s=8.0)


def test_neutral_period_without_tracked_face_is_refused():
    t, values, tracked = series(10.0)
    tracked[:60] = False
    message = r"too few frames of the neutral period \(the first 2 s\)"
    with pytest.raises(FaceAnalysisError, match=message) as info:
        analyse_face(t, values, tracked, rest_s=2.0)
    assert isinstance(info.value, UnusableRecording) and info.value.reason == "face_not_measured"


def test_no_tracked_face_is_refused():
    t, values, tracked = series(2.0)
    with pytest.raises(FaceAnalysisError, match="The face could not be measured in enough frames"):
        analyse_face(t, values, np.zeros(t.size, bool))


def test_mismatched_inputs_raise():
    t, values, tracked = series(2.0)
    with pytest.raises(ValueError, match=r"expected t_s \(n,\), features \(n, 3\) and tracked \(n,\)"):
        analyse_face(t, values[:, :2], tracked)
    with pytest.raises(ValueError, match=r"expected yaw_deg of shape \(60,\), got \(59,\)"):
        analyse_face(t, values, tracked, yaw_deg=np.zeros(59))
    with pytest.raises(ValueError, match="frame times must not decrease"):
        analyse_face(t[::-1], values, tracked)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rest_s": 0}, "rest_s must be positive, got 0"),
        ({"rest_k": -1}, "rest_k must be positive, got -1"),
        ({"min_rest_halfwidth": -0.1}, "min_rest_halfwidth must not be negative, got -0.1"),
        ({"min_rest_frames": 1}, "min_rest_frames must be at least 2, got 1"),
    ],
)
def test_invalid_parameters_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        FaceParameters(**params)
