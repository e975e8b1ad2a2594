"""The video pipeline on small synthetic videos: timestamps, tracking, extraction, quality gates."""

from __future__ import annotations

import numpy as np
import pytest

from tests.measures import synthetic_video as sv
from torsion.measures.pipeline import FrameLandmarks, FrameSignals, track_video
from torsion.measures.quality import UnusableRecording

pytestmark = pytest.mark.slow

#: Variable frame rate, as browsers record: steps of 30-37 ms (about 29 frames/s).
VFR_TIMES_S = np.round(np.cumsum(np.r_[0.0, np.tile([0.030, 0.037, 0.033, 0.035], 22)]), 3)


def eye_line_deg(frame: FrameLandmarks) -> list[float]:
    """Angle of the line from the right to the left outer eye corner (image y down), and checks."""
    assert frame.face_px.shape == (478, 3) and frame.face_px.dtype == np.float64
    assert frame.n_faces == 1
    left, right = frame.face_px[263], frame.face_px[33]
    return [
        float(np.degrees(np.arctan2(left[1] - right[1], left[0] - right[0]))),
        float(frame.pose_px is not None),
        frame.mean_luma,
    ]


@pytest.fixture(scope="module")
def vfr_video():
    roll = np.zeros(VFR_TIMES_S.size)
    return sv.cached_video("still-vfr.webm", lambda: sv.rolling_face_frames(roll), times_s=VFR_TIMES_S)


@pytest.fixture(scope="module")
def vfr_signals(vfr_video) -> FrameSignals:
    columns = ("eye_line_deg", "pose_ran", "luma")
    return track_video(vfr_video, eye_line_deg, columns, pose=True, pose_interval_s=1.0)


def test_timestamps_come_from_the_container(vfr_signals):
    np.testing.assert_allclose(vfr_signals.t_s, VFR_TIMES_S, atol=1e-9)
    assert vfr_signals.frames_total == VFR_TIMES_S.size
    assert vfr_signals.fps == pytest.approx(1 / 0.034, rel=1e-6)
    assert (vfr_signals.width, vfr_signals.height) == (320, 240)


def test_every_frame_of_a_clear_face_is_tracked_and_extracted(vfr_signals):
    assert vfr_signals.columns == ("eye_line_deg", "pose_ran", "luma")
    assert vfr_signals.values.shape == (VFR_TIMES_S.size, 3)
    assert vfr_signals.tracked.all()
    assert vfr_signals.frames_analyzed == VFR_TIMES_S.size
    assert vfr_signals.warnings == []
    # The photo's own head tilt: the eye line is about 3 degrees off horizontal, steady.
    eye_line = vfr_signals.column("eye_line_deg")
    assert np.ptp(eye_line) < 1.5
    assert 0.5 < abs(np.median(eye_line)) < 6
    assert np.all((vfr_signals.column("luma") > 60) & (vfr_signals.column("luma") < 200))


def test_pose_runs_once_per_interval(vfr_signals):
    pose_ran = vfr_signals.column("pose_ran").astype(bool)
    t_pose = vfr_signals.t_s[pose_ran]
    # Pose runs at the first frame after its graph has started (on a thread of its own, so early
    # frames pass without it) and at the latest at the first frame 1 s into the video, then at the
    # first frame at least 1 s after the previous run.
    assert t_pose[0] == pytest.approx(VFR_TIMES_S[VFR_TIMES_S >= 1.0][0]) or t_pose[0] < 1.0
    assert t_pose.size == int(np.floor((VFR_TIMES_S[-1] - t_pose[0]) / 1.0)) + 1
    assert np.all(np.diff(t_pose) >= 1.0) and np.all(np.diff(t_pose) < 1.04)


def test_progress_is_reported_up_to_the_total(vfr_video):
    calls = []
    track_video(vfr_video, eye_line_deg, ("a", "b", "c"), progress=lambda done, total: calls.append((done, total)))
    done = [c[0] for c in calls]
    assert done == sorted(done) and done[-1] == VFR_TIMES_S.size
    assert calls[-1] == (VFR_TIMES_S.size, VFR_TIMES_S.size)


