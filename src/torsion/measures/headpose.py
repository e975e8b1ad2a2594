"""Head pose from face landmarks by weighted rigid alignment to Torsion's reference face.

Method: weighted similarity Procrustes (Umeyama 1991, "Least-squares estimation of transformation
parameters between two point patterns", IEEE TPAMI 13:376). For a frame's 468 mesh landmarks
``y_i`` (the 10 iris points are dropped) and the reference shape ``x_i`` with weights ``w_i``,
find the rotation ``R``, scale ``s`` and translation ``t`` minimising
``sum_i w_i |y_i - (s R x_i + t)|^2``. No camera intrinsics are needed: Face Mesh's pixel landmarks
(x, y in pixels, z on the x scale) are treated as a weakly perspective view, which is accurate for
a face near the centre of the picture and skews the pose a little for a face near the edge.

Axes. Landmarks and the reference live in image axes: x to the right of the picture, y down,
z away from the camera (a right-handed frame). The camera faces the person and the picture is not
mirrored, so the person's left is +x, their feet +y and the back of their head +z. The reference
face looks along -z, at the camera, with its symmetry plane at x = 0; see
:mod:`torsion.measures.reference_face` for how zero pitch is defined.

Angles (degrees) in the person's own anatomical frame, from ``R = R_y(a) R_x(b) R_z(c)`` (yaw
first, then pitch, then roll about the turned head's axes):

* ``yaw_deg = a``: positive when the chin turns toward the person's **right** shoulder (rotation);
* ``pitch_deg = b``: positive **chin down** (anterocollis), negative chin up (retrocollis);
* ``roll_deg = -c``: positive when the head tilts toward the person's **right** shoulder
  (right ear down, laterocollis to the right); in the picture this is a counter-clockwise turn.

A mirror-reversed point set is not a rotated face: the alignment rejects it with
:class:`ReflectedLandmarks` rather than returning a wrong pose. (Face Mesh labels landmarks by
anatomy, so a mirrored *video* still gives a proper face: its yaw and roll then come out with the
opposite sign, which cannot be detected from the landmarks and is the recorder's responsibility.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from torsion.measures.reference_face import N_MESH_LANDMARKS, ReferenceFace, load_reference_face

__all__ = [
    "HeadPose",
    "PoseFitError",
    "ReflectedLandmarks",
    "Similarity",
    "angles_to_rotation",
    "head_pose",
    "rigid_align",
    "rotation_to_angles",
]

#: Relative spread (singular value ratio) below which points count as collinear or planar.
_DEGENERATE = 1e-6


class PoseFitError(ValueError):
    """Landmarks that cannot be aligned (wrong count, missing values, degenerate geometry)."""


class ReflectedLandmarks(PoseFitError):
    """The landmarks are a mirror image of the reference shape, which no rotation can produce."""


@dataclass(frozen=True)
class Similarity:
    """``target ~ scale * source @ rotation.T + translation``.

    Attributes
    ----------
    rotation : ndarray (3, 3)
        Proper rotation (determinant +1).
    scale : float
        Target units per source unit.
    translation : ndarray (3,)
        In target units.
    rms : float
        Weighted root-mean-square residual, in target units.
    """

    rotation: np.ndarray
    scale: float
    translation: np.ndarray
    rms: float

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Map source points (..., 3) into the target frame."""
        return self.scale * np.asarray(points) @ self.rotation.T + self.translation


@dataclass(frozen=True)
class HeadPose:
    """Head orientation and placement in one frame.

    Attributes
    ----------
    yaw_deg, pitch_deg, roll_deg : float
        Anatomical angles in degrees (signs in the module docstring).
    scale : float
        Pixels per reference unit (the reference's outer eye corners are 1 unit apart).
    head_centre_px : ndarray (3,)
        The reference's head centre (between the ears) in the frame's pixels (z on the x scale).
    rotation : ndarray (3, 3)
        Rotation from the reference to the frame, image axes.
    rms_px : float
        Weighted residual of the fit in pixels; large values mean an unusual expression or
        poor landmarks.
    """

    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    scale: float
    head_centre_px: np.ndarray
    rotation: np.ndarray
    rms_px: float


