"""Torsion's NumPy ``To Pitch (cc)`` gives Praat's Pitch: the same frames, candidates, path and pulses.

Every comparison is with Praat's own command run through Parselmouth on the same samples. What is
expected (see :mod:`torsion.measures.praat_pitch`): frames and times identical; the same number of
candidates in every frame, in the same order; intensities to 1e-14; strengths to 1e-12; frequencies
to 1e-9 (relative; typically 1e-13) but for the rare candidate whose Brent search in Praat took
another turn on a rounding difference, which then lies within Brent's tolerance (a few 1e-5 of a
lag); the same voiced and unvoiced frames; and the same glottal pulses.
"""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

from tests.measures.voice_files import espeak
from torsion.measures.praat_pitch import PitchCandidates, pitch_cc, pitch_cc_candidates, praat_pitch_bytes
from torsion.measures.praat_voice import PraatSettings, analyse_pulses, pulse_times
from torsion.measures.voice_synthesis import synthesise_speech, synthesise_vowel

RATE = 16000
#: Brent's search in Praat stops within ``4 * (sqrt(eps) * x + tol / 3)`` of its best point, x up to 2N + 1.
BRENT_LAG_TOLERANCE = 3e-5


def praat_pitch(sound: parselmouth.Sound, floor: float, ceiling: float, max_candidates: int = 15):
    return call(sound, "To Pitch (cc)", 0.0, floor, max_candidates, "no", 0.03, 0.45, 0.01, 0.35, 0.14, ceiling)


