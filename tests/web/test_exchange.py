"""The complete export, FHIR R4 out and in, restoring a record, and deleting an account."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import time, timedelta
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
    for period, moment, score in (("morning", time(7, 45), 3), ("evening", time(21, 10), 7)):
        records.DiaryEntry.objects.create(patient=patient, date=today, period=period, time=moment,
                                          severity={"neck": score}, pain=score - 1, note=f"{period} note")
    summary = save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    confirm_diagnosis(summary, by=clinician.user, note="Seen in clinic.", findings="Left rotation, 25 degrees.")
    course = records.MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=Decimal("10"),
                                            times_per_day=3, schedule_note="with meals", start=today - timedelta(
                                                days=300), stop=today - timedelta(days=100), stop_reason="drowsy")
    implant = records.DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=150),
                                                target="gpi", side="bilateral", device="Example IPG")
    records.DBSProgramming.objects.create(implant=implant, date=today - timedelta(days=120),
                                          settings={"left": {"amplitude": 2.5, "contacts": "1-, C+"}})
    surgery = records.Procedure.objects.create(patient=patient, date=today - timedelta(days=400), kind="myectomy",
                                               details="left SCM", notes="healed well")
    records.TherapySession.objects.create(patient=patient, date=today - timedelta(days=30), kind="physical",
                                          duration_min=45, therapist="Physiotherapy clinic",
                                          notes="Stretching, sensory-trick training.")
    records.TherapySession.objects.create(patient=patient, date=today - timedelta(days=23), kind="speech")
    session = records.ToxinInjection.objects.filter(patient=patient).order_by("date").first()
    for kind, severity, days, description, link in (
            ("neck_weakness", "moderate", 21, "Head felt heavy by the evening.", {"injection": session}),
            ("dysphagia", "mild", None, "", {"injection": session}),
            ("drowsiness", "mild", 60, "Sleepy all afternoon.", {"medication": course}),
            ("breathy_voice", "moderate", 10, "", {"dbs_implant": implant}),
            ("other", "severe", 30, "Scar pulled when turning.", {"procedure": surgery}),
            ("flu_like", "mild", 0, "", {})):
        records.AdverseEvent.objects.create(patient=patient, onset=today - timedelta(days=10), kind=kind,
                                            severity=severity, duration_days=days, description=description, **link)
    recording = Recording(patient=patient, kind="head", task="rest", content_type="video/webm", size_bytes=4,
                          status="done", metrics={"yaw_median_deg": 12.5, "tremor_frequency_hz": 4.2})
    recording.video.save("rest.webm", ContentFile(b"\x1a\x45\xdf\xa3 video"), save=True)
    factories.make_drawing(patient, hand="left")
    return patient


def _strip(value):
    """A document or Bundle without what differs between two sites: ids, references, timestamps, accounts."""
    text = json.dumps(value, sort_keys=True)
    text = re.sub(r'"urn:uuid:[0-9a-f-]+"', '"ref"', text)
    for key in ("id", "exported_at", "timestamp", "recordedDate", "created_at", "updated_at", "saved_at",
                "confirmed_at", "analysed_at", "replaced_at", "at", "session", "injection", "implant", "replaces",
                "video", "samples", "saved_by", "confirmed_by", "entry", "path", "medication", "dbs_implant",
                "procedure"):
        text = re.sub(rf'"{key}": ("[^"]*"|\d+|null)', f'"{key}": "-"', text)
    return json.loads(text)


def _sorted_resources(bundle):
    return sorted(json.dumps(_strip(e["resource"]), sort_keys=True) for e in bundle["entry"])


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _side_effects_and_treatments(bundle):
    """Each side effect with what its suspectEntity refers to: the link, which a stripped Bundle no longer shows."""
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    found = []
    for event in _resources(bundle, "AdverseEvent"):
        targets = [by_url[s["instance"]["reference"]] for s in event.get("suspectEntity", [])]
        found.append((event["event"]["coding"][0]["code"], event["severity"]["coding"][0]["code"],
                      [(t["resourceType"], (t.get("code") or t.get("medicationCodeableConcept"))["coding"][0]["code"])
                       for t in targets]))
    return sorted(found)


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
    assert {"deg", "Hz", "mm", "mm/s"} <= {m["valueQuantity"]["code"] for m in measures}
    drawing = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
                   and e["resource"]["code"]["coding"][0]["system"] == fhir.DRAWING_TASK)
    assert drawing["bodySite"]["coding"][0]["code"] == "left" and drawing["hasMember"]
    code_systems = {r["url"]: {c["code"] for c in r["concept"]} for r in _resources(bundle, "CodeSystem")}
    assert code_systems[fhir.THERAPY] == {"physical", "occupational", "speech", "other"}
    assert {"neck_weakness", "dysphagia", "other"} <= code_systems[fhir.SIDE_EFFECT]
    therapy = [r for r in _resources(bundle, "Procedure") if r["code"]["coding"][0]["system"] == fhir.THERAPY]
    physio = next(r for r in therapy if r["code"]["coding"][0]["code"] == "physical")
    assert len(therapy) == 2 and physio["status"] == "completed"
    assert physio["performer"] == [{"actor": {"display": "Physiotherapy clinic"}}]
    assert physio["extension"] == [{"url": fhir.EXT + "duration", "valueDuration": {
        "value": 45, "unit": "min", "system": fhir.UCUM, "code": "min"}}]
    assert physio["note"] == [{"text": "Stretching, sensory-trick training."}]
    events = _resources(bundle, "AdverseEvent")
    weak = next(r for r in events if r["event"]["coding"][0]["code"] == "neck_weakness")
    assert weak["actuality"] == "actual" and weak["event"]["text"] == "Head felt heavy by the evening."
    assert weak["severity"]["coding"] == [{"system": fhir.AE_SEVERITY, "code": "moderate", "display": "Moderate"}]
    assert weak["extension"][0]["valueDuration"]["code"] == "d"
    assert _side_effects_and_treatments(bundle) == [
        ("breathy_voice", "moderate", [("Procedure", "dbs-implantation")]),
        ("drowsiness", "mild", [("MedicationStatement", "baclofen")]),
        ("dysphagia", "mild", [("Procedure", "toxin-injection")]),
        ("flu_like", "mild", []),
        ("neck_weakness", "moderate", [("Procedure", "toxin-injection")]),
        ("other", "severe", [("Procedure", "myectomy")]),
    ]
    diary_days = records.DiaryEntry.objects.filter(patient=full_record).count()
    diary = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
             and e["resource"]["code"]["coding"][0]["system"] == fhir.DIARY]
    assert len(diary) >= 2 * diary_days  # at least the two regions each day


def test_the_demo_patients_bundle_carries_its_therapy_sessions_and_side_effects(db, today):
    from torsion.web.core.demo import DEMO_PATIENT, create_demo

    create_demo(today=today)
    patient = Patient.objects.get(user__username=DEMO_PATIENT)
    bundle = services.bundle_for(patient)
    assert fhir.validate_bundle(bundle) == []
    therapy = [r for r in _resources(bundle, "Procedure") if r["code"]["coding"][0]["system"] == fhir.THERAPY]
    assert len(therapy) == records.TherapySession.objects.filter(patient=patient).count() == 8
    assert _side_effects_and_treatments(bundle) == [("dysphagia", "mild", [("Procedure", "toxin-injection")])]


def test_side_effect_grades_map_one_to_one_onto_hl7s_three_severity_codes():
    assert sorted(code for code, _ in fhir.SEVERITY.values()) == ["mild", "moderate", "severe"]


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
    assert _side_effects_and_treatments(first) == _side_effects_and_treatments(second)
    weak = records.AdverseEvent.objects.get(patient=restored, kind="neck_weakness")
    assert (weak.severity, weak.duration_days, weak.description, weak.injection.date) == (
        "moderate", 21, "Head felt heavy by the evening.", records.ToxinInjection.objects.filter(
            patient=restored).order_by("date").first().date)
    assert records.AdverseEvent.objects.get(patient=restored, kind="flu_like").treatment is None
    speech = records.TherapySession.objects.get(patient=restored, kind="speech")
    assert (speech.duration_min, speech.therapist, speech.notes) == (None, "", "")
    from torsion.web.recordings.models_drawing import Drawing

    client = logged_in(user)
    for url in (f"/patients/{restored.pk}/drawings/{Drawing.objects.get(patient=restored).pk}/",
                f"/patients/{restored.pk}/recordings/{Recording.objects.get(patient=restored).pk}/"):
        page = client.get(url)
        assert page.status_code == 200 and "was not kept" in page.content.decode(), url
    evening = records.DiaryEntry.objects.get(patient=restored, period="evening")
    assert (evening.time, evening.severity, evening.pain, evening.note) == (time(21, 10), {"neck": 7}, 6, "evening note")


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
    first, second = _strip(first), _strip(second)
    for table in first["tables"]:
        assert first["tables"][table] == second["tables"][table], table
    assert first == second
    recording = Recording.objects.get(patient=restored)
    assert recording.video.read() == b"\x1a\x45\xdf\xa3 video"


def _bundle_with(full_record, change):
    bundle = services.bundle_for(full_record)
    change(bundle)
    return bundle


def _first(bundle, kind):
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


def _therapy(bundle):
    return next(r for r in _resources(bundle, "Procedure") if r["code"]["coding"][0]["system"] == fhir.THERAPY
                and r.get("extension"))


@pytest.mark.parametrize(("change", "message"), [
    (lambda b: _first(b, "Observation").update(effectiveDateTime="yesterday"), "field 'effectiveDateTime'"),
    (lambda b: _first(b, "MedicationAdministration")["partOf"][0].update(reference="urn:uuid:0000"),
     "does not resolve inside the Bundle"),
    (lambda b: _first(b, "MedicationAdministration")["dosage"]["site"]["coding"][0].update(code="kneecap"),
     "unknown code 'kneecap'"),
    (lambda b: _first(b, "MedicationStatement")["medicationCodeableConcept"]["coding"][0].update(code="aspirin"),
     "unknown code 'aspirin'"),
    (lambda b: _first(b, "AdverseEvent")["event"]["coding"][0].update(code="hiccups"),
     "field 'event': unknown code 'hiccups'"),
    (lambda b: _first(b, "AdverseEvent")["suspectEntity"][0]["instance"].update(reference="urn:uuid:0000"),
     "field 'suspectEntity[0].instance': the reference 'urn:uuid:0000' does not resolve inside the Bundle"),
    (lambda b: _first(b, "AdverseEvent")["suspectEntity"][0].update(instance=_first(b, "AdverseEvent")["subject"]),
     "field 'suspectEntity[0].instance': does not refer to a treatment Torsion keeps"),
    (lambda b: _first(b, "AdverseEvent")["severity"]["coding"][0].update(code="life-threatening"),
     "field 'severity': unknown code 'life-threatening'"),
    (lambda b: _first(b, "AdverseEvent").update(actuality="potential"), "field 'actuality'"),
    (lambda b: _therapy(b)["code"]["coding"][0].update(code="yoga"), "field 'code': unknown code 'yoga'"),
    (lambda b: _therapy(b)["extension"][0]["valueDuration"].update(value=0.75, code="h"),
     "field 'extension' (duration): a whole number of minutes"),
    (lambda b: b["entry"].append(next(dict(e) for e in b["entry"] if e["resource"]["resourceType"] == "Patient")),
     "exactly one Patient"),
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
