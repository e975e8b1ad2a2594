"""The Face Mesh wrapper returns exactly what MediaPipe's own solution API returns, in pixels."""

from __future__ import annotations

import numpy as np
import pytest

from tests.measures.synthetic_video import rolling_face_frames
from torsion.measures.landmarks import N_FACE_LANDMARKS, FaceCounter, FaceMeshTracker, PoseTracker, _face_points_px


def _public_api_points(frames):
    from mediapipe.python.solutions import face_mesh

    out = []
    with face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=True) as mesh:
        for rgb in frames:
            faces = mesh.process(rgb).multi_face_landmarks
            h, w = rgb.shape[:2]
            out.append(None if not faces else
                       np.array([(p.x * w, p.y * h, p.z * w) for p in faces[0].landmark]))
    return out


def test_tracker_matches_the_public_solution_api_frame_by_frame():
    frames = list(rolling_face_frames(np.linspace(-10, 10, 12)))
    expected = _public_api_points(frames)
    with FaceMeshTracker() as tracker:
        got = [tracker.process(rgb) for rgb in frames]
    for want, faces in zip(expected, got, strict=True):
        assert want is not None and len(faces) == 1
        assert faces[0].shape == (N_FACE_LANDMARKS, 3)
        np.testing.assert_allclose(faces[0], want, rtol=0, atol=1e-4)


def test_submit_then_collect_is_process_in_two_steps():
    frames = list(rolling_face_frames(np.linspace(-5, 5, 6)))
    with FaceMeshTracker() as one_call, FaceMeshTracker() as two_steps:
        for rgb in frames:
            two_steps.submit(rgb)
            faces = two_steps.collect()
            np.testing.assert_array_equal(faces[0], one_call.process(rgb)[0])


def test_frames_must_be_collected_one_by_one():
    rgb = next(iter(rolling_face_frames([0.0])))
    with FaceMeshTracker() as tracker:
        with pytest.raises(RuntimeError, match="no frame was submitted"):
            tracker.collect()
        tracker.submit(rgb)
        with pytest.raises(RuntimeError, match=r"collect\(\) the previous frame"):
            tracker.submit(rgb)
        assert len(tracker.collect()) == 1


@pytest.mark.parametrize("make", [FaceMeshTracker, FaceCounter, PoseTracker], ids=lambda c: c.__name__)
def test_graphs_run_on_one_thread_of_their_own(make):
    from mediapipe.framework import calculator_pb2, thread_pool_executor_pb2

    with make() as wrapper:
        solution = next(v for v in vars(wrapper).values() if hasattr(v, "_graph"))
        config = calculator_pb2.CalculatorGraphConfig.FromString(solution._graph.binary_config)
    (executor,) = config.executor
    assert executor.name == "" and executor.type == "ThreadPoolExecutor"
    assert executor.options.Extensions[thread_pool_executor_pb2.ThreadPoolExecutorOptions.ext].num_threads == 1


def test_read_only_frames_are_copied_like_any_other():
    rgb = next(iter(rolling_face_frames([4.0])))
    frozen = rgb.copy()
    frozen.flags.writeable = False
    with FaceMeshTracker() as a, FaceMeshTracker() as b, FaceCounter() as counter, PoseTracker() as pose:
        np.testing.assert_array_equal(a.process(frozen)[0], b.process(rgb)[0])
        assert counter.count(frozen) == 1
        pose.process(frozen)  # no error; whether a body is found in a face close-up does not matter


def test_no_face_gives_an_empty_list():
    with FaceMeshTracker() as tracker:
        assert tracker.process(np.full((240, 320, 3), 90, dtype=np.uint8)) == []


def test_landmark_messages_with_other_fields_are_read_the_slow_way():
    from mediapipe.framework.formats import landmark_pb2

    message = landmark_pb2.NormalizedLandmarkList()
    for i in range(N_FACE_LANDMARKS):
        message.landmark.add(x=i / 1000, y=0.5, z=-0.01, visibility=0.9)  # visibility changes the layout
    points = _face_points_px(message.SerializeToString(), 640, 480)
    np.testing.assert_allclose(points[10], [6.4, 240.0, -6.4], atol=1e-4)


@pytest.mark.parametrize("size", [(320, 240), (640, 480)])
def test_fast_reader_scales_x_and_z_by_width_and_y_by_height(size):
    from mediapipe.framework.formats import landmark_pb2

    message = landmark_pb2.NormalizedLandmarkList()
    for _ in range(N_FACE_LANDMARKS):
        message.landmark.add(x=0.25, y=0.5, z=0.125)
    points = _face_points_px(message.SerializeToString(), *size)
    np.testing.assert_allclose(points[0], [0.25 * size[0], 0.5 * size[1], 0.125 * size[0]], rtol=1e-6)
