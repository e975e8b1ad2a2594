"""Thin wrappers around MediaPipe's Face Mesh, face detector and Pose (legacy ``solutions`` API).

MediaPipe 0.10.21 is the last release whose wheel ships these models, so nothing is downloaded.
Pose must use ``model_complexity=1``: the lite (0) and heavy (2) models are not in the wheel and
MediaPipe would try to fetch them.

Conventions: the camera faces the person and the image is not mirrored, so the person's right side
appears at smaller image x. MediaPipe's normalised landmarks are converted to pixels:
``x = x_norm * width``, ``y = y_norm * height`` (y grows downward), ``z = z_norm * width`` (depth
on the x scale, smaller = nearer the camera). Face Mesh with ``refine_landmarks=True`` gives 478
points: the 468-point mesh followed by 5 points for each iris.

Threads: every graph here runs all its calculators on one thread of its own (MediaPipe's default
is a pool as large as the machine's core count). These graphs are chains of small steps around one
model, so a pool gains nothing from parallelism within a frame; it only hands each frame from
thread to thread, and on a two-core machine those hand-offs compete with video decoding for the
second core. The pipeline gets its parallelism from running decoding, Face Mesh and the reduction
of each frame side by side instead (:mod:`torsion.measures.pipeline`).

MediaPipe is imported inside the constructors so that importing this module (and starting the
``torsion`` command) stays fast.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FaceCounter", "FaceMeshTracker", "PoseTracker", "N_FACE_LANDMARKS", "N_POSE_LANDMARKS"]

N_FACE_LANDMARKS = 478
N_POSE_LANDMARKS = 33


#: Serialised size of a NormalizedLandmark holding x, y, z only: key+length, then 3 x (key + float32).
_XYZ_RECORD = 17


def _face_points_px(serialized: bytes, width: int, height: int) -> np.ndarray:
    """Face landmarks (478, 3) in pixels from a serialised ``NormalizedLandmarkList``.

    Reading the message's wire format with NumPy is about twenty times faster than visiting 478
    Python objects; any record that does not have the expected x, y, z layout falls back to parsing
    the message.
    """
    raw = np.frombuffer(serialized, dtype=np.uint8)
    if raw.size == N_FACE_LANDMARKS * _XYZ_RECORD:
        records = raw.reshape(N_FACE_LANDMARKS, _XYZ_RECORD)
        layout = records[:, [0, 1, 2, 7, 12]]
        if np.all(layout == np.array([0x0A, 0x0F, 0x0D, 0x15, 0x1D], dtype=np.uint8)):
            values = np.empty((N_FACE_LANDMARKS, 3), dtype=np.float64)
            for axis, start in enumerate((3, 8, 13)):
                values[:, axis] = records[:, start : start + 4].copy().view("<f4")[:, 0]
            values *= (width, height, width)
            return values
    from mediapipe.framework.formats import landmark_pb2

    landmarks = landmark_pb2.NormalizedLandmarkList.FromString(serialized).landmark
    return _points_px(landmarks, width, height, N_FACE_LANDMARKS, with_visibility=False)


def _writable(rgb: np.ndarray) -> np.ndarray:
    """``rgb``, or a writable copy of it when it is read-only.

    MediaPipe's solution API shares a read-only array instead of copying it, and then releases its
    hold on the array from a graph thread without the interpreter lock; a writable array is copied
    into MediaPipe's own buffer, which is always safe.
    """
    return rgb if rgb.flags.writeable else np.array(rgb)


def _run_on_one_thread(config) -> None:
    """Make a ``CalculatorGraphConfig`` run all its calculators on one thread of their own.

    The graphs MediaPipe ships already hold an (empty) entry for the default executor; that entry
    becomes a one-thread pool.
    """
    from mediapipe.framework import thread_pool_executor_pb2

    default = next((executor for executor in config.executor if not executor.name), None)
    if default is None:
        default = config.executor.add()
    default.type = "ThreadPoolExecutor"
    default.options.Extensions[thread_pool_executor_pb2.ThreadPoolExecutorOptions.ext].num_threads = 1


_ONE_THREAD_CLASSES: dict[type, type] = {}


def _one_thread(solution: type) -> type:
    """A subclass of a MediaPipe solution class whose graph runs on one thread (module docstring).

    ``_initialize_graph_interface`` is the step of ``SolutionBase.__init__`` (mediapipe 0.10.21,
    pinned) that returns the graph's configuration just before the graph is built from it.
    """
    subclass = _ONE_THREAD_CLASSES.get(solution)
    if subclass is None:

        def _initialize_graph_interface(self, *args, **kwargs):
            config = super(subclass, self)._initialize_graph_interface(*args, **kwargs)
            _run_on_one_thread(config)
            return config

        subclass = type(solution.__name__, (solution,), {"_initialize_graph_interface": _initialize_graph_interface})
        _ONE_THREAD_CLASSES[solution] = subclass
    return subclass


def _points_px(landmarks, width: int, height: int, n: int, with_visibility: bool) -> np.ndarray:
    values = np.fromiter(
        (v for p in landmarks for v in ((p.x, p.y, p.z, p.visibility) if with_visibility else (p.x, p.y, p.z))),
        dtype=np.float64,
        count=n * (4 if with_visibility else 3),
    ).reshape(n, 4 if with_visibility else 3)
    values[:, 0] *= width
    values[:, 1] *= height
    values[:, 2] *= width
    return values


class FaceMeshTracker:
    """Face Mesh with iris refinement in tracking (video) mode.

    Parameters
    ----------
    max_num_faces : int
        Faces to track at most. Tracking a second face makes every frame slower (the detector
        keeps looking for it), so the pipeline tracks one and counts faces with
        :class:`FaceCounter` now and then.
    min_detection_confidence, min_tracking_confidence : float
        MediaPipe's thresholds, 0-1.
    """

    def __init__(
        self,
        *,
        max_num_faces: int = 1,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        from mediapipe.python.solutions import face_mesh

        self._mesh = _one_thread(face_mesh.FaceMesh)(
            static_image_mode=False,
            max_num_faces=max_num_faces,
            refine_landmarks=True,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        self._pending: tuple[int, int] | None = None  # (width, height) of the frame submitted

    def process(self, rgb: np.ndarray) -> list[np.ndarray]:
        """Landmarks of the faces in one frame (:meth:`submit` then :meth:`collect`).

        Parameters
        ----------
        rgb : ndarray of uint8, shape (height, width, 3)

        Returns
        -------
        list of ndarray, each float64 of shape (478, 3)
            One array per face, in pixels (see the module docstring); empty without a face.
        """
        self.submit(rgb)
        return self.collect()

    def submit(self, rgb: np.ndarray) -> None:
        """Start finding the landmarks of the next frame and return at once.

        The frame is copied, so ``rgb`` may be reused. The graph works on its own thread (releasing
        the interpreter lock) until :meth:`collect`, so the caller can do other work meanwhile.
        The same steps as MediaPipe's ``SolutionBase.process`` for this one-input, one-output graph
        (mediapipe is pinned to 0.10.21), split in two, without building a result type on every
        call and without parsing the landmark messages into Python objects only to serialise them
        again. A test checks that the landmarks are identical to the solution API's.

        Raises
        ------
        RuntimeError
            When the previous frame has not been collected yet.
        """
        from mediapipe.python import packet_creator
        from mediapipe.python._framework_bindings import image_frame

        if self._pending is not None:
            raise RuntimeError("collect() the previous frame before submitting another one")
        mesh = self._mesh
        mesh._graph_outputs.clear()
        mesh._simulated_timestamp += 33333  # what process() does: a 30 frames/s clock
        packet = packet_creator.create_image_frame(rgb, image_format=image_frame.ImageFormat.SRGB, copy=True)
        mesh._graph.add_packet_to_input_stream(stream="image", packet=packet.at(mesh._simulated_timestamp))
        self._pending = rgb.shape[1], rgb.shape[0]

    def collect(self) -> list[np.ndarray]:
        """Wait for the frame passed to :meth:`submit` and return its faces (as :meth:`process`).

        Raises
        ------
        RuntimeError
            When no frame was submitted.
        """
        if self._pending is None:
            raise RuntimeError("no frame was submitted")
        width, height = self._pending
        self._pending = None
        return [_face_points_px(face, width, height) for face in self._serialized_faces()]

    def _serialized_faces(self) -> list[bytes]:
        """Wait for the graph and return each face's landmarks as serialised messages."""
        from mediapipe.python._framework_bindings import _packet_getter

        mesh = self._mesh
        mesh._graph.wait_until_idle()
        output = mesh._graph_outputs.get("multi_face_landmarks")
        if output is None or output.is_empty():
            return []
        return list(_packet_getter._get_serialized_proto_list(output))

    def close(self) -> None:
        """Free the MediaPipe graph."""
        self._mesh.close()

    def __enter__(self) -> FaceMeshTracker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class FaceCounter:
    """Count faces in a frame with MediaPipe's BlazeFace detector (full-range model, up to ~5 m).

    Parameters
    ----------
    min_detection_confidence : float
        Detections below this score (0-1) are not counted.
    """

    def __init__(self, *, min_detection_confidence: float = 0.5) -> None:
        from mediapipe.python.solutions import face_detection

        self._detector = _one_thread(face_detection.FaceDetection)(
            model_selection=1, min_detection_confidence=min_detection_confidence
        )

    def count(self, rgb: np.ndarray) -> int:
        """Number of faces detected in ``rgb`` (uint8, shape (height, width, 3))."""
        result = self._detector.process(_writable(rgb))
        return len(result.detections or ())

    def find(self, rgb: np.ndarray) -> list:
        """The faces detected in ``rgb``, as :class:`torsion.measures.framing.FaceBox` (fractions of the frame)."""
        from torsion.measures.framing import FaceBox

        result = self._detector.process(_writable(rgb))
        boxes = []
        for detection in result.detections or ():
            box = detection.location_data.relative_bounding_box
            boxes.append(FaceBox(float(box.xmin), float(box.ymin), float(box.width), float(box.height),
                                 float(detection.score[0])))
        return boxes

    def close(self) -> None:
        """Free the MediaPipe graph."""
        self._detector.close()

    def __enter__(self) -> FaceCounter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PoseTracker:
    """MediaPipe Pose (``model_complexity=1``, the only model in the wheel) in tracking mode."""

    def __init__(self, *, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5) -> None:
        from mediapipe.python.solutions import pose

        self._pose = _one_thread(pose.Pose)(
            static_image_mode=False,
            model_complexity=1,
            smooth_landmarks=False,
            enable_segmentation=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def process(self, rgb: np.ndarray) -> np.ndarray | None:
        """Body landmarks of the person in ``rgb`` (uint8, shape (height, width, 3)).

        Returns
        -------
        ndarray, float64 of shape (33, 4), or None
            x px, y px, z (x scale), visibility 0-1; None when no person is found.
        """
        height, width = rgb.shape[:2]
        result = self._pose.process(_writable(rgb))
        if result.pose_landmarks is None:
            return None
        return _points_px(result.pose_landmarks.landmark, width, height, N_POSE_LANDMARKS, with_visibility=True)

    def close(self) -> None:
        """Free the MediaPipe graph."""
        self._pose.close()

    def __enter__(self) -> PoseTracker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
