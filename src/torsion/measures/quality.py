"""Quality gates for face recordings: decide whether a video can be measured at all.

A measure is only as good as the recording it comes from. Before any number is reported, the
per-frame bookkeeping gathered while a video is tracked (timestamps, how many faces were seen, how
bright the picture was, how wide the face appeared, whether the face was tracked) is checked here.
A recording that cannot be measured raises :class:`UnusableRecording`, a :class:`ValueError` whose
message is a sentence a patient understands, and whose :attr:`UnusableRecording.reason` is a short
machine-readable code. Problems that do not stop the analysis become warnings.

The gates, in the order they are applied (thresholds in :class:`QualityThresholds`):

``unreadable``      the file is not a video or holds no decodable video frames;
``too_short``       fewer than two frames or less than ``min_duration_s`` of video;
``low_frame_rate``  median frame rate (from the timestamps) below ``min_fps`` (15 frames/s): blinks
                    and tremor up to a few hertz cannot be followed more slowly;
``too_dark``        median brightness below ``dark_luma`` (0-255) *and* the face tracked in fewer
                    than ``min_tracked_fraction`` of the frames (a dark video in which the face is
                    still tracked well only gets a warning);
``no_face``         no face in any frame;
``multiple_faces``  two or more faces in more than ``max_multiple_face_fraction`` of the frames in
                    which faces were counted;
``face_too_small``  median face width below ``min_face_width_px`` pixels;
``too_much_lost``   the face tracked in fewer than ``min_tracked_fraction`` of the frames.

The thresholds are Torsion's own engineering choices (unverified against clinical data): the
frame-rate floor follows the advice to sample tremor at 30 frames/s or more, halved to accept
ordinary webcams that drop frames; the face-width floor is where Face Mesh landmarks become coarse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "QualityThresholds",
    "RecordingStats",
    "UnusableRecording",
    "assess_recording",
    "median_fps",
]


class UnusableRecording(ValueError):
    """The recording cannot be measured; the message says why in plain words.

    Parameters
    ----------
    message : str
        A sentence a patient understands.
    reason : str
        Short code for programs: ``unreadable``, ``too_short``, ``low_frame_rate``, ``too_dark``,
        ``no_face``, ``multiple_faces``, ``face_too_small`` or ``too_much_lost``.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class QualityThresholds:
    """Limits applied by :func:`assess_recording` (see the module docstring for their meaning)."""

    min_duration_s: float = 1.0
    min_fps: float = 15.0
    dark_luma: float = 40.0
    max_multiple_face_fraction: float = 0.10
    min_face_width_px: float = 60.0
    min_tracked_fraction: float = 0.50
    warn_lost_fraction: float = 0.10


@dataclass
class RecordingStats:
    """What the tracker noted about every decoded frame (all arrays have shape ``(n,)``).

    Attributes
    ----------
    t_s : ndarray of float
        Frame times in seconds from the first frame.
    tracked : ndarray of bool
        Exactly one face tracked and measured in the frame.
    n_faces : ndarray of int
        Faces counted by the face detector in the frame; ``-1`` where faces were not counted.
    mean_luma : ndarray of float
        Mean brightness of the frame, 0-255.
    face_width_px : ndarray of float
        Width of the tracked face's landmark cloud in pixels, NaN without a face.
    """

    t_s: np.ndarray
    tracked: np.ndarray
    n_faces: np.ndarray
    mean_luma: np.ndarray
    face_width_px: np.ndarray


def median_fps(t_s: np.ndarray) -> float:
    """Median frame rate in frames per second from frame times in seconds, NaN with < 2 frames."""
    t_s = np.asarray(t_s, dtype=float)
    steps = np.diff(t_s)
    steps = steps[steps > 0]
    if steps.size == 0:
        return float("nan")
    return float(1.0 / np.median(steps))


def assess_recording(stats: RecordingStats, thresholds: QualityThresholds | None = None) -> list[str]:
    """Apply the quality gates to a tracked recording.

    Parameters
    ----------
    stats : RecordingStats
        Per-frame bookkeeping of the whole recording.
    thresholds : QualityThresholds, optional
        Limits; the defaults when omitted.

    Returns
    -------
    list of str
        Warnings about problems that did not stop the analysis.

    Raises
    ------
    UnusableRecording
        When a gate fails; ``reason`` names the gate.
    """
    limits = thresholds or QualityThresholds()
    t_s = np.asarray(stats.t_s, dtype=float)
    n_frames = t_s.size
    warnings: list[str] = []
    if n_frames == 0:
        raise UnusableRecording("The file holds no video frames that could be read.", "unreadable")
    duration_s = float(t_s[-1] - t_s[0]) if n_frames > 1 else 0.0
    if n_frames < 2 or duration_s < limits.min_duration_s:
        raise UnusableRecording(
            f"The recording is too short to measure ({duration_s:.1f} s); please record at least "
            f"{limits.min_duration_s:g} s.",
            "too_short",
        )
    fps = median_fps(t_s)
    if not fps >= limits.min_fps:
        raise UnusableRecording(
            f"The video has only {fps:.1f} frames per second; at least {limits.min_fps:g} are "
            "needed. Please record again with better light or another camera.",
            "low_frame_rate",
        )

    tracked = np.asarray(stats.tracked, dtype=bool)
    tracked_fraction = float(tracked.mean())
    luma = float(np.median(stats.mean_luma))
    if luma < limits.dark_luma:
        if tracked_fraction < limits.min_tracked_fraction:
            raise UnusableRecording(
                "The video is too dark to see the face. Please record again facing a light.",
                "too_dark",
            )
        warnings.append(f"The video is dark (median brightness {luma:.0f} of 255); results may be less precise.")

    n_faces = np.asarray(stats.n_faces)
    widths = np.asarray(stats.face_width_px, dtype=float)
    widths = widths[np.isfinite(widths)]
    if widths.size == 0 and not np.any(n_faces > 0):
        raise UnusableRecording(
            "No face was found in the recording. Please face the camera with your whole face in view.",
            "no_face",
        )
    counted = n_faces >= 0
    several = n_faces >= 2
    several_fraction = float(several[counted].mean()) if counted.any() else 0.0
    if several_fraction > limits.max_multiple_face_fraction:
        raise UnusableRecording(
            "More than one face is in view. Please record with only the person being assessed in view.",
            "multiple_faces",
        )
    if several.any():
        warnings.append(
            f"A second face was in view in {100 * several_fraction:.0f}% of the checked frames; "
            "those frames were left out."
        )

    if widths.size == 0:
        raise UnusableRecording(
            "A face was seen but could not be followed; it is probably too small or blurred. "
            "Please sit closer to the camera, in good light.",
            "face_too_small",
        )
    face_width_px = float(np.median(widths))
    if face_width_px < limits.min_face_width_px:
        raise UnusableRecording(
            f"The face is too small in the picture ({face_width_px:.0f} pixels wide). Please sit "
            "closer to the camera.",
            "face_too_small",
        )

    lost_fraction = 1.0 - tracked_fraction
    if tracked_fraction < limits.min_tracked_fraction:
        raise UnusableRecording(
            f"The face was lost in {100 * lost_fraction:.0f}% of the recording, too much to measure. "
            "Please keep your face in view and facing the camera.",
            "too_much_lost",
        )
    if lost_fraction > limits.warn_lost_fraction:
        warnings.append(
            f"The face was lost in {100 * lost_fraction:.0f}% of the frames; those frames are left "
            "out, not filled in."
        )
    return warnings
