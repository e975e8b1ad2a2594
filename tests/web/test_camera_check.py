"""The recording page's camera check through the API: one frame and the measured frame rate."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.measures.synthetic_video import astronaut, face_view
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


def _jpeg(rgb: np.ndarray) -> SimpleUploadedFile:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return SimpleUploadedFile("frame.jpg", data.tobytes(), content_type="image/jpeg")


def _check(client, patient, frame, fps=None):
    data = {"frame": frame}
    if fps is not None:
        data["fps"] = str(fps)
    return client.post(f"/api/patients/{patient.pk}/recordings/camera-check", data)


@pytest.fixture(scope="module")
def face_frame():
    return np.ascontiguousarray(face_view(astronaut(), size=(480, 360), zoom=1.5))


def test_good_frame_at_30_frames_a_second_passes(patient_client, patient, face_frame):
    response = _check(patient_client, patient, _jpeg(face_frame), 30)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["passed"] is True and body["problems"] == [] and len(body["faces"]) == 1


def test_slow_camera_is_refused_with_the_rate_and_the_fix(patient_client, patient, face_frame):
    body = _check(patient_client, patient, _jpeg(face_frame), 5).json()
    assert body["passed"] is False
    assert body["problems"] == [{
        "code": "low_frame_rate", "topic": "frame rate",
        "message": "The camera gives 5 frames a second; the measurements need at least 15.",
        "fix": "Close other apps and browser tabs that use the camera or the processor, and add light: many cameras "
               "slow down in dim light.",
    }]


def test_far_away_face_is_asked_to_move_closer(patient_client, patient):
    far = np.ascontiguousarray(face_view(astronaut(), size=(640, 480), zoom=0.8))
    body = _check(patient_client, patient, _jpeg(far), 30).json()
    assert [p["code"] for p in body["problems"]] == ["face_too_small"]
    assert body["problems"][0]["fix"] == "Move closer to the camera, until your face fills the oval."


@pytest.mark.parametrize("content, message", [
    (b"not a picture", "The picture could not be read"),
    (b"\xff" * (2 * 1024 * 1024 + 10), "The picture is larger than 2 MB."),
])
def test_what_is_not_a_frame_is_refused(patient_client, patient, content, message):
    response = _check(patient_client, patient, SimpleUploadedFile("x.jpg", content, content_type="image/jpeg"))
    assert response.status_code == 422 and message in response.json()["detail"]


def test_read_only_clinician_cannot_use_the_check(patient, stranger_clinician, face_frame):
    factories.grant(patient, stranger_clinician, can_edit=False)
    client = logged_in(stranger_clinician.user)
    assert _check(client, patient, _jpeg(face_frame), 30).status_code == 404
