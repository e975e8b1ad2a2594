"""Eye aspect ratio from landmarks: known shapes, invariances, input checks."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from torsion.measures.blink import LEFT_EYE, RIGHT_EYE, eye_aspect_ratio


def face_with_eyes(left_eye: np.ndarray, right_eye: np.ndarray) -> np.ndarray:
    """A (478, 3) landmark array with the six EAR points of each eye set and the rest zero."""
    face = np.zeros((478, 3))
    face[list(LEFT_EYE), :2] = left_eye
    face[list(RIGHT_EYE), :2] = right_eye
    return face


# p1 corner, p2 and p3 upper lid, p4 other corner, p5 and p6 lower lid (image y grows downwards).
RIGHT_SHAPE = np.array([[100, 50], [110, 44], [120, 42], [130, 50], [120, 55], [110, 57]], float)
LEFT_SHAPE = np.array([[160, 50], [170, 47], [180, 47], [190, 50], [180, 53], [170, 53]], float)


def test_known_eye_shapes_give_known_ear():
    ear = eye_aspect_ratio(face_with_eyes(LEFT_SHAPE, RIGHT_SHAPE))
    # Right: (|p2-p6| + |p3-p5|) / (2 |p1-p4|) = (13 + 13) / 60; left: (6 + 6) / 60.
    assert ear.shape == (2,)
    assert ear[0] == pytest.approx(12 / 60, abs=1e-12)
    assert ear[1] == pytest.approx(26 / 60, abs=1e-12)


def test_indices_follow_the_persons_sides():
    # In an unmirrored image the person's right eye (33, 133) lies at smaller x than the left.
    assert RIGHT_EYE[0] == 33 and RIGHT_EYE[3] == 133
    assert LEFT_EYE[0] == 362 and LEFT_EYE[3] == 263


def test_batches_keep_leading_dimensions_and_nan_frames():
    face = face_with_eyes(LEFT_SHAPE, RIGHT_SHAPE)
    batch = np.stack([face, np.full_like(face, np.nan), face])
    ear = eye_aspect_ratio(batch)
    assert ear.shape == (3, 2)
    assert np.isnan(ear[1]).all()
    np.testing.assert_allclose(ear[0], ear[2])


def test_closed_eye_with_coincident_corners_gives_nan_not_an_error():
    shape = RIGHT_SHAPE.copy()
    shape[3] = shape[0]
    ear = eye_aspect_ratio(face_with_eyes(LEFT_SHAPE, shape))
    assert math.isnan(ear[1]) and ear[0] == pytest.approx(0.2)


@pytest.mark.parametrize("shape", [(468, 3), (478, 2), (478,), (2, 477, 3)])
def test_wrong_landmark_array_raises(shape):
    with pytest.raises(ValueError, match=r"face landmarks must have shape \(\.\.\., 478, 3\), got"):
        eye_aspect_ratio(np.zeros(shape))


@settings(max_examples=60, deadline=None)
@given(
    angle=st.floats(-math.pi, math.pi),
    scale=st.floats(0.2, 8.0),
    dx=st.floats(-500, 500),
    dy=st.floats(-500, 500),
    seed=st.integers(0, 2**16),
)
def test_ear_is_invariant_to_translation_scale_and_in_plane_rotation(angle, scale, dx, dy, seed):
    rng = np.random.default_rng(seed)
    face = rng.uniform(0, 300, (478, 3))
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    moved = face.copy()
    moved[:, :2] = scale * face[:, :2] @ rotation.T + [dx, dy]
    moved[:, 2] = scale * face[:, 2]
    np.testing.assert_allclose(eye_aspect_ratio(moved), eye_aspect_ratio(face), rtol=1e-9)
