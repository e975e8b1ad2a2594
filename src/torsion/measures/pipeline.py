"""From a video file to per-frame signals: decode, find landmarks, reduce, check quality.

This is the one place where video frames exist. :func:`track_video` streams a file frame by frame
(:mod:`torsion.measures.video`), finds the face with MediaPipe Face Mesh (and, when asked, the body
with MediaPipe Pose; :mod:`torsion.measures.landmarks`), and immediately reduces each frame to a
few numbers with a caller-supplied ``extract`` function. Neither frames nor full landmark arrays
are kept, so memory does not grow with the video's length; only the small per-frame signal table
does (a few numbers per frame).

Conventions shared by every measure (see :mod:`torsion.measures.landmarks`):

* the camera faces the person and the image is not mirrored: the person's right side is at
  smaller image x;
* ``face_px`` is float64 (478, 3) in pixels: ``x = x_norm * width``, ``y = y_norm * height``
  (downward), ``z = z_norm * width``; ``pose_px`` is float64 (33, 4): x px, y px, z (x scale),
  visibility;
* ``t_s`` is seconds from the first frame, from the container's presentation timestamps (browser
  recordings have a variable frame rate; nothing assumes uniform spacing).

Cost control: Face Mesh runs on every frame and tracks one face. Faces are counted with MediaPipe's
face detector every ``face_check_interval_s`` seconds of video (2 s; the "more than one face" gate),
and Pose runs every ``pose_interval_s`` seconds (1 s by default; shoulders move slowly, and one Pose
run costs about five Face Mesh frames). Both run on the decoding thread, in parallel with Face Mesh
when a second core is free. On frames where Pose did not run, ``pose_px`` is None. Face Mesh finds
the landmarks of frame k on its own thread while this thread reduces frame k - 1 with ``extract``,
so the pipeline adds little to what Face Mesh alone costs.

A frame is *tracked* when exactly one face was found and ``extract`` returned values; other frames
keep NaN values and ``tracked=False``. Nothing is interpolated here.
"""

from __future__ import annotations

import array
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from torsion.measures.quality import (
    QualityThresholds,
    RecordingStats,
    UnusableRecording,
    assess_recording,
    median_fps,
)
from torsion.measures.video import DecodedFrame, open_video

__all__ = ["FrameLandmarks", "FrameSignals", "track_video"]

log = logging.getLogger(__name__)

#: How often ``progress`` is called, in frames.
PROGRESS_EVERY_FRAMES = 30
#: Seconds into the video by which face counting and Pose have started, whatever the machine's load.
SIDE_WORK_LATEST_START_S = 1.0
#: Seconds of waiting for the face detector and Pose to start before giving up (they take well
#: under one second).
SIDE_WORK_START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class FrameLandmarks:
    """Landmarks of one decoded frame, handed to an ``extract`` function.

    Attributes
    ----------
    index : int
        0-based decoded frame index.
    t_s : float
        Seconds from the first frame.
    width, height : int
        Frame size in pixels.
    face_px : ndarray, float64 of shape (478, 3), or None
        The face's landmarks in pixels; None when no face is tracked in this frame.
    n_faces : int
        Faces found in this frame (0, 1, 2 ...).
    pose_px : ndarray, float64 of shape (33, 4), or None
        Body landmarks; None when not requested, not run on this frame, or no person found.
    mean_luma : float
        Mean brightness of the frame, 0-255.
    """

    index: int
    t_s: float
    width: int
    height: int
    face_px: np.ndarray | None
    n_faces: int
    pose_px: np.ndarray | None
    mean_luma: float


@dataclass
class FrameSignals:
    """Per-frame numbers reduced from a whole recording.

    Attributes
    ----------
    columns : tuple of str
        Names of the columns of :attr:`values`.
    t_s : ndarray, shape (n,)
        Frame times in seconds from the first frame.
    tracked : ndarray of bool, shape (n,)
        Exactly one face tracked and ``extract`` returned values.
    values : ndarray, shape (n, len(columns))
        What ``extract`` returned; NaN where not tracked.
    fps : float
        Median frame rate from the timestamps, frames per second.
    frames_total : int
        Frames decoded.
    width, height : int
        Size of the first frame in pixels.
    warnings : list of str
        Quality notes that did not stop the analysis.
    """

    columns: tuple[str, ...]
    t_s: np.ndarray
    tracked: np.ndarray
    values: np.ndarray
    fps: float
    frames_total: int
    width: int
    height: int
    warnings: list[str]

    @property
    def frames_analyzed(self) -> int:
        """Number of tracked frames."""
        return int(np.count_nonzero(self.tracked))

    def column(self, name: str) -> np.ndarray:
        """One column of :attr:`values` by name, shape (n,)."""
        return self.values[:, self.columns.index(name)]


