"""CPPS computed with NumPy equals Praat's own ``Get CPPS`` on the same sound and settings."""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

from torsion.measures.cepstral import CppsSettings, cpps
from torsion.measures.voice_synthesis import synthesise_speech, synthesise_vowel

#: Praat's defaults for ``Get CPPS`` in recent versions (trend subtracted first, exponential decay).
PRAAT_MANUAL = CppsSettings(subtract_trend_before_smoothing=True, time_window_s=0.02, quefrency_window_s=0.0005,
                            trend_to_s=0.05, trend_type="exponential decay")
VOICES = {
    "steady vowel": lambda: synthesise_vowel(3.0, f0_hz=120, noise=0.02, sample_rate=16000),
    "breathy high vowel": lambda: synthesise_vowel(3.0, f0_hz=210, shimmer=0.06, jitter=0.01, noise=0.2,
                                                   sample_rate=16000),
    "connected speech": lambda: synthesise_speech(8.0, sample_rate=16000),
    "44.1 kHz vowel": lambda: synthesise_vowel(2.0, f0_hz=160, sample_rate=44100),
}


@pytest.mark.parametrize("settings", [CppsSettings(), PRAAT_MANUAL,
                                      CppsSettings(fit="least squares", quefrency_window_s=0.0007)],
                         ids=["torsion", "praat-manual", "least-squares"])
@pytest.mark.parametrize("name", list(VOICES))
def test_cpps_equals_praats_get_cpps(name, settings):
    voice = VOICES[name]()
    sound = parselmouth.Sound(voice.samples, voice.sample_rate)
    cepstrogram = call(sound, "To PowerCepstrogram", settings.pitch_floor_hz, settings.time_step_s,
                       settings.maximum_frequency_hz, settings.pre_emphasis_hz)
    expected = call(cepstrogram, "Get CPPS", *settings.praat_arguments())
    assert cpps(voice.samples, voice.sample_rate, settings) == pytest.approx(expected, abs=0.03)


def test_noisier_voice_has_lower_cpps():
    values = [cpps(synthesise_vowel(3.0, f0_hz=150, noise=noise, sample_rate=16000).samples, 16000)
              for noise in (0.002, 0.05, 0.3)]
    assert values[0] > values[1] > values[2]


def test_shorter_than_one_window_gives_none():
    assert cpps(np.zeros(1000), 16000) is None


@pytest.mark.parametrize("name", ["steady vowel", "breathy high vowel", "connected speech"])
def test_ten_millisecond_frames_stay_close_to_praats_two(name):
    """Torsion's one change to the AVQI settings, frames every 0.01 s instead of 0.002 s, moves CPPS
    by a few tenths of a decibel at most."""
    voice = VOICES[name]()
    sound = parselmouth.Sound(voice.samples, voice.sample_rate)
    settings = CppsSettings()
    cepstrogram = call(sound, "To PowerCepstrogram", 60.0, 0.002, 5000.0, 50.0)
    expected = call(cepstrogram, "Get CPPS", *settings.praat_arguments())
    assert cpps(voice.samples, voice.sample_rate, settings) == pytest.approx(expected, abs=0.3)


@pytest.mark.parametrize("n, x1, dx, half, domain", [
    (513, 0.0, 1e-4, 0.0005, (0.0, 0.0512)),  # across quefrency, Torsion's settings
    (513, 0.0, 1e-4, 0.00035, (0.0, 0.0512)),  # a window that ends between samples
    (300, 0.055, 0.01, 0.01, (0.0, 3.1)),  # across time, frames 0.01 s apart
    (6, 0.055, 0.01, 0.02, (0.0, 0.16)),  # so few frames that every one is near an end
])
def test_window_means_use_praats_weights_for_every_sample(n, x1, dx, half, domain):
    """The smoothing (one kernel in the middle, the ends one by one) equals Praat's interpolated
    mean worked out for each sample on its own."""
    from torsion.measures.cepstral import _row_weights, _WindowMean

    dense = np.zeros((n, n))
    for k in range(n):
        for i, weight in _row_weights(n, x1, dx, x1 + k * dx, half, domain).items():
            dense[k, i - 1] = weight
    values = np.random.default_rng(3).random((4, n)) ** 4
    means = _WindowMean(n, x1, dx, half, domain)
    np.testing.assert_allclose(means.apply(values, axis=1), values @ dense.T, rtol=1e-12)
    np.testing.assert_allclose(means.apply(values.T.copy(), axis=0), (values @ dense.T).T, rtol=1e-12)


def test_one_or_two_threads_give_the_same_cpps(monkeypatch):
    """Blocks of frames analysed on two threads are added up in order: the result does not depend on
    whether a processor was idle."""
    import torsion.measures.cepstral as cepstral

    voice = VOICES["connected speech"]()
    values = []
    for idle in (0.0, 1.0):
        monkeypatch.setattr(cepstral, "_idle_processors", lambda: idle)
        values.append(cpps(voice.samples, voice.sample_rate))
        values.append(cpps(voice.samples, voice.sample_rate, PRAAT_MANUAL))
    assert values[:2] == values[2:]
