"""Time to make a visit report (data gathered, charts drawn, PDF written) for five years of records.

Run with ``.venv/bin/python -m benchmarks report``. Same patient as ``bench_pages`` (five years of
daily check-ins on four body regions, 20 toxin cycles, medicines, therapy, a side effect), plus a
diagnosis summary and a head recording a month; the report of the default period and of the whole
five years are each made five times after one warm-up, in process; medians against the 3 s target.
"""

from __future__ import annotations

import io
import shutil
import statistics
import tempfile
import time
from datetime import timedelta

from benchmarks.bench_pages import YEARS, _configure, _make_patient

TARGET_S = 3.0
RUNS = 5


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="torsion-bench-report-")
    try:
        _configure(data_dir)
        from django.db import connection
        from django.utils import timezone

        from torsion.reports.visit import render_pdf
        from torsion.web.learn.diagnosis import save_diagnosis
        from torsion.web.recordings.models import Recording
        from torsion.web.records.services import today
        from torsion.web.reports.builder import build_visit_report

        end = today()
        patient, entries, injections = _make_patient(end)
        save_diagnosis(patient, {"regions": ["neck", "upper_face", "jaw", "right_arm"], "onset_age": 40},
                       by=patient.user)
        for month in range(12 * YEARS):
            when = timezone.now() - timedelta(days=30 * month)
            Recording.objects.create(patient=patient, kind="head", task="rest", content_type="video/webm",
                                     size_bytes=1, status="done", recorded_at=when,
                                     metrics={"yaw_median_deg": 15 - month % 7, "roll_median_deg": 4.0,
                                              "pitch_median_deg": 2.0, "tremor_amplitude_deg": 0.5})
        print(f"Patient: {entries} diary entries over {YEARS} years, {injections} injections, "
              f"{12 * YEARS} head recordings")
        for name, start in (("default period", None), ("whole five years", end - timedelta(days=365 * YEARS))):
            def once() -> tuple[float, int]:
                started = time.perf_counter()
                buffer = io.BytesIO()
                render_pdf(build_visit_report(patient, start, end), buffer)
                return time.perf_counter() - started, len(buffer.getvalue())

            once()
            times = [once() for _ in range(RUNS)]
            median = statistics.median(t for t, _ in times)
            verdict = "met" if median <= TARGET_S else "MISSED"
            print(f"{name:<18} median {median:.2f} s, slowest {max(t for t, _ in times):.2f} s, "
                  f"{times[0][1] // 1024} KiB  (target {TARGET_S:.0f} s: {verdict})", flush=True)
        connection.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
