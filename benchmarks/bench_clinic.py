"""Server-side time of the clinician's patient list with 500 patients, each with five years of records.

Run with ``.venv/bin/python -m benchmarks clinic``. In a fresh process, a throw-away SQLite database
is created under a temporary ``TORSION_DATA_DIR`` and filled with 500 patients sharing with one
clinician, each with five years of daily check-ins and toxin sessions every 84-98 days
(:func:`torsion.web.core.demo.add_simulated_history`, a different seed each), a diagnosis summary
and a date of birth. The first request builds every patient's summary (timed once, for
information: it happens once, and afterwards only for patients whose record changed). Then the
list is requested through Django's test client: two warm-up requests and 20 timed ones per
variant, median against the 300 ms target. Each request also writes its audit rows, as in use.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta

from benchmarks.bench_pages import _configure

TARGET_MS = 300.0
PATIENTS = 500
YEARS = 5
RUNS = 20
WARM_UP = 2


def _make_practice(today: date):
    from django.db import transaction

    from torsion.web.accounts.models import CareGrant, Clinician, Patient, Role, User
    from torsion.web.core.demo import add_simulated_history
    from torsion.web.learn.diagnosis import save_diagnosis

    doctor_user = User.objects.create_user("bench-doctor", password="bench-Long-password-1", role=Role.CLINICIAN)
    doctor = Clinician.objects.create(user=doctor_user, verified=True)
    regions = [{"neck": 6.5}, {"neck": 5.0, "upper_face": 3.0}, {"upper_face": 5.5}, {"right_arm": 4.0}]
    facts = [{"regions": ["neck"], "onset_age": 44}, {"regions": ["neck", "upper_face"], "onset_age": 51},
             {"regions": ["upper_face"], "onset_age": 58}, {"regions": ["right_arm"], "onset_age": 35}]
    for number in range(PATIENTS):
        with transaction.atomic():
            user = User.objects.create_user(f"patient-{number:03d}", password="x", role=Role.PATIENT,
                                            display_name=f"Patient {number:03d}")
            patient = Patient.objects.create(user=user, date_of_birth=date(1950 + number % 50, 1 + number % 12, 1))
            add_simulated_history(patient, regions[number % 4], start=today - timedelta(days=365 * YEARS), end=today,
                                  seed=number, interval_days=(84, 98))
            save_diagnosis(patient, facts[number % 4], by=user)
            CareGrant.objects.create(patient=patient, clinician=doctor, can_edit=number % 3 == 0)
        if (number + 1) % 100 == 0:
            print(f"  {number + 1} patients made", flush=True)
    return doctor


def _timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="torsion-bench-clinic-")
    try:
        _configure(data_dir)
        from django.db import connection
        from django.test import Client

        from torsion.web.records.models import DiaryEntry
        from torsion.web.records.services import today

        started = time.perf_counter()
        doctor = _make_practice(today())
        print(f"{PATIENTS} patients, {DiaryEntry.objects.count()} diary entries, made in "
              f"{time.perf_counter() - started:.0f} s; SQLite in {data_dir}")
        client = Client()
        client.force_login(doctor.user, backend="django.contrib.auth.backends.ModelBackend")
        print(f"First request, building all {PATIENTS} summaries (once): {_timed(client, '/clinic/') / 1000:.1f} s")
        variants = [("list, by name", "/clinic/"), ("list, by wearing-off", "/clinic/?sort=wearing&dir=desc"),
                    ("search 'cervical'", "/clinic/?q=cervical"), ("last page", "/clinic/?page=5")]
        print(f"{'variant':<24} {'median ms':>10} {'slowest ms':>11}  target")
        for name, url in variants:
            for _ in range(WARM_UP):
                _timed(client, url)
            times = [_timed(client, url) for _ in range(RUNS)]
            median = statistics.median(times)
            verdict = "met" if median <= TARGET_MS else "MISSED"
            print(f"{name:<24} {median:>10.1f} {max(times):>11.1f}  {TARGET_MS:.0f} ms {verdict}", flush=True)
        connection.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
