"""Decoding sound recordings to mono PCM with PyAV, and refusing the ones that cannot be measured.

Any container and codec FFmpeg reads is accepted: WAV, FLAC, MP3, Ogg, and the WebM/Opus or
MP4/AAC files that browsers record. Decoding streams packet by packet: the decoded blocks are
gathered into runs of about a second, and each run is checked for clipping at its own sample
format's full scale, mixed down to one channel and resampled to :data:`ANALYSIS_RATE` by FFmpeg's
resampler (which gives the same samples whether it is fed block by block or a run at a time), so
memory holds the analysis-rate samples (64 KB per second of sound) and at most one run at the
file's own rate, never the whole file at its own rate.

Every voice measure is computed at one rate, whatever device made the recording, so that figures
from different microphones and browsers stay comparable; 16 kHz keeps everything up to 8 kHz (all
of the voice that jitter, shimmer, noise and cepstral measures use) and is the lowest rate accepted.

Refusals (:class:`~torsion.measures.quality.UnusableRecording`, ``reason`` in brackets):

``empty``         the file has no bytes, does not exist, or is a folder;
``unreadable``    FFmpeg cannot read it as a sound file (a text file renamed ``.wav``, say), or it
                  holds no sound stream;
``low_sample_rate``  recorded at fewer than 16,000 samples per second;
``truncated``     decoding fails part-way, far fewer samples decode than the header announces, or a
                  WAV file's header announces more sound than the file holds;
``silent``        the loudest 50 ms of the recording stay below ``silence_dbfs`` (-50 dBFS);
``clipped``       more than ``max_clipped_fraction`` (0.5 %) of the samples sit at full scale.

The silence and clipping limits are Torsion's own engineering choices: a voice at a normal distance
from a laptop microphone measures about -35 to -15 dBFS in its loudest 50 ms, a muted or unplugged
microphone below -60 dBFS; clipping that flattens more than one sample in 200 distorts the cycle
amplitudes that shimmer and the cepstral peak are computed from.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

from torsion.measures.quality import UnusableRecording

__all__ = ["ANALYSIS_RATE", "MIN_SAMPLE_RATE", "AudioLimits", "DecodedAudio", "read_audio"]

log = logging.getLogger(__name__)

#: Samples per second of the mono signal every voice measure is computed on.
ANALYSIS_RATE = 16000
#: Recordings made at a lower rate are refused.
MIN_SAMPLE_RATE = 16000

_FULL_SCALE = {"u8": 128.0, "s16": 32768.0, "s32": 2.0**31, "s64": 2.0**63}
_BLOCK_S = 0.05
#: Decoded frames are gathered (in an FFmpeg FIFO) into runs of about this many seconds before the
#: clipping count and the resampler, whose cost per call is then paid some 50 times less often.
_RUN_S = 1.0


@dataclass(frozen=True)
class AudioLimits:
    """Thresholds of the refusals, with their defaults.

    Attributes
    ----------
    silence_dbfs : float
        A recording whose loudest 50 ms block has an RMS level below this (dB relative to full
        scale) is silent. Default -50.
    max_clipped_fraction : float
        Largest share of samples at full scale before the recording is refused. Default 0.005.
    warn_clipped_fraction : float
        Share of samples at full scale from which a warning is given. Default 0.0001.
    clip_level : float
        Magnitude, as a fraction of full scale, that counts as clipped. Lossy codecs (Opus, AAC)
        overshoot around a flattened peak, so decoded float samples at or above this count too.
        Default 0.999.
    min_decoded_fraction : float
        A file that decodes to less than this share of the duration its header announces is cut
        short. Default 0.9.
    """

    silence_dbfs: float = -50.0
    max_clipped_fraction: float = 0.005
    warn_clipped_fraction: float = 0.0001
    clip_level: float = 0.999
    min_decoded_fraction: float = 0.9


@dataclass
class DecodedAudio:
    """A recording as one channel of samples at :data:`ANALYSIS_RATE`.

    Attributes
    ----------
    samples : ndarray of float64, shape (n,)
        The sound mixed down to mono, full scale = 1.
    sample_rate : int
        Samples per second of ``samples`` (:data:`ANALYSIS_RATE`).
    source_sample_rate : int
        The rate the file was recorded at.
    channels : int
        Channels in the file (mixed down to one).
    codec : str
        FFmpeg's name of the decoder, e.g. ``opus`` or ``pcm_s16le``.
    clipped_fraction : float
        Share of the file's samples (all channels) at full scale.
    peak_block_dbfs : float
        RMS level of the loudest 50 ms block, dB relative to full scale.
    warnings : list of str
        Problems that did not stop the decoding.
    """

    samples: np.ndarray
    sample_rate: int
    source_sample_rate: int
    channels: int
    codec: str
    clipped_fraction: float
    peak_block_dbfs: float
    warnings: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.samples.size / self.sample_rate


def _declared_duration_s(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return None


def _wav_cut_short(head: bytes, file_size: int) -> tuple[float, float] | None:
    """(announced, present) seconds of a RIFF/WAVE file whose data chunk runs past the end of the file.

    FFmpeg takes a WAV file's duration from the file's size, so a cut WAV file would otherwise pass
    for a shorter recording. Streamed WAV files that leave the size unset (0 or 0xFFFFFFFF) pass.
    """
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    position, byte_rate = 12, 0
    while position + 8 <= len(head):
        chunk, size = head[position:position + 4], int.from_bytes(head[position + 4:position + 8], "little")
        if chunk == b"fmt " and position + 16 <= len(head):
            byte_rate = int.from_bytes(head[position + 16:position + 20], "little")
        if chunk == b"data":
            start = position + 8
            if byte_rate <= 0 or size in (0, 0xFFFFFFFF) or start + size <= file_size + 1:
                return None
            return size / byte_rate, max(file_size - start, 0) / byte_rate
        position += 8 + size + (size & 1)
    return None


def _clipped_count(raw: np.ndarray, format_name: str, clip_level: float) -> int:
    """Samples at full scale among ``raw``, decoded samples in FFmpeg's sample format ``format_name``."""
    name = format_name.rstrip("p")
    if name in _FULL_SCALE:
        scale = _FULL_SCALE[name]
        values = raw.astype(np.float64) - (128.0 if name == "u8" else 0.0)
        return int(np.count_nonzero(np.abs(values) >= clip_level * scale - 1.0))
    return int(np.count_nonzero(np.abs(raw) >= clip_level))  # flt / dbl: full scale is 1.0


