"""Build ``src/torsion/measures/reference_face.npz``, Torsion's neutral 3-D reference face.

Run from the repository root::

    .venv/bin/python scripts/build_reference_face.py

Steps (the result's conventions are documented in :mod:`torsion.measures.reference_face`):

1. Face Mesh (static images, ``refine_landmarks=True``; iris points dropped) on frontal faces that
   ship with scikit-image: the ``astronaut`` portrait at a few scales and small in-plane rotations,
   and the 100 faces of ``lfw_subset`` (25 x 25 pixels, enlarged 6.4 times and framed); every
   image also mirrored left-right, which gives the mirror twin of each face.
2. Mirror pairs of landmark indices from the data: the astronaut's landmarks against the landmarks
   found on her mirrored photo, mapped back into the original picture, matched one-to-one by
   least total distance (Hungarian algorithm). The matching must be an involution.
3. Provisional shape: generalised Procrustes mean of the astronaut samples, made symmetric.
   Faces of ``lfw_subset`` are kept when, against it, yaw, pitch and roll are all within 10
   degrees and the lips are closed (gap between landmarks 13 and 14 under 3% of the face height).
4. Final shape: generalised Procrustes mean of all kept samples (each with its mirror twin), made
   exactly symmetric, turned so that the symmetry plane is x = 0 and the samples' median pitch
   (relative to the camera they face) is zero, and scaled so that the outer eye corners are 1 unit
   apart. The lean of the glabella-chin line (landmarks 9 -> 152) is logged for the documentation.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import cv2
import numpy as np
from scipy.optimize import linear_sum_assignment

from torsion.measures.headpose import angles_to_rotation, rigid_align, rotation_to_angles
from torsion.measures.reference_face import N_MESH_LANDMARKS

log = logging.getLogger("build_reference_face")

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "torsion" / "measures" / "reference_face.npz"

RIGHT_EYE_OUTER, LEFT_EYE_OUTER = 33, 263
GLABELLA, CHIN = 9, 152
UPPER_LIP_INNER, LOWER_LIP_INNER = 13, 14
RIGHT_MOUTH_CORNER, LEFT_MOUTH_CORNER = 61, 291
RIGHT_EAR_LEVEL, LEFT_EAR_LEVEL = 234, 454
FOREHEAD_TOP = 10

FRONTAL_LIMIT_DEG = 10.0
CLOSED_LIPS_FRACTION = 0.03


class MeshDetector:
    """Face Mesh on still images; returns the 468 mesh points in pixels or None."""

    def __init__(self) -> None:
        from mediapipe.python.solutions import face_mesh

        self._mesh = face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True)

    def __call__(self, rgb: np.ndarray) -> np.ndarray | None:
        height, width = rgb.shape[:2]
        result = self._mesh.process(np.ascontiguousarray(rgb))
        if not result.multi_face_landmarks:
            return None
        points = np.array([(p.x, p.y, p.z) for p in result.multi_face_landmarks[0].landmark])
        return points[:N_MESH_LANDMARKS] * [width, height, width]


def astronaut_views() -> list[np.ndarray]:
    """The astronaut portrait at three scales and three small in-plane rotations about her face."""
    from skimage import data

    image = data.astronaut()
    views = []
    for zoom in (0.8, 1.0, 1.25):
        for angle in (-6.0, 0.0, 6.0):
            matrix = cv2.getRotationMatrix2D((225.0, 125.0), angle, zoom)
            views.append(cv2.warpAffine(image, matrix, (512, 512), borderMode=cv2.BORDER_REFLECT))
    return views


def lfw_views() -> list[np.ndarray]:
    """The 100 faces of scikit-image's ``lfw_subset``, enlarged to 160 px and framed in 320 px."""
    from skimage import data

    views = []
    for face in data.lfw_subset()[:100]:
        grey = (face * 255).astype(np.uint8)
        large = cv2.resize(grey, (160, 160), interpolation=cv2.INTER_CUBIC)
        canvas = np.full((320, 320), int(np.median(grey)), dtype=np.uint8)
        canvas[80:240, 80:240] = large
        views.append(np.dstack([canvas] * 3))
    return views


