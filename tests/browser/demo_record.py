"""The demo patient's record made complete for page tests: one of every kind of record, and analysed recordings.

The demo (:func:`torsion.web.core.demo.create_demo`) has years of diary and toxin cycles but no
recordings, implants or imports. Page tests that walk every page need a sample of each, so this adds
them: the records through :func:`tests.factories.fill_record` (dated before the demo's own history,
so the recent cycles stay as the demo made them), and one recording of each kind analysed by the
real measures on a synthetic video of a face (the same path an upload takes, run in the foreground).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from django.core.files.base import ContentFile
from django.utils import timezone

from tests import factories
from tests.measures.synthetic_video import cached_video, rolling_face_frames
from torsion.web.accounts.models import Clinician, Patient
from torsion.web.recordings.models import Recording
from torsion.web.recordings.protocols import KINDS
from torsion.web.recordings.services import run_analysis


def face_video():
    """Four seconds of a face tilting gently (roll +-6 degrees at 0.5 Hz), 30 frames a second."""
    t = np.arange(120) / 30.0
    return cached_video("demo-face.webm", lambda: rolling_face_frames(6 * np.sin(2 * np.pi * 0.5 * t)))


def add_analysed_recording(patient: Patient, kind: str, task: str, day: date) -> Recording:
    recording = Recording(patient=patient, kind=kind, task=task, content_type="video/webm",
                          recorded_at=timezone.make_aware(datetime.combine(day, time(10, 30))),
                          size_bytes=face_video().stat().st_size)
    recording.video.save("recording.webm", ContentFile(face_video().read_bytes()), save=True)
    run_analysis(recording.pk)
    recording.refresh_from_db()
    assert recording.status == "done", recording.error
    return recording


def complete_demo(today: date, *, years: float = 2.1) -> tuple[Patient, Clinician, dict[str, object]]:
    """Create the demo, complete its record and return (patient, clinician, sample URL values)."""
    from torsion.web.core.demo import DEMO_CLINICIAN, DEMO_PATIENT, create_demo

    create_demo(today=today, years=years)
    patient = Patient.objects.get(user__username=DEMO_PATIENT)
    clinician = Clinician.objects.get(user__username=DEMO_CLINICIAN)
    before_demo = today - timedelta(days=int(365 * years) + 60)
    values: dict[str, object] = {"patient_id": patient.pk}
    values.update({k: (v.pk if hasattr(v, "pk") else v)
                   for k, v in factories.fill_record(patient, today=before_demo).items()})
    # One analysed recording of each camera kind's first task; the head has two, a week apart (a short trend).
    # The voice pages are covered by the demo's own example recordings, analysed when the demo is made.
    for kind in KINDS.values():
        if kind.media != "video":
            continue
        recording = add_analysed_recording(patient, kind.code, kind.tasks[0].code, today - timedelta(days=3))
        values.setdefault("done_recordings", []).append(recording.pk)
    add_analysed_recording(patient, "head", KINDS["head"].tasks[0].code, today - timedelta(days=10))
    return patient, clinician, values
