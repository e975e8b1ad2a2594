"""Head tremor on synthetic angle series: known oscillations are found, noise is not tremor."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from torsion.measures.tremor import AXES, TREMOR_BAND_HZ, analyse_tremor, noise_prominence_bound, rhythm_kind


def browser_times(n: int, seed: int = 0) -> np.ndarray:
    """Uneven frame times as a browser records them: 28-40 ms apart (about 29 frames/s)."""
    rng = np.random.default_rng(seed)
    return np.round(np.r_[0.0, np.cumsum(rng.uniform(0.028, 0.040, n - 1))], 3)


def oscillating_angles(t_s, axis, frequency_hz, peak_to_peak_deg, noise_deg=0.3, seed=0):
    """Yaw, pitch, roll (n, 3): slow drift and noise on every axis, a sinusoid on ``axis``."""
    rng = np.random.default_rng(seed)
    angles = rng.normal(0.0, noise_deg, (t_s.size, 3)) + np.linspace(0, 4, t_s.size)[:, None]
    angles[:, AXES.index(axis)] += 0.5 * peak_to_peak_deg * np.sin(2 * np.pi * frequency_hz * t_s + 0.3)
    return angles


@pytest.mark.parametrize(
    ("axis", "frequency_hz", "peak_to_peak_deg"),
    [("pitch", 2.0, 3.0), ("yaw", 4.0, 1.5), ("roll", 6.5, 0.8), ("yaw", 1.3, 2.0), ("pitch", 9.0, 1.0)],
)
def test_known_oscillation_found_with_gaps_and_uneven_times(axis, frequency_hz, peak_to_peak_deg):
    t_s = browser_times(900)
    angles = oscillating_angles(t_s, axis, frequency_hz, peak_to_peak_deg)
    tracked = np.ones(t_s.size, dtype=bool)
    tracked[300:310] = False  # a 0.3 s loss: split, not bridged
    tracked[[500, 700]] = False  # single lost frames: bridged for the spectrum
    angles[~tracked] = np.nan
    result = analyse_tremor(t_s, angles, tracked)
    assert result.detected is True
    assert result.dominant_axis == axis
    assert result.peak_frequency_hz == pytest.approx(frequency_hz, abs=0.2)
    assert result.amplitude_deg == pytest.approx(peak_to_peak_deg, rel=0.15)
    assert result.rhythmicity_cv < 0.3
    assert result.warnings == ["The face was lost for a moment (under 0.1 seconds) 2 times; only the search for "
                               "tremor joined the video across."]
    others = [name for name in AXES if name != axis]
    assert not any(result.axes[name].detected for name in others)
    assert result.axes[others[0]].peak_frequency_hz is None


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**20),
    n_frames=st.sampled_from([90, 150, 300, 900]),
    noise_deg=st.floats(0.05, 3.0),
)
@example(seed=392, n_frames=150, noise_deg=1.0)  # one window: its highest bin stood 26 times over the median
def test_pure_noise_is_no_tremor(seed, n_frames, noise_deg):
    rng = np.random.default_rng(seed)
    t_s = browser_times(n_frames, seed)
    result = analyse_tremor(t_s, rng.normal(0.0, noise_deg, (n_frames, 3)))
    assert result.detected is False
    assert result.summary == "No tremor detected."
    assert (result.peak_frequency_hz, result.amplitude_deg, result.dominant_axis) == (None, None, None)
    assert set(result.axes) == set(AXES)


def test_tiny_oscillation_below_amplitude_floor_is_not_reported():
    t_s = np.arange(900) / 30.0
    angles = oscillating_angles(t_s, "yaw", 4.0, 0.3, noise_deg=0.02)
    result = analyse_tremor(t_s, angles)
    assert result.axes["yaw"].prominence > 100
    assert result.detected is False


def test_irregular_tremor_has_higher_rhythmicity_cv():
    t_s = np.arange(1800) / 30.0
    rng = np.random.default_rng(5)
    regular = oscillating_angles(t_s, "pitch", 4.0, 2.0, noise_deg=0.1)
    wobble = np.cumsum(rng.normal(0, 0.25, t_s.size)) / 30.0  # wandering phase, radians per frame
    irregular = regular.copy()
    irregular[:, 1] = np.sin(2 * np.pi * 4.0 * t_s + 30 * wobble) + rng.normal(0, 0.1, t_s.size)
    cv_regular = analyse_tremor(t_s, regular).rhythmicity_cv
    cv_irregular = analyse_tremor(t_s, irregular).rhythmicity_cv
    assert cv_regular < 0.05
    assert cv_irregular > 2 * cv_regular


def test_spectrum_is_kept_for_plots():
    t_s = np.arange(600) / 30.0
    result = analyse_tremor(t_s, oscillating_angles(t_s, "roll", 3.0, 2.0))
    data = result.to_dict(series=True)
    spectrum = data["spectrum"]
    assert set(spectrum) == {"frequencies_hz", "yaw_deg2_per_hz", "pitch_deg2_per_hz", "roll_deg2_per_hz"}
    assert spectrum["frequencies_hz"][0] == 0.0 and spectrum["frequencies_hz"][-1] <= 15.0
    assert len(spectrum["roll_deg2_per_hz"]) == len(spectrum["frequencies_hz"])
    assert "spectrum" not in result.to_dict()
    assert data["summary"].startswith("Tremor at 3.0 Hz, 2.0° peak to peak, mostly tilt")
    assert data["kind"] == "tremor"


def test_too_short_or_broken_recording_is_not_analysed():
    t_s = np.arange(50) / 30.0
    result = analyse_tremor(t_s, np.zeros((50, 3)))
    assert result.detected is None
    assert result.warnings == ["The face was never followed for 2 seconds without a break, so tremor could not be "
                               "looked for."]
    tracked = np.arange(300) % 20 < 10  # lost for 0.33 s every 0.67 s: never 2 s in a row
    result = analyse_tremor(np.arange(300) / 30.0, np.zeros((300, 3)), tracked)
    assert result.detected is None
    assert result.to_dict()["summary"] == "Tremor could not be analysed."


def test_input_shape_and_time_order_are_checked():
    with pytest.raises(ValueError, match=r"angles must have shape \(10, 3\) for yaw, pitch, roll; got \(10, 2\)"):
        analyse_tremor(np.arange(10.0), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="frame times must increase"):
        analyse_tremor(np.array([0.0, 0.1, 0.1, 0.2]), np.zeros((4, 3)))


@pytest.mark.parametrize(("frequency_hz", "kind"), [(None, None), (1.0, "slow_movement"), (1.99, "slow_movement"),
                                                    (2.0, "tremor"), (6.5, "tremor"), (12.0, "tremor")])
def test_only_rhythm_in_the_tremor_band_is_called_tremor(frequency_hz, kind):
    assert TREMOR_BAND_HZ == (2.0, 12.0)
    assert rhythm_kind(frequency_hz) == kind


def test_a_slow_sway_is_found_but_not_called_tremor():
    t_s = np.arange(900) / 30.0
    result = analyse_tremor(t_s, oscillating_angles(t_s, "yaw", 1.3, 3.0))
    assert result.detected and result.peak_frequency_hz == pytest.approx(1.3, abs=0.1)
    assert result.kind == "slow_movement" and result.to_dict()["kind"] == "slow_movement"
    assert result.summary.startswith("No tremor; a slow rhythmic head movement at 1.3 Hz")
    assert result.summary.endswith("mostly rotation.")


@pytest.mark.parametrize("n_samples, windows", [(150, 1), (210, 2), (270, 3), (540, 8)])
def test_noise_bound_matches_simulated_noise_spectra(n_samples, windows):
    """The detection bound against the prominence of 20,000 simulated white-noise spectra, computed
    as the analysis computes them (30 Hz, 4 s Hann windows, 8x zero padding, 1-12 Hz)."""
    from scipy import signal

    rate, nperseg = 30.0, 120
    x = np.random.default_rng(n_samples).normal(size=(20_000, n_samples))
    f, p = signal.welch(x, fs=rate, window="hann", nperseg=nperseg, noverlap=nperseg // 2, nfft=1024,
                        detrend="linear", axis=-1)
    band = (f >= 1.0) & (f <= 12.0)
    prominence = p[:, band].max(axis=1) / np.median(p[:, band], axis=1)
    for false_alarm in (1e-2, 1e-3):
        simulated = np.quantile(prominence, 1.0 - false_alarm)
        bound = noise_prominence_bound(11.0 * nperseg / rate, windows, false_alarm)
        assert 0.97 * simulated <= bound <= 1.3 * simulated
