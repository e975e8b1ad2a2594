"""Simulated patient histories: years of daily diary scores shaped by botulinum-toxin cycles.

Used to create the demonstration account and the benchmark data sets; never mixed with real data.
The model follows the usual course of a toxin cycle (clinical reference, section 5): no change for
the first days, benefit that builds over a few weeks, a peak around weeks 4-6 and a decline that
often comes before the next injection. Around it: a slow drift, bad days (stress, tiredness), noise,
scores rounded to whole numbers 0-10 as a person would give them, and days left out, singly and in
runs (holidays), because real diaries have gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np


@dataclass(frozen=True)
class SimulatedDay:
    date: date
    severity: dict[str, int]
    pain: int
    limitation: int
    triggers: tuple[str, ...]
    relievers: tuple[str, ...]


@dataclass(frozen=True)
class SimulatedHistory:
    injections: list[date]
    days: list[SimulatedDay]
    #: Per injection: (onset day, peak day, end-of-benefit day) of the noise-free response.
    responses: list[tuple[int, int, int]] = field(default_factory=list)


def response_fraction(day: np.ndarray | float, onset: float, peak: float, end: float, plateau: float = 7.0):
    """Fraction of the full benefit reached ``day`` days after an injection (0 to 1).

    Zero until ``onset``, rising linearly to 1 at ``peak``, held for ``plateau`` days, then falling
    linearly to zero at ``end``.
    """
    d = np.asarray(day, dtype=float)
    rise = np.clip((d - onset) / max(peak - onset, 1e-9), 0, 1)
    fall = np.clip((end - d) / max(end - peak - plateau, 1e-9), 0, 1)
    return np.where(d <= peak + plateau, rise, fall)


def simulate_history(
    start: date,
    end: date,
    regions: dict[str, float],
    *,
    interval_days: tuple[int, int] = (84, 98),
    first_injection_after_days: int = 45,
    benefit_fraction: float = 0.5,
    missing_fraction: float = 0.12,
    seed: int = 0,
) -> SimulatedHistory:
    """Simulate a diary from ``start`` to ``end`` inclusive.

    Parameters
    ----------
    regions : dict
        Body region code -> untreated severity (0-10) for that region.
    interval_days : (int, int)
        Range of days between injections.
    first_injection_after_days : int
        Days of untreated diary before the first injection (gives the first cycle a baseline).
    benefit_fraction : float
        Share of the untreated severity removed at the peak of a cycle.
    missing_fraction : float
        Share of single days left out; a one-to-two-week gap is added about once a year as well.
    seed : int
        Seed of the random generator; the same seed gives the same history.
    """
    rng = np.random.default_rng(seed)
    n_days = (end - start).days + 1
    injections: list[date] = []
    responses: list[tuple[int, int, int]] = []
    day = first_injection_after_days
    while day < n_days:
        injections.append(start + timedelta(days=day))
        cycle_index = len(injections) - 1
        onset = int(rng.integers(4, 11))
        peak = int(rng.integers(26, 40))
        # Benefit shortens a little over the years, as patients often report.
        end_of_benefit = int(rng.integers(78, 92)) - min(cycle_index, 10)
        responses.append((onset, peak, end_of_benefit))
        day += int(rng.integers(interval_days[0], interval_days[1] + 1))

    t = np.arange(n_days)
    relief = np.zeros(n_days)
    for injection, (onset, peak, end_of_benefit) in zip(injections, responses):
        offset = (injection - start).days
        since = t - offset
        mask = since >= 0
        relief[mask] = np.maximum(relief[mask], response_fraction(since[mask], onset, peak, end_of_benefit))

    drift = 0.6 * np.sin(2 * np.pi * t / 365.0 + rng.uniform(0, 2 * np.pi))
    bad_day = rng.random(n_days) < 0.08
    missing = rng.random(n_days) < missing_fraction
    for _ in range(max(1, n_days // 365)):
        gap_start = int(rng.integers(0, max(n_days - 14, 1)))
        missing[gap_start: gap_start + int(rng.integers(7, 15))] = True

    days: list[SimulatedDay] = []
    for i in range(n_days):
        if missing[i]:
            continue
        severity = {}
        for region, untreated in regions.items():
            value = untreated * (1 - benefit_fraction * relief[i]) + drift[i] + 1.5 * bad_day[i]
            severity[region] = int(np.clip(np.rint(value + rng.normal(0, 0.6)), 0, 10))
        mean = float(np.mean(list(severity.values())))
        pain = int(np.clip(np.rint(mean * 0.8 + rng.normal(0, 0.8)), 0, 10))
        limitation = int(np.clip(np.rint(mean * 0.7 + rng.normal(0, 0.8)), 0, 10))
        triggers: tuple[str, ...] = ()
        if bad_day[i]:
            triggers = tuple(rng.choice(["stress", "fatigue", "poor_sleep", "heat", "screen"],
                                        size=int(rng.integers(1, 3)), replace=False).tolist())
        relievers = ("sensory_trick",) if mean >= 4 and rng.random() < 0.5 else ()
        days.append(SimulatedDay(start + timedelta(days=i), severity, pain, limitation, triggers, relievers))
    return SimulatedHistory(injections=injections, days=days, responses=responses)
