"""Synthetic toxin cycles with a known onset, peak and wearing-off, for testing the cycle analytics.

The response to one injection, ``d`` days after it, is a rise times a fall::

    improvement(d) = A * logistic((d - rise_mid) / rise_scale) * logistic(-(d - fall_mid) / fall_scale)

for ``d >= 0`` and 0 before, with ``logistic(x) = 1 / (1 + exp(-x))``. With the default ranges the
benefit starts in the first two weeks, is fullest around weeks 3-7 and falls to half around weeks
8-11, as in the clinical reference. A person's noise-free severity is an untreated level minus the
sum of the responses to all injections (so a response still fading when the next injection comes is
part of the next cycle, as in life); for a series where higher is better it is the level plus that
sum.

The truth for each cycle is computed from the noise-free daily values with the definitions of
``docs/cycles.md``, implemented here again, independently and plainly (loops over days, no
smoothing: the noise-free curve is already smooth). Noise (normal), rounding to whole diary points
(clipped to 0-10), days missing at random and one run of missing days per cycle are then added to
the observed series only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np

from torsion.clinical.cycles import CycleParams

FIRST_DAY = date(2021, 3, 1)


@dataclass(frozen=True)
class ResponseCurve:
    """One injection's response. ``amplitude`` in series units, the rest in days."""

    amplitude: float
    rise_mid_day: float
    rise_scale_days: float
    fall_mid_day: float
    fall_scale_days: float

    def improvement(self, day: np.ndarray) -> np.ndarray:
        """Improvement on day offsets ``day`` (0 before the injection)."""
        d = np.asarray(day, dtype=float)
        rise = 1.0 / (1.0 + np.exp(-(d - self.rise_mid_day) / self.rise_scale_days))
        fall = 1.0 / (1.0 + np.exp((d - self.fall_mid_day) / self.fall_scale_days))
        return np.where(d >= 0, self.amplitude * rise * fall, 0.0)


@dataclass(frozen=True)
class TrueCycle:
    """The answers for one cycle, from the noise-free series (days are offsets from ``start``)."""

    start: date
    baseline: float
    onset_day: int
    peak_day: int
    wearing_off_day: int | None
    peak_improvement: float
    benefit_days: int


@dataclass(frozen=True)
class SyntheticPatient:
    injections: list[date]
    series: list[tuple[date, float]]
    truth: list[TrueCycle]
    curves: list[ResponseCurve]
    higher_is_worse: bool


def true_events(improvement: np.ndarray, params: CycleParams) -> tuple[int, int, int | None, float]:
    """Onset, peak day, wearing-off day and peak improvement of a noise-free improvement curve.

    ``improvement`` holds one value for every day ``0 .. L-1`` of the cycle.
    """
    values = [float(v) for v in improvement]
    length = len(values)
    peak = max(values)
    half = params.wearing_off_fraction * peak
    weights = [(d, v - half) for d, v in enumerate(values) if v >= half]
    total = sum(w for _, w in weights)
    peak_day = math.floor(sum(d * w for d, w in weights) / total + 0.5)
    onset_level = params.onset_fraction * peak
    onset_day = None
    for d in range(peak_day + 1):
        if all(values[e] >= onset_level for e in range(d, min(d + params.sustain_days - 1, peak_day) + 1)):
            onset_day = d
            break
    assert onset_day is not None, "the synthetic curves always rise steadily to their peak"
    wearing_off_day = None
    for d in range(peak_day + 1, length):
        if all(values[e] < half for e in range(d, min(d + params.sustain_days, length))):
            wearing_off_day = d
            break
    return onset_day, peak_day, wearing_off_day, peak


def random_curve(rng: np.random.Generator, amplitude_range: tuple[float, float]) -> ResponseCurve:
    return ResponseCurve(
        amplitude=float(rng.uniform(*amplitude_range)),
        rise_mid_day=float(rng.uniform(7.0, 14.0)),
        rise_scale_days=float(rng.uniform(1.5, 3.5)),
        fall_mid_day=float(rng.uniform(55.0, 75.0)),
        fall_scale_days=float(rng.uniform(3.0, 6.0)),
    )


def simulate_patient(
    seed: int,
    *,
    n_cycles: int = 3,
    noise_sd: float = 0.1,
    missing_fraction: float = 0.2,
    gap_days: int = 5,
    gap_position: Literal["random", "away_from_onset", "over_onset"] = "random",
    rounded: bool = False,
    amplitude_range: tuple[float, float] = (3.0, 5.0),
    untreated_range: tuple[float, float] = (5.5, 7.5),
    interval_range: tuple[int, int] = (84, 105),
    higher_is_worse: bool = True,
    params: CycleParams | None = None,
) -> SyntheticPatient:
    """A person with ``n_cycles`` injections and a daily series from two weeks before the first.

    The series ends on the day before the next injection would have been due, so the latest cycle is
    as long as the others. Each day is missing with probability ``missing_fraction``, and each cycle
    also loses ``gap_days`` consecutive days: at a random place after day 0 (``"random"``), at a
    random place that leaves the true onset and two days either side of it alone
    (``"away_from_onset"``), or centred on the true onset (``"over_onset"``). The gap never touches
    the last ``baseline_days`` days of a cycle, which are the next cycle's baseline.
    """
    params = params or CycleParams()
    rng = np.random.default_rng(seed)
    curves = [random_curve(rng, amplitude_range) for _ in range(n_cycles)]
    intervals = [int(rng.integers(interval_range[0], interval_range[1] + 1)) for _ in range(n_cycles)]
    starts = [14 + sum(intervals[:k]) for k in range(n_cycles)]
    total_days = starts[-1] + intervals[-1]
    untreated = float(rng.uniform(*untreated_range))
    day = np.arange(total_days)
    benefit = sum(curve.improvement(day - start) for curve, start in zip(curves, starts))
    direction = -1.0 if higher_is_worse else 1.0
    clean = untreated + direction * benefit

    truth = []
    for k, (start, interval) in enumerate(zip(starts, intervals)):
        baseline = float(np.mean(clean[start - params.baseline_days : start]))
        improvement = direction * (clean[start : start + interval] - baseline)
        onset, peak_day, wearing_off, peak = true_events(improvement, params)
        end = wearing_off if wearing_off is not None else interval
        truth.append(
            TrueCycle(
                start=FIRST_DAY + timedelta(days=start),
                baseline=baseline,
                onset_day=onset,
                peak_day=peak_day,
                wearing_off_day=wearing_off,
                peak_improvement=peak,
                benefit_days=end - onset,
            )
        )

    observed = clean + rng.normal(0.0, noise_sd, total_days) if noise_sd > 0 else clean.copy()
    if rounded:
        observed = np.clip(np.round(observed), 0.0, 10.0)
    keep = rng.random(total_days) >= missing_fraction
    if gap_days > 0:
        for start, interval, answers in zip(starts, intervals, truth):
            onset = answers.onset_day
            if gap_position == "over_onset":
                first = max(1, onset - gap_days // 2)
            else:
                choices = np.arange(1, interval - params.baseline_days - gap_days + 1)
                if gap_position == "away_from_onset":
                    choices = choices[(choices + gap_days - 1 < onset - 2) | (choices > onset + 2)]
                first = int(rng.choice(choices))
            keep[start + first : start + first + gap_days] = False
    series = [(FIRST_DAY + timedelta(days=int(d)), float(observed[d])) for d in np.flatnonzero(keep)]
    injections = [FIRST_DAY + timedelta(days=s) for s in starts]
    return SyntheticPatient(injections, series, truth, curves, higher_is_worse)
