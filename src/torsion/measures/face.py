"""Mouth, jaw and lip measures from face landmarks, for oromandibular and lower-face dystonia.

Head frame
----------
Features are read in a frame fixed to the skull, built per frame from MediaPipe Face Mesh landmarks
in three dimensions (x, y in pixels and MediaPipe's relative depth z on the x scale):

- origin ``O``: midpoint of the two eye centres, each the mean of its inner and outer corner
  (right eye 33/133, left eye 362/263);
- ``e_x``: unit vector from the right to the left eye centre (towards the person's left);
- ``e_up``: from the subnasale (2) to the nasion (168), made orthogonal to ``e_x`` (upwards);
- ``e_fwd = e_x x e_up``: out of the face, towards the camera when the face looks at it.

Lengths are divided by the inter-ocular distance ``IOD`` (3-D distance between the eye centres,
about 6 cm in adults). Moving, scaling or rolling the head within the image therefore changes no
feature, and turning or nodding it changes none either as far as the landmarks' depth is right.

Features (units: inter-ocular distances)
----------------------------------------
- ``mouth_opening``: distance between the inner-lip midpoints (13 upper, 14 lower); 0 with the lips
  together, never negative.
- ``jaw_deviation``: sideways position of the chin (menton, 152) from the facial midline (the plane
  through ``O`` perpendicular to ``e_x``); **positive = towards the person's right**, as for the
  head measures (:mod:`torsion.measures.headpose`).
- ``lip_pull``: how much further the person's right mouth corner (61) is drawn outwards and upwards
  than the left corner (291): ``(out_R + up_R) - (out_L + up_L)``, with ``out`` the distance from
  the midline and ``up`` the height along ``e_up``. **Positive = right corner pulled**, negative =
  left corner pulled; a symmetric smile or mouth opening leaves it unchanged.

Resting range
-------------
Each feature's resting range is ``centre +/- max(rest_k * sigma, min_rest_halfwidth)``. With a
neutral period (``rest_s`` seconds at the start, face relaxed) ``centre`` is the median there and
``sigma`` 1.4826 times the median absolute deviation. Without one, both come from the recording
itself: the shortest interval holding half of the frames (the densest half) gives
``centre`` = its median and ``sigma`` = its width / 1.349 (the width of a normal distribution's
central half); this assumes the face is at rest at least half of the time. The floor
``min_rest_halfwidth`` keeps landmark jitter from counting as movement when the resting spread is
tiny. Fractions of time outside the range weight each frame by the time it stands for.

Confounds and how they are handled
----------------------------------
- Head turns: the 3-D frame corrects for yaw and pitch as far as Face Mesh's depth estimate is
  right; beyond ``max_yaw_deg`` (30 degrees, yaw from :func:`torsion.measures.headpose.head_pose`)
  the far half of the face is foreshortened and largely guessed by the mesh model, so those frames
  are left out, with a warning.
- Head roll: the frame removes it exactly from the landmarks, but Face Mesh itself does not place
  the landmarks quite the same on a tilted face: on a portrait turned in the picture by 10-20
  degrees, the measured jaw deviation moved by up to about 0.045 inter-ocular distances and the lip
  pull by up to about 0.05, where the chin's plain image-x offset moved by 0.3-0.6.
- The mesh is a statistical face model fitted to the image and understates unusual asymmetric
  shapes: on a portrait whose lower face was warped sideways, it followed about half of the shift
  (measured on synthetic warps, not on real jaws). The fractions of time outside the resting range
  are less affected than the sizes.
- A sideways jaw shift drags both mouth corners along and so also moves ``lip_pull``; read the two
  together. Speaking, chewing and yawning open the mouth without dystonia: the measures describe a
  recording made at rest unless the task says otherwise.
- The person's own facial asymmetry shifts the resting centre, not the fraction outside the range.

Conventions
-----------
Camera facing the person, image not mirrored (the person's right at smaller image x); image y grows
downwards. Times in seconds from the first frame, spacing possibly variable.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from torsion.measures.timebase import frame_durations_s, json_floats
from torsion.measures.headpose import PoseFitError, head_pose
from torsion.measures.landmarks import N_FACE_LANDMARKS
from torsion.measures.quality import UnusableRecording

if TYPE_CHECKING:
    from torsion.measures.pipeline import FrameLandmarks

logger = logging.getLogger(__name__)

FACE_FEATURES: tuple[str, str, str] = ("mouth_opening", "jaw_deviation", "lip_pull")

RIGHT_EYE_CORNERS = (33, 133)
LEFT_EYE_CORNERS = (362, 263)
NASION = 168
SUBNASALE = 2
UPPER_INNER_LIP = 13
LOWER_INNER_LIP = 14
MENTON = 152
RIGHT_MOUTH_CORNER = 61
LEFT_MOUTH_CORNER = 291

#: What a positive value means, per feature, for reports.
FEATURE_POSITIVE = {
    "mouth_opening": "mouth open (0 = lips together)",
    "jaw_deviation": "chin towards the person's right",
    "lip_pull": "person's right mouth corner drawn out or up more than the left",
}


class FaceAnalysisError(UnusableRecording):
    """The recording or its neutral period holds too little usable face data (reason
    ``face_not_measured``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "face_not_measured")


