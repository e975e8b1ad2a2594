"""A clinician reads the patient's pages in words for a clinician; the patient reads their own in words for them."""

from __future__ import annotations

import pytest

from tests import factories
from tests.web.conftest import logged_in
from torsion.web.learn.diagnosis import current_diagnosis

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
