"""Blink and spasm detection on synthetic openness series with known closures."""

import json

import numpy as np
import pytest

from tests.measures.blink_truth import (
    TrueClosure,
    frame_times,
    make_recording,
    true_time_below,
    with_duration,
)
from torsion.measures.blink import BlinkAnalysisError, BlinkParameters, analyse_blinks
from torsion.measures.timebase import frame_durations_s, tracked_segments
from torsion.measures.quality import UnusableRecording


# Half-depth durations around every boundary that matters: short blinks, 0.5 s either side, 1 s.
DURATIONS_S = [0.1, 0.15, 0.2, 0.3, 0.4, 0.48, 0.52, 0.8, 0.98, 1.2, 2.0]


def spread_closures(durations, *, first_s=1.0, spacing_s=3.37, **kwargs):
    return [with_duration(first_s + spacing_s * i, d, **kwargs) for i, d in enumerate(durations)]


def both_eyes(result):
    return [e for e in result.events if e.eye == "both"]


@pytest.mark.parametrize(
    ("fps", "jitter", "noise"),
    [(30, 0.0, 0.0), (30, 0.0, 0.03), (30, 0.4, 0.03), (60, 0.0, 0.03), (25, 0.3, 0.04), (15, 0.3, 0.02)],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_closure_is_found_with_durations_within_one_frame(fps, jitter, noise, seed):
    closures = spread_closures(DURATIONS_S)
    rec = make_recording(closures, frame_times(42, fps, jitter=jitter, seed=seed), noise=noise, seed=seed)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)

    found = both_eyes(result)
    assert len(found) == len(closures)
    assert len(result.events) == len(closures)  # nothing one-sided, nothing invented
    frame_s = (1 + jitter) / fps
    for event, truth in zip(found, closures):
        assert event.onset_s == pytest.approx(truth.onset_s, abs=frame_s)
        assert event.offset_s == pytest.approx(truth.offset_s, abs=frame_s)
        assert event.duration_s == pytest.approx(truth.duration_s, abs=frame_s)
        if truth.duration_s < 0.5:
            # At low frame rates the deepest moment of a short blink can fall between frames.
            assert event.kind in ("blink", "partial_blink")
        else:
            assert event.kind == "spasm"
    assert result.prolonged_closures == sum(d >= 0.5 for d in DURATIONS_S)
    assert result.blinks == sum(d < 0.5 for d in DURATIONS_S)
    assert result.longest_prolonged_closure_s == pytest.approx(2.0, abs=frame_s)


@pytest.mark.parametrize("duration_s", [0.45, 0.49, 0.51, 0.55])
def test_half_second_boundary_separates_blinks_from_spasms(duration_s):
    rec = make_recording([with_duration(2.0, duration_s)], frame_times(5, 30), noise=0.02)
    (event,) = analyse_blinks(rec.t_s, rec.ear, rec.tracked).events
    assert event.kind == ("spasm" if duration_s >= 0.5 else "blink")
    assert event.duration_s == pytest.approx(duration_s, abs=1 / 30)


def test_fluttering_cluster_is_resolved_into_single_closures_and_one_episode():
    # Five closures 0.2 s apart (5 Hz): the lid reopens only to about 0.88 between them.
    flutter = [TrueClosure(10.0 + 0.2 * k) for k in range(5)]
    lone = [TrueClosure(3.0), TrueClosure(20.0), TrueClosure(21.5)]
    rec = make_recording(flutter + lone, frame_times(30, 30, jitter=0.3), noise=0.03)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)

    assert result.blinks == 8
    found = [e for e in result.events if 9.5 < e.onset_s < 11.5]
    assert len(found) == 5
    for event, truth in zip(found, flutter):
        assert event.duration_s == pytest.approx(truth.duration_s, abs=1.3 / 30)
    (episode,) = result.flutter_episodes
    assert episode.n_closures == 5
    assert episode.onset_s == pytest.approx(flutter[0].onset_s, abs=1.3 / 30)
    assert episode.offset_s == pytest.approx(flutter[-1].offset_s, abs=1.3 / 30)
    # Two blinks 1.5 s apart are not fluttering.
    assert result.jankovic_frequency_estimate == 2