def _loudest_block_dbfs(samples: np.ndarray, rate: int) -> float:
    block = max(1, int(round(_BLOCK_S * rate)))
    usable = samples.size - samples.size % block
    if usable == 0:
        rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
    else:
        rms = float(np.sqrt(np.max(np.mean(samples[:usable].reshape(-1, block) ** 2, axis=1))))
    return 20.0 * math.log10(rms) if rms > 0 else -math.inf


def read_audio(source: str | Path | BinaryIO, *, limits: AudioLimits | None = None) -> DecodedAudio:
    """Decode a sound file to mono samples at :data:`ANALYSIS_RATE`, or say why it cannot be used.

    Parameters
    ----------
    source : str, Path or binary file object
        WAV, FLAC, MP3, Ogg, WebM/Opus, MP4/AAC or any other file FFmpeg reads; a video file's first
        sound stream is used. A file object is read from its current position.
    limits : AudioLimits, optional
        Thresholds of the refusals.

    Returns
    -------
    DecodedAudio

    Raises
    ------
    UnusableRecording
        With ``reason`` ``empty``, ``unreadable``, ``low_sample_rate``, ``truncated``, ``silent`` or
        ``clipped`` (see the module's description).
    """
    limits = limits or AudioLimits()
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            raise UnusableRecording("This is a folder, not a sound file.", "empty")
        if not path.exists():
            raise UnusableRecording("This file does not exist.", "empty")
        size = path.stat().st_size
        if size == 0:
            raise UnusableRecording("The file is empty.", "empty")
        with open(path, "rb") as handle:
            head = handle.read(4096)
        opened = str(path)
    else:
        start = source.tell()
        head = source.read(4096)
        if not head:
            raise UnusableRecording("The file is empty.", "empty")
        size = source.seek(0, 2) - start
        source.seek(start)
        opened = source
    cut = _wav_cut_short(head, size)
    if cut is not None:
        raise UnusableRecording(
            f"The file is cut short: it should last {cut[0]:.1f} s but only {cut[1]:.1f} s is there. "
            "Record or send it again.", "truncated")
    try:
        container = av.open(opened, "r")
    except (OSError, av.FFmpegError, ValueError, UnicodeDecodeError) as exc:
        log.info("cannot open %s as sound: %s", source, exc)
        raise UnusableRecording("This file could not be read as a sound recording.", "unreadable") from exc
    with container:
        if not container.streams.audio:
            raise UnusableRecording("This file holds no sound.", "unreadable")
        stream = container.streams.audio[0]
        rate = int(stream.rate or stream.codec_context.sample_rate or 0)
        if rate <= 0:
            raise UnusableRecording("This file could not be read as a sound recording.", "unreadable")
        if rate < MIN_SAMPLE_RATE:
            raise UnusableRecording(
                f"The sound was recorded at {rate} samples per second; at least {MIN_SAMPLE_RATE} are "
                "needed to measure the voice. Record again with the microphone's usual quality setting.",
                "low_sample_rate",
            )
        return _decode(container, stream, rate, limits)