def test_extract_returning_none_marks_frames_lost(vfr_video):
    def odd_frames_only(frame):
        return None if frame.index % 4 == 0 else [1.0]

    signals = track_video(vfr_video, odd_frames_only, ("one",))
    assert signals.tracked.tolist() == [i % 4 != 0 for i in range(VFR_TIMES_S.size)]
    assert np.isnan(signals.values[::4]).all() and (signals.values[1::4] == 1.0).all()
    assert signals.warnings == [
        "The face was lost in 26% of the frames; those frames are left out, not filled in."
    ]


def test_each_frame_is_reduced_with_its_own_landmarks_in_order(vfr_video):
    """Face Mesh works on one frame while the previous one is reduced: nothing may be shifted."""
    from torsion.measures.landmarks import FaceMeshTracker
    from torsion.measures.video import open_video

    with open_video(vfr_video) as reader, FaceMeshTracker() as mesh:
        expected = [(frame.index, frame.t_s, mesh.process(frame.rgb)[0][263].tolist()) for frame in reader.frames()]
    seen = []

    def record(frame):
        seen.append((frame.index, frame.t_s, frame.face_px[263].tolist()))
        return [0.0]

    track_video(vfr_video, record, ("zero",))
    assert [s[:2] for s in seen] == [e[:2] for e in expected]
    np.testing.assert_allclose([s[2] for s in seen], [e[2] for e in expected], rtol=0, atol=1e-4)


def test_extract_with_wrong_length_is_a_programming_error(vfr_video):
    with pytest.raises(ValueError, match=r"extract returned 2 values for 1 columns \('x',\)"):
        track_video(vfr_video, lambda frame: [1.0, 2.0], ("x",))


@pytest.mark.parametrize(
    ("name", "make", "fps", "reason", "message"),
    [
        ("plain.webm", lambda: sv.plain_scene_frames(45), 30, "no_face", "No face was found in the recording"),
        ("black.webm", lambda: sv.black_frames(45), 30, "too_dark", "too dark to see the face"),
        (
            "ten-fps.webm",
            lambda: sv.rolling_face_frames(np.zeros(20)),
            10,
            "low_frame_rate",
            r"only 10\.0 frames per second",
        ),
        (
            "two-faces.webm",
            lambda: (
                np.hstack([sv.face_view(sv.astronaut(), size=(160, 240), zoom=1.0)] * 2) for _ in range(45)
            ),
            30,
            "multiple_faces",
            "More than one face is in view",
        ),
        (
            "small-face.webm",
            lambda: (sv.face_view(sv.astronaut(), zoom=0.5) for _ in range(45)),
            30,
            "face_too_small",
            r"too small in the picture \(4\d pixels wide\)",
        ),
    ],
)
def test_quality_gates_on_videos(name, make, fps, reason, message):
    path = sv.cached_video(name, make, fps=fps)
    with pytest.raises(UnusableRecording, match=message) as caught:
        track_video(path, eye_line_deg, ("a", "b", "c"))
    assert caught.value.reason == reason


def test_a_file_that_is_not_a_video_is_unreadable(tmp_path):
    text = tmp_path / "notes.webm"
    text.write_text("not a video at all\n")
    with pytest.raises(UnusableRecording, match=r"^This file could not be read as a video\.$"):
        track_video(text, eye_line_deg, ("a", "b", "c"))
    with pytest.raises(UnusableRecording, match=r"^This file does not exist\.$"):
        track_video(tmp_path / "missing.mp4", eye_line_deg, ("a", "b", "c"))
    with pytest.raises(UnusableRecording, match=r"^This is a folder, not a video file\.$"):
        track_video(tmp_path, eye_line_deg, ("a", "b", "c"))


def test_a_file_cut_short_is_analysed_with_a_warning(vfr_video, tmp_path):
    whole = vfr_video.read_bytes()
    cut = tmp_path / "cut.webm"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    signals = track_video(cut, eye_line_deg, ("a", "b", "c"))
    assert 30 < signals.frames_total < VFR_TIMES_S.size
    assert signals.warnings[0].startswith("The file seems cut short: it should last 3.0 s but only")