class _SideWork:
    """Face counting and Pose on a schedule, run on the decoding thread beside Face Mesh.

    Returns ``(faces counted or None, pose landmarks or None)`` for each frame.

    A MediaPipe graph's first run is slow (Pose's takes about as long as 40 Face Mesh frames). The
    graphs are started on a blank frame on a thread of their own, so that neither decoding nor Face
    Mesh waits for them; frames decoded before they are ready pass without side work, and the first
    count and Pose run fall on the first frame after that (a fraction of a second of processing,
    usually well under a second of video). On a busy machine the start can take longer; decoding
    then waits for it at the first frame :data:`SIDE_WORK_LATEST_START_S` into the video, so the
    side work always begins by then, however loaded the machine. The graphs belong to the caller,
    who closes them after :meth:`wait_started`.
    """

    def __init__(self, counter, body, face_check_interval_s: float, pose_interval_s: float,
                 frame_size: tuple[int, int]) -> None:
        self.counter = counter
        self.body = body
        self.face_check_interval_s = face_check_interval_s
        self.pose_interval_s = pose_interval_s
        self.next_face_check = 0.0
        self.next_pose = 0.0
        self._ready = threading.Event()
        width, height = frame_size
        blank = np.zeros((max(height, 2), max(width, 2), 3), dtype=np.uint8)
        self._start = threading.Thread(target=self._start_graphs, args=(blank,), name="torsion-side-start",
                                       daemon=True)
        self._start.start()

    def _start_graphs(self, blank: np.ndarray) -> None:
        try:
            self.counter.count(blank)
            if self.body is not None:
                self.body.process(blank)
        finally:
            self._ready.set()

    def __call__(self, frame) -> tuple[int | None, np.ndarray | None]:
        if not self._ready.is_set():
            if frame.t_s < SIDE_WORK_LATEST_START_S:
                return None, None
            if not self._ready.wait(SIDE_WORK_START_TIMEOUT_S):
                raise RuntimeError(
                    f"MediaPipe's face detector and Pose did not start within {SIDE_WORK_START_TIMEOUT_S:.0f} s"
                )
        counted = None
        if frame.t_s >= self.next_face_check:
            counted = self.counter.count(frame.rgb)
            self.next_face_check = frame.t_s + self.face_check_interval_s
        pose_px = None
        if self.body is not None and frame.t_s >= self.next_pose:
            pose_px = self.body.process(frame.rgb)
            self.next_pose = frame.t_s + self.pose_interval_s
        return counted, pose_px

    def wait_started(self) -> None:
        """Wait until the start-up run has finished (before the graphs may be closed)."""
        self._start.join()


Extract = Callable[[FrameLandmarks], "Sequence[float] | np.ndarray | None"]
Progress = Callable[[int, "int | None"], None]


