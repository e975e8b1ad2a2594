"""The live camera check: table-driven on measured values, and on real frames through the face detector."""

from __future__ import annotations

import numpy as np
import pytest

from tests.measures.synthetic_video import astronaut, face_view
from torsion.measures.framing import FaceBox, FramingThresholds, assess_framing, check_frame
from torsion.measures.landmarks import FaceCounter

GOOD_FACE = FaceBox(0.35, 0.25, 0.33, 0.45)


def codes(**changes) -> list[str]:
    values = {"fps": 30.0, "frame_luma": 130.0, "face_luma": 120.0, "faces": [GOOD_FACE], "frame_width_px": 640}
    values.update(changes)
    return [p.code for p in assess_framing(**values).problems]


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"fps": None}, []),                                                    # frame rate not measured yet
    ({"fps": 15.0}, []),
    ({"fps": 14.9}, ["low_frame_rate"]),
    ({"fps": 5.0}, ["low_frame_rate"]),
    ({"frame_luma": 59.0, "face_luma": 50.0}, ["too_dark"]),
    ({"frame_luma": 230.0, "face_luma": 230.0}, ["too_bright"]),
    ({"frame_luma": 150.0, "face_luma": 60.0}, ["backlit"]),
    ({"frame_luma": 150.0, "face_luma": 95.0}, []),                         # darker, but lit enough
    ({"frame_luma": 90.0, "face_luma": 70.0}, []),                          # dim, but not backlit
    ({"faces": []}, ["no_face"]),
    ({"faces": [GOOD_FACE, FaceBox(0.05, 0.1, 0.1, 0.15)]}, ["multiple_faces"]),
    ({"faces": [FaceBox(0.42, 0.38, 0.17, 0.23)]}, ["face_too_small"]),
    ({"faces": [FaceBox(0.45, 0.4, 0.21, 0.3)], "frame_width_px": 200}, ["face_too_small"]),  # 42 px wide
    ({"faces": [FaceBox(0.15, 0.05, 0.7, 0.9)]}, ["face_too_large"]),
    ({"faces": [FaceBox(0.0, 0.3, 0.3, 0.4)]}, ["off_centre"]),
    ({"faces": [FaceBox(0.4, 0.65, 0.25, 0.3)]}, ["off_centre"]),
    ({"fps": 8.0, "frame_luma": 40.0, "face_luma": 35.0, "faces": []}, ["low_frame_rate", "too_dark", "no_face"]),
])
def test_problems(changes, expected):
    assert codes(**changes) == expected


def test_frame_rate_message_names_the_rate_and_the_fix():
    (problem,) = assess_framing(fps=8.2, frame_luma=130, face_luma=120, faces=[GOOD_FACE], frame_width_px=640).problems
    assert problem.topic == "frame rate"
    assert problem.message == "The camera gives 8 frames a second; the measurements need at least 15."
    assert problem.fix.startswith("Close other apps")


def test_thresholds_follow_the_analysis_gates():
    from torsion.measures.quality import QualityThresholds

    assert FramingThresholds().min_fps == QualityThresholds().min_fps == 15.0
    assert FramingThresholds().min_face_width_px == QualityThresholds().min_face_width_px


@pytest.fixture(scope="module")
def finder():
    with FaceCounter() as counter:
        yield counter


@pytest.mark.parametrize("zoom, size, expected", [
    (1.5, (480, 360), []),                    # the face fills the oval
    (1.0, (640, 480), ["face_too_small"]),    # sitting too far away
    (0.5, (640, 480), ["face_too_small"]),
])
def test_real_frames(finder, zoom, size, expected):
    frame = np.ascontiguousarray(face_view(astronaut(), size=size, zoom=zoom))
    check = check_frame(frame, 30.0, finder)
    assert len(check.faces) == 1
    assert [p.code for p in check.problems] == expected


def test_real_frames_dark_and_empty(finder):
    frame = np.ascontiguousarray(face_view(astronaut(), size=(480, 360), zoom=1.5))
    dark = (frame * 0.25).astype(np.uint8)
    assert [p.code for p in check_frame(dark, 30.0, finder).problems][:1] == ["too_dark"]
    wall = np.full((360, 480, 3), 140, np.uint8)
    assert [p.code for p in check_frame(wall, 30.0, finder).problems] == ["no_face"]
    shifted = np.ascontiguousarray(face_view(astronaut(), size=(480, 360), zoom=1.5, shift_px=(-190, 0)))
    assert "off_centre" in [p.code for p in check_frame(shifted, 30.0, finder).problems]


def test_a_frame_must_be_rgb_bytes(finder):
    with pytest.raises(ValueError, match="expected an RGB uint8 image"):
        check_frame(np.zeros((10, 10), np.uint8), 30.0, finder)