def table(pitch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate counts, frequencies and strengths (frames x places, 0 where unused), intensities."""
    width = max(len(frame.candidates) for frame in pitch)
    counts = np.array([len(frame.candidates) for frame in pitch])
    frequency = np.zeros((pitch.n_frames, width))
    strength = np.zeros((pitch.n_frames, width))
    for i, frame in enumerate(pitch):
        for k, candidate in enumerate(frame.candidates):
            frequency[i, k], strength[i, k] = candidate.frequency, candidate.strength
    return counts, frequency, strength, np.array([frame.intensity for frame in pitch])


def assert_same_pitch(samples: np.ndarray, rate: float, floor: float, ceiling: float, max_candidates: int = 15,
                      share_off: float = 0.005):
    """Our Pitch and Praat's agree as the module promises; returns both. ``share_off``: the largest
    share of candidates whose frequency may differ by more than 1e-9 (within Brent's tolerance)."""
    sound = parselmouth.Sound(samples, float(rate))
    expected = praat_pitch(sound, floor, ceiling, max_candidates)
    mine = pitch_cc(samples, rate, floor, ceiling, PraatSettings(max_candidates=max_candidates))
    assert isinstance(mine, parselmouth.Pitch)
    assert (mine.xmin, mine.xmax, mine.n_frames, mine.dx, mine.x1, mine.ceiling, mine.max_n_candidates) == (
        expected.xmin, expected.xmax, expected.n_frames, expected.dx, expected.x1, expected.ceiling,
        expected.max_n_candidates)
    counts, frequency, strength, intensity = table(expected)
    my_counts, my_frequency, my_strength, my_intensity = table(mine)
    np.testing.assert_array_equal(my_counts, counts)
    assert np.max(np.abs(my_intensity - intensity)) <= 1e-14
    assert np.max(np.abs(my_strength - strength)) <= 1e-12
    used = frequency > 0
    np.testing.assert_array_equal(my_frequency > 0, used)
    lag_difference = np.abs(rate / my_frequency[used] - rate / frequency[used])
    assert np.max(lag_difference, initial=0.0) <= BRENT_LAG_TOLERANCE
    relative = np.abs(my_frequency[used] / frequency[used] - 1.0)
    assert relative.size == 0 or np.median(relative) <= 1e-11
    assert np.count_nonzero(relative > 1e-9) <= max(2, share_off * relative.size)
    voiced = used[:, 0] & (frequency[:, 0] < ceiling)
    np.testing.assert_array_equal((my_frequency[:, 0] > 0) & (my_frequency[:, 0] < ceiling), voiced)
    assert np.max(np.abs(my_frequency[voiced, 0] / frequency[voiced, 0] - 1.0), initial=0.0) <= 1e-7
    my_pulses = pulse_times(call([sound, mine], "To PointProcess (cc)"))
    np.testing.assert_array_equal(my_pulses, pulse_times(call([sound, expected], "To PointProcess (cc)")))
    return expected, mine


@pytest.mark.parametrize("f0, floor, ceiling, jitter, shimmer, noise, gaps", [
    (90.0, 55.0, 300.0, 0.004, 0.04, 0.01, [(1.0, 0.1), (2.0, 0.15)]),
    (150.0, 75.0, 500.0, 0.006, 0.05, 0.05, [(1.5, 0.08)]),
    (240.0, 100.0, 600.0, 0.002, 0.02, 0.002, []),
], ids=["90Hz-gaps", "150Hz-rough", "240Hz"])
def test_vowels_give_praats_pitch(f0, floor, ceiling, jitter, shimmer, noise, gaps):
    voice = synthesise_vowel(3.0, f0_hz=f0, jitter=jitter, shimmer=shimmer, noise=noise, gaps=gaps,
                             sample_rate=RATE, seed=int(f0))
    _, mine = assert_same_pitch(voice.samples, RATE, floor, ceiling)
    # And it is a pitch: the voiced frames sit at the vowel's F0.
    assert call(mine, "Get quantile", 0, 0, 0.5, "Hertz") == pytest.approx(f0, rel=0.03)


def test_a_vowel_at_44100_hz_gives_praats_pitch():
    voice = synthesise_vowel(2.0, f0_hz=130, jitter=0.005, shimmer=0.03, noise=0.02, sample_rate=44100,
                             gaps=[(1.2, 0.1)], seed=7)
    assert_same_pitch(voice.samples, 44100, 75.0, 600.0)


def test_connected_speech_with_pauses_gives_praats_pitch():
    speech = synthesise_speech(8.0, f0_hz=115, sample_rate=RATE, seed=11)
    expected, _ = assert_same_pitch(speech.samples, RATE, 55.0, 300.0)
    voiced = expected.selected_array["frequency"] > 0
    assert 0.2 < voiced.mean() < 0.9  # both voiced and unvoiced stretches were compared


@pytest.mark.parametrize("rate, floor, ceiling, f0, seconds", [
    (8000, 171.2, 789.6, 353.1, 1.0), (11025, 158.7, 1149.4, 236.3, 0.05), (22050, 147.1, 761.5, 318.0, 0.2),
    (48000, 187.9, 855.5, 346.5, 0.05),
])
def test_other_rates_and_high_floors_give_praats_pitch(rate, floor, ceiling, f0, seconds):
    """Short windows and short sounds: proportionally more frames at the onset and the end, where the
    FFT's rounding of r (1e-15, against 1e-17 in Praat's sums) turns more of Praat's Brent searches."""
    voice = synthesise_vowel(seconds, f0_hz=f0, jitter=0.01, noise=0.05, sample_rate=rate, lead_s=0.1,
                             tail_s=0.05, seed=rate)
    assert_same_pitch(voice.samples, rate, floor, ceiling, share_off=0.03)


def test_noise_gives_praats_pitch():
    noise = 0.1 * np.random.default_rng(3).standard_normal(RATE)
    assert_same_pitch(noise, RATE, 75.0, 600.0)


def test_digital_silence_at_both_ends_gives_praats_pitch():
    """Exact zeros before and after: there Praat's correlation is 0 / 0, or exactly equal at many
    lags (a constant window minus a local mean), and neither gives a candidate."""
    voice = synthesise_vowel(1.0, f0_hz=130, sample_rate=RATE, lead_s=0.0, tail_s=0.0, seed=5).samples
    samples = np.concatenate([np.zeros(RATE // 4), voice, np.zeros(RATE // 4)])
    expected, _ = assert_same_pitch(samples, RATE, 75.0, 300.0)
    counts = table(expected)[0]
    assert counts[0] == counts[-1] == 1


def test_more_candidates_when_the_range_is_wide():
    """Praat raises the number of candidates to floor(ceiling / floor) when that is larger than asked."""
    voice = synthesise_vowel(1.5, f0_hz=110, noise=0.05, sample_rate=RATE, seed=9)
    expected, _ = assert_same_pitch(voice.samples, RATE, 30.0, 800.0)
    assert expected.max_n_candidates == 26


def test_espeak_speech_gives_praats_pitch(tmp_path):
    path = espeak(tmp_path / "speech.wav", "We were away a year ago. She sells sea shells by the shore.")
    if path is None:
        pytest.skip("espeak-ng is not installed")
    sound = parselmouth.Sound(str(path))
    assert_same_pitch(sound.values[0], sound.sampling_frequency, 75.0, 400.0)


def test_a_silent_sound_keeps_praats_empty_frames():
    samples = np.zeros(8000)
    expected, _ = assert_same_pitch(samples, RATE, 75.0, 300.0)
    assert set(table(expected)[0]) == {15}


def test_the_binary_file_is_praats_own(tmp_path):
    """Praat's numbers written by Torsion's writer are, byte for byte, Praat's own binary file."""
    voice = synthesise_vowel(0.8, f0_hz=140, sample_rate=RATE, lead_s=0.1, tail_s=0.1, seed=2)
    pitch = praat_pitch(parselmouth.Sound(voice.samples, RATE), 75.0, 300.0)
    counts, frequency, strength, intensity = table(pitch)
    width = pitch.max_n_candidates
    candidates = PitchCandidates(
        t1=pitch.x1, dt=pitch.dx, ceiling=pitch.ceiling, max_candidates=width, intensity=intensity, count=counts,
        frequency=np.pad(frequency, ((0, 0), (0, width - frequency.shape[1]))),
        strength=np.pad(strength, ((0, 0), (0, width - strength.shape[1]))))
    pitch.save(str(tmp_path / "praat.Pitch"), "BINARY")
    assert praat_pitch_bytes(candidates, pitch.xmin, pitch.xmax) == (tmp_path / "praat.Pitch").read_bytes()


def test_the_arrays_equal_the_pitch_object():
    voice = synthesise_vowel(1.0, f0_hz=120, sample_rate=RATE, seed=4)
    arrays = pitch_cc_candidates(voice.samples, RATE, 75.0, 300.0)
    pitch = pitch_cc(voice.samples, RATE, 75.0, 300.0)
    counts, frequency, strength, intensity = table(pitch)
    np.testing.assert_array_equal(arrays.count, counts)
    np.testing.assert_array_equal(arrays.frequency[:, :frequency.shape[1]], frequency)
    np.testing.assert_array_equal(arrays.strength[:, :strength.shape[1]], strength)
    np.testing.assert_array_equal(arrays.intensity, intensity)


def test_both_engines_give_the_same_pulses_and_figures():
    voice = synthesise_vowel(3.0, f0_hz=125, jitter=0.004, shimmer=0.03, gaps=[(1.4, 0.12)], sample_rate=RATE)
    numpy_engine = analyse_pulses(voice.samples, RATE, 70.0, 300.0)
    praat_engine = analyse_pulses(voice.samples, RATE, 70.0, 300.0, PraatSettings(pitch_engine="praat"))
    np.testing.assert_array_equal(numpy_engine.pulse_times_s, praat_engine.pulse_times_s)
    t0, t1 = float(numpy_engine.pulse_times_s[0]), float(numpy_engine.pulse_times_s[-1])
    assert numpy_engine.jitter(t0, t1) == praat_engine.jitter(t0, t1)
    assert numpy_engine.shimmer(t0, t1) == praat_engine.shimmer(t0, t1)
    assert numpy_engine.unvoiced_fraction(t0, t1) == praat_engine.unvoiced_fraction(t0, t1)
    assert numpy_engine.hnr_db(t0, t1) == pytest.approx(praat_engine.hnr_db(t0, t1), rel=1e-11)


def test_wrong_arguments_are_refused():
    with pytest.raises(ValueError, match="pitch floor must be at least"):
        pitch_cc(np.ones(100), RATE, 75.0, 300.0)
    with pytest.raises(ValueError, match="one channel"):
        pitch_cc(np.ones((2, 16000)), RATE, 75.0, 300.0)
    with pytest.raises(ValueError, match="pitch_engine must be one of"):
        PraatSettings(pitch_engine="fast")
