"""Vocal tremor in synthetic sustained vowels: a known rate is found within 0.3 Hz, a steady voice has none."""

from __future__ import annotations

import pytest

from torsion.measures.voice import analyse_voice
from torsion.measures.voice_synthesis import synthesise_vowel

RATE = 16000


@pytest.mark.parametrize("rate_hz, depth, f0", [
    (3.0, 0.10, 110), (4.5, 0.08, 150), (5.2, 0.15, 200), (6.0, 0.06, 120), (8.0, 0.10, 230), (10.5, 0.12, 170),
])
def test_amplitude_tremor_rate_is_found_within_0_3_hz(rate_hz, depth, f0):
    voice = synthesise_vowel(5.0, f0_hz=f0, amplitude_tremor_hz=rate_hz, amplitude_tremor_depth=depth,
                             sample_rate=RATE, seed=int(10 * rate_hz))
    tremor = analyse_voice(voice.samples, RATE, "vowel").tremor_summary()
    assert tremor["detected"] and tremor["kind"] == "amplitude"
    assert tremor["frequency_hz"] == pytest.approx(rate_hz, abs=0.3)
    assert tremor["depth"] == pytest.approx(depth, rel=0.25)


@pytest.mark.parametrize("rate_hz, depth", [(4.0, 0.02), (6.5, 0.03)])
def test_pitch_tremor_rate_is_found(rate_hz, depth):
    voice = synthesise_vowel(5.0, f0_hz=140, f0_tremor_hz=rate_hz, f0_tremor_depth=depth, sample_rate=RATE)
    result = analyse_voice(voice.samples, RATE, "vowel")
    assert result.tremor_f0.detected
    assert result.tremor_f0.frequency_hz == pytest.approx(rate_hz, abs=0.3)
    assert result.tremor_f0.depth == pytest.approx(depth, rel=0.25)


@pytest.mark.parametrize("f0, shimmer, jitter, seed", [(100, 0.02, 0.002, 0), (150, 0.04, 0.005, 1),
                                                        (220, 0.03, 0.003, 2), (260, 0.02, 0.002, 3)])
def test_a_steady_vowel_has_no_tremor(f0, shimmer, jitter, seed):
    voice = synthesise_vowel(5.0, f0_hz=f0, shimmer=shimmer, jitter=jitter, sample_rate=RATE, seed=seed)
    tremor = analyse_voice(voice.samples, RATE, "vowel").tremor_summary()
    assert tremor["detected"] is False and tremor["frequency_hz"] is None


def test_tremor_needs_unbroken_voicing_and_only_belongs_to_the_vowel():
    broken = synthesise_vowel(3.2, f0_hz=150, gaps=[(0.9, 0.1), (1.9, 0.1), (2.9, 0.1)],
                              amplitude_tremor_hz=5, amplitude_tremor_depth=0.1, sample_rate=RATE)
    result = analyse_voice(broken.samples, RATE, "vowel")
    assert result.tremor_amplitude.frequency_hz is None  # no stretch of 1.5 s without a break
    speech = analyse_voice(broken.samples, RATE, "voiced")
    assert speech.tremor_summary() is None and speech.to_dict()["tremor"] is None