def track_video(
    path: str | Path,
    extract: Extract,
    columns: Sequence[str],
    *,
    pose: bool = False,
    progress: Progress | None = None,
    pose_interval_s: float = 1.0,
    face_check_interval_s: float = 2.0,
    thresholds: QualityThresholds | None = None,
) -> FrameSignals:
    """Track a face through a video and reduce every frame to a few numbers.

    Parameters
    ----------
    path : str or Path
        Video file (WebM, MP4, ...).
    extract : callable
        ``extract(frame: FrameLandmarks) -> sequence of float`` of length ``len(columns)``, called
        for each frame with exactly one tracked face. It may return None to mark the frame as not
        measurable (it then counts as lost).
    columns : sequence of str
        Names of the values ``extract`` returns.
    pose : bool
        Also run MediaPipe Pose, every ``pose_interval_s`` seconds of video.
    progress : callable, optional
        ``progress(done_frames, total_frames)`` called every few frames; ``total_frames`` is the
        header's estimate or None.
    pose_interval_s : float
        Seconds of video between Pose runs (0 runs Pose on every frame).
    face_check_interval_s : float
        Seconds of video between face counts by the detector (0 counts on every frame).
    thresholds : QualityThresholds, optional
        Quality limits; the defaults when omitted.

    Returns
    -------
    FrameSignals

    Raises
    ------
    UnusableRecording
        When the file cannot be read or the recording cannot be measured (see
        :mod:`torsion.measures.quality`).
    ValueError
        When ``extract`` returns the wrong number of values (a programming error).
    """
    from torsion.measures.landmarks import FaceCounter, FaceMeshTracker, PoseTracker

    columns = tuple(columns)
    n_columns = len(columns)
    t_s = array.array("d")
    values = array.array("d")
    tracked = array.array("b")
    n_faces_seen = array.array("b")
    luma = array.array("f")
    face_width = array.array("f")
    nan_row = [float("nan")] * n_columns
    width = height = 0

    def reduce(frame: DecodedFrame, faces: list[np.ndarray]) -> None:
        """Reduce one frame with its landmarks to a row of the signal table."""
        nonlocal width, height
        frame_height, frame_width = frame.rgb.shape[:2]
        if frame.index == 0:
            width, height = frame_width, frame_height
        detected, pose_px = frame.extras
        counted = detected is not None
        n_faces = max(len(faces), detected or 0)
        face_px = faces[0] if faces else None
        row = None
        if n_faces == 1 and face_px is not None:
            landmarks = FrameLandmarks(
                index=frame.index,
                t_s=frame.t_s,
                width=frame_width,
                height=frame_height,
                face_px=face_px,
                n_faces=n_faces,
                pose_px=pose_px,
                mean_luma=frame.mean_luma,
            )
            row = extract(landmarks)
            if row is not None and len(row) != n_columns:
                raise ValueError(f"extract returned {len(row)} values for {n_columns} columns {columns}")
        t_s.append(frame.t_s)
        tracked.append(row is not None)
        values.extend(nan_row if row is None else row)
        n_faces_seen.append(min(n_faces, 100) if counted else -1)
        luma.append(frame.mean_luma)
        face_width.append(float(np.ptp(face_px[:, 0])) if face_px is not None else float("nan"))
        if progress is not None and (frame.index + 1) % PROGRESS_EVERY_FRAMES == 0:
            progress(frame.index + 1, total)

    with open_video(path) as reader, ExitStack() as cleanup:  # cleanup runs last-registered first
        total = reader.info.frames_estimate
        mesh = cleanup.enter_context(FaceMeshTracker())
        counter = cleanup.enter_context(FaceCounter())
        body = cleanup.enter_context(PoseTracker()) if pose else None
        side = _SideWork(counter, body, face_check_interval_s, pose_interval_s, (reader.info.width, reader.info.height))
        cleanup.callback(side.wait_started)
        frames = reader.frames(annotate=side)
        cleanup.callback(frames.close)  # stops the decoding thread before its MediaPipe graphs are freed
        # Face Mesh works on frame k on its own thread while this thread reduces frame k - 1.
        previous = None
        for frame in frames:
            mesh.submit(frame.rgb)
            if previous is not None:
                reduce(*previous)
            previous = frame, mesh.collect()
        if previous is not None:
            reduce(*previous)
        decode_warnings = list(reader.warnings)

    frames_total = len(t_s)
    if progress is not None:
        progress(frames_total, frames_total)
    stats = RecordingStats(
        t_s=np.frombuffer(t_s, dtype=np.float64).copy(),
        tracked=np.frombuffer(tracked, dtype=np.int8).astype(bool),
        n_faces=np.frombuffer(n_faces_seen, dtype=np.int8).astype(int),
        mean_luma=np.frombuffer(luma, dtype=np.float32).astype(float),
        face_width_px=np.frombuffer(face_width, dtype=np.float32).astype(float),
    )
    try:
        quality_warnings = assess_recording(stats, thresholds)
    except UnusableRecording:
        log.info("recording %s rejected", path)
        raise
    value_table = np.frombuffer(values, dtype=np.float64).reshape(frames_total, n_columns).copy()
    return FrameSignals(
        columns=columns,
        t_s=stats.t_s,
        tracked=stats.tracked,
        values=value_table,
        fps=median_fps(stats.t_s),
        frames_total=frames_total,
        width=width,
        height=height,
        warnings=decode_warnings + quality_warnings,
    )