def _check_landmarks(face_px: np.ndarray) -> np.ndarray:
    face_px = np.asarray(face_px, dtype=float)
    if face_px.ndim < 2 or face_px.shape[-2:] != (N_FACE_LANDMARKS, 3):
        raise ValueError(
            f"face landmarks must have shape (..., {N_FACE_LANDMARKS}, 3), got {face_px.shape}"
        )
    return face_px


def _unit(v: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)


def head_frame(face_px: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skull-fixed frame of each face.

    Parameters
    ----------
    face_px : ndarray, shape (..., 478, 3)
        Face Mesh landmarks in pixels.

    Returns
    -------
    origin : ndarray, shape (..., 3)
        Midpoint of the eye centres, pixels.
    axes : ndarray, shape (..., 3, 3)
        Rows ``e_x`` (towards the person's left), ``e_up``, ``e_fwd`` (out of the face).
    iod : ndarray, shape (...)
        Inter-ocular distance in pixels.
    """
    face_px = _check_landmarks(face_px)
    right = face_px[..., list(RIGHT_EYE_CORNERS), :].mean(axis=-2)
    left = face_px[..., list(LEFT_EYE_CORNERS), :].mean(axis=-2)
    origin = (left + right) / 2.0
    across = left - right
    iod = np.linalg.norm(across, axis=-1)
    e_x = _unit(across)
    up = face_px[..., NASION, :] - face_px[..., SUBNASALE, :]
    e_up = _unit(up - np.sum(up * e_x, axis=-1, keepdims=True) * e_x)
    e_fwd = np.cross(e_x, e_up)
    return origin, np.stack([e_x, e_up, e_fwd], axis=-2), iod


def face_features(face_px: np.ndarray) -> np.ndarray:
    """Mouth opening, jaw deviation and lip pull of each face.

    Parameters
    ----------
    face_px : ndarray, shape (..., 478, 3)
        Face Mesh landmarks in pixels (x, y, z).

    Returns
    -------
    ndarray, shape (..., 3)
        ``FACE_FEATURES`` in inter-ocular distances (see the module docstring for signs); NaN for
        missing or degenerate landmarks.

    Raises
    ------
    ValueError
        If the array does not end in ``(478, 3)``.
    """
    face_px = _check_landmarks(face_px)
    origin, axes, iod = head_frame(face_px)

    def local(index: int) -> np.ndarray:
        rel = face_px[..., index, :] - origin
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.einsum("...ij,...j->...i", axes, rel) / iod[..., None]

    lips = face_px[..., UPPER_INNER_LIP, :] - face_px[..., LOWER_INNER_LIP, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mouth = np.linalg.norm(lips, axis=-1) / iod
    # e_x points to the person's left; the reported signs put the person's right positive.
    jaw = -local(MENTON)[..., 0]
    left = local(LEFT_MOUTH_CORNER)
    right = local(RIGHT_MOUTH_CORNER)
    # Outward is -x for the right corner and +x for the left one; up is +e_up for both.
    pull = (-right[..., 0] + right[..., 1]) - (left[..., 0] + left[..., 1])
    return np.stack([mouth, jaw, pull], axis=-1)


@dataclass(frozen=True)
class FaceParameters:
    """Settings of the face analysis, with their defaults.

    Attributes
    ----------
    rest_s : float or None
        Length of a neutral period at the start of the recording, seconds; None = estimate the
        resting range from the whole recording (densest half).
    rest_k : float
        Half-width of the resting range in robust standard deviations. Default 3.
    min_rest_halfwidth : float
        Least half-width of the resting range, inter-ocular distances (0.02 is about 1.3 mm).
    min_rest_frames : int
        Least analysed frames in the neutral period. Default 10.
    max_yaw_deg : float
        Frames with the head turned further are left out. Default 30 degrees.
    max_frame_gap_s : float
        A frame interval longer than this counts as a stall, not as time. Default 0.2 s.
    """

    rest_s: float | None = None
    rest_k: float = 3.0
    min_rest_halfwidth: float = 0.02
    min_rest_frames: int = 10
    max_yaw_deg: float = 30.0
    max_frame_gap_s: float = 0.2

    def __post_init__(self) -> None:
        if self.rest_s is not None and not self.rest_s > 0:
            raise ValueError(f"rest_s must be positive, got {self.rest_s}")
        for name in ("rest_k", "max_yaw_deg", "max_frame_gap_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.min_rest_halfwidth < 0:
            raise ValueError(f"min_rest_halfwidth must not be negative, got {self.min_rest_halfwidth}")
        if self.min_rest_frames < 2:
            raise ValueError(f"min_rest_frames must be at least 2, got {self.min_rest_frames}")


@dataclass(frozen=True)
class FeatureSummary:
    """Distribution of one feature and its time outside the resting range.

    Values in inter-ocular distances; fractions of analysed time, 0-1.
    """

    median: float
    p5: float
    p95: float
    rest_low: float
    rest_high: float
    fraction_outside_rest: float
    fraction_above_rest: float
    fraction_below_rest: float

    def to_dict(self) -> dict:
        return {
            "median": round(self.median, 4),
            "p5": round(self.p5, 4),
            "p95": round(self.p95, 4),
            "resting_range": [round(self.rest_low, 4), round(self.rest_high, 4)],
            "fraction_outside_rest": round(self.fraction_outside_rest, 4),
            "fraction_above_rest": round(self.fraction_above_rest, 4),
            "fraction_below_rest": round(self.fraction_below_rest, 4),
        }


@dataclass
class FaceResult:
    """Mouth, jaw and lip measures of one recording."""

    duration_s: float
    analysed_duration_s: float
    frames_total: int
    frames_analyzed: int
    rest_method: str
    features: dict[str, FeatureSummary]
    parameters: FaceParameters
    warnings: list[str] = field(default_factory=list)
    t_s: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    values: np.ndarray = field(default_factory=lambda: np.empty((0, 3)), repr=False)
    analysed: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool), repr=False)

    def to_dict(self, series: bool = False) -> dict:
        """Summary as plain JSON types; ``series=True`` adds the per-frame traces for plots."""
        out: dict = {
            "duration_s": round(self.duration_s, 3),
            "analysed_duration_s": round(self.analysed_duration_s, 3),
            "frames_total": self.frames_total,
            "frames_analyzed": self.frames_analyzed,
            "unit": "inter-ocular distance",
            "resting_range_method": self.rest_method,
        }
        for name in FACE_FEATURES:
            out[name] = {**self.features[name].to_dict(), "positive": FEATURE_POSITIVE[name]}
        out["parameters"] = asdict(self.parameters)
        out["warnings"] = list(self.warnings)
        if series:
            out["series"] = {"t_s": json_floats(self.t_s), "analysed": [bool(v) for v in self.analysed]}
            for col, name in enumerate(FACE_FEATURES):
                out["series"][name] = json_floats(self.values[:, col])
        return out


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile ``q`` (0-1) of ``values`` with each value standing for its ``weight``.

    Each sorted value sits at the middle of its share of the total weight and the quantile is
    interpolated linearly between them (clamped at the ends): with equal weights this is the
    "hazen" quantile, ``(i + 0.5) / n``.
    """
    order = np.argsort(values)
    v = np.asarray(values, float)[order]
    w = np.asarray(weights, float)[order]
    positions = (np.cumsum(w) - w / 2.0) / w.sum()
    return float(np.interp(q, positions, v))


def resting_range(values: np.ndarray, params: FaceParameters) -> tuple[float, float]:
    """Resting range of one feature from its resting frames (see the module docstring).

    Parameters
    ----------
    values : ndarray, shape (m,)
        Feature values of the neutral period, or of the whole recording when there is none.

    Returns
    -------
    (low, high)
    """
    values = np.sort(np.asarray(values, float))
    if params.rest_s is not None:
        centre = float(np.median(values))
        sigma = 1.4826 * float(np.median(np.abs(values - centre)))
    else:
        half = max(2, math.ceil(values.size / 2))
        widths = values[half - 1 :] - values[: values.size - half + 1]
        start = int(np.argmin(widths))
        densest = values[start : start + half]
        centre = float(np.median(densest))
        sigma = float(widths[start]) / 1.349
    halfwidth = max(params.rest_k * sigma, params.min_rest_halfwidth)
    return centre - halfwidth, centre + halfwidth


def summarise_feature(
    values: np.ndarray, weights: np.ndarray, rest_low: float, rest_high: float
) -> FeatureSummary:
    """Median, 5th and 95th percentiles and time fractions outside ``[rest_low, rest_high]``."""
    total = float(weights.sum())
    above = float(weights[values > rest_high].sum()) / total
    below = float(weights[values < rest_low].sum()) / total
    return FeatureSummary(
        median=weighted_quantile(values, weights, 0.5),
        p5=weighted_quantile(values, weights, 0.05),
        p95=weighted_quantile(values, weights, 0.95),
        rest_low=rest_low,
        rest_high=rest_high,
        fraction_outside_rest=above + below,
        fraction_above_rest=above,
        fraction_below_rest=below,
    )


def analyse_face(
    t_s: np.ndarray,
    features: np.ndarray,
    tracked: np.ndarray,
    *,
    yaw_deg: np.ndarray | None = None,
    **params,
) -> FaceResult:
    """Summarise per-frame face features against the person's resting range.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Frame times in seconds from the first frame, non-decreasing.
    features : ndarray, shape (n, 3)
        ``FACE_FEATURES`` per frame (:func:`face_features`); NaN where not tracked.
    tracked : ndarray, shape (n,)
        Whether the face was tracked in each frame.
    yaw_deg : ndarray, shape (n,), optional
        Head yaw per frame in degrees (:func:`torsion.measures.headpose.head_pose`); frames beyond
        ``max_yaw_deg`` either way are left out.
    **params
        Fields of :class:`FaceParameters` (``rest_s`` among them).

    Returns
    -------
    FaceResult

    Raises
    ------
    FaceAnalysisError
        Too few usable frames overall or in the neutral period, or a neutral period longer than
        the recording.
    ValueError
        Arrays of mismatched shapes or times that go backwards.
    """
    p = FaceParameters(**params)
    t_s = np.asarray(t_s, dtype=float)
    features = np.asarray(features, dtype=float)
    tracked = np.asarray(tracked, dtype=bool)
    n = t_s.shape[0]
    if t_s.ndim != 1 or features.shape != (n, len(FACE_FEATURES)) or tracked.shape != (n,):
        raise ValueError(
            f"expected t_s (n,), features (n, 3) and tracked (n,), got {t_s.shape}, {features.shape}, "
            f"{tracked.shape}"
        )
    if yaw_deg is not None and np.shape(yaw_deg) != (n,):
        raise ValueError(f"expected yaw_deg of shape ({n},), got {np.shape(yaw_deg)}")
    if n > 1 and np.any(np.diff(t_s) < 0):
        raise ValueError("frame times must not decrease")

    warnings: list[str] = []
    usable = tracked & np.all(np.isfinite(features), axis=1)
    if yaw_deg is not None:
        turned = usable & ~(np.abs(np.asarray(yaw_deg, float)) <= p.max_yaw_deg)
        if turned.any():
            share = turned.sum() / usable.sum()
            warnings.append(
                f"The head was turned more than {p.max_yaw_deg:g} degrees in {share:.0%} of the tracked "
                "frames; those frames were left out."
            )
        usable &= ~turned
    if usable.sum() < 2:
        raise FaceAnalysisError("The face could not be measured in enough frames of this recording.")

    durations = frame_durations_s(t_s, max_gap_s=p.max_frame_gap_s)
    duration = float(t_s[-1] - t_s[0] + durations[-1])
    if p.rest_s is not None:
        if p.rest_s >= duration:
            raise FaceAnalysisError(
                f"The neutral period ({p.rest_s:g} s) is not shorter than the whole recording "
                f"({duration:.1f} s)."
            )
        rest = usable & (t_s < t_s[0] + p.rest_s)
        if rest.sum() < p.min_rest_frames:
            raise FaceAnalysisError(
                f"The face was tracked in too few frames of the neutral period (the first {p.rest_s:g} s) "
                "to know its resting position."
            )
        rest_method = f"neutral period, first {p.rest_s:g} s"
    else:
        rest = usable
        rest_method = "densest half of the recording"
        warnings.append(
            "No neutral period was given: the resting range assumes the face was at rest at least half "
            "of the time."
        )

    weights = durations[usable]
    summaries = {}
    for col, name in enumerate(FACE_FEATURES):
        low, high = resting_range(features[rest, col], p)
        summaries[name] = summarise_feature(features[usable, col], weights, low, high)
    for message in warnings:
        logger.info("face analysis: %s", message)
    return FaceResult(
        duration_s=duration,
        analysed_duration_s=float(weights.sum()),
        frames_total=n,
        frames_analyzed=int(usable.sum()),
        rest_method=rest_method,
        features=summaries,
        parameters=p,
        warnings=warnings,
        t_s=t_s,
        values=np.where(usable[:, None], features, np.nan),
        analysed=usable,
    )


# --- entry point -------------------------------------------------------------------------------

#: Columns tracked per frame by :func:`measure_face`.
TRACKED_COLUMNS: tuple[str, ...] = (*FACE_FEATURES, "yaw_deg")


def _features_and_yaw(frame: FrameLandmarks) -> list[float] | None:
    try:
        yaw = head_pose(frame.face_px).yaw_deg
    except PoseFitError:
        return None
    return [*face_features(frame.face_px).tolist(), yaw]


def measure_face(
    video_path: str | Path,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    rest_s: float | None = None,
    **params,
) -> FaceResult:
    """Measure mouth opening, jaw deviation and lip pull in a video of a face.

    Parameters
    ----------
    video_path : str or Path
        Video file, camera facing the person, image not mirrored.
    progress : callable, optional
        ``progress(done_frames, total_frames)``, passed to the video pipeline.
    rest_s : float, optional
        Seconds at the start during which the face was relaxed; they define the resting range.
        Without it, the range is estimated from the whole recording.
    **params
        Other fields of :class:`FaceParameters`.

    Returns
    -------
    FaceResult
        With the pipeline's quality warnings first.

    Raises
    ------
    torsion.measures.quality.UnusableRecording
        When the video cannot be read or measured (:class:`FaceAnalysisError` among them).
    """
    # Imported here so that the analysis functions above load without the video stack.
    from torsion.measures.pipeline import track_video

    signals = track_video(video_path, _features_and_yaw, TRACKED_COLUMNS, progress=progress)
    result = analyse_face(
        signals.t_s,
        signals.values[:, : len(FACE_FEATURES)],
        signals.tracked,
        yaw_deg=signals.column("yaw_deg"),
        rest_s=rest_s,
        **params,
    )
    result.warnings[:0] = signals.warnings
    return result
