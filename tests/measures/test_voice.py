"""``measure_voice`` end to end: files of every kind, the four tasks, phonatory breaks in connected
speech, the references each figure carries, and the refusals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.measures.voice_files import encode, espeak
from torsion.measures.praat_voice import analyse_pulses
from torsion.measures.quality import UnusableRecording
from torsion.measures.voice import VOICE_TASKS, VoiceAnalysisError, analyse_voice, compare_tasks, measure_voice
from torsion.measures.voice_synthesis import synthesise_speech, synthesise_vowel, write_wav

RATE = 16000
CLI_KEYS = {"duration_s", "f0_mean_hz", "f0_sd_hz", "voice_breaks", "degree_of_voice_breaks", "unvoiced_fraction",
            "jitter_local", "shimmer_local", "hnr_db", "cpps_db", "phonatory_breaks", "tremor", "warnings"}


@pytest.mark.parametrize("suffix", ["wav", "flac", "mp3", "webm", "m4a"])
def test_a_vowel_file_of_any_format_is_measured(tmp_path, suffix):
    voice = synthesise_vowel(4.0, f0_hz=130, sample_rate=48000, gaps=[(1.5, 0.1)])
    result = measure_voice(encode(tmp_path / f"a.{suffix}", voice.samples, 48000), task="vowel")
    data = result.to_dict()
    assert CLI_KEYS <= data.keys()
    json.dumps(data)  # plain JSON types only
    assert data["f0_mean_hz"] == pytest.approx(130, rel=0.02)
    assert data["voice_breaks"] == 1 and data["voice_breaks_longest_s"] == pytest.approx(0.1, abs=0.01)
    assert data["phonatory_breaks"] is None  # a connected-speech measure
    assert data["jitter_local"] < 0.01 and data["shimmer_local"] < 0.1
    assert data["cpps_db"] > 10
    assert data["analysed_from_s"] == pytest.approx(0.3, abs=0.02)  # the silence before is not analysed


@pytest.mark.parametrize("breaks", [[], [(2.05, 0.08)], [(2.05, 0.06), (5.1, 0.12), (9.2, 0.2)],
                                    [(1.5, 0.05), (3.5, 0.1), (6.0, 0.15), (8.0, 0.09), (11.0, 0.07)]])
def test_phonatory_breaks_in_all_voiced_speech_are_counted(breaks):
    speech = synthesise_speech(14.0, f0_hz=115, consonants=False, breaks=breaks, sample_rate=RATE, seed=5)
    result = analyse_voice(speech.samples, RATE, "voiced")
    phonatory = result.phonatory
    assert len(speech.gaps) == len(breaks)
    assert phonatory["count"] == len(breaks)
    for event, (_, length) in zip(phonatory["events"], speech.gaps, strict=True):
        assert event["duration_s"] == pytest.approx(length, abs=0.015)
    assert phonatory["per_second"] == pytest.approx(len(breaks) / phonatory["speech_s"], rel=1e-3)
    assert phonatory["pauses"] >= 3  # the silences between phrases are pauses, not breaks
    reference = result.references()["phonatory_breaks"]
    assert reference["upper"] == 4 and reference["outside"] is (len(breaks) > 4)


def test_voiceless_consonants_interrupt_voicing_but_have_no_breaks_reference():
    speech = synthesise_speech(12.0, consonants=True, sample_rate=RATE, seed=3)
    result = analyse_voice(speech.samples, RATE, "voiceless")
    assert result.phonatory["count"] > 0  # the consonants' gaps in voicing
    assert "phonatory_breaks" not in result.references()
    assert result.references()["cpps_db"]["lower"] == 9.33  # connected speech


def test_references_follow_the_task():
    vowel = analyse_voice(synthesise_vowel(4.0, f0_hz=120, sample_rate=RATE).samples, RATE, "vowel")
    refs = vowel.references()
    assert refs["jitter_local"]["upper"] == 0.0104 and refs["jitter_local"]["outside"] is False
    assert refs["cpps_db"]["lower"] == 14.45 and refs["cpps_db"]["outside"] is False
    assert refs["unvoiced_fraction"] == {"lower": None, "upper": 0.0, "outside": False,
                                         "source": refs["unvoiced_fraction"]["source"]}
    assert all(ref["source"] for ref in refs.values())
    rough = analyse_voice(synthesise_vowel(4.0, f0_hz=120, jitter=0.03, shimmer=0.15, noise=0.3,
                                           sample_rate=RATE).samples, RATE, "vowel")
    flagged = {name for name, ref in rough.references().items() if ref["outside"]}
    assert {"jitter_local", "shimmer_local", "cpps_db"} <= flagged


def test_pitch_range_from_sex_or_automatic():
    samples = synthesise_vowel(3.5, f0_hz=210, sample_rate=RATE).samples
    female = analyse_voice(samples, RATE, "vowel", sex="female")
    assert (female.pitch_floor_hz, female.pitch_ceiling_hz) == (100.0, 500.0)
    automatic = analyse_voice(samples, RATE, "vowel")
    assert automatic.pitch_range_source == "found automatically in two passes"
    # Half the median (105 Hz): a break must be a stop of 2.5 periods, not one skipped period.
    assert 100 <= automatic.pitch_floor_hz <= 110 and automatic.pitch_ceiling_hz >= 300
    assert automatic.f0["mean"] == pytest.approx(female.f0["mean"], rel=0.002)
    with pytest.raises(ValueError, match="sex must be"):
        analyse_voice(samples, RATE, "vowel", sex="x")


def test_connected_speech_is_worse_than_the_vowel_in_the_comparison():
    vowel = analyse_voice(synthesise_vowel(4.0, f0_hz=120, sample_rate=RATE).samples, RATE, "vowel").to_dict()
    speech = analyse_voice(synthesise_speech(12.0, f0_hz=120, consonants=False, breaks=[(3.0, 0.1), (7.0, 0.1)],
                                             sample_rate=RATE).samples, RATE, "voiced").to_dict()
    contrast = compare_tasks(vowel, speech)
    assert contrast["speech_task"] == "voiced"
    assert contrast["cpps_db"]["vowel"] == vowel["cpps_db"] and contrast["cpps_db"]["speech"] == speech["cpps_db"]
    assert contrast["cpps_db"]["difference"] < 0
    assert contrast["breaks_per_second"]["vowel"] == 0
    assert contrast["breaks_per_second"]["speech"] == pytest.approx(2 / speech["phonatory_breaks"]["speech_s"], abs=1e-3)


@pytest.mark.parametrize("make, reason, words", [
    (lambda: synthesise_vowel(1.8, sample_rate=RATE).samples, "too_short", "hold it for at least 3 seconds"),
    (lambda: 0.05 * np.random.default_rng(1).standard_normal(RATE * 3), "no_voice", "No voice was found"),
])
def test_too_little_voice_is_refused(make, reason, words):
    with pytest.raises(VoiceAnalysisError, match=words) as caught:
        analyse_voice(make(), RATE, "vowel")
    assert caught.value.reason == reason


def test_file_refusals_reach_the_caller_and_bad_arguments_fail(tmp_path):
    silent = tmp_path / "silent.wav"
    write_wav(silent, np.zeros(48000), 48000)
    with pytest.raises(UnusableRecording, match="silent"):
        measure_voice(silent, task="vowel")
    with pytest.raises(ValueError, match="task must be one of vowel, voiced, voiceless, passage"):
        measure_voice(silent, task="song")
    assert list(VOICE_TASKS) == ["vowel", "voiced", "voiceless", "passage"]


def test_series_for_plots_are_small_and_aligned():
    result = analyse_voice(synthesise_speech(20.0, sample_rate=RATE).samples, RATE, "passage")
    series = result.to_dict(series=True)["series"]
    assert len(series["envelope_t_s"]) == len(series["envelope_min"]) == len(series["envelope_max"]) <= 1200
    assert len(series["pitch_t_s"]) == len(series["pitch_hz"]) <= 3000
    assert series["pitch_t_s"][1] - series["pitch_t_s"][0] == pytest.approx(0.01, abs=0.002)
    assert all(lo <= hi for lo, hi in zip(series["envelope_min"], series["envelope_max"], strict=True))
    voiced = [f for f in series["pitch_hz"] if f is not None]
    assert voiced and 80 < np.median(voiced) < 160


def test_espeak_sentences_with_inserted_silences(tmp_path):
    """Real synthetic speech, when espeak-ng is installed: silences put into the voicing are found."""
    path = espeak(tmp_path / "sentences.wav", "We mow our lawn all year. Where were you a year ago?")
    if path is None:
        pytest.skip("espeak-ng is not installed")
    from torsion.measures.audio import read_audio

    audio = read_audio(path)
    baseline = analyse_voice(audio.samples, audio.sample_rate, "voiced")
    # Insert 100 ms of silence at glottal pulses in the middle of three long voiced stretches.
    pulses = analyse_pulses(audio.samples, audio.sample_rate, baseline.pitch_floor_hz,
                            baseline.pitch_ceiling_hz).pulse_times_s
    limit = 1.25 / baseline.pitch_floor_hz
    stretches = np.split(pulses, np.nonzero(np.diff(pulses) > limit)[0] + 1)
    long_ones = sorted((s for s in stretches if s[-1] - s[0] > 0.25), key=lambda s: s[-1] - s[0])[-3:]
    cuts = sorted(float(s[s.size // 2]) for s in long_ones)
    samples = audio.samples.copy()
    for offset, cut in enumerate(cuts):
        at = int(round((cut + 0.1 * offset) * audio.sample_rate))
        samples = np.concatenate([samples[:at], np.zeros(int(0.1 * audio.sample_rate)), samples[at:]])
    broken = analyse_voice(samples, audio.sample_rate, "voiced")
    assert broken.phonatory["count"] == baseline.phonatory["count"] + len(cuts)
    new = [e for e in broken.phonatory["events"] if 0.09 <= e["duration_s"] <= 0.13]
    assert len(new) == len(cuts)
