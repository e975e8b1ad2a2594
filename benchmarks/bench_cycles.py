"""Time of the toxin-cycle analysis on five years of daily check-ins with 20 injection cycles.

Run with ``.venv/bin/python -m benchmarks cycles`` (or ``python -m benchmarks.bench_cycles``). The
diary is simulated by :func:`torsion.clinical.simulation.simulate_history`: one body region scored
every day for five years (with the simulator's missing days and holiday gaps), an injection every
91 days from day 7, so 20 cycles. :func:`torsion.clinical.cycles.analyse_cycles` then runs twice to
warm up and 30 times timed. The fastest run is the cost of the analysis itself, the median shows what
the rest of the machine adds; the fastest is printed against the 10 ms target.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta

TARGET_MS = 10.0
RUNS = 30
WARM_UP = 2
INTERVAL_DAYS = 91
FIRST_INJECTION_DAY = 7
CYCLES = 20


def five_years_of_daily_data() -> tuple[list[date], list[tuple[date, float]]]:
    """Injection dates and the daily severity series of the benchmark patient."""
    from torsion.clinical.simulation import simulate_history

    start = date(2020, 1, 1)
    end = start + timedelta(days=FIRST_INJECTION_DAY + INTERVAL_DAYS * CYCLES - 1)
    history = simulate_history(start, end, {"neck": 6.5}, interval_days=(INTERVAL_DAYS, INTERVAL_DAYS),
                               first_injection_after_days=FIRST_INJECTION_DAY, seed=2024)
    series = [(day.date, float(day.severity["neck"])) for day in history.days]
    return history.injections, series


def main() -> None:
    from torsion.clinical.cycles import analyse_cycles

    injections, series = five_years_of_daily_data()
    report = analyse_cycles(injections, series)
    analysed = sum(cycle.status == "ok" for cycle in report.cycles)
    print(f"Series: {len(series)} daily values over {(series[-1][0] - series[0][0]).days + 1} days, "
          f"{len(injections)} injections ({analysed} of {len(report.cycles)} cycles analysed)")
    for _ in range(WARM_UP):
        analyse_cycles(injections, series)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        analyse_cycles(injections, series)
        times.append((time.perf_counter() - started) * 1000)
    fastest, median = min(times), statistics.median(times)
    verdict = "met" if fastest <= TARGET_MS else "MISSED"
    print(f"analyse_cycles: fastest {fastest:.1f} ms, median {median:.1f} ms, slowest {max(times):.1f} ms "
          f"({RUNS} runs); target {TARGET_MS:.0f} ms (fastest) {verdict}; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
