"""The classification assistant's pages, and the diagnosis summary a patient saves and a clinician confirms."""

from __future__ import annotations

import html
import json

import pytest

from tests import factories
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.learn.models import DiagnosisSummary

pytestmark = pytest.mark.django_db

CERVICAL = {"regions": ["neck"], "onset_age": "44", "course": "static", "associated_status": "none",
            "cause_type": "idiopathic", "idiopathic_kind": "sporadic"}


def test_anyone_can_classify_without_an_account(client):
    html = client.post("/learn/classify/", CERVICAL).content.decode()
    assert "Cervical dystonia" in html and "G24.3 Spasmodic torticollis" in html
    assert "Focal" in html and "Late adulthood" in html and "Primary" in html
    assert "Log in</a> to save" in html
    assert not DiagnosisSummary.objects.exists()


def test_a_clinician_reads_the_public_assistant_about_a_patient(clinician):
    client = logged_in(clinician.user)
    page = html.unescape(client.get("/learn/classify/").content.decode())
    assert "Answer what is known about a patient" in page
    assert "Which parts of the patient's body are affected?" in page
    assert "dystonia like yours" not in page and "How old were you" not in page
    assert "examined you" not in page and 'name="examination_findings"' not in page  # nothing here is saved
    result = client.post("/learn/classify/", CERVICAL).content.decode()
    assert "Cervical dystonia" in result and "Save as my diagnosis summary" not in result
    assert not DiagnosisSummary.objects.exists()


def test_unknown_answers_are_reported_not_guessed(client):
    html = client.post("/learn/classify/", {"regions": ["neck", "left_arm"], "onset_age": "30"}).content.decode()
    assert "Segmental" in html
    assert "Not told" in html  # isolated or combined
    assert "Cannot be told from these answers" in html  # older term


def test_patient_saves_the_classification_as_diagnosis_summary(patient, today):
    client = logged_in(patient.user)
    patient.diary_regions = []
    patient.save()
    page = client.post("/learn/classify/", {**CERVICAL, "regions": ["neck", "upper_face"]}).content.decode()
    facts = json.loads(page.split('name="facts" value="')[1].split('"')[0].replace("&quot;", '"'))
    response = client.post(f"/patients/{patient.pk}/diagnosis/save/", {"facts": json.dumps(facts)})
    assert response.status_code == 302
    summary = DiagnosisSummary.objects.get(patient=patient)
    assert summary.status == "self_reported" and summary.saved_by == patient.user
    assert summary.result["forms"][0] == "craniocervical dystonia"
    patient.refresh_from_db()
    assert patient.diary_regions == ["upper_face", "neck"]  # the check-in now scores these
    assert "Craniocervical dystonia" in client.get(f"/patients/{patient.pk}/").content.decode()


def test_saving_recomputes_and_refuses_tampered_facts(patient):
    client = logged_in(patient.user)
    before = database_state()
    for facts in ("not json", json.dumps({"regions": ["tail"], "onset_age": 30}), json.dumps({"onset_age": 200})):
        response = client.post(f"/patients/{patient.pk}/diagnosis/save/", {"facts": facts}, follow=True)
        assert "could not be saved" in response.content.decode()
    assert database_state() == before


def test_result_sent_by_the_browser_is_never_stored(patient):
    client = logged_in(patient.user)
    facts = {"regions": ["neck"], "onset_age": 44, "forms": ["made up"]}
    client.post(f"/patients/{patient.pk}/diagnosis/save/", {"facts": json.dumps(facts)})
    assert not DiagnosisSummary.objects.exists()  # unknown key refused
    client.post(f"/patients/{patient.pk}/diagnosis/save/", {"facts": json.dumps({"regions": ["neck"], "onset_age": 44})})
    assert DiagnosisSummary.objects.get().result["forms"] == ["cervical dystonia"]


def test_clinician_confirms_the_current_summary(patient, clinician):
    summary = factories.save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    client = logged_in(clinician.user)
    response = client.post(f"/patients/{patient.pk}/diagnosis/{summary.pk}/confirm/", {"note": "Agreed at visit."})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == "confirmed" and summary.confirmed_by == clinician.user
    assert summary.clinician_note == "Agreed at visit."
    assert "Confirmed by a clinician" in client.get(f"/patients/{patient.pk}/diagnosis/").content.decode()