def _decode(container, stream, rate: int, limits: AudioLimits) -> DecodedAudio:
    resampler = av.AudioResampler(format="dbl", layout="mono", rate=ANALYSIS_RATE)
    pieces: list[np.ndarray] = []
    run = av.AudioFifo()  # decoded samples not resampled yet, all of one format, layout and rate
    run_key, run_limit, run_pts = None, 0.0, None
    clipped = total = 0
    channels = 0
    decoded_s = 0.0

    def resample(frame: av.AudioFrame | None) -> None:
        pieces.extend(np.frombuffer(out.planes[0], np.float64, out.samples) for out in resampler.resample(frame))

    def resample_run() -> None:
        nonlocal clipped, total, channels
        joined = run.read()
        if joined is None:
            return
        joined.pts = run_pts  # the FIFO gives its output the first frame's time base
        raw = joined.to_ndarray()
        channels = max(channels, joined.layout.nb_channels)
        clipped += _clipped_count(raw, joined.format.name, limits.clip_level)
        total += raw.size
        resample(joined)

    try:
        for frame in container.decode(stream):
            key = (frame.format.name, frame.layout.name, frame.sample_rate)
            if key != run_key:
                resample_run()
                run = av.AudioFifo()
                run_key, run_limit = key, _RUN_S * (frame.sample_rate or rate)
            if not run.samples:
                run_pts = frame.pts
            decoded_s += frame.samples / (key[2] or rate)
            frame.pts = None  # the run keeps its first time stamp; the FIFO would check the others
            run.write(frame)
            if run.samples >= run_limit:
                resample_run()
        resample_run()
        resample(None)
    except av.FFmpegError as exc:
        log.info("decoding stopped after %.2f s: %s", decoded_s, exc)
        if decoded_s == 0:
            raise UnusableRecording("This file could not be read as a sound recording.", "unreadable") from exc
        raise UnusableRecording(
            f"The file is damaged or cut short: it stops making sense after {decoded_s:.1f} s. "
            "Record or send it again.", "truncated") from exc
    samples = np.concatenate(pieces) if pieces else np.zeros(0)
    if samples.size == 0:
        raise UnusableRecording("The file holds no sound samples.", "truncated")
    declared = _declared_duration_s(container, stream)
    if declared and decoded_s < limits.min_decoded_fraction * declared - 0.05:
        raise UnusableRecording(
            f"The file is cut short: it should last {declared:.1f} s but only {decoded_s:.1f} s could be "
            "read. Record or send it again.", "truncated")
    peak_dbfs = _loudest_block_dbfs(samples, ANALYSIS_RATE)
    if peak_dbfs < limits.silence_dbfs:
        raise UnusableRecording(
            "The recording is silent. Check that the right microphone is chosen and not muted, then "
            "record again.", "silent")
    clipped_fraction = clipped / total if total else 0.0
    if clipped_fraction > limits.max_clipped_fraction:
        raise UnusableRecording(
            f"The sound is too loud: {100 * clipped_fraction:.1f}% of it is cut off at the top (clipped), "
            "which distorts the voice. Move a little further from the microphone or turn its level "
            "down, then record again.", "clipped")
    warnings = []
    if clipped_fraction >= limits.warn_clipped_fraction:
        warnings.append(f"{100 * clipped_fraction:.2f}% of the sound is clipped (too loud); results may be "
                        "slightly distorted.")
    return DecodedAudio(samples=samples.astype(np.float64, copy=False), sample_rate=ANALYSIS_RATE,
                        source_sample_rate=rate, channels=channels or 1, codec=str(stream.codec_context.name),
                        clipped_fraction=clipped_fraction, peak_block_dbfs=peak_dbfs, warnings=warnings)
