"""The demonstration accounts: a patient with years of diary and toxin cycles, and their clinician.

Created by ``torsion demo`` (and ``make run``) from :func:`torsion.clinical.simulation.simulate_history`,
so the data is realistic in shape but belongs to nobody, and with example voice recordings synthesised
by :mod:`torsion.web.recordings.examples`. Only the two demo accounts are ever touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from torsion.clinical.simulation import simulate_history
from torsion.web.accounts.models import CareGrant, Clinician, Patient, Role, User
from torsion.web.assessments.demo import add_demo_scales
from torsion.web.assessments.models import ScaleAdministration
from torsion.web.learn.diagnosis import confirm_diagnosis, save_diagnosis
from torsion.web.learn.models import DiagnosisSummary
from torsion.web.recordings.demo_drawing import create_example_drawings
from torsion.web.recordings.examples import add_voice_examples
from torsion.web.recordings.models import Recording
from torsion.web.records.models import (
    AdverseEvent,
    DiaryEntry,
    InjectionLine,
    MedicationCourse,
    TherapySession,
    ToxinInjection,
)

DEMO_PATIENT = "demo-patient"
DEMO_CLINICIAN = "demo-clinician"
DEMO_PASSWORD = "torsion-demo"  # noqa: S105  (local demonstration only; refused in production)

#: A right torticollis pattern (chin turned to the right): left sternocleidomastoid, right splenius.
_NECK_PATTERN = [
    ("sternocleidomastoid", "left", Decimal(40), 2),
    ("splenius_capitis", "right", Decimal(80), 3),
    ("levator_scapulae", "right", Decimal(40), 2),
    ("trapezius", "right", Decimal(30), 2),
]
_EYELID_PATTERN = [
    ("orbicularis_oculi_pretarsal", "bilateral", Decimal(10), 4),
]


class DemoRefused(RuntimeError):
    pass


@dataclass
class DemoResult:
    created: bool
    diary_entries: int
    injections: int
    voice_examples: int = 0


def _user(username: str, role: str, display_name: str) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(username=username, password=DEMO_PASSWORD, role=role, display_name=display_name)
    return user, True


@transaction.atomic
def create_demo(*, today: date | None = None, years: float = 2.5, reset: bool = False, seed: int = 7,
                now: datetime | None = None) -> DemoResult:
    """Create the demo patient and clinician with their records, unless they already have data.

    ``now`` (default: the local time) decides which of today's check-ins have happened yet.
    """
    if settings.PRODUCTION:
        raise DemoRefused("Demo accounts are never created on a production site (TORSION_ENV=production).")
    today = today or date.today()
    patient_user, _ = _user(DEMO_PATIENT, Role.PATIENT, "Alex (demo)")
    patient, _ = Patient.objects.get_or_create(user=patient_user, defaults={"date_of_birth": date(1979, 4, 12)})
    clinician_user, _ = _user(DEMO_CLINICIAN, Role.CLINICIAN, "Dr Morgan (demo)")
    clinician, _ = Clinician.objects.get_or_create(
        user=clinician_user, defaults={"institution": "Demo movement disorders clinic", "verified": True}
    )
    CareGrant.objects.get_or_create(patient=patient, clinician=clinician, revoked_at=None, defaults={"can_edit": True})

    if reset:
        for model in (DiaryEntry, ToxinInjection, MedicationCourse, TherapySession, AdverseEvent, ScaleAdministration):
            model.objects.filter(patient=patient).delete()
        for recording in Recording.objects.filter(patient=patient, example=True):
            recording.delete()  # one by one, so that each file goes with its row
    elif DiaryEntry.objects.filter(patient=patient).exists():
        if not patient.drawings.filter(is_example=True).exists():
            create_example_drawings(patient, today=today)
        return DemoResult(False, DiaryEntry.objects.filter(patient=patient).count(),
                          ToxinInjection.objects.filter(patient=patient).count(),
                          add_voice_examples(patient, today=today))

    regions = {"neck": 6.5, "upper_face": 3.0}
    start = today - timedelta(days=int(365 * years))
    history = add_simulated_history(patient, regions, start=start, end=today, seed=seed)
    add_demo_scales(patient, clinician_user=clinician_user, injections=[d for d in history.injections if d <= today],
                    neck_by_day={d.date: d.severity["neck"] for d in history.days if d.severity.get("neck") is not None})
    _morning_and_evening(patient, since=today - timedelta(days=13), now=now or timezone.localtime())
    third_session = ToxinInjection.objects.filter(patient=patient).order_by("date")[2:3].first()
    if third_session is not None:
        AdverseEvent.objects.create(patient=patient, onset=third_session.date + timedelta(days=6), kind="dysphagia",
                                    description="Solid food felt stuck; eased by itself.", severity="mild",
                                    duration_days=12, injection=third_session)

    if not DiagnosisSummary.objects.filter(patient=patient).exists():
        summary = save_diagnosis(patient, {"regions": ["neck", "upper_face"], "onset_age": 41, "course": "static",
                                           "cause": {"type": "idiopathic"}}, by=patient_user)
        confirm_diagnosis(summary, by=clinician_user, findings="Right torticollis with a left head tilt; "
                                                               "blepharospasm, worse in bright light.")

    MedicationCourse.objects.create(
        patient=patient, drug="trihexyphenidyl", dose_amount=Decimal(2), dose_unit="mg", times_per_day=3,
        start=start + timedelta(days=10), stop=start + timedelta(days=130), stop_reason="Dry mouth and blurred vision",
        side_effects="Dry mouth; blurred vision when reading.",
    )
    MedicationCourse.objects.create(
        patient=patient, drug="clonazepam", dose_amount=Decimal("0.5"), dose_unit="mg", times_per_day=1,
        schedule_note="At bedtime", start=start + timedelta(days=200),
    )
    for week in range(8):
        TherapySession.objects.create(patient=patient, date=start + timedelta(days=60 + 7 * week), kind="physical",
                                      duration_min=45, therapist="Physiotherapy clinic",
                                      notes="Stretching, sensory-trick training, posture exercises.")
    create_example_drawings(patient, today=today)
    return DemoResult(True, DiaryEntry.objects.filter(patient=patient).count(), len(history.injections),
                      add_voice_examples(patient, today=today))


MORNING, EVENING = time(8, 0), time(20, 30)


def _morning_and_evening(patient: Patient, *, since: date, now: datetime) -> None:
    """From ``since`` on, each day's check-in becomes two: a better morning and a worse evening.

    Each body part is one point lower in the morning and one higher in the evening (when the day's score
    leaves room), so the day's mean, and everything computed from it, stays what it was. Today has
    only the check-ins whose time has come: no evening before 20:30, and a morning at 08:00 or, earlier
    than that, now.
    """
    for entry in DiaryEntry.objects.filter(patient=patient, date__gte=since):
        if entry.date == now.date() and now.time() < EVENING:
            entry.period, entry.time = "morning", min(MORNING, now.time().replace(second=0, microsecond=0))
            entry.save()
            continue
        morning = {r: v - 1 if 1 <= v <= 9 else v for r, v in entry.severity.items()}
        evening = {r: v + 1 if 1 <= v <= 9 else v for r, v in entry.severity.items()}
        DiaryEntry.objects.create(patient=patient, date=entry.date, period="evening", time=EVENING,
                                  severity=evening, pain=entry.pain, limitation=entry.limitation,
                                  triggers=entry.triggers, relievers=entry.relievers)
        entry.period, entry.time, entry.severity = "morning", MORNING, morning
        entry.triggers, entry.relievers = [], []
        entry.save()


def add_simulated_history(patient: Patient, regions: dict[str, float], *, start: date, end: date, seed: int,
                          interval_days: tuple[int, int] = (84, 98)):
    """Give ``patient`` a simulated diary and toxin sessions (the demo's pattern) from ``start`` to ``end``.

    Used by the demo, the page benchmarks and tests; writes in bulk and returns the simulated history.
    """
    patient.diary_regions = list(regions)
    patient.save(update_fields=["diary_regions"])
    history = simulate_history(start, end, regions, seed=seed, interval_days=interval_days)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(patient=patient, date=d.date, severity=d.severity, pain=d.pain, limitation=d.limitation,
                   triggers=list(d.triggers), relievers=list(d.relievers))
        for d in history.days
    )
    lines = []
    for number, when in enumerate(history.injections):
        injection = ToxinInjection.objects.create(
            patient=patient, date=when, product="onabotulinumtoxinA", lot_number=f"C{4120 + number}A",
            dilution_units_per_ml=Decimal(50), guidance="emg", injector="Dr Morgan",
        )
        for muscle, side, units, sites in _NECK_PATTERN + _EYELID_PATTERN:
            lines.append(InjectionLine(injection=injection, muscle=muscle, side=side, units=units, sites=sites))
    InjectionLine.objects.bulk_create(lines)
    from torsion.web.clinic.summary import mark_stale

    mark_stale(patient.pk)
    return history