@dataclass(frozen=True)
class _Prepared:
    """One side of an alignment, reduced once: normalised weights, weighted mean, centred points."""

    weights: np.ndarray
    mean: np.ndarray
    centred: np.ndarray
    variance: float


def _check_points(points: np.ndarray, weights: np.ndarray) -> None:
    """Refuse point sets whose weighted spread is zero or along a line."""
    centred = points - weights @ points
    scatter = (centred * weights[:, None]).T @ centred
    spread = np.linalg.eigvalsh(scatter)  # ascending: squared singular values
    if spread[1] <= _DEGENERATE**2 * spread[2] or spread[2] <= 0:
        raise PoseFitError("the points are collinear (or all equal), so no orientation can be found")


def _is_planar(points: np.ndarray, weights: np.ndarray) -> bool:
    centred = points - weights @ points
    spread = np.linalg.eigvalsh((centred * weights[:, None]).T @ centred)
    return bool(spread[0] <= _DEGENERATE**2 * spread[2])


def _validate(source: np.ndarray, target: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """Check shapes, values and weights; return the weights normalised to sum 1."""
    if source.ndim != 2 or source.shape[1] != 3 or source.shape != target.shape:
        raise PoseFitError(
            f"points must be two arrays of the same shape (n, 3); got {source.shape} and {target.shape}"
        )
    w = np.ones(len(source)) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (len(source),):
        raise PoseFitError(f"weights must have shape ({len(source)},); got {w.shape}")
    if not (np.isfinite(source).all() and np.isfinite(target).all() and np.isfinite(w).all()):
        raise PoseFitError("landmarks contain missing (NaN) or infinite values")
    if np.any(w < 0):
        raise PoseFitError("weights must not be negative")
    if np.count_nonzero(w) < 3:
        raise PoseFitError(f"at least 3 points with positive weight are needed; got {np.count_nonzero(w)}")
    return w / w.sum()


def _prepare(points: np.ndarray, weights: np.ndarray) -> _Prepared:
    mean = weights @ points
    centred = points - mean
    return _Prepared(weights, mean, centred, float(weights @ np.sum(centred**2, axis=1)))


def _align(source: _Prepared, target: np.ndarray, source_planar: bool) -> Similarity:
    """Umeyama's closed form against a prepared, non-degenerate source; ``target`` validated.

    With a source spread in three dimensions, the covariance has the rank of the target's spread,
    so a collinear target shows as a second singular value of (nearly) zero.
    """
    w = source.weights
    mu_target = w @ target
    centred_target = target - mu_target
    # Points that are all equal leave only rounding noise after centring, whose singular values
    # have no meaningful ratio, so their spread is compared with the coordinates' own size first.
    target_spread = float(w @ np.sum(centred_target**2, axis=1))
    if target_spread <= (_DEGENERATE * max(float(np.abs(mu_target).max()), 1.0)) ** 2:
        raise PoseFitError("the points are collinear (or all equal), so no orientation can be found")
    covariance = (centred_target * w[:, None]).T @ source.centred
    u, singular, vt = np.linalg.svd(covariance)
    if singular[1] <= _DEGENERATE * singular[0]:
        raise PoseFitError("the points are collinear (or all equal), so no orientation can be found")
    handedness = np.sign(np.linalg.det(u) * np.linalg.det(vt))
    if handedness < 0 and not (source_planar or _is_planar(target, w)):
        raise ReflectedLandmarks(
            "the landmarks are a mirror image of the reference face; no head rotation produces them"
        )
    correction = np.array([1.0, 1.0, 1.0 if handedness >= 0 else -1.0])
    rotation = (u * correction) @ vt
    scale = float(np.sum(singular * correction) / source.variance)
    translation = mu_target - scale * rotation @ source.mean
    residual = centred_target - scale * source.centred @ rotation.T
    rms = float(np.sqrt(w @ np.sum(residual**2, axis=1)))
    return Similarity(rotation=rotation, scale=scale, translation=translation, rms=rms)


def rigid_align(source: np.ndarray, target: np.ndarray, weights: np.ndarray | None = None) -> Similarity:
    """Weighted least-squares similarity transform from ``source`` to ``target`` (Umeyama).

    Parameters
    ----------
    source, target : ndarray (n, 3)
        Corresponding points, n >= 3.
    weights : ndarray (n,), optional
        Non-negative weight per point; equal weights when omitted.

    Returns
    -------
    Similarity

    Raises
    ------
    PoseFitError
        Shapes differ or are not (n, 3), fewer than 3 weighted points, NaN or infinite values,
        negative weights, or collinear points.
    ReflectedLandmarks
        When the best orthogonal fit is a reflection (only detectable for non-planar points).
    """
    source = np.asarray(source, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    w = _validate(source, target, weights)
    _check_points(source, w)
    _check_points(target, w)
    return _align(_prepare(source, w), target, _is_planar(source, w))


#: The shipped reference face, prepared once per reference object.
_PREPARED: dict[int, tuple[ReferenceFace, _Prepared]] = {}


def _prepared_reference(reference: ReferenceFace) -> _Prepared:
    entry = _PREPARED.get(id(reference))
    if entry is None or entry[0] is not reference:
        weights = reference.weights / reference.weights.sum()
        entry = (reference, _prepare(np.asarray(reference.landmarks, dtype=np.float64), weights))
        _PREPARED[id(reference)] = entry
    return entry[1]


def angles_to_rotation(yaw_deg: float, pitch_deg: float, roll_deg: float) -> np.ndarray:
    """Rotation matrix (3, 3) in image axes for anatomical angles in degrees (module docstring)."""
    a, b, c = np.radians([yaw_deg, pitch_deg, -roll_deg])
    r_yaw = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]])
    r_pitch = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(b), -np.sin(b)], [0.0, np.sin(b), np.cos(b)]])
    r_roll = np.array([[np.cos(c), -np.sin(c), 0.0], [np.sin(c), np.cos(c), 0.0], [0.0, 0.0, 1.0]])
    return r_yaw @ r_pitch @ r_roll


