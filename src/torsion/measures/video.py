"""Streaming video decoding with PyAV: one RGB frame at a time, with honest timestamps.

Browsers record WebM (VP8/VP9) with a variable frame rate and often no duration in the header, so
nothing here assumes a constant frame rate: each frame's time is its presentation timestamp
(``pts * time_base``) minus the first frame's, in seconds. A frame whose timestamp does not advance
past the previous one is a duplicate and is skipped (and counted in :attr:`VideoReader.warnings`);
a frame without any timestamp gets one from the stream's nominal rate, also with a warning.

Memory stays independent of the video's length: frames are decoded, converted and handed on one
by one. Decoding, colour conversion and optional per-frame side work (``annotate``) run in a
background thread a few frames ahead, so on a machine with two cores they overlap with landmark
detection on the caller's thread (MediaPipe and OpenCV release the interpreter lock while they
compute); at most ``prefetch`` decoded frames wait in memory at any time (plus the two being worked
on).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from torsion.measures.quality import UnusableRecording

__all__ = ["DecodedFrame", "VideoInfo", "VideoReader", "open_video"]

log = logging.getLogger(__name__)

_FAST_YUV = {"yuv420p", "yuvj420p"}

#: Memory for decoded frames waiting in the read-ahead queue, bytes. The queue should hold the
#: frames decoded while side work runs on the decoding thread (a MediaPipe Pose run takes about as
#: long as ten Face Mesh frames), so 4 to 16 frames are allowed within this budget.
PREFETCH_BYTES = 48 * 2**20


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about its first video stream (header values may be missing).

    Attributes
    ----------
    width, height : int
        Frame size in pixels.
    codec : str
        Decoder name, e.g. ``vp8``.
    frames_estimate : int or None
        Number of frames from the header, or from duration x nominal rate; None when unknown.
    duration_s : float or None
        Duration from the header in seconds; None when the header has none.
    """

    width: int
    height: int
    codec: str
    frames_estimate: int | None
    duration_s: float | None


@dataclass(frozen=True)
class DecodedFrame:
    """One decoded frame.

    Attributes
    ----------
    index : int
        0-based index among the frames handed out.
    t_s : float
        Seconds since the first frame (presentation timestamps).
    rgb : ndarray of uint8, shape (height, width, 3)
        The picture, RGB, row 0 at the top.
    mean_luma : float
        Mean brightness 0-255 (BT.601 luma, estimated on every 4th pixel of every 4th row).
    extras : object
        What the ``annotate`` function of :meth:`VideoReader.frames` returned for this frame.
    """

    index: int
    t_s: float
    rgb: np.ndarray
    mean_luma: float
    extras: Any = None


def _unreadable() -> UnusableRecording:
    return UnusableRecording("This file could not be read as a video.", "unreadable")


def _to_rgb(frame: av.VideoFrame) -> tuple[np.ndarray, float]:
    """Convert one decoded frame to RGB and measure its brightness."""
    if frame.format.name in _FAST_YUV and frame.width % 2 == 0 and frame.height % 2 == 0:
        # OpenCV's SIMD conversion is several times faster than swscale's default path here.
        planes = frame.to_ndarray()
        luma = float(planes[: frame.height : 4, ::4].mean())
        return cv2.cvtColor(planes, cv2.COLOR_YUV2RGB_I420), luma
    rgb = frame.to_ndarray(format="rgb24")
    sample = rgb[::4, ::4].astype(np.float32)
    luma = float((sample @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).mean())
    return rgb, luma