@pytest.mark.parametrize("jitter", [0.0, 0.5])
@pytest.mark.parametrize("noise", [0.02, 0.04])
def test_noise_alone_gives_no_blinks(noise, jitter):
    rec = make_recording([], frame_times(120, 30, jitter=jitter, seed=7), noise=noise, seed=11)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert result.events == []
    assert result.blink_rate_per_min == 0.0
    assert result.eye_closure_fraction == 0.0
    assert result.jankovic_frequency_estimate == 0
    assert result.open_ear_left == pytest.approx(0.32, rel=0.01)
    assert result.open_ear_right == pytest.approx(0.30, rel=0.01)


def test_single_frame_glitch_is_not_a_blink():
    t = frame_times(30, 30)
    rec = make_recording([], t)
    rec.ear[450] = [0.05, 0.05]
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert result.events == []


def test_blink_rate_counts_blinks_per_minute_of_tracked_time():
    closures = [TrueClosure(1.0 + 3.0 * k) for k in range(20)] + [with_duration(62.0, 0.9)]
    rec = make_recording(closures, frame_times(90, 30), noise=0.02)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert result.tracked_duration_s == pytest.approx(90.0)
    assert result.blinks == 20
    assert result.blink_rate_per_min == pytest.approx(20 / 1.5)
    assert result.prolonged_closures == 1
    assert result.prolonged_closures_per_min == pytest.approx(1 / 1.5)
    assert result.mean_blink_duration_s == pytest.approx(TrueClosure(0).duration_s, abs=0.005)


def test_eye_closure_fraction_matches_truth_when_eyes_are_mostly_closed():
    # Spasms of 2.8 s every 4 s: eyes closed about 70 % of the time.
    closures = [with_duration(0.5 + 4.0 * k, 2.8) for k in range(15)]
    rec = make_recording(closures, frame_times(61, 30, jitter=0.3), noise=0.03)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)

    truth = true_time_below(rec, 0.5) / (rec.t_s[-1] - rec.t_s[0])
    assert truth == pytest.approx(0.69, abs=0.02)
    assert result.eye_closure_fraction == pytest.approx(truth, abs=0.003)
    # The open-eye level is still found although the eyes are open only 30 % of the time.
    assert result.open_ear_left == pytest.approx(0.32, rel=0.01)
    assert result.prolonged_closures == 15
    assert result.jankovic_frequency_estimate == 4
    assert result.jankovic_frequency_basis == (
        f"Eyes closed {result.eye_closure_fraction:.0%} of the analysed time, more than 50%."
    )


def test_eyes_closed_almost_throughout_fall_back_to_typical_open_level_with_warning():
    rec = make_recording([with_duration(0.5, 29.0)], frame_times(30, 30), noise=0.02)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert any(
        w.startswith("The left eye looked closed for almost the whole recording") for w in result.warnings
    )
    assert result.open_ear_left == 0.30
    assert result.eye_closure_fraction > 0.9
    assert result.jankovic_frequency_estimate == 4


def test_closure_running_into_lost_tracking_is_listed_but_not_counted():
    closures = [TrueClosure(2.0), with_duration(10.0, 3.0), TrueClosure(20.0)]
    rec = make_recording(closures, frame_times(25, 30), noise=0.02, gaps=[(11.0, 12.0)])
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)

    kinds = [e.kind for e in result.events]
    assert kinds == ["blink", "interrupted", "interrupted", "blink"]
    first_part, second_part = result.events[1:3]
    # The seen parts end and start at the last and first tracked frames around the gap.
    assert first_part.onset_s == pytest.approx(closures[1].onset_s, abs=1 / 30)
    assert first_part.offset_s < 11.0 < 12.0 < second_part.onset_s
    assert second_part.offset_s == pytest.approx(closures[1].offset_s, abs=1 / 30)
    assert result.prolonged_closures == 0
    assert result.interrupted_closures == 2
    assert result.tracked_duration_s == pytest.approx(25.0 - 1.0, abs=2 / 30)
    assert any(w.startswith("2 eye closure(s) ran into the start or end") for w in result.warnings)
    assert any(
        w.startswith("The eyes could not be measured in 30 of 750 frames (1.0 s in 1 stretch(es))")
        for w in result.warnings
    )


