"""Recordings in the web app: uploads are checked, analysed in the background by the measures library,
shown with their plots, and deleted with their video."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.measures.synthetic_video import cached_video, plain_scene_frames, rolling_face_frames
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.recordings.models import Recording
from torsion.web.records.models import ToxinInjection

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _face_video() -> Path:
    """Four seconds of the test face tilting gently (roll +-6 degrees at 0.5 Hz), 30 fps."""
    t = np.arange(120) / 30.0
    return cached_video("web-face.webm", lambda: rolling_face_frames(6 * np.sin(2 * np.pi * 0.5 * t)))


def _no_face_video() -> Path:
    return cached_video("web-no-face.webm", lambda: plain_scene_frames(60))


def _upload(path: Path, name="clip.webm", content_type="video/webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes(), content_type=content_type)


def test_upload_is_analysed_and_shown(patient, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/patients/{patient.pk}/recordings/new/head/",
                               {"task": "rest", "video": _upload(_face_video())})
    recording = Recording.objects.get(patient=patient)
    assert response.status_code == 302 and response["Location"].endswith(f"/recordings/{recording.pk}/")
    assert recording.status == "done", recording.error
    assert Path(recording.video.path).is_file() and str(patient.pk) in recording.video.name
    assert recording.result["frames_analyzed"] > 100
    roll = recording.result["roll_deg"]
    assert 10 < roll["p95"] - roll["p5"] < 13  # the imposed +-6 degree tilt
    assert set(recording.metrics) >= {"yaw_median_deg", "roll_median_deg", "pitch_median_deg"}
    page = client.get(response["Location"]).content.decode()
    assert "Head angles" in page and '<svg class="chart"' in page
    assert "TWSTRS severity items (estimates)" in page
    video = client.get(f"/patients/{patient.pk}/recordings/{recording.pk}/video/")
    assert video["Cache-Control"] == "private, no-store"
    assert b"".join(video.streaming_content) == _face_video().read_bytes()


def test_recording_without_a_face_fails_with_a_reason(patient, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/patients/{patient.pk}/recordings/new/blink/", {"task": "rest", "video": _upload(_no_face_video())})
    recording = Recording.objects.get(patient=patient)
    assert recording.status == "failed" and recording.result is None
    assert "face" in recording.error.lower()
    page = client.get(f"/patients/{patient.pk}/recordings/{recording.pk}/").content.decode()
    assert "could not be measured" in page and recording.error in page


def test_api_upload_status_and_delete(patient, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/patients/{patient.pk}/recordings",
                               {"kind": "head", "task": "turn", "video": _upload(_face_video())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["page_url"] == f"/patients/{patient.pk}/recordings/{body['id']}/"
    status = client.get(f"/api/patients/{patient.pk}/recordings/{body['id']}").json()
    assert status["status"] == "done" and "series" not in status["result"]
    with_series = client.get(f"/api/patients/{patient.pk}/recordings/{body['id']}?series=true").json()
    assert len(with_series["result"]["series"]["t_s"]) == with_series["result"]["frames_total"]
    file_path = Path(Recording.objects.get(pk=body["id"]).video.path)
    assert client.delete(f"/api/patients/{patient.pk}/recordings/{body['id']}").status_code == 204
    assert not file_path.exists() and not Recording.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"kind": "head", "task": "rest", "video": SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")},
     "not a video file"),
    ({"kind": "head", "task": "rest", "video": SimpleUploadedFile("a.webm", b"hello there", content_type="video/webm")},
     "does not look like a video"),
    ({"kind": "head", "task": "rest", "video": SimpleUploadedFile("a.webm", b"", content_type="video/webm")},
     "The file is empty"),
    ({"kind": "smell", "task": "rest", "video": SimpleUploadedFile("a.webm", b"\x1a\x45\xdf\xa3", content_type="video/webm")},
     "Unknown kind of recording"),
    ({"kind": "blink", "task": "turn", "video": SimpleUploadedFile("a.webm", b"\x1a\x45\xdf\xa3", content_type="video/webm")},
     "expected one of rest, reading, speaking"),
])
def test_api_rejects_bad_uploads_and_stores_nothing(patient, data, message, settings):
    client = logged_in(patient.user)
    before = database_state()
    files_before = sorted(Path(settings.RECORDINGS_DIR).rglob("*"))
    response = client.post(f"/api/patients/{patient.pk}/recordings", data)
    assert response.status_code == 422 and message in json.dumps(response.json())
    assert database_state() == before
    assert sorted(Path(settings.RECORDINGS_DIR).rglob("*")) == files_before


@override_settings(TORSION_MAX_UPLOAD_BYTES=1000)
def test_size_limit(patient):
    response = logged_in(patient.user).post(f"/api/patients/{patient.pk}/recordings",
                                            {"kind": "head", "task": "rest", "video": _upload(_face_video())})
    assert response.status_code == 422 and "the largest accepted is" in response.json()["detail"]


def test_page_delete_removes_video_and_results(patient, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/patients/{patient.pk}/recordings/new/head/", {"task": "rest", "video": _upload(_face_video())})
    recording = Recording.objects.get()
    path = Path(recording.video.path)
    confirm = client.get(f"/patients/{patient.pk}/recordings/{recording.pk}/delete/")
    assert b"deleted for good" in confirm.content and path.exists()
    client.post(f"/patients/{patient.pk}/recordings/{recording.pk}/delete/")
    assert not Recording.objects.exists() and not path.exists()


def test_trends_across_recordings_mark_injections(patient, today):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    for days_ago, yaw in ((60, 25.0), (30, 12.0), (2, 18.0)):
        when = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10)))
        recording = Recording(patient=patient, kind="head", task="rest", recorded_at=when, content_type="video/webm",
                              size_bytes=1, status="done", metrics={"yaw_median_deg": yaw, "roll_median_deg": 1.0})
        recording.video.name = f"{patient.pk}/x{days_ago}.webm"
        recording.save()
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=40), product="onabotulinumtoxinA")
    client = logged_in(patient.user)
    page = client.get(f"/patients/{patient.pk}/recordings/").content.decode()
    assert "Rotation (median), head at rest in 3 recordings" in page
    assert "marker injection" in page
    dashboard = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Measurement trends" in dashboard


def test_measure_links_lead_patients_to_their_capture_page(patient, client):
    assert client.get("/measure/head/")["Location"].startswith("/accounts/login/")
    response = logged_in(patient.user).get("/measure/blink/")
    assert response["Location"] == f"/patients/{patient.pk}/recordings/new/blink/"
    assert logged_in(patient.user).get("/measure/nothing/").status_code == 404


def test_a_measure_link_tells_a_clinician_where_to_record_with_a_patient(clinician):
    client = logged_in(clinician.user)
    response = client.get("/measure/voice/", follow=True)
    assert response.redirect_chain[-1][0] == "/clinic/"
    assert "open the patient below, then Measurements" in response.content.decode()
