"""Torsion's voice figures equal Praat's own: its Voice report, and Parselmouth's calls to Praat's commands."""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

from tests.measures.praat_report import praat_pitch_and_pulses, voice_report
from torsion.measures.praat_voice import analyse_pulses, interpolated_mean, voice_breaks
from torsion.measures.voice import analyse_voice
from torsion.measures.voice_synthesis import synthesise_vowel

RATE = 16000


@pytest.fixture(scope="module", params=[(105.0, 0.003, 0.03, 0.01), (180.0, 0.006, 0.05, 0.05),
                                        (240.0, 0.002, 0.02, 0.002)],
                ids=["low", "rough", "high"])
def vowel_and_result(request):
    f0, jitter, shimmer, noise = request.param
    voice = synthesise_vowel(4.0, f0_hz=f0, jitter=jitter, shimmer=shimmer, noise=noise, sample_rate=RATE,
                             seed=int(f0))
    return voice, analyse_voice(voice.samples, RATE, "vowel")


def test_every_figure_equals_praats_voice_report(vowel_and_result):
    voice, r = vowel_and_result
    sound = parselmouth.Sound(voice.samples, RATE)
    pitch, pulses = praat_pitch_and_pulses(sound, r.pitch_floor_hz, r.pitch_ceiling_hz)
    report = voice_report(sound, pitch, pulses, r.analysed_from_s, r.analysed_to_s, r.pitch_floor_hz,
                          r.pitch_ceiling_hz)
    # The report prints 3 decimals (of Hz, dB, or of a percentage); the figures agree to that.
    assert r.f0["mean"] == pytest.approx(report["Mean pitch"], abs=5e-4)
    assert r.f0["sd"] == pytest.approx(report["Standard deviation"], abs=5e-4)
    assert r.f0["median"] == pytest.approx(report["Median pitch"], abs=5e-4)
    assert r.f0["min"] == pytest.approx(report["Minimum pitch"], abs=5e-4)
    assert r.f0["max"] == pytest.approx(report["Maximum pitch"], abs=5e-4)
    for mine, line in ((r.jitter["local"], "Jitter (local)"), (r.jitter["rap"], "Jitter (rap)"),
                       (r.jitter["ppq5"], "Jitter (ppq5)"), (r.shimmer["local"], "Shimmer (local)"),
                       (r.shimmer["apq3"], "Shimmer (apq3)"), (r.shimmer["apq11"], "Shimmer (apq11)"),
                       (r.unvoiced_fraction, "Fraction of locally unvoiced frames"),
                       (r.degree_of_voice_breaks, "Degree of voice breaks")):
        assert mine == pytest.approx(report[line], abs=5e-6), line
    assert r.shimmer["local_db"] == pytest.approx(report["Shimmer (local, dB)"], abs=5e-4)
    assert r.hnr_db == pytest.approx(report["Mean harmonics-to-noise ratio"], abs=5e-4)
    assert len(r.breaks) == report["Number of voice breaks"] == 0
    assert r.removed_pulses <= 6  # only the dying resonance after the vowel, outside the range


