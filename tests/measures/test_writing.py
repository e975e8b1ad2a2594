"""Handwriting measures on synthetic cursive loops with known strokes, velocity peaks, lifts and pressure."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.measures.drawing_truth import writing_samples
from torsion.measures.drawing import DrawingInputError, PenSamples
from torsion.measures.writing import measure_writing


@pytest.mark.parametrize(("loop_hz", "rate_hz"), [(2.5, 200.0), (1.5, 120.0), (2.0, 60.0)])
def test_strokes_and_their_frequency(loop_hz, rate_hz):
    result = measure_writing(writing_samples(loop_hz=loop_hz, rate_hz=rate_hz, loops=10, words=3))
    assert result.strokes == pytest.approx(60, abs=1)  # an up and a down stroke per loop
    assert result.stroke_frequency_hz == pytest.approx(2 * loop_hz, rel=0.03)
    assert result.mean_stroke_height == pytest.approx(6.0, rel=0.05)
    assert result.niv_per_stroke == pytest.approx(1.0, abs=0.1)  # one smooth velocity peak per stroke


@pytest.mark.parametrize(("peaks", "niv"), [(1, 1.0), (2, 3.0), (3, 5.0)])
def test_inversions_in_velocity_per_stroke(peaks, niv):
    """A stroke whose speed has k peaks changes between speeding up and slowing down 2k - 1 times."""
    result = measure_writing(writing_samples(peaks_per_stroke=peaks))
    assert result.niv_per_stroke == pytest.approx(niv, abs=0.15)


def test_hesitant_strokes_have_more_jerk():
    fluent = measure_writing(writing_samples(peaks_per_stroke=1))
    hesitant = measure_writing(writing_samples(peaks_per_stroke=3))
    assert hesitant.normalized_jerk > 2 * fluent.normalized_jerk
    assert hesitant.jerk > 2 * fluent.jerk


@pytest.mark.parametrize(("words", "gap_s"), [(1, 0.4), (3, 0.4), (4, 0.75)])
def test_pen_lifts_and_time_on_and_off_the_surface(words, gap_s):
    samples = writing_samples(words=words, gap_s=gap_s, loops=8, loop_hz=2.0, rate_hz=200.0)
    result = measure_writing(samples)
    word_s = 8 / 2.0
    assert result.pen_lifts == words - 1
    # Each lift lasts the hover samples plus one sample interval on each side.
    assert result.in_air_s == pytest.approx((words - 1) * (gap_s + 1 / 200.0), abs=0.01)
    assert result.on_surface_s == pytest.approx(words * (word_s - 1 / 200.0), abs=0.01)
    assert result.duration_s == pytest.approx(result.on_surface_s + result.in_air_s, abs=1e-9)


def test_pressure_mean_and_variability():
    result = measure_writing(writing_samples(pressure=(0.6, 0.15), loop_hz=2.0))
    assert result.mean_pressure == pytest.approx(0.6, abs=0.005)
    assert result.pressure_variability == pytest.approx(0.15 / np.sqrt(2) / 0.6, rel=0.03)


def test_devices_without_pressure():
    assert measure_writing(writing_samples(pressure=None)).mean_pressure is None
    samples = writing_samples(pressure=None)
    constant = PenSamples(samples.t_s, samples.x, samples.y, pressure=np.full(samples.n, 0.5),
                          pen_down=samples.pen_down)
    result = measure_writing(constant)
    assert result.mean_pressure is None and result.pressure_variability is None
    assert "This device reports no pressure (the same value throughout)." in result.warnings


def test_speed_is_the_path_over_time_on_the_surface():
    samples = writing_samples(words=1, loops=10, loop_hz=2.0, height_mm=5.0, advance_mm_s=10.0, rate_hz=240.0)
    fine = writing_samples(words=1, loops=10, loop_hz=2.0, height_mm=5.0, advance_mm_s=10.0, rate_hz=2400.0,
                           noise_mm=0.0)
    truth = np.hypot(np.diff(fine.x), np.diff(fine.y)).sum() / (fine.t_s[-1] - fine.t_s[0])
    assert measure_writing(samples).mean_speed == pytest.approx(truth, rel=0.03)


def test_a_flat_scribble_has_no_strokes():
    t = np.arange(200) / 100.0
    with pytest.raises(DrawingInputError, match="No up-and-down strokes were found in the writing."):
        measure_writing(PenSamples(t, 10 + 20 * t, np.full(t.size, 50.0)))


def test_result_keys_and_units():
    data = measure_writing(writing_samples()).to_dict()
    assert {"strokes", "stroke_frequency_hz", "niv_per_stroke", "pen_lifts", "on_surface_s", "in_air_s",
            "mean_pressure", "pressure_variability", "mean_speed_mm_s", "jerk_mm_s3", "normalized_jerk",
            "warnings"} <= data.keys()


@settings(max_examples=15, deadline=None)
@given(dx=st.floats(-300, 300), dy=st.floats(-300, 300), shift_s=st.floats(0, 1000))
def test_writing_measures_do_not_depend_on_where_or_when(dx, dy, shift_s):
    base = writing_samples(words=2, loops=6)
    moved = PenSamples(base.t_s + shift_s, base.x + dx, base.y + dy, pressure=base.pressure, pen_down=base.pen_down)
    a, b = measure_writing(base), measure_writing(moved)
    assert (a.strokes, a.pen_lifts) == (b.strokes, b.pen_lifts)
    # Equal up to where the uniform resampling grid falls (a stroke may end one sample, 5 ms, apart).
    for name in ("stroke_frequency_hz", "niv_per_stroke", "mean_speed", "in_air_s", "on_surface_s", "normalized_jerk"):
        assert getattr(b, name) == pytest.approx(getattr(a, name), rel=0.01), name
