"""Decoding sound files to mono 16 kHz samples, and the refusals of files that cannot be measured."""

from __future__ import annotations

import io

import numpy as np
import pytest

from tests.measures.voice_files import encode
from torsion.measures.audio import ANALYSIS_RATE, AudioLimits, read_audio
from torsion.measures.quality import UnusableRecording
from torsion.measures.voice_synthesis import synthesise_vowel, write_wav


@pytest.fixture(scope="module")
def vowel():
    return synthesise_vowel(2.0, f0_hz=140, sample_rate=48000, lead_s=0.2, tail_s=0.2)


@pytest.mark.parametrize("suffix", ["wav", "flac", "mp3", "webm", "ogg", "m4a"])
def test_common_formats_decode_to_mono_16k(tmp_path, vowel, suffix):
    path = encode(tmp_path / f"vowel.{suffix}", vowel.samples, 48000)
    audio = read_audio(path)
    assert audio.sample_rate == ANALYSIS_RATE and audio.source_sample_rate == 48000
    assert audio.samples.ndim == 1 and audio.samples.dtype == np.float64
    # Lossy coders add a few milliseconds of padding at the start or end, never more.
    assert audio.duration_s == pytest.approx(vowel.duration_s, abs=0.06)
    assert not audio.warnings
    # The 140 Hz voice survives every codec: the loudest autocorrelation lag is one period.
    middle = audio.samples[int(0.8 * ANALYSIS_RATE):int(1.6 * ANALYSIS_RATE)]
    ac = np.correlate(middle, middle, "full")[middle.size - 1:]
    lag = np.argmax(ac[60:200]) + 60
    assert ANALYSIS_RATE / lag == pytest.approx(140, rel=0.03)


def test_lossless_decoding_keeps_the_waveform(tmp_path, vowel):
    exact = read_audio(encode(tmp_path / "v.wav", vowel.samples, 48000)).samples
    flac = read_audio(encode(tmp_path / "v.flac", vowel.samples, 48000)).samples
    assert np.max(np.abs(exact - flac)) < 2 / 32768  # at most a rounding step or two of 16-bit sound


def test_stereo_is_mixed_down(tmp_path, vowel):
    audio = read_audio(encode(tmp_path / "stereo.flac", vowel.samples, 48000, channels=2))
    mono = read_audio(encode(tmp_path / "mono.flac", vowel.samples, 48000))
    assert audio.channels == 2 and mono.channels == 1
    correlation = np.corrcoef(audio.samples, mono.samples)[0, 1]
    assert correlation > 0.999


def test_file_objects_are_read_like_paths(tmp_path, vowel):
    path = encode(tmp_path / "v.webm", vowel.samples, 48000)
    from_path = read_audio(path).samples
    from_object = read_audio(io.BytesIO(path.read_bytes())).samples
    np.testing.assert_array_equal(from_path, from_object)


def _silence(path):
    write_wav(path, np.zeros(48000 * 2), 48000)


def _quiet_noise(path):
    write_wav(path, 10 ** (-75 / 20) * np.random.default_rng(0).standard_normal(48000 * 2), 48000)


def _text(path):
    path.write_text("This is a note, not a recording.\n" * 40, encoding="utf-8")


def _empty(path):
    path.write_bytes(b"")


def _cut_wav(path):
    write_wav(path, synthesise_vowel(3.0, sample_rate=48000).samples, 48000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _cut_webm(path):
    full = encode(path.with_name("full.webm"), synthesise_vowel(3.0, sample_rate=48000).samples, 48000)
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _header_only(path):
    write_wav(path, synthesise_vowel(1.0, sample_rate=48000).samples, 48000)
    path.write_bytes(path.read_bytes()[:44])


def _clipped(path):
    write_wav(path, np.clip(6 * synthesise_vowel(2.0, sample_rate=48000).samples, -1, 1), 48000)


def _telephone(path):
    write_wav(path, synthesise_vowel(2.0, sample_rate=8000).samples, 8000)


@pytest.mark.parametrize("make, name, reason, words", [
    (_silence, "silence.wav", "silent", "The recording is silent"),
    (_quiet_noise, "hiss.wav", "silent", "The recording is silent"),
    (_text, "notes.wav", "unreadable", "could not be read as a sound recording"),
    (_empty, "empty.wav", "empty", "The file is empty"),
    (_cut_wav, "cut.wav", "truncated", "cut short: it should last 3.6 s but only 1.2 s"),
    (_cut_webm, "cut.webm", "truncated", "cut short"),
    (_header_only, "header.wav", "truncated", "cut short"),
    (_clipped, "loud.wav", "clipped", "too loud"),
    (_telephone, "phone.wav", "low_sample_rate", "recorded at 8000 samples per second; at least 16000"),
])
def test_unusable_files_are_refused_with_a_reason(tmp_path, make, name, reason, words):
    path = tmp_path / name
    make(path)
    with pytest.raises(UnusableRecording, match=words) as caught:
        read_audio(path)
    assert caught.value.reason == reason


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UnusableRecording, match="does not exist"):
        read_audio(tmp_path / "nothing.wav")
    with pytest.raises(UnusableRecording, match="folder"):
        read_audio(tmp_path)


def test_a_little_clipping_is_a_warning(tmp_path):
    samples = synthesise_vowel(2.0, sample_rate=48000, peak=0.5).samples
    samples[48000:48030] = 1.0  # 30 samples at full scale out of 110,400
    path = tmp_path / "v.wav"
    write_wav(path, samples, 48000)
    audio = read_audio(path)
    assert 0 < audio.clipped_fraction < AudioLimits().max_clipped_fraction
    assert any("clipped" in w for w in audio.warnings)


@pytest.mark.parametrize("suffix, rate, channels", [("webm", 48000, 1), ("mp3", 44100, 2), ("m4a", 44100, 2),
                                                    ("wav", 22050, 2)])
def test_runs_of_frames_resample_to_the_same_samples_as_single_frames(tmp_path, suffix, rate, channels):
    """Decoded frames reach FFmpeg's resampler a second at a time; its output is the one it gives
    when fed frame by frame."""
    import av

    voice = synthesise_vowel(2.5, f0_hz=140, sample_rate=rate)
    path = encode(tmp_path / f"v.{suffix}", voice.samples, rate, channels=channels)
    resampler = av.AudioResampler(format="dbl", layout="mono", rate=ANALYSIS_RATE)
    pieces = []
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.audio[0]):
            pieces += [out.to_ndarray()[0] for out in resampler.resample(frame)]
    pieces += [out.to_ndarray()[0] for out in resampler.resample(None)]
    audio = read_audio(path)
    assert audio.channels == channels
    np.testing.assert_array_equal(audio.samples, np.concatenate(pieces))
