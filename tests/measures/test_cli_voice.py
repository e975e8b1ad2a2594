"""``torsion measure voice`` through Typer's test runner: the JSON keys, the readable summary, exit status 2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import torsion.cli.measure  # noqa: F401  registers the commands
from tests.measures.voice_files import encode
from torsion.cli.app import app
from torsion.measures.voice_synthesis import synthesise_speech, synthesise_vowel, write_wav

runner = CliRunner()


@pytest.fixture(scope="module")
def tremulous_vowel(tmp_path_factory):
    voice = synthesise_vowel(4.0, f0_hz=125, gaps=[(1.5, 0.1), (2.6, 0.15)], amplitude_tremor_hz=5.0,
                             amplitude_tremor_depth=0.12, sample_rate=48000)
    return encode(tmp_path_factory.mktemp("cli") / "vowel.webm", voice.samples, 48000)


def test_vowel_json_has_every_figure(tremulous_vowel):
    result = runner.invoke(app, ["measure", "voice", str(tremulous_vowel), "--task", "vowel", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("duration_s", "f0_mean_hz", "f0_sd_hz", "voice_breaks", "degree_of_voice_breaks",
                "unvoiced_fraction", "jitter_local", "shimmer_local", "hnr_db", "cpps_db", "phonatory_breaks",
                "tremor", "warnings"):
        assert key in out, key
    assert out["voice_breaks"] == 2
    assert out["f0_mean_hz"] == pytest.approx(125, rel=0.02)
    assert out["phonatory_breaks"] is None
    # Tremor is measured on the longest unbroken stretch of voicing (about 1.55 s here, after the second gap).
    assert out["tremor"]["detected"] is True
    assert out["tremor"]["frequency_hz"] == pytest.approx(5.0, abs=0.3)
    assert {"detected", "frequency_hz", "depth"} <= out["tremor"].keys()
    assert "series" not in out


def test_sentences_with_sex_and_summary(tmp_path):
    speech = synthesise_speech(10.0, f0_hz=210, consonants=False, breaks=[(2.0, 0.1)], sample_rate=44100)
    path = tmp_path / "sentences.wav"
    write_wav(path, speech.samples, 44100)
    result = runner.invoke(app, ["measure", "voice", str(path), "--task", "voiced", "--sex", "female", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["pitch_floor_hz"], out["pitch_ceiling_hz"]) == (100.0, 500.0)
    assert out["phonatory_breaks"]["count"] == 1 and out["tremor"] is None
    summary = runner.invoke(app, ["measure", "voice", str(path), "--task", "voiced"])
    assert summary.exit_code == 0 and "Phonatory breaks >= 40 ms" in summary.stdout and "CPPS" in summary.stdout


@pytest.mark.parametrize("arguments, words", [
    (["--task", "song"], "--task must be one of vowel, voiced, voiceless, passage"),
    (["--task", "vowel", "--sex", "other"], "--sex must be male or female"),
])
def test_bad_options_exit_2(tremulous_vowel, arguments, words):
    result = runner.invoke(app, ["measure", "voice", str(tremulous_vowel), *arguments])
    assert result.exit_code == 2 and words in result.stderr


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "The file is empty"),
    (lambda p: p.write_text("not a sound\n" * 50), "could not be read as a sound recording"),
    (lambda p: write_wav(p, np.zeros(32000), 16000), "The recording is silent"),
    (lambda p: write_wav(p, synthesise_vowel(1.5, sample_rate=16000).samples, 16000), "hold it for at least 3"),
])
def test_unusable_files_exit_2_with_one_line(tmp_path, make, words):
    path = tmp_path / "x.wav"
    make(path)
    result = runner.invoke(app, ["measure", "voice", str(path), "--task", "vowel", "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"torsion: {path}: ") and words in lines[0]
