"""A clinician reads the patient's pages in words for a clinician; the patient reads their own in words for them."""

from __future__ import annotations

import html

import pytest

from tests import factories
from tests.web.conftest import logged_in
from torsion.web.learn.diagnosis import current_diagnosis
from torsion.web.recordings.models import Recording
from torsion.web.recordings.protocols import KINDS

PATIENT_PROMPTS = ("Check in for today", "Update today's check-in", "How old were you", "your camera",
                   "Body parts I score", "this person")


@pytest.fixture
def record(patient, today):
    return factories.fill_record(patient, today=today)


@pytest.mark.parametrize("page", ["", "diary/", "history/", "recordings/", "diagnosis/", "export/",
                                  "diagnosis/{summary_id}/correct/", "diagnosis/new/"])
def test_a_clinician_never_reads_the_patients_own_prompts(patient, clinician, record, page):
    html = logged_in(clinician.user).get(f"/patients/{patient.pk}/" + page.format(**record)).content.decode()
    assert "The record of" in html and str(patient) in html
    for prompt in PATIENT_PROMPTS:
        assert prompt not in html, f"{prompt!r} on {page or 'the dashboard'}"


def test_the_clinicians_banner_says_what_they_may_do(patient, clinician, stranger_clinician, record):
    assert "you may read it and record" in logged_in(clinician.user).get(f"/patients/{patient.pk}/").content.decode()
    factories.grant(patient, stranger_clinician, can_edit=False)
    assert "read only" in logged_in(stranger_clinician.user).get(f"/patients/{patient.pk}/").content.decode()


def test_the_patient_reads_their_own_pages_as_you(patient, record):
    client = logged_in(patient.user)
    assert "Check in for today" in client.get(f"/patients/{patient.pk}/").content.decode()
    html = client.get(f"/patients/{patient.pk}/diagnosis/{record['summary_id']}/correct/").content.decode()
    assert "How old were you" in html and "Examination findings" not in html
    assert "The record of" not in client.get(f"/patients/{patient.pk}/").content.decode()


def test_a_clinician_corrects_the_diagnosis_with_findings_and_the_history_is_kept(patient, clinician, record):
    client = logged_in(clinician.user)
    url = f"/patients/{patient.pk}/diagnosis/{record['summary_id']}/correct/"
    html = client.get(url).content.decode()
    assert "Age of the patient at onset" in html and "Examination findings" in html
    response = client.post(url, {"regions": ["neck", "upper_face"], "onset_age": "46", "confirm_save": "1",
                                 "examination_findings": "Right torticollis, 20 degrees; sensory trick present."})
    assert response.status_code == 302
    summary = current_diagnosis(patient)
    assert summary.pk != record["summary_id"] and summary.replaces_id == record["summary_id"]
    assert summary.status == "clinician" and summary.examination_findings.startswith("Right torticollis")
    assert "Right torticollis" in client.get(f"/patients/{patient.pk}/diagnosis/").content.decode()


def test_a_clinician_enters_a_first_summary(other_patient, clinician):
    factories.grant(other_patient, clinician, can_edit=True)
    client = logged_in(clinician.user)
    response = client.post(f"/patients/{other_patient.pk}/diagnosis/new/",
                           {"regions": ["upper_face"], "onset_age": "61", "confirm_save": "1"})
    assert response.status_code == 302
    assert "Blepharospasm" in str(current_diagnosis(other_patient).result["forms"]).title()


#: Prompts and advice of the patient's measurement pages, which a clinician must never read.
PATIENT_MEASUREMENT_PROMPTS = ("Compare your results", "your own earlier recordings", "around your injections",
                               "How your head is turned", "How often you blink", "Breaks in your voice",
                               "Draw every week", "Repeat this recording")


