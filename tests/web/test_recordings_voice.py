"""Voice recordings in the web app: sound uploads are checked before anything is stored, analysed in the
background by the voice measure, shown with the waveform and pitch track, and followed over time."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.measures.voice_files import encode
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.measures.voice_synthesis import synthesise_speech, synthesise_vowel, write_wav
from torsion.web.recordings.models import Recording
from torsion.web.records.models import ToxinInjection

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sounds(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("voice-web")
    vowel = synthesise_vowel(4.0, f0_hz=125, gaps=[(1.6, 0.12)], sample_rate=44100)
    speech = synthesise_speech(12.0, f0_hz=125, consonants=False, breaks=[(3.0, 0.1), (6.0, 0.15)], sample_rate=48000)
    write_wav(folder / "vowel.wav", vowel.samples, 44100)
    cut = folder / "cut.wav"
    cut.write_bytes((folder / "vowel.wav").read_bytes()[:60000])
    write_wav(folder / "silence.wav", np.zeros(44100 * 3), 44100)
    (folder / "notes.wav").write_text("Shopping list: bread, milk.\n" * 30, encoding="utf-8")
    return {"vowel": folder / "vowel.wav", "speech": encode(folder / "speech.webm", speech.samples, 48000),
            "cut": cut, "silence": folder / "silence.wav", "notes": folder / "notes.wav"}


def _upload(path: Path, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


def test_page_upload_of_a_vowel_is_analysed_and_shown(patient, sounds, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    capture = client.get(f"/patients/{patient.pk}/recordings/new/voice/").content.decode()
    assert "Turn on the microphone" in capture and 'id="level-meter"' in capture and "torsion/js/voice.js" in capture
    assert "Lynn and Molly rowed away in the rain." in capture and 'accept="audio/*"' in capture
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/patients/{patient.pk}/recordings/new/voice/",
                               {"task": "vowel", "video": _upload(sounds["vowel"], "audio/wav")})
    recording = Recording.objects.get(patient=patient)
    assert response.status_code == 302 and recording.video.name.endswith(".wav")
    assert recording.status == "done", recording.error
    assert recording.result["voice_breaks"] == 1
    assert recording.result["voice_breaks_longest_s"] == pytest.approx(0.12, abs=0.01)
    assert recording.metrics["voice_breaks"] == 1 and "cpps_db" in recording.metrics
    page = client.get(response["Location"]).content.decode()
    assert "Voice clarity (CPPS)" in page and "14.45 dB or more" in page and "Murton" in page
    assert "Loudness over time" in page and "Pitch of the voice" in page and page.count('<svg class="chart"') == 2
    assert "Breaks in the voice" in page and "<audio" in page and "<video" not in page
    # The technical figures sit behind a summary for the patient, each term explained in plain words.
    assert '<details class="voice-details">' in page and "All the figures, for your clinician" in page
    assert "<dt>Jitter</dt><dd>how unevenly the pitch runs" in page
    served = client.get(f"/patients/{patient.pk}/recordings/{recording.pk}/video/")
    assert served["Content-Type"] == "audio/wav"


def test_api_upload_of_browser_sentences_and_the_contrast_with_the_vowel(patient, sounds,
                                                                      django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        vowel = client.post(f"/api/patients/{patient.pk}/recordings",
                            {"kind": "voice", "task": "vowel", "video": _upload(sounds["vowel"], "audio/wav")})
        speech = client.post(f"/api/patients/{patient.pk}/recordings",
                             {"kind": "voice", "task": "voiced",
                              "video": _upload(sounds["speech"], "audio/webm;codecs=opus")})
    assert vowel.status_code == speech.status_code == 201, speech.content
    recording = Recording.objects.get(pk=speech.json()["id"])
    assert recording.status == "done", recording.error
    assert recording.content_type == "audio/webm" and recording.video.name.endswith(".webm")
    assert recording.result["phonatory_breaks"]["count"] == 2
    assert recording.metrics["phonatory_breaks"] == 2
    page = client.get(f"/patients/{patient.pk}/recordings/{recording.pk}/").content.decode()
    assert "Speech compared with the held vowel" in page
    assert "Breaks of 40 ms or longer in speech" in page
    status = client.get(f"/api/patients/{patient.pk}/recordings/{recording.pk}").json()
    assert status["result"]["phonatory_breaks"]["count"] == 2 and "series" not in status["result"]


@pytest.mark.parametrize("name, content_type, words", [
    ("silence", "audio/wav", "The recording is silent"),
    ("cut", "audio/wav", "The file is cut short"),
    ("notes", "audio/wav", "does not look like a sound recording"),
    ("notes", "text/plain", "not a sound file Torsion can read"),
])
def test_unusable_sound_is_refused_and_nothing_is_stored(patient, sounds, settings, name, content_type, words):
    client = logged_in(patient.user)
    before = database_state()
    files_before = sorted(Path(settings.RECORDINGS_DIR).rglob("*"))
    response = client.post(f"/api/patients/{patient.pk}/recordings",
                           {"kind": "voice", "task": "vowel", "video": _upload(sounds[name], content_type)})
    assert response.status_code == 422 and words in json.dumps(response.json())
    page = client.post(f"/patients/{patient.pk}/recordings/new/voice/",
                       {"task": "vowel", "video": _upload(sounds[name], content_type)})
    assert page.status_code == 200 and words in page.content.decode()
    assert not Recording.objects.exists()
    assert database_state() == before
    assert sorted(Path(settings.RECORDINGS_DIR).rglob("*")) == files_before


def test_an_empty_sound_file_is_refused(patient):
    response = logged_in(patient.user).post(
        f"/api/patients/{patient.pk}/recordings",
        {"kind": "voice", "task": "vowel", "video": SimpleUploadedFile("a.wav", b"", content_type="audio/wav")})
    assert response.status_code == 422 and "The file is empty" in response.json()["detail"]
    assert not Recording.objects.exists()


def test_a_vowel_too_short_fails_in_the_background_with_a_reason(patient, django_capture_on_commit_callbacks,
                                                                  tmp_path):
    path = tmp_path / "short.wav"
    write_wav(path, synthesise_vowel(1.5, sample_rate=16000).samples, 16000)
    client = logged_in(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/patients/{patient.pk}/recordings",
                    {"kind": "voice", "task": "vowel", "video": _upload(path, "audio/x-wav")})
    recording = Recording.objects.get()
    assert recording.status == "failed" and "hold it for at least 3 seconds" in recording.error
    page = client.get(f"/patients/{patient.pk}/recordings/{recording.pk}/").content.decode()
    assert "could not be measured" in page and "Record again" in page


def test_voice_trends_mark_injections_on_the_list_and_the_dashboard(patient, today):
    for days_ago, breaks in ((70, 9), (40, 2), (10, 6)):
        when = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9)))
        recording = Recording(patient=patient, kind="voice", task="voiced", recorded_at=when, content_type="audio/webm",
                              size_bytes=1, status="done", metrics={"phonatory_breaks": breaks, "cpps_db": 8.0})
        recording.video.name = f"{patient.pk}/v{days_ago}.webm"
        recording.save()
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=50), product="onabotulinumtoxinA")
    client = logged_in(patient.user)
    page = client.get(f"/patients/{patient.pk}/recordings/").content.decode()
    assert "Trends: voice" in page
    assert "Breaks of 40 ms or longer, smooth sentences in 3 recordings" in page
    assert "marker injection" in page
    dashboard = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Breaks of 40 ms or longer, smooth sentences" in dashboard


def test_measure_voice_link_leads_to_the_voice_page(patient):
    response = logged_in(patient.user).get("/measure/voice/")
    assert response["Location"] == f"/patients/{patient.pk}/recordings/new/voice/"


def test_demo_patient_gets_analysed_example_voice_recordings(db):
    from datetime import date

    from torsion.web.core.demo import DEMO_PATIENT, create_demo

    today = date(2026, 6, 1)
    result = create_demo(today=today)
    examples = Recording.objects.filter(patient__user__username=DEMO_PATIENT, kind="voice")
    assert result.voice_examples == examples.count() == 6
    assert all(r.example and r.status == "done" for r in examples), [r.error for r in examples]
    assert {r.task for r in examples} == {"vowel", "voiced", "voiceless", "passage"}
    voiced = list(examples.filter(task="voiced").order_by("recorded_at"))
    assert [r.metrics["phonatory_breaks"] for r in voiced] == [7, 1, 4]  # the breaks put into each session
    # Few breaks a month after an injection, more before it and as it wears off before the next.
    days = [timezone.localtime(r.recorded_at).date() for r in voiced]
    injections = ToxinInjection.objects.filter(patient=voiced[0].patient)
    assert injections.filter(date__gt=days[0], date__lt=days[1]).exists()
    assert injections.filter(date__gt=days[2], date__lte=today).exists()
    vowel = examples.get(task="vowel")
    assert vowel.result["tremor"]["detected"] and vowel.result["tremor"]["frequency_hz"] == pytest.approx(5.5, abs=0.3)
    patient = voiced[0].patient
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/recordings/{vowel.pk}/").content.decode()
    assert "synthesised voice; it is not a person's recording" in page
    listing = logged_in(patient.user).get(f"/patients/{patient.pk}/recordings/").content.decode()
    assert listing.count("(example)") == 6 and "Trends: voice" in listing
    api = logged_in(patient.user).get(f"/api/patients/{patient.pk}/recordings?kind=voice").json()
    assert len(api) == 6 and all(item["example"] for item in api)
    # Running the demo again adds nothing; a reset makes them afresh, their files replaced.
    assert create_demo(today=today).voice_examples == 0 and examples.count() == 6
    old_files = [Path(r.video.path) for r in examples]
    assert create_demo(today=today, reset=True).voice_examples == 6
    assert not any(path.exists() for path in old_files) and examples.count() == 6