def mirror_pairs(original: np.ndarray, mirrored_back: np.ndarray) -> np.ndarray:
    """Index of each landmark's mirror partner, from a face and its mirror image's landmarks.

    ``mirrored_back[j]`` is landmark ``j`` found on the mirrored photo, mapped back into the
    original picture: it sits where the original's mirror partner of ``j`` sits.
    """
    distances = np.linalg.norm(original[:, None, :] - mirrored_back[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(distances)
    mirror = np.empty(N_MESH_LANDMARKS, dtype=np.int64)
    mirror[rows] = cols
    if not np.array_equal(mirror[mirror], np.arange(N_MESH_LANDMARKS)):
        raise RuntimeError("the mirror matching is not an involution; the photos are not frontal enough")
    return mirror


def procrustes_mean(samples: list[np.ndarray], weights: np.ndarray, iterations: int = 10) -> np.ndarray:
    """Generalised Procrustes mean (similarity alignment), scaled to unit RMS radius."""
    mean = samples[0] - samples[0].mean(axis=0)
    for _ in range(iterations):
        aligned = [rigid_align(s, mean, weights).apply(s) for s in samples]
        mean = np.mean(aligned, axis=0)
        mean -= mean.mean(axis=0)
        mean /= np.sqrt(np.mean(np.sum(mean**2, axis=1)))
    return mean


def reflect(points: np.ndarray, mirror: np.ndarray) -> np.ndarray:
    """Mirror image of a shape (x -> -x) with landmark labels swapped to stay anatomical."""
    return (points * [-1.0, 1.0, 1.0])[mirror]


def symmetric_frame(shape: np.ndarray, mirror: np.ndarray, samples: list[np.ndarray]) -> np.ndarray:
    """Make ``shape`` exactly symmetric about x = 0, at the samples' median pitch, eye corners 1 apart."""
    twin = reflect(shape, mirror)
    fit = rigid_align(twin, shape)
    if abs(fit.scale - 1.0) > 0.05:
        raise RuntimeError(f"mirror twin has a different size ({fit.scale:.3f})")
    average = 0.5 * (shape + (twin @ fit.rotation.T + fit.translation))
    # Symmetry plane: the segments between mirror partners are all perpendicular to it.
    chords = average - average[mirror]
    paired = np.linalg.norm(chords, axis=1) > 1e-9
    normal = np.linalg.svd(chords[paired], full_matrices=False)[2][0]
    if (average[LEFT_EYE_OUTER] - average[RIGHT_EYE_OUTER]) @ normal < 0:
        normal = -normal
    down = np.array([0.0, 1.0, 0.0]) - normal[1] * normal
    down /= np.linalg.norm(down)
    axes = np.vstack([normal, down, np.cross(normal, down)])
    centre = np.mean(0.5 * (average + average[mirror]), axis=0)
    oriented = (average - centre) @ axes.T
    oriented = 0.5 * (oriented + reflect(oriented, mirror))
    # Zero pitch: the median pitch of the photographs, whose subjects face the camera.
    pitch_deg = np.median([rotation_to_angles(rigid_align(oriented, s).rotation)[1] for s in samples])
    oriented = oriented @ angles_to_rotation(0.0, float(pitch_deg), 0.0).T
    oriented /= np.linalg.norm(oriented[LEFT_EYE_OUTER] - oriented[RIGHT_EYE_OUTER])
    oriented[np.arange(N_MESH_LANDMARKS) == mirror, 0] = 0.0
    return oriented


def landmark_weights(shape: np.ndarray) -> np.ndarray:
    """Alignment weights: rigid parts 1, eyes/brows/lower face 0.3, lips 0.1."""
    from mediapipe.python.solutions import face_mesh_connections as connections

    def members(edges) -> list[int]:
        return sorted({i for edge in edges for i in edge})

    weights = np.ones(N_MESH_LANDMARKS)
    mouth_level = shape[[RIGHT_MOUTH_CORNER, LEFT_MOUTH_CORNER], 1].mean()
    weights[shape[:, 1] > mouth_level] = 0.3
    for part in ("LEFT_EYE", "RIGHT_EYE", "LEFT_EYEBROW", "RIGHT_EYEBROW"):
        weights[members(getattr(connections, f"FACEMESH_{part}"))] = 0.3
    weights[members(connections.FACEMESH_LIPS)] = 0.1
    return weights


def detect_with_twin(detector: MeshDetector, image: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Landmarks of a face and of its mirror image (the latter in the mirrored picture's pixels)."""
    points = detector(image)
    twin = detector(image[:, ::-1])
    if points is None or twin is None:
        return None
    return points, twin


def build(output: Path) -> None:
    import mediapipe
    import skimage

    detector = MeshDetector()
    astronaut = [detect_with_twin(detector, view) for view in astronaut_views()]
    if any(pair is None for pair in astronaut):
        raise RuntimeError("Face Mesh missed the astronaut's face")
    width = 512
    original, twin = astronaut[4]  # zoom 1, no rotation
    mirror = mirror_pairs(original, twin * [-1.0, 1.0, 1.0] + [width, 0.0, 0.0])
    log.info("mirror pairs: %d midline landmarks", int(np.sum(mirror == np.arange(N_MESH_LANDMARKS))))

    even = np.ones(N_MESH_LANDMARKS)
    astronaut_samples = [points for pair in astronaut for points in pair]
    provisional = symmetric_frame(procrustes_mean(astronaut_samples, even), mirror, astronaut_samples)
    weights = landmark_weights(provisional)

    kept = 0
    samples = list(astronaut_samples)
    for view in lfw_views():
        pair = detect_with_twin(detector, view)
        if pair is None:
            continue
        points = pair[0]
        angles = rotation_to_angles(rigid_align(provisional, points, weights).rotation)
        face_height = np.linalg.norm(points[CHIN] - points[FOREHEAD_TOP])
        lips_gap = np.linalg.norm(points[UPPER_LIP_INNER] - points[LOWER_LIP_INNER])
        if max(abs(a) for a in angles) <= FRONTAL_LIMIT_DEG and lips_gap < CLOSED_LIPS_FRACTION * face_height:
            samples.extend(pair)
            kept += 1
    log.info("lfw_subset faces kept: %d of 100", kept)

    shape = symmetric_frame(procrustes_mean(samples, weights), mirror, samples)
    weights = landmark_weights(shape)
    head_centre = 0.5 * (shape[RIGHT_EAR_LEVEL] + shape[LEFT_EAR_LEVEL])
    dy, dz = (shape[CHIN] - shape[GLABELLA])[1:]
    log.info("glabella-chin line leans %.1f degrees from vertical (chin behind)", np.degrees(np.arctan2(dz, dy)))
    sources = (
        f"mediapipe {mediapipe.__version__} Face Mesh on scikit-image {skimage.__version__}: astronaut "
        f"(9 views) and {kept} frontal closed-mouth faces of lfw_subset, each with its mirror image"
    )
    np.savez_compressed(
        output,
        landmarks=shape.astype(np.float64),
        weights=weights.astype(np.float64),
        mirror_index=mirror.astype(np.int16),
        head_centre=head_centre.astype(np.float64),
        sources=np.array(sources),
    )
    log.info("wrote %s (%d samples)", output, len(samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the .npz file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build(args.output)


if __name__ == "__main__":
    main()