def rotation_to_angles(rotation: np.ndarray) -> tuple[float, float, float]:
    """Anatomical (yaw, pitch, roll) in degrees of a rotation (3, 3) in image axes.

    Inverse of :func:`angles_to_rotation` for pitch within +/-90 degrees.
    """
    r = np.asarray(rotation, dtype=np.float64)
    pitch = np.arcsin(np.clip(-r[1, 2], -1.0, 1.0))
    yaw = np.arctan2(r[0, 2], r[2, 2])
    roll = -np.arctan2(r[1, 0], r[1, 1])
    yaw_deg, pitch_deg, roll_deg = np.degrees([yaw, pitch, roll])
    return float(yaw_deg), float(pitch_deg), float(roll_deg)


def head_pose(face_px: np.ndarray, reference: ReferenceFace | None = None) -> HeadPose:
    """Head pose of one frame's Face Mesh landmarks.

    Parameters
    ----------
    face_px : ndarray (478, 3) or (468, 3)
        Landmarks in pixels (x, y; z on the x scale); iris points, when present, are ignored.
    reference : ReferenceFace, optional
        The shipped reference face when omitted.

    Returns
    -------
    HeadPose

    Raises
    ------
    PoseFitError
        Wrong landmark count, missing values or degenerate geometry.
    ReflectedLandmarks
        Mirror-reversed landmarks.
    """
    reference = reference or load_reference_face()
    face_px = np.asarray(face_px, dtype=np.float64)
    counts = (N_MESH_LANDMARKS, N_MESH_LANDMARKS + 10)
    if face_px.ndim != 2 or face_px.shape[1] != 3 or face_px.shape[0] not in counts:
        raise PoseFitError(
            f"expected Face Mesh landmarks of shape (478, 3) or (468, 3); got {face_px.shape}"
        )
    mesh = face_px[:N_MESH_LANDMARKS]
    if not np.isfinite(mesh).all():
        raise PoseFitError("landmarks contain missing (NaN) or infinite values")
    fit = _align(_prepared_reference(reference), mesh, source_planar=False)
    yaw_deg, pitch_deg, roll_deg = rotation_to_angles(fit.rotation)
    return HeadPose(
        yaw_deg=yaw_deg,
        pitch_deg=pitch_deg,
        roll_deg=roll_deg,
        scale=fit.scale,
        head_centre_px=fit.apply(reference.head_centre),
        rotation=fit.rotation,
        rms_px=fit.rms,
    )