def test_figures_equal_parselmouths_calls_to_praats_commands(vowel_and_result):
    voice, r = vowel_and_result
    sound = parselmouth.Sound(voice.samples, RATE)
    pitch, pulses = praat_pitch_and_pulses(sound, r.pitch_floor_hz, r.pitch_ceiling_hz)
    t0, t1 = r.analysed_from_s, r.analysed_to_s
    shortest, longest = 0.8 / r.pitch_ceiling_hz, 1.25 / r.pitch_floor_hz
    assert r.jitter["local"] == pytest.approx(call(pulses, "Get jitter (local)", t0, t1, shortest, longest, 1.3), rel=1e-12)
    assert r.jitter["rap"] == pytest.approx(call(pulses, "Get jitter (rap)", t0, t1, shortest, longest, 1.3), rel=1e-12)
    assert r.jitter["ppq5"] == pytest.approx(call(pulses, "Get jitter (ppq5)", t0, t1, shortest, longest, 1.3), rel=1e-12)
    for key, name in (("local", "local"), ("local_db", "local_dB"), ("apq3", "apq3"), ("apq11", "apq11")):
        expected = call([sound, pulses], f"Get shimmer ({name})", t0, t1, shortest, longest, 1.3, 1.6)
        assert r.shimmer[key] == pytest.approx(expected, rel=1e-12), name
    # Torsion's pitch is its NumPy "To Pitch (cc)" (torsion.measures.praat_pitch): Praat's frames and
    # path, each frequency where Brent's search stopped. Praat's search stops anywhere within its
    # tolerance (about 1e-5 of a lag), so rounding in the last bits of the correlation can move a
    # frequency by up to about 3e-7 of itself (typically 1e-13). The mean and the standard deviation
    # move by no more than the largest change of a frame (both change by at most that much when each
    # value does), so that is their tolerance, beside the frame-by-frame agreement itself.
    mine = analyse_pulses(voice.samples, RATE, r.pitch_floor_hz, r.pitch_ceiling_hz).pitch
    ours, praats = mine.selected_array["frequency"], pitch.selected_array["frequency"]
    assert np.array_equal(ours > 0, praats > 0)  # the same frames voiced
    voiced = praats > 0
    relative = np.abs(ours[voiced] - praats[voiced]) / praats[voiced]
    assert relative.max() < 3e-7 and np.median(relative) < 1e-11
    largest = float(np.max(np.abs(ours - praats)))
    assert r.f0["mean"] == pytest.approx(call(pitch, "Get mean", t0, t1, "Hertz"), abs=largest + 1e-12)
    assert r.f0["sd"] == pytest.approx(call(pitch, "Get standard deviation", t0, t1, "Hertz"), abs=largest + 1e-12)


def test_voice_breaks_equal_the_report_on_the_same_pulses():
    voice = synthesise_vowel(4.0, f0_hz=130, gaps=[(1.0, 0.07), (2.0, 0.11), (3.0, 0.18)], sample_rate=RATE)
    analysis = analyse_pulses(voice.samples, RATE, 90.0, 300.0)
    times = analysis.pulse_times_s
    t0, t1 = float(times[0]), float(times[-1])
    breaks = voice_breaks(times, t0, t1, 90.0)
    report = voice_report(analysis.sound, analysis.pitch, analysis.pulses, t0, t1, 90.0, 300.0)
    assert len(breaks) == report["Number of voice breaks"] == 3
    assert sum(b.duration_s for b in breaks) / (t1 - t0) == pytest.approx(report["Degree of voice breaks"], abs=5e-6)
    assert analysis.unvoiced_fraction(t0, t1) == pytest.approx(report["Fraction of locally unvoiced frames"], abs=5e-6)
    assert analysis.hnr_db(t0, t1) == pytest.approx(report["Mean harmonics-to-noise ratio"], abs=5e-4)
    # Praat's own pulses, before the faint ones on the dying resonance are removed, shorten each break.
    _, praat_pulses = praat_pitch_and_pulses(analysis.sound, 90.0, 300.0)
    assert call(praat_pulses, "Get number of points") == times.size + analysis.removed_pulses
    assert analysis.removed_pulses >= 3


@pytest.mark.parametrize("xmin, xmax", [(0.0, 1.0), (0.013, 0.5), (0.2, 0.2001), (0.31, 0.77), (-1.0, 2.0)])
def test_interpolated_mean_equals_praats_pitch_mean(xmin, xmax):
    """The HNR mean uses Praat's interpolated mean; check it on F0, which Praat's "Get mean" reports."""
    voice = synthesise_vowel(0.6, f0_hz=150, lead_s=0.1, tail_s=0.1, sample_rate=RATE,
                             gaps=[(0.35, 0.06)])
    sound = parselmouth.Sound(voice.samples, RATE)
    pitch = call(sound, "To Pitch (cc)", 0.0, 75.0, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 600.0)
    f0 = pitch.selected_array["frequency"]
    values = np.where(f0 > 0, f0, np.nan)
    mine = interpolated_mean(values, pitch.x1, pitch.dx, xmin, xmax, (pitch.xmin, pitch.xmax))
    expected = call(pitch, "Get mean", xmin, xmax, "Hertz")
    if np.isnan(expected):
        assert mine is None
    else:
        assert mine == pytest.approx(expected, rel=1e-12)
