"""Head posture and tremor: a real face photo moved along known trajectories, and the summaries."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from tests.measures import synthetic_video as sv
from torsion.measures.head import COLUMNS, NeutralPeriodError, analyse_head, extract_head, measure_head
from torsion.measures.headpose import angles_to_rotation
from torsion.measures.pipeline import FrameLandmarks, FrameSignals, track_video
from torsion.measures.reference_face import load_reference_face

FPS = 30.0
TREMOR_HZ = 3.0
TREMOR_KEYS = {"detected", "peak_frequency_hz", "amplitude_deg", "dominant_axis", "rhythmicity_cv"}


def imposed_roll_deg(t_s: np.ndarray) -> np.ndarray:
    """1 s held straight, then a slow tilt to the right (up to 10 deg) with a 3 Hz, +/-4 deg tremor."""
    moving = np.clip(t_s - 1.0, 0.0, None)
    tilt = 10.0 * np.sin(np.pi * moving / 8.0) + 4.0 * np.sin(2 * np.pi * TREMOR_HZ * moving)
    return np.where(t_s < 1.0, 0.0, tilt)


ROLL_T_S = np.arange(150) / FPS
ROLL_DEG = imposed_roll_deg(ROLL_T_S)
TURN_YAW_DEG = np.r_[25.0 * np.sin(np.linspace(0, 2 * np.pi, 45)), np.zeros(45)]
TURN_PITCH_DEG = np.r_[np.zeros(45), 12.0 * np.sin(np.linspace(0, 2 * np.pi, 45))]


def rolling_video():
    return sv.cached_video("roll-tremor.webm", lambda: sv.rolling_face_frames(ROLL_DEG), fps=FPS)


@pytest.fixture(scope="module")
def rolled():
    return measure_head(rolling_video(), neutral_s=1.0)


@pytest.fixture(scope="module")
def turned():
    path = sv.cached_video("turning.webm", lambda: sv.turning_face_frames(TURN_YAW_DEG, TURN_PITCH_DEG), fps=FPS)
    return measure_head(path)


@pytest.mark.slow
def test_roll_follows_an_image_plane_rotation_frame_by_frame(rolled):
    assert rolled.frames_total == 150
    assert rolled.tracked.all()
    error = rolled.series["roll_deg"] - ROLL_DEG
    assert np.abs(error).max() < 1.5
    moving = ROLL_T_S >= 1.0
    assert np.corrcoef(rolled.series["roll_deg"][moving], ROLL_DEG[moving])[0, 1] > 0.99
    # The photo's own tilt (about 3 deg toward her left shoulder) is the neutral that was removed.
    assert -5.0 < rolled.neutral["roll_deg"] < -1.0
    assert rolled.frames_analyzed == np.count_nonzero(moving)


@pytest.mark.slow
def test_imposed_oscillation_is_found_as_roll_tremor(rolled):
    tremor = rolled.tremor
    assert tremor.detected is True
    assert tremor.dominant_axis == "roll"
    assert tremor.peak_frequency_hz == pytest.approx(TREMOR_HZ, abs=0.2)
    assert tremor.amplitude_deg == pytest.approx(8.0, rel=0.25)


@pytest.mark.slow
def test_posture_summary_and_twstrs_for_a_tilt_to_the_right(rolled):
    roll = rolled.posture["roll_deg"]
    moving = ROLL_DEG[ROLL_T_S >= 1.0]
    assert roll["median"] == pytest.approx(np.median(moving), abs=1.5)
    assert roll["p95"] == pytest.approx(np.percentile(moving, 95), abs=1.5)
    latero = rolled.twstrs["laterocollis"]
    assert (latero.score, latero.direction) == (1, "right")
    assert rolled.twstrs["rotation"].score == 0


@pytest.mark.slow
def test_turning_in_depth_gives_yaw_and_pitch_with_the_right_signs(turned):
    assert turned.tracked.all()
    yaw, pitch = turned.series["yaw_deg"], turned.series["pitch_deg"]
    turning, nodding = slice(0, 45), slice(45, 90)
    assert np.corrcoef(yaw[turning], TURN_YAW_DEG[turning])[0, 1] > 0.97
    assert np.corrcoef(pitch[nodding], TURN_PITCH_DEG[nodding])[0, 1] > 0.97
    # Chin toward her right shoulder reads positive yaw; chin down reads positive pitch.
    assert yaw[np.argmax(TURN_YAW_DEG)] > 10.0 and yaw[np.argmin(TURN_YAW_DEG)] < -10.0
    assert pitch[45 + np.argmax(TURN_PITCH_DEG[nodding])] > 5.0
    assert pitch[45 + np.argmin(TURN_PITCH_DEG[nodding])] < -5.0
    slope_yaw = np.polyfit(TURN_YAW_DEG[turning], yaw[turning], 1)[0]
    slope_pitch = np.polyfit(TURN_PITCH_DEG[nodding], pitch[nodding], 1)[0]
    assert 0.5 < slope_yaw < 1.2 and 0.5 < slope_pitch < 1.2


@pytest.mark.slow
def test_memory_does_not_grow_with_video_length():
    still = lambda n: lambda: sv.rolling_face_frames(np.zeros(n))  # noqa: E731
    short = sv.cached_video("still-60.webm", still(60), fps=FPS)
    long = sv.cached_video("still-300.webm", still(300), fps=FPS)
    peaks = []
    for path in (short, long):
        tracemalloc.start()
        signals = track_video(path, extract_head, COLUMNS, pose=True)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert signals.frames_analyzed == signals.frames_total
    # 240 more frames of 320 x 240 RGB would be 55 MB if kept; the signal table grows ~20 kB.
    assert peaks[1] - peaks[0] < 1_000_000


def synthetic_frame(yaw=0.0, pitch=0.0, roll=0.0, head_x=320.0, shoulders=((400.0, 420.0), (240.0, 420.0))):
    """A frame with the reference face at 80 px per unit and Pose shoulders (left, right) in pixels."""
    reference = load_reference_face()
    face = 80.0 * reference.landmarks @ angles_to_rotation(yaw, pitch, roll).T + [head_x, 200.0, 0.0]
    body = np.zeros((33, 4))
    body[:, 3] = 1.0
    body[11, :2], body[12, :2] = shoulders
    body[[7, 8], 2] = -40.0  # ears 40 px (x scale) nearer the camera than the shoulders
    return FrameLandmarks(
        index=0, t_s=0.0, width=640, height=480, face_px=np.vstack([face, np.zeros((10, 3))]),
        n_faces=1, pose_px=body, mean_luma=120.0,
    )


def test_extract_head_angles_and_normalised_shifts():
    values = dict(zip(COLUMNS, extract_head(synthetic_frame(yaw=20, pitch=-10, roll=5)), strict=True))
    assert (values["yaw_deg"], values["pitch_deg"], values["roll_deg"]) == pytest.approx((20, -10, 5))
    assert values["head_scale_px"] == pytest.approx(80.0)
    # Head centre is turned with the head; with no yaw it sits over the shoulders' midpoint.
    centred = dict(zip(COLUMNS, extract_head(synthetic_frame()), strict=True))
    assert centred["lateral_shift"] == pytest.approx(0.0, abs=1e-9)
    assert centred["sagittal_shift"] == pytest.approx(40.0 / 160.0)
    assert centred["shoulder_elevation"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("frame", "column", "sign"),
    [
        (synthetic_frame(head_x=300.0), "lateral_shift", +1),  # head toward image left = person's right
        (synthetic_frame(head_x=340.0), "lateral_shift", -1),
        (synthetic_frame(shoulders=((400.0, 420.0), (240.0, 400.0))), "shoulder_elevation", +1),  # right raised
        (synthetic_frame(shoulders=((400.0, 400.0), (240.0, 420.0))), "shoulder_elevation", -1),
    ],
)
def test_extract_head_shift_signs(frame, column, sign):
    values = dict(zip(COLUMNS, extract_head(frame), strict=True))
    assert np.sign(values[column]) == sign
    assert abs(values[column]) == pytest.approx(20.0 / 160.0, rel=0.02)


def test_extract_head_without_shoulders_gives_nan_shifts():
    frame = synthetic_frame()
    hidden = frame.pose_px.copy()
    hidden[11, 3] = 0.2
    for body in (None, hidden):
        values = extract_head(FrameLandmarks(**{**frame.__dict__, "pose_px": body}))
        assert np.isnan(values[-3:]).all() and np.isfinite(values[:5]).all()


def test_extract_head_marks_unfittable_landmarks_as_lost():
    frame = synthetic_frame()
    broken = frame.face_px.copy()
    broken[5] = np.nan
    assert extract_head(FrameLandmarks(**{**frame.__dict__, "face_px": broken})) is None


def head_signals(yaw, pitch, roll, fps=FPS, tracked=None, shifts=(0.0, 0.0, 0.0)) -> FrameSignals:
    n = len(yaw)
    constants = [np.full(n, 80.0), np.full(n, 1.0), *[np.full(n, s) for s in shifts]]
    values = np.column_stack([yaw, pitch, roll, *constants])
    tracked = np.ones(n, dtype=bool) if tracked is None else tracked
    values[~tracked] = np.nan
    return FrameSignals(
        columns=COLUMNS, t_s=np.arange(n) / fps, tracked=tracked, values=values, fps=fps,
        frames_total=n, width=640, height=480, warnings=[],
    )


def test_neutral_period_is_subtracted_and_left_out():
    t_s = np.arange(300) / FPS
    yaw = np.where(t_s < 2, 3.0, 33.0)
    result = analyse_head(head_signals(yaw, np.full(300, -2.0), np.full(300, 1.0)), neutral_s=2.0)
    assert result.neutral["yaw_deg"] == pytest.approx(3.0)
    assert result.posture["yaw_deg"] == {"median": 30.0, "p5": 30.0, "p95": 30.0}
    assert result.posture["pitch_deg"]["median"] == pytest.approx(0.0)
    assert result.frames_analyzed == 240
    assert (result.twstrs["rotation"].score, result.twstrs["rotation"].direction) == (2, "right")


def test_clinician_neutral_angles_are_subtracted():
    signals = head_signals(np.full(90, 10.0), np.full(90, 20.0), np.full(90, -5.0))
    result = analyse_head(signals, neutral=(10, 5, -5))
    assert [result.posture[k]["median"] for k in ("yaw_deg", "pitch_deg", "roll_deg")] == pytest.approx([0, 15, 0])
    assert result.neutral == {"source": "given", "yaw_deg": 10.0, "pitch_deg": 5.0, "roll_deg": -5.0}
    assert result.twstrs["antero_retrocollis"].direction == "anterocollis"


@pytest.mark.parametrize(
    ("kwargs", "tracked_from", "message"),
    [
        ({"neutral_s": 1.0, "neutral": (0, 0, 0)}, 0, "either a neutral period or neutral angles, not both"),
        ({"neutral_s": 0.0}, 0, r"must be longer than 0 s; got 0 s"),
        ({"neutral_s": 1.0}, 45, r"not tracked in the first 1 s"),
        ({"neutral_s": 2.5}, 0, r"Less than 1 s of tracked video is left after the 2\.5 s neutral period"),
        ({"neutral": (0, float("nan"), 0)}, 0, "three numbers: yaw, pitch and roll"),
    ],
)
def test_unusable_calibration_is_refused(kwargs, tracked_from, message):
    tracked = np.arange(90) >= tracked_from
    signals = head_signals(np.zeros(90), np.zeros(90), np.zeros(90), tracked=tracked)
    with pytest.raises(NeutralPeriodError, match=message):
        analyse_head(signals, **kwargs)


def test_lost_frames_are_marked_not_filled():
    tracked = np.ones(300, dtype=bool)
    tracked[100:110] = False
    result = analyse_head(head_signals(np.zeros(300), np.zeros(300), np.zeros(300), tracked=tracked))
    assert np.isnan(result.series["yaw_deg"][100:110]).all()
    assert result.frames_analyzed == 290
    data = result.to_dict(series=True)
    assert data["series"]["yaw_deg"][100] is None and data["series"]["tracked"][100] is False


def test_result_dictionary_keys():
    result = analyse_head(head_signals(np.zeros(300), np.zeros(300), np.zeros(300)))
    data = result.to_dict()
    for key in ("frames_total", "frames_analyzed", "fps", "yaw_deg", "pitch_deg", "roll_deg", "lateral_shift",
                "sagittal_shift", "shoulder_elevation", "tremor", "twstrs_estimate", "warnings"):
        assert key in data
    assert set(data["yaw_deg"]) == {"median", "p5", "p95"}
    assert TREMOR_KEYS <= set(data["tremor"])
    assert set(data["twstrs_estimate"]) == {
        "rotation", "laterocollis", "antero_retrocollis", "lateral_shift", "sagittal_shift"
    }
    assert data["tremor"]["detected"] is False
    assert "series" not in data and "spectrum" not in data["tremor"]
    full = result.to_dict(series=True)
    assert len(full["series"]["t_s"]) == 300 and "spectrum" in full["tremor"]
    assert data["twstrs_estimate"]["sagittal_shift"]["score"] is None
    assert any("measured only when the recording starts with" in w for w in data["warnings"])
