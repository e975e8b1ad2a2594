"""``measure_face`` end to end on short generated videos.

The astronaut photo is warped: the lower face slid sideways (a jaw shift) or one mouth corner drawn
out and up, in known frames; or the whole picture is turned (head roll). Face Mesh is a statistical
face model and follows only part of such warps (about half of a jaw shift), so the known answers
checked here are the direction, a lower bound on the size, and which frames leave the resting
range; the exact recovery of known geometry is tested on synthetic landmarks.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.measures import synthetic_video as sv
from torsion.measures.face import face_features, measure_face
from torsion.measures.pipeline import track_video

pytestmark = pytest.mark.slow

FPS = 30.0
#: Frame plan: (variant, frames); the first second is the neutral period.
PLAN = [("rest", 30), ("jaw_left", 30), ("rest", 15), ("right_corner", 30), ("rest", 15)]
SHIFT_IOD = 0.2


def photo_iod_px() -> float:
    mesh = sv.astronaut_mesh()
    return float(np.linalg.norm(mesh[[362, 263]].mean(axis=0) - mesh[[33, 133]].mean(axis=0)))


def remap(image: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Move picture content by (dx, dy) pixels per output pixel."""
    height, width = image.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    return cv2.remap(image, xx - dx, yy - dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def jaw_shifted(image: np.ndarray, shift_px: float) -> np.ndarray:
    """Lower face slid sideways by ``shift_px`` (positive = larger x = the person's left), fading
    in from the mouth corners down to the chin."""
    mesh = sv.astronaut_mesh()
    yy, xx = np.mgrid[0 : image.shape[0], 0 : image.shape[1]].astype(np.float32)
    top, chin = mesh[[61, 291], 1].mean(), mesh[152, 1]
    ramp = np.clip((yy - top) / (chin - top), 0, 1)
    across = np.exp(-((xx - mesh[152, 0]) ** 2) / (2 * (1.2 * photo_iod_px()) ** 2))
    weight = ramp * ramp * (3 - 2 * ramp) * across
    return remap(image, shift_px * weight, 0 * weight)


def corner_pulled(image: np.ndarray, corner: int, outwards: float, shift_px: float) -> np.ndarray:
    """Mouth corner ``corner`` drawn outwards (``outwards`` = -1 for smaller x) and up by ``shift_px``."""
    centre = sv.astronaut_mesh()[corner, :2]
    yy, xx = np.mgrid[0 : image.shape[0], 0 : image.shape[1]].astype(np.float32)
    weight = np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * (0.3 * photo_iod_px()) ** 2))
    return remap(image, outwards * shift_px * weight, -shift_px * weight)


def frames():
    photo = sv.astronaut()
    iod = photo_iod_px()
    variants = {
        "rest": photo,
        "jaw_left": jaw_shifted(photo, SHIFT_IOD * iod),
        "right_corner": corner_pulled(photo, 61, -1.0, 0.08 * iod),
    }
    for name, count in PLAN:
        for _ in range(count):
            yield sv.face_view(variants[name], size=(320, 240), zoom=2.0)


def frame_mask(name: str, settle: int = 2) -> np.ndarray:
    """Frames of each ``name`` run, skipping the first ``settle`` frames after a change."""
    mask = []
    for kind, count in PLAN:
        mask += [kind == name and k >= settle for k in range(count)]
    return np.array(mask)


@pytest.fixture(scope="module")
def result():
    video = sv.cached_video("face-warped.webm", frames, fps=FPS)
    return measure_face(video, rest_s=1.0)


def test_jaw_shift_to_the_persons_left_reads_negative_and_leaves_the_resting_range(result):
    jaw = result.values[:, 1]
    rest = np.median(jaw[frame_mask("rest")])
    shifted = jaw[frame_mask("jaw_left")]
    assert np.all(shifted - rest < -0.05)  # painted -0.2; Face Mesh follows about half
    summary = result.features["jaw_deviation"]
    assert np.all(shifted < summary.rest_low)
    # Only the jaw frames lie below the range. (The right-corner warp drags the mesh's chin a little
    # towards the person's right, above the range: the coupling named in the module docstring.)
    assert summary.fraction_below_rest == pytest.approx(30 / 120, abs=2 / 120)


def test_right_corner_pull_reads_positive(result):
    pull = result.values[:, 2]
    rest = np.median(pull[frame_mask("rest")])
    assert np.all(pull[frame_mask("right_corner")] - rest > 0.08)  # painted 0.16
    summary = result.features["lip_pull"]
    assert summary.fraction_above_rest == pytest.approx(30 / 120, abs=2 / 120)
    assert summary.p95 > summary.rest_high


def test_summary_is_complete(result):
    summary = result.to_dict(series=True)
    assert summary["resting_range_method"] == "neutral period, first 1 s"
    assert summary["frames_analyzed"] == summary["frames_total"] == 120
    assert summary["warnings"] == []
    assert len(summary["series"]["lip_pull"]) == 120


def test_head_roll_barely_moves_jaw_deviation_while_the_picture_moves_a_lot():
    roll = np.repeat([0.0, 12.0, -12.0, 0.0], 15)
    video = sv.cached_video("face-rolling.webm", lambda: sv.rolling_face_frames(roll), fps=FPS)

    def jaw_and_picture_offset(frame):
        face = frame.face_px
        iod = np.linalg.norm(face[[362, 263], :2].mean(axis=0) - face[[33, 133], :2].mean(axis=0))
        picture = (face[152, 0] - face[[33, 133, 362, 263], 0].mean()) / iod
        return [face_features(face)[1], picture]

    signals = track_video(video, jaw_and_picture_offset, ("jaw_deviation", "picture_offset"))
    settled = np.tile(np.arange(15) >= 2, 4)
    jaw, picture = signals.values[:, 0], signals.values[:, 1]
    upright = settled & (roll == 0)
    for angle in (12.0, -12.0):
        tilted = settled & (roll == angle)
        assert abs(np.median(picture[tilted]) - np.median(picture[upright])) > 0.3
        assert abs(np.median(jaw[tilted]) - np.median(jaw[upright])) < 0.05
