"""Table-driven tests of the recording quality gates on synthetic per-frame bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from torsion.measures.quality import (
    QualityThresholds,
    RecordingStats,
    UnusableRecording,
    assess_recording,
    median_fps,
)


def make_stats(
    n: int = 90,
    fps: float = 30.0,
    tracked: float = 1.0,
    luma: float = 120.0,
    width_px: float = 120.0,
    two_faces: float = 0.0,
    face_seen: bool = True,
) -> RecordingStats:
    """A recording of ``n`` frames; the fractions say which share of frames has each property."""
    t_s = np.arange(n) / fps
    tracked_mask = np.arange(n) < round(tracked * n)
    n_faces = np.where(np.arange(n) % 15 == 0, 1, -1)
    if two_faces:
        checked = np.flatnonzero(n_faces >= 0)
        n_faces[checked[: round(two_faces * checked.size)]] = 2
    if not face_seen:
        n_faces = np.where(n_faces >= 0, 0, -1)
    widths = np.where(tracked_mask, width_px, np.nan) if face_seen else np.full(n, np.nan)
    return RecordingStats(
        t_s=t_s,
        tracked=tracked_mask & face_seen,
        n_faces=n_faces,
        mean_luma=np.full(n, luma),
        face_width_px=widths,
    )


@pytest.mark.parametrize(
    ("stats", "reason", "message"),
    [
        (make_stats(n=0), "unreadable", "holds no video frames"),
        (make_stats(n=1), "too_short", r"too short to measure \(0\.0 s\)"),
        (make_stats(n=30, fps=30.0), "too_short", r"too short to measure \(1\.0 s\)"),
        (make_stats(fps=14.9), "low_frame_rate", r"only 14\.9 frames per second; at least 15"),
        (make_stats(luma=39.0, tracked=0.49), "too_dark", "too dark to see the face"),
        (make_stats(face_seen=False), "no_face", "No face was found"),
        (make_stats(n=300, two_faces=0.15), "multiple_faces", "More than one face"),
        (make_stats(width_px=59.0), "face_too_small", r"too small in the picture \(59 pixels wide\)"),
        (make_stats(tracked=0.49), "too_much_lost", r"lost in 51% of the recording"),
    ],
)
def test_gate_fires_with_reason_and_message(stats, reason, message):
    with pytest.raises(UnusableRecording, match=message) as caught:
        assess_recording(stats)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("stats", "warnings"),
    [
        (make_stats(), []),
        (make_stats(n=31), []),
        (make_stats(fps=15.0), []),
        (make_stats(width_px=60.0), []),
        (
            make_stats(tracked=0.5),
            ["The face was lost in 50% of the frames; those frames are left out, not filled in."],
        ),
        (make_stats(tracked=0.9), []),
        (make_stats(luma=39.0), ["The video is dark (median brightness 39 of 255); results may be less precise."]),
        (
            make_stats(n=300, two_faces=0.1),
            ["A second face was in view in 10% of the checked frames; those frames were left out."],
        ),
    ],
)
def test_gate_passes_at_its_boundary(stats, warnings):
    assert assess_recording(stats) == warnings


def test_thresholds_can_be_changed():
    stats = make_stats(n=300, two_faces=0.1)
    with pytest.raises(UnusableRecording, match="More than one face"):
        assess_recording(stats, QualityThresholds(max_multiple_face_fraction=0.05))


def test_face_seen_by_detector_but_never_tracked_is_too_small():
    stats = make_stats(face_seen=True)
    stats.face_width_px[:] = np.nan
    stats.tracked[:] = False
    with pytest.raises(UnusableRecording, match="seen but could not be followed") as caught:
        assess_recording(stats)
    assert caught.value.reason == "face_too_small"


def test_median_fps_ignores_repeated_times_and_needs_two_frames():
    assert median_fps(np.array([0.0, 0.04, 0.04, 0.08, 0.12])) == pytest.approx(25.0)
    assert np.isnan(median_fps(np.array([0.5])))
