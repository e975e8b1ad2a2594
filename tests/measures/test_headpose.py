"""Head-pose maths: known rotations of the reference face are recovered; bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from torsion.measures.headpose import (
    PoseFitError,
    ReflectedLandmarks,
    angles_to_rotation,
    head_pose,
    rigid_align,
    rotation_to_angles,
)
from torsion.measures.reference_face import load_reference_face

REFERENCE = load_reference_face()


def synthetic_face(yaw_deg, pitch_deg, roll_deg, *, scale=80.0, centre=(320.0, 240.0, 0.0), noise_px=0.0, seed=0):
    """Face Mesh-like landmarks (478, 3) in pixels: the reference face posed, plus iris points."""
    rotation = angles_to_rotation(yaw_deg, pitch_deg, roll_deg)
    mesh = scale * REFERENCE.landmarks @ rotation.T + np.asarray(centre)
    rng = np.random.default_rng(seed)
    mesh = mesh + rng.normal(0.0, noise_px, mesh.shape)
    iris = np.repeat(mesh[[468 - 1]], 10, axis=0)  # iris points must be ignored, whatever they hold
    return np.vstack([mesh, iris + 1000.0])


def test_reference_face_is_exactly_symmetric_and_scaled():
    landmarks, mirror = REFERENCE.landmarks, REFERENCE.mirror_index
    np.testing.assert_allclose(landmarks * [-1, 1, 1], landmarks[mirror], atol=1e-12)
    assert np.array_equal(mirror[mirror], np.arange(468))
    assert np.linalg.norm(landmarks[263] - landmarks[33]) == pytest.approx(1.0)
    # Person's left eye at +x, nose tip toward the camera (-z), chin below the forehead (+y).
    assert landmarks[263, 0] > 0 > landmarks[33, 0]
    assert landmarks[1, 2] < landmarks[234, 2]
    assert landmarks[152, 1] > landmarks[10, 1]
    assert REFERENCE.weights.shape == (468,) and REFERENCE.weights.min() > 0


def test_neutral_face_has_zero_angles():
    pose = head_pose(synthetic_face(0, 0, 0))
    assert (pose.yaw_deg, pose.pitch_deg, pose.roll_deg) == pytest.approx((0, 0, 0), abs=1e-9)
    assert pose.scale == pytest.approx(80.0)
    assert pose.rms_px == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    ("angles", "landmark", "axis", "direction", "meaning"),
    [
        ((20, 0, 0), 1, 0, -1, "yaw +: nose tip moves toward the person's right (smaller image x)"),
        ((0, 20, 0), 1, 1, +1, "pitch +: chin down, nose tip moves down the picture"),
        ((0, 0, 20), 234, 1, +1, "roll +: right ear (landmark 234, image left) moves down"),
    ],
)
def test_sign_conventions(angles, landmark, axis, direction, meaning):
    neutral = synthetic_face(0, 0, 0)
    posed = synthetic_face(*angles)
    assert np.sign(posed[landmark, axis] - neutral[landmark, axis]) == direction, meaning
    pose = head_pose(posed)
    assert (pose.yaw_deg, pose.pitch_deg, pose.roll_deg) == pytest.approx(angles, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    yaw=st.floats(-60, 60),
    pitch=st.floats(-40, 40),
    roll=st.floats(-40, 40),
    scale=st.floats(30, 300),
    seed=st.integers(0, 2**16),
)
def test_known_pose_recovered_with_noise(yaw, pitch, roll, scale, seed):
    # Landmark jitter of 1% of the eye-corner distance (about 1 px on a 100-px face).
    pose = head_pose(synthetic_face(yaw, pitch, roll, scale=scale, noise_px=0.01 * scale, seed=seed))
    assert abs(pose.yaw_deg - yaw) < 0.5
    assert abs(pose.pitch_deg - pitch) < 0.5
    assert abs(pose.roll_deg - roll) < 0.5
    assert pose.scale == pytest.approx(scale, rel=0.02)


@settings(max_examples=100, deadline=None)
@given(yaw=st.floats(-89, 89), pitch=st.floats(-89, 89), roll=st.floats(-179, 179))
def test_angles_round_trip(yaw, pitch, roll):
    rotation = angles_to_rotation(yaw, pitch, roll)
    np.testing.assert_allclose(rotation @ rotation.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(rotation) == pytest.approx(1.0)
    assert rotation_to_angles(rotation) == pytest.approx((yaw, pitch, roll), abs=1e-7)


def test_head_centre_follows_the_head():
    pose = head_pose(synthetic_face(30, 0, 0, scale=100.0, centre=(300.0, 200.0, 5.0)))
    expected = 100.0 * angles_to_rotation(30, 0, 0) @ REFERENCE.head_centre + [300.0, 200.0, 5.0]
    np.testing.assert_allclose(pose.head_centre_px, expected, atol=1e-9)


def test_rigid_align_recovers_scale_rotation_translation():
    rng = np.random.default_rng(3)
    source = rng.normal(size=(20, 3))
    rotation = angles_to_rotation(10, -20, 35)
    target = 2.5 * source @ rotation.T + [1.0, -2.0, 3.0]
    fit = rigid_align(source, target)
    np.testing.assert_allclose(fit.rotation, rotation, atol=1e-12)
    assert fit.scale == pytest.approx(2.5)
    np.testing.assert_allclose(fit.translation, [1.0, -2.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(fit.apply(source), target, atol=1e-12)


def test_planar_points_give_a_proper_rotation():
    square = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=float)
    rotation = angles_to_rotation(0, 0, 30)
    fit = rigid_align(square, square @ rotation.T)
    np.testing.assert_allclose(fit.rotation, rotation, atol=1e-12)


@pytest.mark.parametrize(
    ("source", "target", "weights", "message"),
    [
        (np.zeros((2, 3)), np.zeros((2, 3)), None, r"at least 3 points with positive weight are needed; got 2"),
        (np.eye(3), np.eye(3), [1.0, 1.0, 0.0], r"at least 3 points with positive weight are needed; got 2"),
        (np.eye(3), np.eye(3), [1.0, 1.0, -1.0], "weights must not be negative"),
        (np.eye(3), np.eye(3), [1.0, 1.0], r"weights must have shape \(3,\)"),
        (np.zeros((4, 2)), np.zeros((4, 2)), None, r"same shape \(n, 3\); got \(4, 2\) and \(4, 2\)"),
        (np.zeros((4, 3)), np.zeros((5, 3)), None, r"got \(4, 3\) and \(5, 3\)"),
        (np.outer(np.arange(5.0), [1, 2, 3]), np.eye(5, 3), None, "collinear"),
        (np.eye(5, 3), np.ones((5, 3)), None, "collinear"),
        (np.eye(5, 3), np.where(np.eye(5, 3), np.nan, 0.0), None, r"missing \(NaN\) or infinite"),
    ],
)
def test_rigid_align_refuses_degenerate_input(source, target, weights, message):
    with pytest.raises(PoseFitError, match=message):
        rigid_align(source, target, weights)


@pytest.mark.parametrize(
    ("landmarks", "message"),
    [
        (np.zeros((477, 3)), r"expected Face Mesh landmarks of shape \(478, 3\) or \(468, 3\); got \(477, 3\)"),
        (np.zeros((478, 2)), r"got \(478, 2\)"),
        (np.zeros((2, 478, 3)), r"got \(2, 478, 3\)"),
    ],
)
def test_head_pose_refuses_wrong_landmark_count(landmarks, message):
    with pytest.raises(PoseFitError, match=message):
        head_pose(landmarks)


def test_head_pose_refuses_missing_landmarks():
    face = synthetic_face(5, 5, 5)
    face[17] = np.nan
    with pytest.raises(PoseFitError, match=r"missing \(NaN\)"):
        head_pose(face)


def test_mesh_without_iris_points_is_accepted():
    pose = head_pose(synthetic_face(12, -7, 3)[:468])
    assert (pose.yaw_deg, pose.pitch_deg, pose.roll_deg) == pytest.approx((12, -7, 3), abs=1e-9)


def test_mirror_image_landmarks_are_rejected():
    mirrored = synthetic_face(10, 5, -5) * [-1.0, 1.0, 1.0]
    with pytest.raises(ReflectedLandmarks, match="mirror image of the reference face"):
        head_pose(mirrored)
    assert issubclass(ReflectedLandmarks, ValueError)


@pytest.mark.parametrize(
    "landmarks",
    [np.full((478, 3), 7.0), np.outer(np.arange(478.0), [1.0, 2.0, 3.0])],
    ids=["all equal", "collinear"],
)
def test_head_pose_refuses_degenerate_landmarks(landmarks):
    with pytest.raises(PoseFitError, match=r"collinear \(or all equal\)"):
        head_pose(landmarks)