def test_closures_cut_by_the_start_and_end_of_the_recording_are_interrupted():
    closures = [TrueClosure(-0.2, hold_s=0.5), TrueClosure(5.0), TrueClosure(9.8, hold_s=1.0)]
    rec = make_recording(closures, frame_times(10, 30))
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert [e.kind for e in result.events] == ["interrupted", "blink", "interrupted"]
    assert result.events[0].onset_s == 0.0
    assert result.events[-1].offset_s == pytest.approx(rec.t_s[-1])


def test_one_sided_closures_are_reported_per_eye_and_not_counted_as_blinks():
    closures = [TrueClosure(1.0 + 2.0 * k, eye="left") for k in range(6)]
    closures += [with_duration(15.0, 1.5, eye="right"), TrueClosure(20.0)]
    rec = make_recording(closures, frame_times(25, 30), noise=0.03)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)

    assert [(e.eye, e.kind) for e in result.events] == [("left", "blink")] * 6 + [
        ("right", "spasm"),
        ("both", "blink"),
    ]
    assert result.blinks == 1
    assert result.prolonged_closures == 0
    assert result.unilateral_closures("left") == 6
    assert result.unilateral_closures("right") == 1
    assert result.events[6].duration_s == pytest.approx(1.5, abs=1 / 30)
    assert result.eye_closure_fraction_right > result.eye_closure_fraction_left > result.eye_closure_fraction


def test_partial_closures_are_told_apart_from_complete_ones():
    closures = [
        TrueClosure(1.0, min_openness=0.6),
        TrueClosure(3.0, min_openness=0.3),
        with_duration(5.0, 0.8, min_openness=0.6),
        TrueClosure(8.0, min_openness=0.8),  # too shallow to count
    ]
    rec = make_recording(closures, frame_times(25, 30), noise=0.02)
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert [e.kind for e in result.events] == ["partial_blink", "blink", "partial_spasm"]
    assert result.blinks == 2
    assert result.partial_blinks == 1
    assert result.prolonged_closures == 0
    assert result.prolonged_partial_closures == 1
    assert result.eye_closure_fraction == pytest.approx(true_time_below(rec, 0.5) / 25.0, abs=0.002)


def test_flat_signal_warns_of_a_still_image():
    t = frame_times(30, 30)
    ear = np.tile([0.3, 0.3], (t.size, 1))
    result = analyse_blinks(t, ear, np.ones(t.size, bool))
    assert result.events == []
    assert result.blink_rate_per_min == 0.0
    assert "Eye openness did not change at all during the recording; this looks like a still image." in (
        result.warnings
    )


def test_recording_too_short_for_a_rate_says_so():
    rec = make_recording([TrueClosure(2.0), TrueClosure(6.0)], frame_times(10, 30))
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    assert result.blinks == 2
    assert result.blink_rate_per_min is None
    assert result.jankovic_frequency_estimate is None
    too_short = "Only 10.0 s could be analysed, too short for a blink rate (at least 20 s needed)."
    assert too_short in result.warnings
    assert result.to_dict()["blink_rate_per_min"] is None


