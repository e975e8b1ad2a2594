"""Invariants of the cycle analytics, checked on many generated people (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clinical.cycle_truth import random_curve
from torsion.clinical.cycles import analyse_cycles

D0 = date(2023, 5, 1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def people(draw):
    """Injection dates and a daily series: random values, or toxin responses with noise and gaps."""
    n_days = draw(st.integers(10, 420))
    injection_days = draw(st.lists(st.integers(0, n_days + 20), max_size=6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["responses", "rounded responses", "random"]))
    day = np.arange(n_days)
    if kind == "random":
        values = rng.uniform(-5, 10, n_days)
    else:
        values = np.full(n_days, rng.uniform(4, 8))
        for start in injection_days:
            values -= random_curve(rng, (1.0, 5.0)).improvement(day - start)
        values += rng.normal(0, draw(st.sampled_from([0.0, 0.2, 1.0])), n_days)
        if kind == "rounded responses":
            values = np.clip(np.round(values), 0, 10)
    keep = rng.random(n_days) >= draw(st.sampled_from([0.0, 0.2, 0.5]))
    series = [(D0 + timedelta(days=int(d)), float(values[d])) for d in day[keep]]
    return [D0 + timedelta(days=d) for d in injection_days], series


@SETTINGS
@given(people())
def test_days_are_ordered_and_insufficient_cycles_carry_no_numbers(person):
    injections, series = person
    report = analyse_cycles(injections, series)
    assert [c.number for c in report.cycles] == list(range(1, len(report.cycles) + 1))
    assert [c.start for c in report.cycles] == sorted({c.start for c in report.cycles})
    for cycle in report.cycles:
        assert cycle.start <= cycle.end
        if cycle.status == "insufficient_data":
            assert cycle.reason
            assert cycle.onset_day is cycle.peak_day is cycle.wearing_off_day is cycle.benefit_days is None
            assert cycle.peak_improvement is None and cycle.censored is None
            continue
        assert cycle.reason is None
        assert cycle.benefit_days >= 0
        if cycle.responded:
            assert 0 <= cycle.onset_day <= cycle.peak_day < cycle.length_days
            if cycle.wearing_off_day is not None:
                assert cycle.peak_day < cycle.wearing_off_day < cycle.length_days
                assert cycle.benefit_days == cycle.wearing_off_day - cycle.onset_day
            assert cycle.censored == (cycle.wearing_off_day is None)
        else:
            assert cycle.onset_day is cycle.peak_day is cycle.wearing_off_day is None
            assert cycle.benefit_days == 0


@SETTINGS
@given(people())
def test_reversing_the_direction_of_a_negated_series_changes_nothing_but_the_baseline_sign(person):
    injections, series = person
    original = analyse_cycles(injections, series, higher_is_worse=True).to_dict()
    mirrored = analyse_cycles(injections, [(d, -v) for d, v in series], higher_is_worse=False).to_dict()
    for cycle in mirrored["cycles"]:
        if cycle["baseline"] is not None:
            cycle["baseline"] = -cycle["baseline"] + 0.0  # + 0.0 turns -0.0 into 0.0
    for cycle in original["cycles"]:
        if cycle["baseline"] is not None:
            cycle["baseline"] = cycle["baseline"] + 0.0
    assert mirrored == original


@SETTINGS
@given(people(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(person, shuffle: random.Random):
    injections, series = person
    expected = analyse_cycles(injections, series).to_dict()
    shuffled_series, shuffled_injections = series[:], injections[:]
    shuffle.shuffle(shuffled_series)
    shuffle.shuffle(shuffled_injections)
    assert analyse_cycles(shuffled_injections, shuffled_series).to_dict() == expected


@SETTINGS
@given(people(), st.integers(0, 440))
def test_adding_an_injection_never_changes_earlier_cycles_baselines(person, new_day):
    injections, series = person
    added = D0 + timedelta(days=new_day)
    before = analyse_cycles(injections, series).cycles
    after = analyse_cycles(injections + [added], series).cycles
    earlier = [c for c in before if c.start < added]
    assert [c.start for c in after[: len(earlier)]] == [c.start for c in earlier]
    for old, new in zip(earlier, after):
        assert (new.baseline, new.baseline_points) == (old.baseline, old.baseline_points)
