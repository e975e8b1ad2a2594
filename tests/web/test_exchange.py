"""The complete export, FHIR R4 out and in, restoring a record, and deleting an account."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models

from tests import factories
from tests.web.conftest import logged_in
from torsion.interop import fhir
from torsion.web.accounts.models import Patient, User
from torsion.web.core.demo import add_simulated_history
from torsion.web.exchange import archive, services
from torsion.web.exchange.deletion import delete_account
from torsion.web.exchange.document import build_document, record_rows
from torsion.web.learn.diagnosis import confirm_diagnosis, save_diagnosis
from torsion.web.recordings.models import Recording
from torsion.web.records import models as records


@pytest.fixture
def full_record(patient, clinician, today):
    """Every kind of record, with the details each carries: what an export must keep."""
    patient.date_of_birth = today.replace(year=today.year - 47)
    patient.save()
    patient.user.display_name = "Robin Vale"
    patient.user.save()
    add_simulated_history(patient, {"neck": 6.0, "upper_face": 3.0}, start=today - timedelta(days=200), end=today,
                          seed=5)
    summary = save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    confirm_diagnosis(summary, by=clinician.user, note="Seen in clinic.", findings="Left rotation, 25 degrees.")
    records.MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=Decimal("10"),
                                            times_per_day=3, schedule_note="with meals", start=today - timedelta(
                                                days=300), stop=today - timedelta(days=100), stop_reason="drowsy")
    implant = records.DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=150),
                                                target="gpi", side="bilateral", device="Example IPG")
    records.DBSProgramming.objects.create(implant=implant, date=today - timedelta(days=120),
                                          settings={"left": {"amplitude": 2.5, "contacts": "1-, C+"}})
    records.Procedure.objects.create(patient=patient, date=today - timedelta(days=400), kind="myectomy",
                                     details="left SCM", notes="healed well")
    recording = Recording(patient=patient, kind="head", task="rest", content_type="video/webm", size_bytes=4,
                          status="done", metrics={"yaw_median_deg": 12.5, "tremor_frequency_hz": 4.2})
    recording.video.save("rest.webm", ContentFile(b"\x1a\x45\xdf\xa3 video"), save=True)
    return patient


def _strip(value):
    """A document or Bundle without what differs between two sites: ids, references, timestamps, accounts."""
    text = json.dumps(value, sort_keys=True)
    text = re.sub(r'"urn:uuid:[0-9a-f-]+"', '"ref"', text)
    for key in ("id", "exported_at", "timestamp", "recordedDate", "created_at", "updated_at", "saved_at",
                "confirmed_at", "analysed_at", "replaced_at", "at", "session", "injection", "implant", "replaces",
                "video", "saved_by", "confirmed_by", "entry", "path"):
        text = re.sub(rf'"{key}": ("[^"]*"|\d+|null)', f'"{key}": "-"', text)
    return json.loads(text)


def _sorted_resources(bundle):
    return sorted(json.dumps(_strip(e["resource"]), sort_keys=True) for e in bundle["entry"])


def test_the_bundle_validates_every_reference_resolves_and_every_kind_is_there(full_record):
    bundle = services.bundle_for(full_record)
    assert fhir.validate_bundle(bundle) == []
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "CodeSystem", "Condition", "Observation", "Procedure", "MedicationAdministration",
            "MedicationStatement"} <= kinds
    condition = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition"
                     and e["resource"]["verificationStatus"]["coding"][0]["code"] == "confirmed")
    assert condition["code"]["coding"][0] == {"system": fhir.ICD10CM, "code": "G24.3",
                                              "display": condition["code"]["coding"][0]["display"]}
    dose = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationAdministration")
    assert dose["dosage"]["dose"]["code"] == "{U}" and dose["partOf"][0]["reference"].startswith("urn:uuid:")
    measures = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
                and e["resource"]["code"]["coding"][0]["system"] == fhir.MEASURE]
    assert {m["valueQuantity"]["code"] for m in measures} == {"deg", "Hz"}
    diary_days = records.DiaryEntry.objects.filter(patient=full_record).count()
    diary = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
             and e["resource"]["code"]["coding"][0]["system"] == fhir.DIARY]
    assert len(diary) >= 2 * diary_days  # at least the two regions each day


def test_fhir_round_trip_into_an_empty_database_gives_the_same_bundle(full_record):
    first = services.bundle_for(full_record)
    username = full_record.user.username
    delete_account(full_record.user)
    assert not Patient.objects.filter(user__username=username).exists()
    user = User.objects.create_user(username=username, password=None, role="patient")
    restored = Patient.objects.create(user=user)
    services.import_bundle(json.loads(json.dumps(first)), restored)
    second = services.bundle_for(restored)
    assert _sorted_resources(first) == _sorted_resources(second)


def test_zip_round_trip_keeps_the_document_and_the_files(full_record, tmp_path):
    path = tmp_path / "record.zip"
    first = archive.write_archive(full_record, path)
    with zipfile.ZipFile(path) as zipped:
        names = set(zipped.namelist())
        assert {"record.json", "README.txt", "csv/diary.csv", "csv/injections.csv"} <= names
        [video] = [n for n in names if n.startswith("files/recordings.recording/")]
        assert zipped.read(video) == b"\x1a\x45\xdf\xa3 video"
    assert first["version"] == 1 and first["tables"]["learn.diagnosissummary"]
    username = full_record.user.username
    delete_account(full_record.user)
    user = User.objects.create_user(username=username, password=None, role="patient")
    restored = Patient.objects.create(user=user)
    archive.restore_archive(path, restored)
    second = build_document(restored)
    first.pop("files"), second.pop("files")
    assert _strip(first) == _strip(second)
    recording = Recording.objects.get(patient=restored)
    assert recording.video.read() == b"\x1a\x45\xdf\xa3 video"


def _bundle_with(full_record, change):
    bundle = services.bundle_for(full_record)
    change(bundle)
    return bundle


def _first(bundle, kind):
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


@pytest.mark.parametrize(("change", "message"), [
    (lambda b: _first(b, "Observation").update(effectiveDateTime="yesterday"), "field 'effectiveDateTime'"),
    (lambda b: _first(b, "MedicationAdministration")["partOf"][0].update(reference="urn:uuid:0000"),
     "does not resolve inside the Bundle"),
    (lambda b: _first(b, "MedicationAdministration")["dosage"]["site"]["coding"][0].update(code="kneecap"),
     "unknown code 'kneecap'"),
    (lambda b: _first(b, "MedicationStatement")["medicationCodeableConcept"]["coding"][0].update(code="aspirin"),
     "unknown code 'aspirin'"),
    (lambda b: b["entry"].append(dict(b["entry"][1])), "exactly one Patient"),
    (lambda b: b.update(resourceType="Patient"), "not a FHIR Bundle"),
])
def test_bad_bundles_are_refused_naming_the_resource_and_field_and_nothing_is_written(full_record, other_patient,
                                                                                      change, message):
    bundle = _bundle_with(full_record, change)
    before = list(record_rows(other_patient))
    with pytest.raises((fhir.FhirError, services.RestoreRefused)) as caught:
        services.import_bundle(bundle, other_patient)
    assert message in str(caught.value)
    assert list(record_rows(other_patient)) == before


def test_a_bundle_is_not_restored_into_a_record_that_is_not_empty_or_of_another_person(full_record, other_patient,
                                                                                      today):
    bundle = services.bundle_for(full_record)
    with pytest.raises(services.RestoreRefused, match="empty"):
        services.import_bundle(bundle, full_record)
    other_patient.date_of_birth = today.replace(year=1950)
    other_patient.save()
    with pytest.raises(services.RestoreRefused, match="another person"):
        services.import_bundle(bundle, other_patient)
    assert dict(record_rows(other_patient))["records.diaryentry"] == 0


def test_the_restore_page_takes_a_bundle_and_names_the_problems_of_a_bad_one(full_record, other_patient):
    bundle = services.bundle_for(full_record)
    client = logged_in(other_patient.user)
    broken = json.loads(json.dumps(bundle))
    _first(broken, "MedicationAdministration")["dosage"]["site"]["coding"][0]["code"] = "kneecap"
    upload = io.BytesIO(json.dumps(broken).encode())
    upload.name = "bundle.json"
    response = client.post(f"/patients/{other_patient.pk}/restore/", {"file": upload})
    assert response.status_code == 400 and "unknown code" in response.content.decode()
    assert dict(record_rows(other_patient))["records.toxininjection"] == 0
    upload = io.BytesIO(json.dumps(bundle).encode())
    upload.name = "bundle.json"
    response = client.post(f"/patients/{other_patient.pk}/restore/", {"file": upload})
    assert response.status_code == 302
    assert dict(record_rows(other_patient))["records.toxininjection"] == \
        records.ToxinInjection.objects.filter(patient=full_record).count()


def test_downloads_are_the_patients_alone(full_record, clinician):
    owner = logged_in(full_record.user)
    response = owner.get(f"/patients/{full_record.pk}/export/everything/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        assert json.loads(zipped.read("record.json"))["format"] == "torsion-record"
    fhir_response = owner.get(f"/patients/{full_record.pk}/export/fhir/")
    assert json.loads(fhir_response.content)["resourceType"] == "Bundle"
    doctor = logged_in(clinician.user)
    for url in ("export/everything/", "export/fhir/", "restore/"):
        assert doctor.get(f"/patients/{full_record.pk}/{url}").status_code == 404


def _rows_linked_to(patient_id: int, user_id: int) -> dict[str, int]:
    """Rows of every model that point at this patient or this account, directly."""
    found = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model in (Patient, User):
                target = patient_id if f.related_model is Patient else user_id
                count = model._base_manager.filter(**{f.attname: target}).count()
                if count:
                    found[f"{model._meta.label}.{f.name}"] = count
    return found


def test_deleting_the_account_leaves_no_row_and_no_file(full_record, clinician, settings):
    from torsion.web.accounts import sharing

    sharing.invite(full_record, can_edit=False)
    records.AdverseEvent.objects.create(patient=full_record, onset=records.DiaryEntry.objects.latest("date").date,
                                        kind="dysphagia", severity="mild",
                                        injection=records.ToxinInjection.objects.filter(patient=full_record).first())
    logged_in(clinician.user).get(f"/patients/{full_record.pk}/")  # an audit row too
    files = [Path(r.video.path) for r in Recording.objects.filter(patient=full_record)]
    assert files and all(f.exists() for f in files)
    patient_id, user_id = full_record.pk, full_record.user_id
    client = logged_in(full_record.user)
    refused = client.post("/accounts/delete/", {"password": "wrong", "understood": "on"})
    assert refused.status_code == 400 and "Nothing was deleted" in refused.content.decode()
    assert Patient.objects.filter(pk=patient_id).exists()
    response = client.post("/accounts/delete/", {"password": factories.PASSWORD, "understood": "on"})
    assert response.status_code == 200 and "deleted" in response.content.decode()
    assert _rows_linked_to(patient_id, user_id) == {}
    assert not User.objects.filter(pk=user_id).exists()
    assert not any(f.exists() for f in files)
    assert logged_in(clinician.user).get(f"/patients/{patient_id}/").status_code == 404


def test_a_clinician_deleting_their_account_leaves_the_patients_trail(full_record, clinician):
    logged_in(clinician.user).get(f"/patients/{full_record.pk}/")
    from torsion.web.audit.models import AccessEvent

    assert AccessEvent.objects.filter(patient=full_record).count() == 1
    response = logged_in(clinician.user).post("/accounts/delete/", {"password": factories.PASSWORD,
                                                                    "understood": "on"})
    assert response.status_code == 200
    assert AccessEvent.objects.filter(patient=full_record).count() == 1
    assert Patient.objects.filter(pk=full_record.pk).exists()
