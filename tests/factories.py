"""Builders of people and records for the web tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.core.files.base import ContentFile

from torsion.clinical import scales
from torsion.measures.twstrs import estimate_item
from torsion.web.accounts import sharing
from torsion.web.accounts.models import CareGrant, Clinician, Patient, Role, User
from torsion.web.assessments.models import ScaleAdministration
from torsion.web.learn.diagnosis import save_diagnosis
from torsion.web.recordings.models import Recording
from torsion.web.recordings.services_drawing import accept_drawing, run_drawing_analysis
from torsion.web.records import models as records
from torsion.web.reports.models import VisitQuestion

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
    drawing = make_drawing(patient)
    draft_score = scales.score_draft("cdip58", {"hn_head_pulls": 3, "pain_neck": 2})
    scale_draft = ScaleAdministration.objects.create(
        patient=patient, scale="cdip58", scale_version=draft_score.version, scale_revision=draft_score.revision,
        administered_on=today - timedelta(days=2), answers=draft_score.items, total=draft_score.total,
        sections=draft_score.sections, derived=draft_score.derived, entered_by=patient.user)
    return {
        "day": entry.date.isoformat(),
        "entry": entry,
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
        "drawing_id": drawing.pk,
        "kind": "head",
        "scale_id": "twstrs",
        "administration_id": scale_draft.pk,
        "invitation_id": sharing.invite(patient, can_edit=False).invitation.pk,
        "grant_id": grant(patient, make_clinician(f"colleague-of-{patient.pk}")).pk,
        "question_id": VisitQuestion.objects.create(patient=patient, text="Is the dose right?").pk,
    }


def drawing_columns(samples, px_per_mm: float | None) -> dict:
    """Pen samples (millimetres) as the browser sends them: CSS pixels, lists."""
    scale = px_per_mm or 1.0
    columns = {"t_s": samples.t_s.tolist(), "x": (samples.x * scale).tolist(), "y": (samples.y * scale).tolist(),
               "pen_down": samples.pen_down.astype(int).tolist()}
    if samples.pressure is not None:
        columns["pressure"] = samples.pressure.tolist()
    return columns


def make_drawing(patient: Patient, *, task: str = "spiral", hand: str = "right", px_per_mm: float | None = 4.0,
                 samples=None, analyse: bool = True, **options):
    """A drawing of ``task`` (synthetic, see tests.measures.drawing_truth), stored and analysed at once."""
    from tests.measures import drawing_truth

    if samples is None:
        samples = (drawing_truth.writing_samples() if task == "writing" else drawing_truth.line_samples()
                   if task == "line" else drawing_truth.spiral_samples(seed=3))
    drawing = accept_drawing(patient, task=task, hand=hand, px_per_mm=px_per_mm, queue=False, pointer_type="pen",
                             canvas={"width": 800, "height": 800}, **drawing_columns(samples, px_per_mm), **options)
    if analyse:
        run_drawing_analysis(drawing.pk)
        drawing.refresh_from_db()
    return drawing
def head_recording(patient, *, yaw_deg: float, roll_deg: float, pitch_deg: float, lateral: float,
                   task: str = "rest") -> Recording:
    """A head recording analysed as the measure does it: estimates from constant synthetic series.

    The sagittal shift was not measured (all NaN), as when Pose saw no shoulders.
    """
    t_s = np.arange(0, 30, 1 / 30)
    constant = {"rotation": yaw_deg, "laterocollis": roll_deg, "antero_retrocollis": pitch_deg,
                "lateral_shift": lateral, "sagittal_shift": np.nan}
    estimates = {name: estimate_item(name, t_s, np.full(t_s.size, value)).to_dict()
                 for name, value in constant.items()}
    return Recording.objects.create(patient=patient, kind="head", task=task, content_type="video/webm",
                                    size_bytes=1, status="done", result={"twstrs_estimate": estimates})