def test_patient_cannot_confirm_their_own_summary(patient):
    summary = factories.save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    response = logged_in(patient.user).post(f"/patients/{patient.pk}/diagnosis/{summary.pk}/confirm/", {})
    assert response.status_code == 404
    summary.refresh_from_db()
    assert summary.status == "self_reported"


def test_clinician_corrects_and_the_old_summary_is_kept(patient, clinician):
    old = factories.save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    client = logged_in(clinician.user)
    form = client.get(f"/patients/{patient.pk}/diagnosis/{old.pk}/correct/").content.decode()
    assert 'value="neck" class="choice-buttons" id="id_regions_5" checked' in form  # prefilled
    corrected = {**CERVICAL, "regions": ["neck", "left_arm", "right_arm"], "confirm_save": "1"}
    response = client.post(f"/patients/{patient.pk}/diagnosis/{old.pk}/correct/", corrected)
    assert response.status_code == 302
    new = DiagnosisSummary.objects.exclude(pk=old.pk).get()
    assert new.status == "clinician" and new.replaces == old and new.result["body_distribution"] == "segmental"
    assert DiagnosisSummary.objects.count() == 2
    page = client.get(f"/patients/{patient.pk}/diagnosis/").content.decode()
    assert "Earlier summaries" in page


def test_read_only_clinician_cannot_confirm_or_correct(patient, stranger_clinician):
    factories.grant(patient, stranger_clinician, can_edit=False)
    summary = factories.save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    client = logged_in(stranger_clinician.user)
    assert client.get(f"/patients/{patient.pk}/diagnosis/").status_code == 200
    assert client.post(f"/patients/{patient.pk}/diagnosis/{summary.pk}/confirm/", {}).status_code == 404
    assert client.get(f"/patients/{patient.pk}/diagnosis/{summary.pk}/correct/").status_code == 404


def test_confirmation_note_too_long_is_refused_next_to_the_field(patient, clinician):
    summary = factories.save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    response = logged_in(clinician.user).post(f"/patients/{patient.pk}/diagnosis/{summary.pk}/confirm/",
                                              {"note": "x" * 2001})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_note_error"' in html and "at most 2000" in html
    summary.refresh_from_db()
    assert summary.status == "self_reported" and summary.confirmed_by is None


ONE_SIDE = {"regions": ["right_arm", "right_leg", "lower_face", "jaw"], "onset_age": "62",
            "cause_type": "acquired", "acquired_kind": "vascular"}


@pytest.mark.parametrize(
    ("face_side", "distribution", "sides"),
    [("right", "Hemidystonia", {"lower_face": "right", "jaw": "right"}),
     ("", "Hemidystonia", None),
     ("left", "Multifocal", {"lower_face": "left", "jaw": "left"})],
)
def test_the_side_of_the_face_decides_hemidystonia(client, face_side, distribution, sides):
    from torsion.web.learn.forms import ClassificationForm

    html = client.post("/learn/classify/", {**ONE_SIDE, "face_side": face_side}).content.decode()
    assert f"<dd>{distribution}" in html
    form = ClassificationForm({**ONE_SIDE, "face_side": face_side})
    assert form.is_valid(), form.errors
    assert form.facts().get("face_sides") == sides


def test_a_face_side_without_a_face_region_is_left_out():
    from torsion.web.learn.forms import ClassificationForm

    form = ClassificationForm({"regions": ["neck"], "onset_age": "40", "face_side": "left"})
    assert form.is_valid(), form.errors
    assert "face_sides" not in form.facts()


@pytest.mark.parametrize(
    ("facts", "initial"),
    [({"regions": ["jaw", "tongue"], "face_sides": {"jaw": "left", "tongue": "left"}}, "left"),
     ({"regions": ["jaw", "tongue"], "face_sides": {"jaw": "left"}}, ""),
     ({"regions": ["jaw", "tongue"], "face_sides": {"jaw": "left", "tongue": "right"}}, ""),
     ({"regions": ["jaw"]}, "")],
)
def test_a_correction_starts_from_the_saved_side(facts, initial):
    from torsion.web.learn.forms import ClassificationForm

    assert ClassificationForm.initial_from_facts({**facts, "onset_age": 50})["face_side"] == initial
