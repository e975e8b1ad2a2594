"""Server-side time of the pages that read a whole record: the dashboard and the toxin-cycle page.

Run with ``.venv/bin/python -m benchmarks pages`` (or ``python -m benchmarks.bench_pages``). In a
fresh process, a throw-away SQLite database is created under a temporary ``TORSION_DATA_DIR`` and
filled with one patient: five years of daily check-ins scoring four body regions, simulated by
:func:`torsion.clinical.simulation.simulate_history` with injections every 88-94 days (20 cycles),
plus a few medicines, therapy sessions and a side effect. Each page is then requested through
Django's test client (no network, so only the server's own work is timed): two warm-up requests,
then 20 timed ones. The median of each is printed against the 150 ms target; the history page, the
treatment log and the cycle API are timed as well for information. The folder is removed at the end.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal

TARGET_MS = 150.0
RUNS = 20
WARM_UP = 2
YEARS = 5
REGIONS = {"neck": 6.5, "upper_face": 3.0, "jaw": 4.0, "right_arm": 5.0}
INTERVAL_DAYS = (88, 94)
CYCLES = 20


def _configure(data_dir: str) -> None:
    if "torsion.web.settings" in sys.modules:
        raise RuntimeError("bench_pages must run in a fresh process: Django is already set up with another data "
                           "folder.")
    os.environ["TORSION_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "torsion.web.settings"
    os.environ.setdefault("TORSION_SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    import django

    django.setup()
    import logging

    logging.getLogger().setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _make_patient(today: date):
    """The benchmark patient and their record; returns (patient, diary entries, injections)."""
    from torsion.clinical.simulation import simulate_history
    from torsion.web.accounts.models import Patient, Role, User
    from torsion.web.records.models import (
        AdverseEvent,
        DiaryEntry,
        InjectionLine,
        MedicationCourse,
        TherapySession,
        ToxinInjection,
    )

    start = today - timedelta(days=365 * YEARS)
    history = simulate_history(start, today, REGIONS, interval_days=INTERVAL_DAYS, missing_fraction=0.0, seed=0)
    if len(history.injections) != CYCLES:
        raise RuntimeError(f"The simulation gave {len(history.injections)} injections instead of {CYCLES}.")
    user = User.objects.create_user("bench-patient", password="bench-Long-password-1", role=Role.PATIENT)
    patient = Patient.objects.create(user=user, diary_regions=list(REGIONS))
    DiaryEntry.objects.bulk_create(
        DiaryEntry(patient=patient, date=d.date, severity=d.severity, pain=d.pain, limitation=d.limitation,
                   triggers=list(d.triggers), relievers=list(d.relievers))
        for d in history.days
    )
    lines = []
    for number, when in enumerate(history.injections):
        injection = ToxinInjection.objects.create(patient=patient, date=when, product="onabotulinumtoxinA",
                                                  lot_number=f"B{number:04d}", guidance="emg")
        for muscle, side, units in (("sternocleidomastoid", "left", 40), ("splenius_capitis", "right", 80),
                                    ("masseter", "bilateral", 30), ("orbicularis_oculi_pretarsal", "bilateral", 10),
                                    ("flexor_digitorum_superficialis", "right", 25)):
            lines.append(InjectionLine(injection=injection, muscle=muscle, side=side, units=Decimal(units)))
        if number == 5:
            AdverseEvent.objects.create(patient=patient, onset=when + timedelta(days=7), kind="dysphagia",
                                        severity="mild", duration_days=10, injection=injection)
    InjectionLine.objects.bulk_create(lines)
    MedicationCourse.objects.create(patient=patient, drug="trihexyphenidyl", dose_amount=Decimal(2), times_per_day=3,
                                    start=start + timedelta(days=20), stop=start + timedelta(days=200))
    MedicationCourse.objects.create(patient=patient, drug="clonazepam", dose_amount=Decimal("0.5"),
                                    start=start + timedelta(days=400))
    for week in range(12):
        TherapySession.objects.create(patient=patient, date=start + timedelta(days=300 + 7 * week), kind="physical")
    return patient, len(history.days), len(history.injections)


def _median_ms(client, url: str) -> tuple[float, float]:
    """Median and slowest of RUNS requests after WARM_UP ones, in milliseconds."""
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="torsion-bench-pages-")
    try:
        _configure(data_dir)
        from django.db import connection
        from django.test import Client

        from torsion.web.records.services import today

        patient, entries, injections = _make_patient(today())
        print(f"Patient: {entries} diary entries over {YEARS} years, {len(REGIONS)} regions, {injections} injections "
              f"({CYCLES} cycles); SQLite in {data_dir}")
        client = Client()
        client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
        pages = [
            ("dashboard", f"/patients/{patient.pk}/", True),
            ("cycle page", f"/patients/{patient.pk}/cycles/", True),
            ("cycle page, neck", f"/patients/{patient.pk}/cycles/?metric=neck", False),
            ("history page", f"/patients/{patient.pk}/history/", False),
            ("treatment log", f"/patients/{patient.pk}/treatments/", False),
            ("cycle API", f"/api/patients/{patient.pk}/cycles", False),
        ]
        print(f"{'page':<18} {'median ms':>10} {'slowest ms':>11}  target")
        for name, url, targeted in pages:
            median, slowest = _median_ms(client, url)
            verdict = ("met" if median <= TARGET_MS else "MISSED") if targeted else "(information)"
            print(f"{name:<18} {median:>10.1f} {slowest:>11.1f}  {TARGET_MS:.0f} ms {verdict}", flush=True)
        connection.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
