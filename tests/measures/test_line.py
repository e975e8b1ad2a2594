"""Straight-line measures on synthetic lines: straightness, bow, speed and tremor as drawn."""

from __future__ import annotations

import numpy as np
import pytest

from tests.measures.drawing_truth import Tremor, line_samples
from torsion.measures.line import measure_line


@pytest.mark.parametrize("angle_deg", [0.0, -25.0, 40.0, 90.0, 180.0])
def test_clean_line(angle_deg):
    result = measure_line(line_samples(angle_deg=angle_deg, seed=1))
    assert result.length == pytest.approx(100.0, rel=0.01)
    assert result.angle_deg == pytest.approx(angle_deg, abs=0.5)
    assert result.deviation < 0.05 and result.straightness > 0.99
    assert result.mean_speed == pytest.approx(100.0 / result.pen_down_s, rel=0.02)
    assert result.tremor.detected is False


def test_bowed_line_deviates_by_its_bow():
    result = measure_line(line_samples(bow_mm=4.0, seed=2))
    # Offsets from the best straight line of a half sine of height 4 mm, sampled by a bell-shaped speed
    # profile (more samples near the slow ends): computed from the noise-free drawing.
    truth = line_samples(bow_mm=4.0, noise_mm=0.0, seed=2)
    y = truth.y - truth.y.mean()
    assert result.deviation == pytest.approx(np.sqrt(np.mean(y**2)), rel=0.03)
    assert result.max_deviation == pytest.approx(np.abs(y).max(), rel=0.05)
    assert result.tremor.detected is False


@pytest.mark.parametrize(("frequency_hz", "peak_to_peak_mm", "direction_deg"),
                         [(4.0, 2.0, 90.0), (6.0, 0.5, 30.0), (9.0, 1.0, 0.0), (12.0, 0.3, 60.0)])
def test_tremor_on_a_line(frequency_hz, peak_to_peak_mm, direction_deg):
    samples = line_samples(tremor=Tremor(frequency_hz, peak_to_peak_mm, direction_deg), duration_s=5.0, seed=3)
    tremor = measure_line(samples).tremor
    assert tremor.peak_frequency_hz == pytest.approx(frequency_hz, abs=0.2)
    assert tremor.amplitude == pytest.approx(peak_to_peak_mm, rel=0.15)


def test_result_keys():
    data = measure_line(line_samples(seed=4)).to_dict()
    assert data["task"] == "line" and data["unit"] == "mm"
    assert {"duration_s", "length_mm", "mean_speed_mm_s", "deviation_mm", "straightness", "tremor", "warnings"} <= (
        data.keys())
