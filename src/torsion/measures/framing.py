"""Live check of the camera before a recording: frame rate, light and framing, each with its fix.

While the camera preview runs, the recording page sends a frame now and then with the frame rate it
measured, and :func:`check_frame` says whether a recording made now could be measured, and if not,
what to do about it in plain words ("move closer", "more light in front of you", "close other apps:
the camera gives 8 frames a second"). It applies, to one frame, the same limits the analysis applies
to a whole recording (:mod:`torsion.measures.quality`), with a margin where a single frame says less
than a recording:

``low_frame_rate``  frames per second (measured by the page from the frames it shows) below the
                    analysis' ``min_fps`` (15);
``too_dark``        mean brightness (0-255, Rec. 601 luma) of the frame below ``dark_luma`` (60);
``backlit``         the face much darker than the picture around it (below ``backlit_ratio`` of the
                    frame's mean) and itself below ``face_dark_luma``: a window or lamp behind;
``too_bright``      mean brightness above ``bright_luma`` (225): the picture is washed out;
``no_face``         no face found by MediaPipe's face detector (BlazeFace, full-range model);
``multiple_faces``  more than one face in view;
``face_too_small``  the face narrower than ``min_face_width_fraction`` of the picture (or than the
                    analysis' ``min_face_width_px``);
``face_too_large``  the face wider than ``max_face_width_fraction`` of the picture (the shoulders, which
                    some tasks need, are then out of view);
``off_centre``      the face's centre outside the middle of the picture (the oval on the page).

The limits are Torsion's own engineering choices, set from the framing guide drawn on the page (an
oval about a third of the picture wide) and from the analysis' quality gates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from torsion.measures.quality import QualityThresholds

__all__ = ["FaceBox", "FramingCheck", "FramingProblem", "FramingThresholds", "assess_framing", "check_frame"]


@dataclass(frozen=True)
class FaceBox:
    """A face found in a frame, as fractions of the frame's width and height (0-1, origin top left)."""

    x: float
    y: float
    width: float
    height: float
    score: float = 1.0

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


@dataclass(frozen=True)
class FramingThresholds:
    """Limits of :func:`assess_framing` (see the module docstring)."""

    min_fps: float = QualityThresholds().min_fps
    dark_luma: float = 60.0
    bright_luma: float = 225.0
    backlit_ratio: float = 0.6
    face_dark_luma: float = 80.0
    min_face_width_fraction: float = 0.20
    min_face_width_px: float = QualityThresholds().min_face_width_px
    max_face_width_fraction: float = 0.60
    centre_x: tuple[float, float] = (0.25, 0.75)
    centre_y: tuple[float, float] = (0.20, 0.70)


@dataclass(frozen=True)
class FramingProblem:
    """What is wrong (``message``) and what to do about it (``fix``), in words a patient understands."""

    code: str
    topic: str  # "frame rate", "light" or "framing"
    message: str
    fix: str


@dataclass(frozen=True)
class FramingCheck:
    """The result of one check: ``passed`` when there is no problem."""

    fps: float | None
    mean_luma: float
    faces: list[FaceBox]
    problems: list[FramingProblem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "fps": self.fps,
            "mean_luma": round(self.mean_luma, 1),
            "faces": [{"x": f.x, "y": f.y, "width": f.width, "height": f.height, "score": f.score} for f in self.faces],
            "problems": [{"code": p.code, "topic": p.topic, "message": p.message, "fix": p.fix} for p in self.problems],
        }


