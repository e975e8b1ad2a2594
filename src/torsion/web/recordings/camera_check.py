"""The recording page's live camera check: one frame and the frame rate the page measured, checked by
:func:`torsion.measures.framing.check_frame`. The web app only decodes the picture and passes it on.

MediaPipe's face detector is made once per process, on the first check, and used by one request at a
time (a MediaPipe graph is not made to be shared between threads).
"""

from __future__ import annotations

import threading

import numpy as np

from torsion.measures.framing import FramingCheck, check_frame

#: Largest frame accepted, in bytes and in pixels along a side (a camera frame, not a photo).
MAX_FRAME_BYTES = 2 * 1024 * 1024
MAX_FRAME_SIDE = 1920

_lock = threading.Lock()
_finder = None


class FrameRejected(ValueError):
    """The uploaded frame cannot be checked; the message says why."""


def decode_frame(data: bytes) -> np.ndarray:
    """An RGB uint8 image from JPEG, PNG or WebP bytes."""
    import cv2

    if len(data) > MAX_FRAME_BYTES:
        raise FrameRejected(f"The picture is larger than {MAX_FRAME_BYTES // (1024 * 1024)} MB.")
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise FrameRejected("The picture could not be read (send a JPEG, PNG or WebP image).")
    if max(bgr.shape[:2]) > MAX_FRAME_SIDE:
        raise FrameRejected(f"The picture is larger than {MAX_FRAME_SIDE} pixels on a side.")
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def check_uploaded_frame(data: bytes, fps: float | None) -> FramingCheck:
    rgb = decode_frame(data)
    global _finder
    with _lock:
        if _finder is None:
            from torsion.measures.landmarks import FaceCounter

            _finder = FaceCounter()
        return check_frame(rgb, fps, _finder)