@pytest.fixture
def measured(patient):
    """A held vowel analysed, and one head recording and one spiral: single points, so the trends carry a note."""
    voice = Recording.objects.create(
        patient=patient, kind="voice", task="vowel", content_type="audio/wav", size_bytes=1, status="done",
        metrics={"voice_breaks": 0, "cpps_db": 12.0},
        result={"voice_breaks": 0, "cpps_db": 12.0, "f0_mean_hz": 120.0, "analysed_from_s": 0.5,
                "analysed_to_s": 3.5, "pitch_floor_hz": 60, "pitch_ceiling_hz": 400, "pitch_range_source": "default"})
    head = factories.head_recording(patient, yaw_deg=20, roll_deg=5, pitch_deg=0, lateral=0.0)
    head.metrics = {key: 20.0 for key, _, _ in KINDS["head"].metrics}
    head.save()
    factories.make_drawing(patient)
    return {"voice_id": voice.pk}


@pytest.mark.parametrize("page", ["", "recordings/", "recordings/{voice_id}/", "drawings/",
                                  "recordings/new/head/", "recordings/new/voice/"])
def test_a_clinician_reads_the_measurement_pages_in_words_for_a_clinician(patient, clinician, measured, page):
    url = f"/patients/{patient.pk}/" + page.format(**measured)
    response = logged_in(clinician.user).get(url)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    for prompt in PATIENT_MEASUREMENT_PROMPTS:
        assert prompt not in text, f"{prompt!r} on {page or 'the dashboard'}"
    # The patient's own page does carry the prompts, so the check above looks where they would be.
    mine = html.unescape(logged_in(patient.user).get(url).content.decode())
    assert any(prompt in mine for prompt in PATIENT_MEASUREMENT_PROMPTS)


def test_the_clinicians_measurement_pages_say_it_about_the_patient(patient, clinician, measured):
    client, own = logged_in(clinician.user), logged_in(patient.user)
    base = f"/patients/{patient.pk}/"
    voice = base + f"recordings/{measured['voice_id']}/"
    assert "the patient's own earlier recordings" in html.unescape(client.get(voice).content.decode())
    assert "Compare your results with your own earlier recordings" in html.unescape(own.get(voice).content.decode())
    listing = html.unescape(client.get(base + "recordings/").content.decode())
    assert "How the patient's head is turned" in listing and "How often the patient blinks" in listing
    assert "Breaks in the patient's voice" in listing
    assert "How your head is turned" in html.unescape(own.get(base + "recordings/").content.decode())
    drawings = html.unescape(client.get(base + "drawings/").content.decode())
    assert "show how the patient responds" in drawings
    assert "Drawings every week or two, and around injections, make a trend." in drawings
    assert "Draw every week or two" in html.unescape(own.get(base + "drawings/").content.decode())
    dashboard = html.unescape(client.get(base).content.decode())
    assert "Recordings every week or two, and around injections, make a trend." in dashboard
    assert "Repeat this recording every week" in html.unescape(own.get(base).content.decode())


def test_a_clinician_corrects_the_diagnosis_without_the_patients_first_person(patient, clinician, record):
    url = f"/patients/{patient.pk}/diagnosis/{record['summary_id']}/correct/"
    page = html.unescape(logged_in(clinician.user).get(url).content.decode())
    assert "If the patient's face is affected, is it only on one side?" in page
    assert "Both sides, or not known" in page and "No, or not known" in page
    assert "If your face" not in page and "I don't know" not in page
    mine = html.unescape(logged_in(patient.user).get(url).content.decode())
    assert "If your face is affected, is it only on one side?" in mine and "Both sides, or I don't know" in mine


def test_the_footer_and_the_patient_search_speak_to_a_clinician(patient, clinician, record):
    page = html.unescape(logged_in(clinician.user).get("/clinic/").content.decode())
    assert "it does not replace your clinician" not in page
    assert "clinical judgement stays with the treating clinician" in page
    assert 'placeholder="Name or diagnosis"' in page  # short enough for a 390 px phone
    own = html.unescape(logged_in(patient.user).get(f"/patients/{patient.pk}/").content.decode())
    assert "it does not replace your clinician" in own