def test_stall_between_frames_is_a_gap_not_time():
    t = np.concatenate([np.arange(0, 5, 1 / 30), 5.5 + np.arange(0, 5, 1 / 30)])
    durations = frame_durations_s(t, max_gap_s=0.2)
    assert durations.sum() == pytest.approx(10.0, abs=1e-9)
    usable = np.ones(t.size, bool)
    usable[10:12] = False
    assert tracked_segments(t, usable, max_gap_s=0.2) == [(0, 10), (12, 150), (150, 300)]


def test_to_dict_has_the_agreed_keys_and_is_plain_json():
    closures = [TrueClosure(1.0 + 2.5 * k) for k in range(9)] + [with_duration(24.0, 0.7)]
    rec = make_recording(closures, frame_times(30, 30), noise=0.02, gaps=[(28.0, 28.5)])
    result = analyse_blinks(rec.t_s, rec.ear, rec.tracked)
    summary = result.to_dict()
    for key in (
        "duration_s",
        "blinks",
        "blink_rate_per_min",
        "mean_blink_duration_s",
        "prolonged_closures",
        "eye_closure_fraction",
        "jankovic_frequency_estimate",
        "events",
        "warnings",
    ):
        assert key in summary
    assert "series" not in summary
    assert summary["blinks"] == 9 and summary["prolonged_closures"] == 1
    assert summary["blink_rate_per_min"] == pytest.approx(9 / (result.tracked_duration_s / 60), abs=0.01)
    assert set(summary["events"][0]) == {"onset_s", "offset_s", "duration_s", "kind", "eye", "min_openness"}
    full = result.to_dict(series=True)
    json.dumps(full, allow_nan=False)
    assert len(full["series"]["t_s"]) == len(full["series"]["openness"]) == rec.t_s.size
    gap_index = int(np.searchsorted(rec.t_s, 28.2))
    assert full["series"]["openness"][gap_index] is None and full["series"]["tracked"][gap_index] is False


def test_no_tracked_frames_raises_a_readable_error():
    t = frame_times(5, 30)
    with pytest.raises(BlinkAnalysisError, match="The eyes could not be measured in enough frames") as info:
        analyse_blinks(t, np.full((t.size, 2), np.nan), np.zeros(t.size, bool))
    assert isinstance(info.value, UnusableRecording) and info.value.reason == "eyes_not_measured"


def test_mismatched_inputs_raise():
    t = frame_times(5, 30)
    with pytest.raises(ValueError, match=r"expected t_s \(n,\), ear \(n, 2\) and tracked \(n,\)"):
        analyse_blinks(t, np.ones((t.size, 3)), np.ones(t.size, bool))
    with pytest.raises(ValueError, match="frame times must not decrease"):
        analyse_blinks(t[::-1], np.ones((t.size, 2)), np.ones(t.size, bool))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"closed_level": 1.2}, "closed_level must lie strictly between 0 and 1, got 1.2"),
        ({"min_depth": 0}, "min_depth must lie strictly between 0 and 1, got 0"),
        ({"spasm_min_s": -1}, "spasm_min_s must be positive, got -1"),
        ({"long_spasm_s": 0.3}, r"long_spasm_s \(0.3\) must not be shorter than spasm_min_s \(0.5\)"),
        ({"min_blink_s": 0.6}, r"min_blink_s \(0.6\) must be shorter than spasm_min_s \(0.5\)"),
        ({"flutter_min_blinks": 1}, "flutter_min_blinks must be at least 2, got 1"),
    ],
)
def test_invalid_parameters_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        BlinkParameters(**params)


def test_unknown_parameter_is_refused():
    t = frame_times(5, 30)
    with pytest.raises(TypeError, match="unexpected keyword argument 'threshold'"):
        analyse_blinks(t, np.ones((t.size, 2)), np.ones(t.size, bool), threshold=0.2)


def test_thresholds_are_parameters():
    rec = make_recording([with_duration(2.0, 0.4)], frame_times(5, 30))
    (event,) = analyse_blinks(rec.t_s, rec.ear, rec.tracked, spasm_min_s=0.3, long_spasm_s=0.3).events
    assert event.kind == "spasm"
