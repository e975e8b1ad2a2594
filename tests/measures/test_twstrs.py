"""TWSTRS estimate bands, table-driven at every boundary, and the excursion statistics."""

from __future__ import annotations

import numpy as np
import pytest

from torsion.measures.twstrs import ITEMS, estimate_item, score_from_bands


@pytest.mark.parametrize(
    ("item", "excursion", "score"),
    [
        ("rotation", 0.0, 0),
        ("rotation", 4.49, 0),
        ("rotation", 4.5, 1),
        ("rotation", 22.49, 1),
        ("rotation", 22.5, 2),
        ("rotation", 45.49, 2),
        ("rotation", 45.5, 3),
        ("rotation", 67.49, 3),
        ("rotation", 67.5, 4),
        ("rotation", 120.0, 4),
        ("laterocollis", 4.49, 0),
        ("laterocollis", 4.5, 1),
        ("laterocollis", 15.49, 1),
        ("laterocollis", 15.5, 2),
        ("laterocollis", 35.49, 2),
        ("laterocollis", 35.5, 3),
        ("antero_retrocollis", 4.49, 0),
        ("antero_retrocollis", 4.5, 1),
        ("antero_retrocollis", 15.5, 2),
        ("antero_retrocollis", 35.49, 2),
        ("antero_retrocollis", 35.5, 3),
        ("lateral_shift", 0.0999, 0),
        ("lateral_shift", 0.10, 1),
        ("sagittal_shift", 0.1499, 0),
        ("sagittal_shift", 0.15, 1),
    ],
)
def test_score_bands(item, excursion, score):
    assert score_from_bands(excursion, ITEMS[item]) == score


@pytest.mark.parametrize(
    ("item", "value", "score", "direction"),
    [
        ("rotation", 30.0, 2, "right"),
        ("rotation", -30.0, 2, "left"),
        ("rotation", 2.0, 0, None),
        ("laterocollis", 20.0, 2, "right"),
        ("laterocollis", -40.0, 3, "left"),
        ("antero_retrocollis", 10.0, 1, "anterocollis"),
        ("antero_retrocollis", -20.0, 2, "retrocollis"),
        ("lateral_shift", 0.2, 1, "right"),
        ("lateral_shift", -0.2, 1, "left"),
        ("sagittal_shift", 0.2, 1, "anterior"),
        ("sagittal_shift", -0.2, 1, "posterior"),
    ],
)
def test_sustained_posture_gives_score_and_direction(item, value, score, direction):
    t_s = np.arange(300) / 30.0
    estimate = estimate_item(item, t_s, np.full(300, value))
    assert (estimate.score, estimate.direction) == (score, direction)
    assert estimate.excursion == pytest.approx(abs(value))
    assert estimate.max_score == ITEMS[item].max_score
    assert estimate.time_deviated_fraction == (1.0 if score else 0.0)
    assert estimate.time_at_max_fraction == (1.0 if score else 0.0)


def test_intermittent_posture_shares_of_time():
    # 10 s at 0 degrees, then 10 s at 30 degrees to the left: half the time at maximal excursion.
    t_s = np.arange(600) / 30.0
    yaw = np.where(t_s < 10, 0.0, -30.0)
    estimate = estimate_item("rotation", t_s, yaw)
    assert (estimate.score, estimate.direction) == (2, "left")
    assert estimate.time_deviated_fraction == pytest.approx(0.5)
    assert estimate.time_at_max_fraction == pytest.approx(0.5)
    assert estimate.unit == "deg"


def test_tremor_does_not_inflate_the_excursion():
    # 10 degrees of tilt with a 4 Hz, 8 degrees peak-to-peak tremor on top: excursion stays ~10.
    t_s = np.arange(900) / 30.0
    roll = 10.0 + 4.0 * np.sin(2 * np.pi * 4.0 * t_s)
    estimate = estimate_item("laterocollis", t_s, roll)
    assert estimate.excursion == pytest.approx(10.0, abs=1.0)
    assert estimate.score == 1


def test_missing_values_are_skipped_and_all_missing_gives_no_score():
    t_s = np.arange(300) / 30.0
    values = np.full(300, np.nan)
    values[::30] = 0.25  # sparse samples, as Pose gives once a second
    assert estimate_item("lateral_shift", t_s, values).score == 1
    empty = estimate_item("sagittal_shift", t_s, np.full(300, np.nan))
    assert empty.to_dict() == {
        "score": None,
        "max_score": 1,
        "direction": None,
        "excursion": None,
        "unit": "shoulder widths",
        "time_deviated_fraction": None,
        "time_at_max_fraction": None,
    }
