"""The typical course of the toxin cycles: the day-by-day median of their smoothed improvement."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.clinical.cycle_truth import ResponseCurve
from torsion.clinical.cycle_comparison import median_curve, typical_response
from torsion.clinical.cycles import CycleResponse, analyse_cycles

N = None


@pytest.mark.parametrize("curves, expected", [
    # Three curves: the median of three, then of two (two of three is at least half), then none.
    ([[1, 2, 3], [3, 4], [2]], [2, 3, None]),
    # An even count: the mean of the middle two.
    ([[0, 0], [1, 1], [2, 2], [10, 10]], [1.5, 1.5]),
    # Missing days count as absent, not as zero.
    ([[1, N, 5], [3, N, 7], [N, 2, 6]], [2, None, 6]),
    # One curve alone never makes a median.
    ([[4, 5, 6]], [None, None, None]),
    ([], []),
])
def test_median_curve_known_answers(curves, expected):
    assert median_curve(curves) == expected


def test_median_curve_needs_half_of_the_curves():
    curves = [[1.0] * 10, [2.0] * 10, [3.0] * 6, [4.0] * 4, [5.0] * 2]
    medians = median_curve(curves)
    assert medians[:2] == [3.0, 3.0]      # 5 of 5 curves
    assert medians[2:4] == [2.5, 2.5]     # 4 of 5
    assert medians[4:6] == [2.0, 2.0]     # 3 of 5 (at least half)
    assert medians[6:] == [None] * 4      # 2 of 5 is fewer than half
    assert median_curve(curves, min_share=0.4)[6:] == [1.5] * 4
    with pytest.raises(ValueError, match="min_share"):
        median_curve(curves, min_share=0)


@given(st.lists(st.lists(st.one_of(st.none(), st.floats(-10, 10)), min_size=1, max_size=30), min_size=2, max_size=8))
def test_median_lies_within_the_curves_of_its_day(curves):
    medians = median_curve(curves)
    assert len(medians) == max(len(c) for c in curves)
    for day, median in enumerate(medians):
        values = [c[day] for c in curves if day < len(c) and c[day] is not None]
        if median is None:
            assert len(values) < max(2, math.ceil(len(curves) / 2))
        else:
            assert min(values) - 1e-9 <= median <= max(values) + 1e-9


def _cycles(peaks: list[float]):
    """Cycles of 90 days, each with the same shape and the given peak improvement (points)."""
    start = date(2024, 1, 8)
    days = np.arange(-7, 90 * len(peaks))
    values = np.full(days.shape, 7.0)
    for k, peak in enumerate(peaks):
        values -= ResponseCurve(peak, 12.0, 2.0, 55.0, 4.0).improvement(days - 90 * k)
    series = [(start + timedelta(days=int(d)), float(v)) for d, v in zip(days, values)]
    injections = [start + timedelta(days=90 * k) for k in range(len(peaks))]
    return analyse_cycles(injections, series).cycles


def test_typical_response_of_cycles_follows_the_middle_cycle():
    cycles = _cycles([2.0, 3.0, 5.5])  # the mean would be above the middle cycle
    assert [c.status for c in cycles] == ["ok"] * 3
    typical = typical_response(cycles)
    assert typical.cycles_used == (1, 2, 3)
    middle = cycles[1].response.smoothed_improvement
    # Without noise, the cycles are scaled copies of one shape: the median is the middle one.
    for day in range(10, 80):
        assert typical.median_improvement[day] == pytest.approx(middle[day], abs=1e-9)
    assert typical.day[:3] == (0, 1, 2)


def test_no_typical_response_from_one_cycle_or_cycles_without_data():
    cycles = _cycles([3.0, 3.0])
    assert typical_response(cycles[:1]) is None
    empty = replace(cycles[1], status="insufficient_data",
                    response=CycleResponse(day=(), raw_improvement=(), smoothed_improvement=()))
    assert typical_response([cycles[0], empty]) is None
