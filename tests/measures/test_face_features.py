"""Face features from synthetic landmarks: known answers, sign conventions, invariances."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from torsion.measures.face import FACE_FEATURES, face_features, head_frame

IOD_MM = 63.0


def canonical_face(*, opening_mm=0.0, jaw_mm=0.0, left_pull_mm=(0.0, 0.0), right_pull_mm=(0.0, 0.0), seed=0):
    """A (478, 3) face in image axes (x = person's left, y down, z away from the camera), in mm.

    Only the landmarks the features use are placed with care; the rest are random filler. The
    nasion and subnasale sit at the same depth, so the head frame's up axis is exactly -y here.
    ``*_pull_mm`` = (outwards, upwards) displacement of that mouth corner.
    """
    face = np.random.default_rng(seed).uniform(-60, 60, (478, 3))
    face[33] = (-46, 0, 8)
    face[133] = (-17, 0, 2)
    face[362] = (17, 0, 2)
    face[263] = (46, 0, 8)
    face[168] = (0, -2, -6)
    face[2] = (0, 48, -6)
    face[13] = (0, 62, -8)
    face[14] = (0, 62 + opening_mm, -8)
    face[152] = (jaw_mm, 110, -2)
    face[291] = (25 + left_pull_mm[0], 68 - left_pull_mm[1], 0)
    face[61] = (-25 - right_pull_mm[0], 68 - right_pull_mm[1], 0)
    return face


def rotation(yaw_deg, pitch_deg, roll_deg):
    yaw, pitch, roll = np.radians([yaw_deg, pitch_deg, roll_deg])
    r_y = np.array([[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]])
    r_x = np.array([[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]])
    r_z = np.array([[math.cos(roll), -math.sin(roll), 0], [math.sin(roll), math.cos(roll), 0], [0, 0, 1]])
    return r_y @ r_x @ r_z


def place(face, *, yaw=0.0, pitch=0.0, roll=0.0, scale=1.0, shift=(0.0, 0.0, 0.0)):
    """The face turned, scaled and moved as Face Mesh's pixel landmarks would show it."""
    return scale * face @ rotation(yaw, pitch, roll).T + np.asarray(shift)


def test_feature_names_are_the_agreed_ones():
    assert FACE_FEATURES == ("mouth_opening", "jaw_deviation", "lip_pull")


def test_resting_face_has_closed_mouth_centred_jaw_and_no_pull():
    np.testing.assert_allclose(face_features(canonical_face()), [0.0, 0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "expected_mm"),
    [
        ({"opening_mm": 18.9}, (18.9, 0, 0)),
        ({"jaw_mm": 6.3}, (0, -6.3, 0)),  # chin towards the person's left (+x): negative
        ({"jaw_mm": -9.45}, (0, 9.45, 0)),  # towards the person's right: positive
        ({"right_pull_mm": (4.0, 0.0)}, (0, 0, 4.0)),  # right corner sideways
        ({"right_pull_mm": (0.0, 3.0)}, (0, 0, 3.0)),  # right corner up
        ({"left_pull_mm": (2.0, 5.0)}, (0, 0, -7.0)),  # left corner out and up: negative
        ({"left_pull_mm": (3.0, 4.0), "right_pull_mm": (3.0, 4.0)}, (0, 0, 0)),  # symmetric smile
        ({"opening_mm": 12.6, "jaw_mm": -3.15, "right_pull_mm": (1.0, 2.0)}, (12.6, 3.15, 3.0)),
    ],
)
def test_known_mouth_opening_jaw_shift_and_corner_pull_are_recovered(kwargs, expected_mm):
    features = face_features(canonical_face(**kwargs))
    np.testing.assert_allclose(features, np.asarray(expected_mm) / IOD_MM, atol=1e-12)


def test_signs_follow_the_persons_sides_in_an_unmirrored_picture():
    # Upright frontal face: the person's right is at smaller image x.
    face = canonical_face()
    assert face[33, 0] < face[263, 0] and face[61, 0] < face[291, 0]
    # As for the head measures, the person's right is positive.
    chin_to_smaller_x = canonical_face(jaw_mm=-5)
    assert face_features(chin_to_smaller_x)[1] > 0
    right_corner_drawn_to_smaller_x = canonical_face(right_pull_mm=(5, 0))
    assert face_features(right_corner_drawn_to_smaller_x)[2] > 0
    left_corner_drawn_up = canonical_face(left_pull_mm=(0, 5))
    assert face_features(left_corner_drawn_up)[2] < 0


def test_head_frame_of_the_canonical_face():
    origin, axes, iod = head_frame(canonical_face())
    np.testing.assert_allclose(origin, [0, 0, 5], atol=1e-12)
    np.testing.assert_allclose(axes, [[1, 0, 0], [0, -1, 0], [0, 0, -1]], atol=1e-12)
    assert iod == pytest.approx(IOD_MM)


def test_batches_and_missing_faces():
    batch = np.stack([canonical_face(jaw_mm=6.3), np.full((478, 3), np.nan), canonical_face(opening_mm=6.3)])
    features = face_features(batch)
    assert features.shape == (3, 3)
    assert np.isnan(features[1]).all()
    np.testing.assert_allclose(features[[0, 2]], [[0, -0.1, 0], [0.1, 0, 0]], atol=1e-12)


@pytest.mark.parametrize("shape", [(468, 3), (478, 2), (3,)])
def test_wrong_landmark_array_raises(shape):
    with pytest.raises(ValueError, match=r"face landmarks must have shape \(\.\.\., 478, 3\), got"):
        face_features(np.zeros(shape))


@settings(max_examples=80, deadline=None)
@given(
    roll=st.floats(-180, 180),
    yaw=st.floats(-40, 40),
    pitch=st.floats(-30, 30),
    scale=st.floats(0.1, 10.0),
    shift=st.tuples(st.floats(-1000, 1000), st.floats(-1000, 1000), st.floats(-100, 100)),
    opening=st.floats(0, 30),
    jaw=st.floats(-15, 15),
    pull=st.tuples(st.floats(-8, 8), st.floats(-8, 8)),
)
def test_features_do_not_change_when_the_head_moves_turns_or_the_camera_zooms(
    roll, yaw, pitch, scale, shift, opening, jaw, pull
):
    face = canonical_face(opening_mm=opening, jaw_mm=jaw, left_pull_mm=pull)
    moved = place(face, yaw=yaw, pitch=pitch, roll=roll, scale=scale, shift=shift)
    np.testing.assert_allclose(face_features(moved), face_features(face), atol=1e-9)


def test_in_plane_roll_does_not_fake_jaw_deviation():
    # A head tilted 20 degrees puts the chin well off the vertical through the eyes in the picture.
    tilted = place(canonical_face(), roll=20.0)
    chin_offset_in_picture = (tilted[152, 0] - tilted[[33, 133, 362, 263], 0].mean()) / IOD_MM
    assert abs(chin_offset_in_picture) > 0.5
    assert face_features(tilted)[1] == pytest.approx(0.0, abs=1e-12)
