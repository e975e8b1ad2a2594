"""Builders of people and records for the web tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from torsion.web.accounts import sharing
from torsion.web.accounts.models import CareGrant, Clinician, Patient, Role, User
from torsion.web.learn.diagnosis import save_diagnosis
from torsion.web.recordings.models import Recording
from torsion.web.records import models as records

PASSWORD = "a-Long-test-passphrase-42"


def make_patient(username: str, *, regions=("neck",)) -> Patient:
    user = User.objects.create_user(username=username, password=PASSWORD, role=Role.PATIENT,
                                    email=f"{username}@example.org")
    return Patient.objects.create(user=user, diary_regions=list(regions))


def make_clinician(username: str, *, verified: bool = True) -> Clinician:
    user = User.objects.create_user(username=username, password=PASSWORD, role=Role.CLINICIAN,
                                    email=f"{username}@example.org")
    return Clinician.objects.create(user=user, verified=verified)


def grant(patient: Patient, clinician: Clinician, *, can_edit: bool = False) -> CareGrant:
    return CareGrant.objects.create(patient=patient, clinician=clinician, can_edit=can_edit)


def fill_record(patient: Patient, *, today: date) -> dict[str, object]:
    """One of every kind of record for ``patient``; returns them by URL keyword name."""
    entry = records.DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=1),
                                              severity={"neck": 5}, pain=3, limitation=2, note="sore")
    injection = records.ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=20),
                                                      product="onabotulinumtoxinA", guidance="emg")
    records.InjectionLine.objects.create(injection=injection, muscle="sternocleidomastoid", side="left",
                                         units=Decimal(40), sites=2)
    medication = records.MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=Decimal(10),
                                                         start=today - timedelta(days=100))
    implant = records.DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=400),
                                                target="gpi")
    programming = records.DBSProgramming.objects.create(implant=implant, date=today - timedelta(days=300),
                                                        settings={"left": {"amplitude": 2.5}})
    procedure = records.Procedure.objects.create(patient=patient, date=today - timedelta(days=500),
                                                 kind="selective_peripheral_denervation")
    therapy = records.TherapySession.objects.create(patient=patient, date=today - timedelta(days=30),
                                                    kind="physical")
    adverse = records.AdverseEvent.objects.create(patient=patient, onset=today - timedelta(days=14), kind="dysphagia",
                                                  severity="mild", injection=injection)
    csv_rows = "".join(f"{(today - timedelta(days=d)).isoformat()},{d % 9},2\n" for d in range(40, 45))
    staged_import = records.DiaryImport.objects.create(patient=patient, filename="kept-elsewhere.csv",
                                                       uploaded_by=patient.user, text="Date,Neck,Pain\n" + csv_rows)
    summary = save_diagnosis(patient, {"regions": ["neck"], "onset_age": 44}, by=patient.user)
    recording = Recording(patient=patient, kind="head", task="rest", content_type="video/webm", size_bytes=4,
                          status="failed", error="No face was found.")
    recording.video.save("rest.webm", ContentFile(b"\x1a\x45\xdf\xa3"), save=True)
    return {
        "day": entry.date.isoformat(),
        "entry": entry,
        "entry_id": entry.pk,
        "injection_id": injection.pk,
        "medication_id": medication.pk,
        "implant_id": implant.pk,
        "programming_id": programming.pk,
        "procedure_id": procedure.pk,
        "therapy_id": therapy.pk,
        "event_id": adverse.pk,
        "import_id": staged_import.pk,
        "summary_id": summary.pk,
        "recording_id": recording.pk,
        "kind": "head",
        "invitation_id": sharing.invite(patient, can_edit=False).invitation.pk,
        "grant_id": grant(patient, make_clinician(f"colleague-of-{patient.pk}")).pk,
    }
