"""Spiral measures on synthetic spirals drawn at a hand's speed: known tremor is found to 0.2 Hz and
15%, a clean spiral and a slowly drifting one show none, and the geometry comes out as drawn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.measures.drawing_truth import Tremor, jerky_spiral_samples, spiral_samples, spiral_truth
from torsion.measures.drawing import DrawingInputError, PenSamples
from torsion.measures.drawing_tremor import TremorPiece, analyse_pen_tremor
from torsion.measures.spiral import SpiralTemplate, measure_spiral

# (frequency Hz, peak-to-peak mm, sampling rate Hz, tremor direction in degrees): the band's ends
# and middle, the smallest to the largest amplitude, a mouse's to a stylus's sampling rate.
TREMORS = [
    (4.0, 3.0, 120, 30),
    (4.0, 0.2, 240, 100),
    (5.0, 1.0, 60, 0),
    (6.0, 0.5, 120, 75),
    (7.5, 2.0, 240, 150),
    (8.0, 0.2, 120, 45),
    (9.0, 1.5, 60, 90),
    (10.0, 0.3, 240, 10),
    (11.0, 3.0, 120, 120),
    (12.0, 0.2, 60, 60),
    (12.0, 1.0, 240, 170),
]


@pytest.mark.parametrize(("frequency_hz", "peak_to_peak_mm", "rate_hz", "direction_deg"), TREMORS)
def test_known_tremor_is_found(frequency_hz, peak_to_peak_mm, rate_hz, direction_deg):
    samples = spiral_samples(tremor=Tremor(frequency_hz, peak_to_peak_mm, direction_deg), rate_hz=rate_hz,
                             seed=int(frequency_hz * 10), pixel_mm=0.1)
    tremor = measure_spiral(samples).tremor
    assert tremor.detected is True
    assert tremor.peak_frequency_hz == pytest.approx(frequency_hz, abs=0.2)
    assert tremor.amplitude == pytest.approx(peak_to_peak_mm, rel=0.15)
    assert tremor.frame == "page"


@pytest.mark.parametrize(("clockwise", "outward"), [(True, True), (False, True), (True, False), (False, False)])
def test_tremor_found_whichever_way_the_spiral_is_drawn(clockwise, outward):
    samples = spiral_samples(tremor=Tremor(6.5, 0.8), clockwise=clockwise, outward=outward, seed=3)
    tremor = measure_spiral(samples).tremor
    assert tremor.peak_frequency_hz == pytest.approx(6.5, abs=0.2)
    assert tremor.amplitude == pytest.approx(0.8, rel=0.15)


def test_tremor_along_the_radius_is_read_in_the_pens_frame():
    result = measure_spiral(spiral_samples(tremor=Tremor(5.0, 1.0, radial=True), seed=4))
    assert result.tremor.frame == "pen"
    assert result.tremor.peak_frequency_hz == pytest.approx(5.0, abs=0.2)
    assert result.tremor.amplitude == pytest.approx(1.0, rel=0.15)
    # A radial shake at f Hz crosses the fitted spiral about 2f times a second.
    assert result.zero_crossing_rate_hz == pytest.approx(10.0, rel=0.1)


@pytest.mark.parametrize("rate_hz", [60, 120, 240])
@pytest.mark.parametrize("seed", [0, 1])
def test_clean_spiral_has_no_tremor(rate_hz, seed):
    result = measure_spiral(spiral_samples(rate_hz=rate_hz, seed=seed, pixel_mm=0.1))
    assert result.tremor.detected is False
    assert result.tremor.peak_frequency_hz is None and result.tremor.amplitude is None
    assert result.tremor.summary == "No tremor detected."
    assert result.zero_crossing_rate_hz < 0.5


@pytest.mark.parametrize(
    ("drift_mm", "drift_hz", "slide_mm"),
    [(3.0, 0.5, 0.0), (4.0, 1.0, 0.0), (0.0, 0.5, 10.0), (3.0, 0.3, 10.0), (2.0, 1.2, 5.0)],
)
def test_slow_drift_is_not_tremor(drift_mm, drift_hz, slide_mm):
    result = measure_spiral(spiral_samples(drift_mm=drift_mm, drift_hz=drift_hz, slide_mm=slide_mm, seed=5))
    assert result.tremor.detected is False
    if drift_mm and not slide_mm:
        assert result.radial_deviation == pytest.approx(drift_mm / np.sqrt(2), rel=0.2)
        assert result.zero_crossing_rate_hz == pytest.approx(2 * drift_hz, rel=0.3)


@pytest.mark.parametrize("seed", range(8))
def test_jerky_irregular_drawing_is_not_tremor(seed):
    """Hesitant stalls and rushes (as in writer's cramp) make a sloping, bumpy spectrum, not a peak."""
    result = measure_spiral(jerky_spiral_samples(seed))
    assert result.tremor.detected is False
    assert result.tremor.prominence < 10


def test_tremor_on_a_drifting_spiral_is_still_found():
    samples = spiral_samples(tremor=Tremor(4.5, 0.4), drift_mm=3.0, drift_hz=0.6, slide_mm=8.0, seed=6)
    tremor = measure_spiral(samples).tremor
    assert tremor.peak_frequency_hz == pytest.approx(4.5, abs=0.2)
    assert tremor.amplitude == pytest.approx(0.4, rel=0.15)


@pytest.mark.parametrize(("clockwise", "outward"), [(True, True), (False, True), (True, False), (False, False)])
def test_clean_spiral_geometry(clockwise, outward):
    options = {"turns": 3.5, "spacing_mm": 10.0, "mean_speed_mm_s": 28.0, "clockwise": clockwise,
               "outward": outward}
    result = measure_spiral(spiral_samples(**options, centre_mm=(50.0, 60.0), seed=7))
    duration, length = spiral_truth(**options)
    assert result.centre == pytest.approx((50.0, 60.0), abs=0.1)
    assert result.turns == pytest.approx(3.5, abs=0.05)
    assert result.direction == ("clockwise" if clockwise else "counterclockwise")
    assert result.outward is outward
    assert result.fit_b == pytest.approx((10.0 if outward else -10.0) / (2 * np.pi), rel=0.01)
    assert result.tightness == pytest.approx(10.0, rel=0.01)
    assert result.tightness_variability < 0.01
    assert result.radial_deviation < 0.05  # the 0.02 mm noise, nothing more
    assert result.duration_s == pytest.approx(duration, abs=0.1)  # the last sample comes a little before the end
    assert result.mean_speed == pytest.approx(length / duration, rel=0.02)
    assert result.path_length == pytest.approx(length, rel=0.02)
    assert result.pen_lifts == 0 and result.warnings == []


def test_smoothness_grows_with_tremor_and_is_small_for_a_clean_spiral():
    clean = measure_spiral(spiral_samples(noise_mm=0.0, seed=8))
    assert clean.first_order_smoothness < 0.05 and clean.second_order_smoothness < 1.0
    previous = clean
    for amplitude in (0.3, 1.0, 3.0):
        shaky = measure_spiral(spiral_samples(noise_mm=0.0, tremor=Tremor(6.0, amplitude), seed=8))
        assert shaky.first_order_smoothness > 2 * previous.first_order_smoothness
        assert shaky.second_order_smoothness > 2 * previous.second_order_smoothness
        assert shaky.radial_deviation > previous.radial_deviation
        previous = shaky


def test_uneven_loops_raise_tightness_variability():
    even = measure_spiral(spiral_samples(seed=9))
    uneven = measure_spiral(spiral_samples(drift_mm=3.0, drift_hz=0.15, seed=9))
    assert uneven.tightness_variability > 10 * even.tightness_variability


def test_traced_spiral_deviation_from_its_template():
    template = SpiralTemplate(centre_x=70.0, centre_y=90.0, start_radius=1.0, spacing=8.0, turns=4.0,
                              start_angle_rad=0.3, clockwise=True)
    on_it = measure_spiral(spiral_samples(seed=10), template=template)
    assert on_it.template_deviation < 0.05
    beside_it = measure_spiral(spiral_samples(seed=10, centre_mm=(72.0, 90.0)), template=template)
    assert 0.8 < beside_it.template_deviation < 2.0  # 2 mm to one side: between 0 and 2 mm along the radius
    assert measure_spiral(spiral_samples(seed=10)).template_deviation is None


def test_pen_lifts_are_counted_and_warned_about():
    result = measure_spiral(spiral_samples(tremor=Tremor(7.0, 1.0), lifts=(4.0, 8.0), seed=11))
    assert result.pen_lifts == 2
    assert "The pen was lifted 2 times during the spiral." in result.warnings
    assert result.tremor.peak_frequency_hz == pytest.approx(7.0, abs=0.2)
    assert result.pen_down_s < result.duration_s - 0.25


def test_less_than_one_turn_is_refused():
    with pytest.raises(DrawingInputError, match=r"goes only 0\.[6-8] times around its centre; a spiral needs at least"):
        measure_spiral(spiral_samples(turns=0.7, seed=12))


def test_too_short_to_look_for_tremor():
    result = measure_spiral(spiral_samples(turns=1.2, spacing_mm=4.0, mean_speed_mm_s=40.0, seed=13))
    assert result.tremor.detected is None
    assert result.tremor.summary == "Too little drawing to look for tremor."
    assert any("tremor was not analysed" in w for w in result.warnings)


def test_stretches_left_out_of_the_tremor_spectrum_say_where_they_were_cut():
    rng = np.random.default_rng(14)
    long, short = (TremorPiece(0.01 * rng.standard_normal((n, 2))) for n in (600, 200))  # 6 s and 2 s at 100 Hz
    _, warnings = analyse_pen_tremor([long, short], 100.0)
    assert warnings == ["1 stretch of drawing too short for the tremor spectrum was left out "
                        "(stretches end at pen lifts)."]
    _, warnings = analyse_pen_tremor([long, short, short], 100.0, cut_at="pen lifts and near the centre")
    assert warnings == ["2 stretches of drawing too short for the tremor spectrum were left out "
                        "(stretches end at pen lifts and near the centre)."]
    _, warnings = analyse_pen_tremor([TremorPiece(np.zeros((100, 2)))], 100.0)
    assert warnings == ["No stretch of drawing lasts 1.5 s or more (stretches end at pen lifts); "
                        "tremor was not analysed."]


def test_a_spiral_says_that_it_is_cut_near_the_centre_and_at_quick_turns_not_only_at_pen_lifts():
    result = measure_spiral(spiral_samples(turns=1.2, spacing_mm=4.0, mean_speed_mm_s=40.0, seed=13))
    assert result.pen_lifts == 0
    assert not any("between pen lifts" in w for w in result.warnings)
    assert any("stretches end at pen lifts, near the centre and at turns too quick to tell from tremor" in w
               for w in result.warnings)


def test_pixels_carry_their_unit_into_keys_and_warnings():
    px_per_mm = 4.0
    result = measure_spiral(spiral_samples(tremor=Tremor(8.0, 1.0), unit="px", scale=px_per_mm, seed=14))
    data = result.to_dict()
    assert data["unit"] == "px"
    assert data["tremor"]["amplitude_px"] == pytest.approx(4.0, rel=0.15)
    assert data["tightness"] == pytest.approx(32.0, rel=0.01)
    assert {"mean_speed_px_s", "radial_deviation_px", "path_length_px"} <= data.keys()
    assert not any(key.endswith("_mm") or "_mm_" in key for key in data)
    assert any("screen pixels" in w for w in data["warnings"])


def test_result_dict_keys_and_series():
    result = measure_spiral(spiral_samples(tremor=Tremor(6.0, 1.0), seed=15))
    data = result.to_dict()
    for key in ("duration_s", "mean_speed_mm_s", "radial_deviation_mm", "first_order_smoothness",
                "second_order_smoothness", "tightness", "tremor", "warnings"):
        assert key in data
    assert {"detected", "peak_frequency_hz", "amplitude_mm"} <= data["tremor"].keys()
    assert "unravelled" not in data and "spectrum" not in data["tremor"]
    full = result.to_dict(series=True)
    spectrum = full["tremor"]["spectrum"]
    assert len(spectrum["frequencies_hz"]) == len(spectrum["density_mm2_per_hz"]) > 50
    peak = int(np.argmax(spectrum["density_mm2_per_hz"]))
    assert spectrum["frequencies_hz"][peak] == pytest.approx(6.0, abs=0.2)
    unravelled = full["unravelled"]
    assert len(unravelled["theta_turns"]) == len(unravelled["r"]) == len(unravelled["r_fit"]) <= 1200
    assert unravelled["theta_turns"][-1] == pytest.approx(result.turns, abs=0.05)


def _transformed(samples: PenSamples, matrix: np.ndarray, shift: np.ndarray) -> PenSamples:
    xy = np.column_stack([samples.x, samples.y]) @ matrix.T + shift
    return PenSamples(samples.t_s, xy[:, 0], xy[:, 1], pen_down=samples.pen_down)


BASE = spiral_samples(tremor=Tremor(6.0, 1.0), noise_mm=0.05, seed=16, turns=3.0)
BASE_RESULT = measure_spiral(BASE)


@settings(max_examples=15, deadline=None)
@given(angle=st.floats(-np.pi, np.pi), dx=st.floats(-500, 500), dy=st.floats(-500, 500), mirror=st.booleans())
def test_measures_do_not_depend_on_where_or_how_the_page_is_turned(angle, dx, dy, mirror):
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    if mirror:
        rotation = rotation @ np.diag([-1.0, 1.0])
    result = measure_spiral(_transformed(BASE, rotation, np.array([dx, dy])))
    expected_direction = BASE_RESULT.direction
    if mirror:
        expected_direction = {"clockwise": "counterclockwise", "counterclockwise": "clockwise"}[expected_direction]
    assert result.direction == expected_direction
    for name in ("turns", "radial_deviation", "first_order_smoothness", "second_order_smoothness", "tightness",
                 "mean_speed", "fit_b"):
        assert getattr(result, name) == pytest.approx(getattr(BASE_RESULT, name), rel=2e-3, abs=1e-6), name
    assert result.tremor.peak_frequency_hz == pytest.approx(BASE_RESULT.tremor.peak_frequency_hz, abs=0.01)
    assert result.tremor.amplitude == pytest.approx(BASE_RESULT.tremor.amplitude, rel=0.01)


@settings(max_examples=10, deadline=None)
@given(scale=st.floats(0.25, 8.0))
def test_lengths_scale_with_the_drawing(scale):
    result = measure_spiral(_transformed(BASE, np.eye(2) * scale, np.zeros(2)))
    for name in ("radial_deviation", "first_order_smoothness", "second_order_smoothness", "tightness",
                 "mean_speed", "path_length"):
        assert getattr(result, name) == pytest.approx(scale * getattr(BASE_RESULT, name), rel=2e-3), name
    assert result.turns == pytest.approx(BASE_RESULT.turns, rel=1e-3)
    assert result.tremor.amplitude == pytest.approx(scale * BASE_RESULT.tremor.amplitude, rel=0.01)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**20),
    rate_hz=st.sampled_from([60.0, 120.0, 240.0]),
    noise_mm=st.floats(0.0, 0.3),
    speed=st.floats(12.0, 60.0),
    turns=st.floats(2.0, 6.0),
    drift_mm=st.floats(0.0, 4.0),
    drift_hz=st.floats(0.1, 1.2),
)
def test_spirals_without_tremor_never_report_one(seed, rate_hz, noise_mm, speed, turns, drift_mm, drift_hz):
    samples = spiral_samples(seed=seed, rate_hz=rate_hz, noise_mm=noise_mm, mean_speed_mm_s=speed, turns=turns,
                             drift_mm=drift_mm, drift_hz=drift_hz, pixel_mm=0.1)
    assert measure_spiral(samples).tremor.detected is not True  # None: too short to look