def luma(rgb: np.ndarray) -> np.ndarray:
    """Rec. 601 luma (0-255) of an RGB uint8 image of shape (height, width, 3)."""
    rgb = np.asarray(rgb, dtype=np.float32)
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def assess_framing(
    *,
    fps: float | None,
    frame_luma: float,
    face_luma: float | None,
    faces: list[FaceBox],
    frame_width_px: int,
    thresholds: FramingThresholds | None = None,
) -> FramingCheck:
    """The problems of one frame from what was measured in it.

    Parameters
    ----------
    fps : float or None
        Frames per second the camera delivers, measured by the page; ``None`` when unknown (not checked).
    frame_luma : float
        Mean luma of the frame, 0-255.
    face_luma : float or None
        Mean luma inside the (one) face's box; ``None`` without exactly one face.
    faces : list of FaceBox
        The faces found.
    frame_width_px : int
        Width of the frame in pixels.
    """
    limits = thresholds or FramingThresholds()
    problems: list[FramingProblem] = []
    if fps is not None and fps < limits.min_fps:
        problems.append(FramingProblem(
            "low_frame_rate", "frame rate",
            f"The camera gives {fps:.0f} frames a second; the measurements need at least {limits.min_fps:g}.",
            "Close other apps and browser tabs that use the camera or the processor, and add light: many cameras "
            "slow down in dim light.",
        ))
    if frame_luma < limits.dark_luma:
        problems.append(FramingProblem("too_dark", "light", "The picture is too dark.",
                                       "Add light in front of you: face a window or a lamp."))
    elif frame_luma > limits.bright_luma:
        problems.append(FramingProblem("too_bright", "light", "The picture is too bright and washed out.",
                                       "Move out of direct sunlight, or turn the lamp away from the camera."))
    elif (face_luma is not None and face_luma < limits.face_dark_luma
          and face_luma < limits.backlit_ratio * frame_luma):
        problems.append(FramingProblem("backlit", "light", "The light is behind you, so your face is in shadow.",
                                       "Turn so that the light (a window or a lamp) is in front of you."))
    if not faces:
        problems.append(FramingProblem("no_face", "framing", "Your face is not found in the picture.",
                                       "Face the camera with your whole face inside the oval."))
    elif len(faces) > 1:
        problems.append(FramingProblem("multiple_faces", "framing", "More than one face is in view.",
                                       "Make sure only you are in view."))
    else:
        face = faces[0]
        cx, cy = face.centre
        if face.width < limits.min_face_width_fraction or face.width * frame_width_px < limits.min_face_width_px:
            problems.append(FramingProblem("face_too_small", "framing", "Your face is small in the picture.",
                                           "Move closer to the camera, until your face fills the oval."))
        elif face.width > limits.max_face_width_fraction:
            problems.append(FramingProblem("face_too_large", "framing", "You are too close to the camera.",
                                           "Move back a little, so that your shoulders are in view."))
        if not (limits.centre_x[0] <= cx <= limits.centre_x[1] and limits.centre_y[0] <= cy <= limits.centre_y[1]):
            problems.append(FramingProblem("off_centre", "framing", "Your face is near the edge of the picture.",
                                           "Move so that your face is inside the oval."))
    return FramingCheck(fps=fps, mean_luma=frame_luma, faces=list(faces), problems=problems)


def check_frame(rgb: np.ndarray, fps: float | None, finder, thresholds: FramingThresholds | None = None) -> FramingCheck:
    """Check one camera frame.

    Parameters
    ----------
    rgb : ndarray, uint8, shape (height, width, 3)
        The frame, not mirrored.
    fps : float or None
        Frames per second measured by the page.
    finder : object with ``find(rgb) -> list[FaceBox]``
        A face detector, such as :class:`torsion.measures.landmarks.FaceCounter`.
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an RGB uint8 image of shape (height, width, 3), not {rgb.dtype} {rgb.shape}")
    height, width = rgb.shape[:2]
    brightness = luma(rgb)
    faces = finder.find(rgb)
    face_luma = None
    if len(faces) == 1:
        face = faces[0]
        x0, x1 = int(max(face.x, 0) * width), int(min(face.x + face.width, 1) * width)
        y0, y1 = int(max(face.y, 0) * height), int(min(face.y + face.height, 1) * height)
        if x1 > x0 and y1 > y0:
            face_luma = float(brightness[y0:y1, x0:x1].mean())
    return assess_framing(fps=fps, frame_luma=float(brightness.mean()), face_luma=face_luma, faces=faces,
                          frame_width_px=width, thresholds=thresholds)