class VideoReader:
    """Iterate over a video file's frames, decoding ahead in a background thread.

    Use :func:`open_video`; iterate with :meth:`frames`. :attr:`warnings` collects notes about
    timestamps and damaged data once iteration has ended.
    """

    def __init__(self, path: str | Path, *, prefetch: int | None = None) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []
        if self.path.is_dir():
            raise UnusableRecording("This is a folder, not a video file.", "unreadable")
        if not self.path.exists():
            raise UnusableRecording("This file does not exist.", "unreadable")
        try:
            self._container = av.open(str(self.path))
        except (OSError, av.FFmpegError, ValueError) as exc:
            log.info("cannot open %s: %s", self.path, exc)
            raise _unreadable() from exc
        if not self._container.streams.video:
            self._container.close()
            raise UnusableRecording("This file holds no video.", "unreadable")
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"
        self.info = self._read_info()
        if prefetch is None:
            frame_bytes = max(self.info.width * self.info.height * 3, 1)
            prefetch = int(np.clip(PREFETCH_BYTES // frame_bytes, 4, 16))
        self.prefetch = max(1, int(prefetch))

    def _read_info(self) -> VideoInfo:
        stream = self._stream
        duration_s = None
        if stream.duration is not None and stream.time_base is not None:
            duration_s = float(stream.duration * stream.time_base)
        elif self._container.duration is not None:
            duration_s = float(self._container.duration / av.time_base)
        frames_estimate = int(stream.frames) if stream.frames else None
        rate = stream.average_rate or stream.guessed_rate
        if frames_estimate is None and duration_s and rate:
            frames_estimate = int(round(duration_s * float(rate)))
        return VideoInfo(
            width=int(stream.codec_context.width),
            height=int(stream.codec_context.height),
            codec=str(stream.codec_context.name),
            frames_estimate=frames_estimate,
            duration_s=duration_s,
        )

    def close(self) -> None:
        """Release the file."""
        self._container.close()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _decode(self) -> Iterator[DecodedFrame]:
        """Decode on the calling thread, yielding frames with strictly increasing times."""
        stream = self._stream
        nominal_rate = float(stream.average_rate or stream.guessed_rate or 30)
        first_time = None
        last_t = -np.inf
        index = 0
        duplicates = 0
        guessed = 0
        try:
            for frame in self._container.decode(stream):
                if frame.pts is not None and frame.time_base is not None:
                    seconds = float(frame.pts * frame.time_base)
                    if first_time is None:
                        first_time = seconds
                    t_s = seconds - first_time
                else:
                    guessed += 1
                    t_s = 0.0 if index == 0 else last_t + 1.0 / nominal_rate
                    if first_time is None:
                        first_time = 0.0
                if t_s <= last_t:
                    duplicates += 1
                    continue
                rgb, luma = _to_rgb(frame)
                yield DecodedFrame(index=index, t_s=t_s, rgb=rgb, mean_luma=luma)
                last_t = t_s
                index += 1
        except av.FFmpegError as exc:
            if index == 0:
                raise _unreadable() from exc
            log.warning("decoding %s stopped at frame %d: %s", self.path, index, exc)
            self.warnings.append(
                f"The file is damaged after {last_t:.1f} s; only the part before was analysed."
            )
        expected_s = self.info.duration_s
        if index and expected_s and last_t + 2.0 / nominal_rate < 0.9 * expected_s:
            self.warnings.append(
                f"The file seems cut short: it should last {expected_s:.1f} s but only "
                f"{last_t + 1.0 / nominal_rate:.1f} s could be read."
            )
        if duplicates:
            self.warnings.append(f"{duplicates} frames repeating an earlier timestamp were skipped.")
        if guessed:
            self.warnings.append(
                f"{guessed} frames had no timestamp; their times were taken from the nominal frame rate."
            )

    def frames(self, annotate: Callable[[DecodedFrame], Any] | None = None) -> Iterator[DecodedFrame]:
        """Yield the decoded frames in order; decoding runs up to ``prefetch`` frames ahead.

        Parameters
        ----------
        annotate : callable, optional
            Called on the decoding thread with each frame; its return value becomes the frame's
            ``extras``. Work that releases the interpreter lock (MediaPipe graphs do) then runs in
            parallel with the caller's own work on each frame.

        Raises
        ------
        UnusableRecording
            When not a single frame can be decoded.
        """
        handoff: queue.Queue = queue.Queue(maxsize=self.prefetch)
        stop = threading.Event()
        done = object()

        def produce() -> None:
            try:
                for item in self._decode():
                    if annotate is not None:
                        item = replace(item, extras=annotate(item))
                    while not stop.is_set():
                        try:
                            handoff.put(item, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                handoff.put(done)
            except BaseException as exc:  # handed to the consumer, which re-raises it
                handoff.put(exc)

        worker = threading.Thread(target=produce, name="torsion-video-decode", daemon=True)
        worker.start()
        try:
            while True:
                item = handoff.get()
                if item is done:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while worker.is_alive():
                try:
                    handoff.get(timeout=0.05)
                except queue.Empty:
                    pass
            worker.join()


def open_video(path: str | Path, *, prefetch: int | None = None) -> VideoReader:
    """Open a video file for streaming decoding.

    Parameters
    ----------
    path : str or Path
        Any container and codec FFmpeg reads (WebM VP8/VP9, MP4 H.264, ...).
    prefetch : int, optional
        How many decoded frames may wait in memory ahead of the consumer; by default as many as
        fit in :data:`PREFETCH_BYTES`, between 4 and 16.

    Raises
    ------
    UnusableRecording
        ``reason="unreadable"`` when the file does not exist, is not a video or has no video stream.
    """
    return VideoReader(path, prefetch=prefetch)
