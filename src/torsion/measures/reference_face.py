"""Torsion's reference 3-D face: the neutral shape that head pose is measured against.

Built by ``scripts/build_reference_face.py`` from MediaPipe Face Mesh's own landmarks on frontal
face photographs shipped with scikit-image (the ``astronaut`` portrait, and the faces of its
``lfw_subset`` that pass a frontal, closed-mouth check), each also mirrored, aligned by generalised
Procrustes and averaged, then made exactly left-right symmetric with mirror pairs of landmark
indices found from the data. Stored in ``reference_face.npz`` beside this module.

Frame of the shape (image axes, see :mod:`torsion.measures.headpose`): x toward the person's left,
y down, z away from the camera (the face looks along -z). Units: the outer eye corners (landmarks
33 and 263) are 1 unit apart.

* Zero yaw and roll: the symmetry plane is x = 0 (exact by construction).
* **Zero pitch**: the median head pitch, relative to the camera, of the portrait photographs the
  shape was built from, whose subjects face the camera with the head held as for a portrait. In
  the resulting shape the soft-tissue facial line from the glabella (landmark 9, between the
  brows) to the chin (landmark 152) leans 13.2 degrees from vertical, chin further from the
  camera. This is a convention, not an anatomical plane (the Frankfort plane cannot be seen from
  the face alone): calibrate with a neutral period to measure from the person's own straight
  posture.
* Weights for the alignment favour the rigid parts of the face: 1 for forehead, nose, cheeks and
  temples; 0.3 for the eyes, eyebrows and the face below the mouth corners (they move with blinks,
  spasms, frowns and the jaw); 0.1 for the lips.
* Head centre: the midpoint of the two face-contour points at ear level (234 and 454), an
  approximation of the point between the ears around which the head turns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

__all__ = ["N_MESH_LANDMARKS", "ReferenceFace", "load_reference_face", "REFERENCE_FACE_FILE"]

#: Face Mesh landmarks without the 10 iris points.
N_MESH_LANDMARKS = 468

REFERENCE_FACE_FILE = "reference_face.npz"


@dataclass(frozen=True)
class ReferenceFace:
    """The neutral reference face.

    Attributes
    ----------
    landmarks : ndarray (468, 3)
        Mesh landmarks in reference units (outer eye corners 1 apart), axes in the module docstring.
    weights : ndarray (468,)
        Alignment weight per landmark.
    mirror_index : ndarray of int (468,)
        ``mirror_index[i]`` is the landmark at the mirror position of ``i`` (``i`` on the midline).
    head_centre : ndarray (3,)
        Point between the ears, reference units.
    sources : str
        Which images the shape was averaged from.
    """

    landmarks: np.ndarray
    weights: np.ndarray
    mirror_index: np.ndarray
    head_centre: np.ndarray
    sources: str


@functools.lru_cache(maxsize=1)
def load_reference_face() -> ReferenceFace:
    """Load the shipped reference face (cached; arrays are read-only)."""
    with resources.files("torsion.measures").joinpath(REFERENCE_FACE_FILE).open("rb") as handle:
        with np.load(handle, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    for value in arrays.values():
        value.setflags(write=False)
    return ReferenceFace(
        landmarks=arrays["landmarks"],
        weights=arrays["weights"],
        mirror_index=arrays["mirror_index"],
        head_centre=arrays["head_centre"],
        sources=str(arrays["sources"]),
    )
