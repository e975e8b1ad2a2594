"""Cycle analytics against synthetic cycles with known onset, peak and wearing-off (see cycle_truth.py).

Accuracy depends on how noisy the series is compared with the size and steepness of the response.
The strict tests (every cycle within one day, over 200 simulated people with about 580 analysable
cycles) use day-to-day noise of 0.05 points on responses of 3-5 points. The realistic tests (noise
0.5 points, and diary scores rounded to whole points) check the share of cycles within one day and
the size of the worst errors, which is what one can promise there.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from tests.clinical.cycle_truth import (
    ResponseCurve,
    SyntheticPatient,
    simulate_patient,
    true_events,
)
from torsion.clinical.cycles import CycleParams, CycleReport, analyse_cycles

PARAMS = CycleParams()
SEEDS = range(200)


def analyse(patient: SyntheticPatient, params: CycleParams = PARAMS) -> CycleReport:
    return analyse_cycles(
        patient.injections, patient.series, higher_is_worse=patient.higher_is_worse, params=params
    )


def errors(**simulation) -> tuple[np.ndarray, int]:
    """Estimated minus true (onset, peak, wearing-off) days over all analysable cycles, and that count.

    Cycles with too few baseline values must be reported as insufficient; every other cycle must be
    analysed, show benefit and agree with the truth on censoring.
    """
    rows = []
    for seed in SEEDS:
        patient = simulate_patient(seed, **simulation)
        report = analyse(patient)
        assert len(report.cycles) == len(patient.truth)
        for cycle, truth in zip(report.cycles, patient.truth):
            assert cycle.start == truth.start
            if cycle.baseline_points < PARAMS.baseline_min_points:
                assert cycle.status == "insufficient_data"
                assert cycle.reason.startswith(f"There are values for {cycle.baseline_points} of the 7 days")
                continue
            if cycle.status != "ok":
                # Only a gap hiding the start of the effect may stop an analysis here.
                assert cycle.reason.startswith("The improvement began while values were missing")
                continue
            assert cycle.responded, (seed, cycle.number)
            assert (cycle.wearing_off_day is None) == (truth.wearing_off_day is None), (seed, cycle.number)
            rows.append(
                (
                    cycle.onset_day - truth.onset_day,
                    cycle.peak_day - truth.peak_day,
                    (cycle.wearing_off_day or 0) - (truth.wearing_off_day or 0),
                    cycle.benefit_days - truth.benefit_days,
                    cycle.peak_improvement / truth.peak_improvement - 1.0,
                )
            )
    return np.array(rows), len(rows)


@pytest.mark.parametrize("higher_is_worse", [True, False])
def test_low_noise_recovers_every_onset_peak_and_wearing_off_within_one_day(higher_is_worse):
    found, analysed = errors(
        noise_sd=0.05, gap_position="away_from_onset", higher_is_worse=higher_is_worse
    )
    assert analysed >= 0.9 * 3 * len(SEEDS)
    assert np.abs(found[:, :3]).max(axis=0).tolist() == [1, 1, 1]
    assert np.abs(found[:, 3]).max() <= 2
    assert np.abs(found[:, 4]).max() < 0.05  # peak improvement within 5 %


def test_noise_free_series_with_gaps_anywhere_is_exact_to_one_day_unless_a_gap_hides_the_onset():
    in_gap = 0
    for seed in SEEDS:
        patient = simulate_patient(seed, noise_sd=0.0, gap_position="random")
        for cycle, truth in zip(analyse(patient).cycles, patient.truth):
            if cycle.status != "ok":
                continue
            assert abs(cycle.peak_day - truth.peak_day) <= 1
            assert abs(cycle.wearing_off_day - truth.wearing_off_day) <= 1
            if any(note.startswith("The onset day fell in a gap") for note in cycle.notes):
                in_gap += 1
                assert abs(cycle.onset_day - truth.onset_day) <= 3
            else:
                assert abs(cycle.onset_day - truth.onset_day) <= 1
    assert 20 <= in_gap <= 120  # the gap does land on the onset now and then


def test_smoothing_bias_is_small_on_complete_noise_free_series():
    found, analysed = errors(noise_sd=0.0, missing_fraction=0.0, gap_days=0)
    assert analysed == 3 * len(SEEDS)
    assert np.abs(found[:, :3]).max(axis=0).tolist() == [1, 1, 1]
    mean_error = found[:, :3].mean(axis=0)
    # Local linear smoothing rounds off the foot of the rise, so onset comes out about a third of a
    # day early on average; peak and wearing-off are unbiased.
    assert -0.5 < mean_error[0] < -0.2
    assert abs(mean_error[1]) < 0.2 and abs(mean_error[2]) < 0.1


@pytest.mark.parametrize(
    ("simulation", "within_one_day", "p95_days", "worst_days"),
    [
        # Continuous measure, noise 0.5 on a 3-5 point response (10-17 %).
        (dict(noise_sd=0.5), (0.78, 0.85, 0.66), (3, 3, 4), (7, 5, 9)),
        # Diary scores rounded to whole points 0-10, with little and with moderate day-to-day noise.
        (dict(noise_sd=0.3, rounded=True), (0.82, 0.90, 0.72), (2, 2, 3), (6, 4, 6)),
        (dict(noise_sd=0.5, rounded=True), (0.73, 0.79, 0.60), (3, 3, 4), (9, 6, 9)),
    ],
    ids=["continuous-noise-0.5", "diary-rounded-noise-0.3", "diary-rounded-noise-0.5"],
)
def test_realistic_noise_gives_most_days_within_one_day(simulation, within_one_day, p95_days, worst_days):
    found, analysed = errors(gap_position="away_from_onset", **simulation)
    assert analysed >= 0.85 * 3 * len(SEEDS)
    absolute = np.abs(found[:, :3])
    assert all(share >= bound for share, bound in zip((absolute <= 1).mean(axis=0), within_one_day))
    assert all(q <= bound for q, bound in zip(np.quantile(absolute, 0.95, axis=0), p95_days))
    assert all(worst <= bound for worst, bound in zip(absolute.max(axis=0), worst_days))
    assert np.all(np.abs(found[:, :3].mean(axis=0)) < 0.6)


@pytest.mark.parametrize(("amplitude", "least", "most"), [(1e-9, 0.0, 0.04), (3.0, 0.97, 1.0)])
def test_benefit_is_detected_relative_to_the_day_to_day_noise(amplitude, least, most):
    detected, analysed = 0, 0
    for seed in SEEDS:
        patient = simulate_patient(seed, noise_sd=1.0, amplitude_range=(amplitude, amplitude * 1.0001))
        for cycle in analyse(patient).cycles:
            if cycle.status == "ok":
                analysed += 1
                detected += cycle.responded
                if not cycle.responded:
                    assert cycle.benefit_days == 0
                    assert cycle.onset_day is cycle.peak_day is cycle.wearing_off_day is None
                    assert cycle.censored is False
    assert analysed >= 500
    assert least <= detected / analysed <= most


def test_ground_truth_curves_follow_the_clinical_time_course():
    onsets, peaks, wearing_offs = [], [], []
    for seed in SEEDS:
        for truth in simulate_patient(seed, noise_sd=0.0).truth:
            onsets.append(truth.onset_day)
            peaks.append(truth.peak_day)
            wearing_offs.append(truth.wearing_off_day)
    # Benefit starts within two weeks, is fullest around weeks 3-7 and has faded by weeks 8-11.
    assert 2 <= min(onsets) and max(onsets) <= 14
    assert 21 <= min(peaks) and max(peaks) <= 49
    assert 50 <= min(wearing_offs) and max(wearing_offs) <= 80


def test_true_events_of_a_known_curve():
    curve = ResponseCurve(
        4.0, rise_mid_day=10.0, rise_scale_days=2.0, fall_mid_day=60.0, fall_scale_days=5.0
    )
    improvement = curve.improvement(np.arange(90))
    onset, peak_day, wearing_off, peak = true_events(improvement, PARAMS)
    # The rise reaches a quarter of 4 where logistic((d - 10) / 2) = 0.25: d = 10 - 2 ln 3 = 7.80.
    assert onset == 8
    # The fall reaches half where logistic(-(d - 60) / 5) = 0.5 (the rise is complete): d = 60.
    assert wearing_off == 61  # day 60 is exactly at half, not below it
    # Around day 25 both factors are within 0.1 % of 1.
    assert peak == pytest.approx(4.0, rel=2e-3)
    assert peak == max(improvement)
    assert 33 <= peak_day <= 36  # the centre of the curve above half, between days 10 and 60


def test_simulation_is_reproducible():
    first, second = simulate_patient(11), simulate_patient(11)
    assert first.series == second.series and first.truth == second.truth


def five_years_of_daily_data() -> tuple[list[date], list[tuple[date, float]]]:
    rng = np.random.default_rng(2024)
    first = date(2020, 1, 1)
    injections = [first + timedelta(days=7 + 91 * k) for k in range(20)]
    day = np.arange(7 + 91 * 20)
    severity = np.full(day.size, 6.0)
    for start in (7 + 91 * k for k in range(20)):
        severity -= ResponseCurve(3.5, 10.0, 2.5, 65.0, 5.0).improvement(day - start)
    observed = np.round(severity + rng.normal(0.0, 0.7, day.size))
    keep = rng.random(day.size) > 0.15
    return injections, [(first + timedelta(days=int(d)), float(observed[d])) for d in day[keep]]


def test_five_years_of_daily_data_with_twenty_cycles_are_all_analysed():
    # How long this takes is measured by benchmarks/bench_cycles.py, never asserted here.
    injections, series = five_years_of_daily_data()
    report = analyse_cycles(injections, series)
    assert len(report.cycles) == 20
    assert sum(c.status == "ok" for c in report.cycles) >= 18
