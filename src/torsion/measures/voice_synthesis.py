"""Synthetic voices with a known truth: a glottal-pulse source through vowel formant filters.

Used for the known-answer tests, the benchmark and the demonstration account's example recordings;
never mixed with real recordings. The method is classic source-filter synthesis (Klatt 1980 in
spirit, much simplified):

1. **Glottal pulses** at times set by integrating the fundamental frequency, with optional cycle
   to cycle jitter, a slow F0 drift, an F0 tremor (sinusoidal frequency modulation) and gaps. A gap
   of ``g`` seconds means that the next glottal pulse comes ``g`` seconds after the last one
   before it, so an inter-pulse interval of exactly ``g`` replaces the voicing there: that is what
   a voice break is in Praat's terms.
2. **Source waveform**: a Rosenberg (1971) pulse per cycle (opening phase 40 % of the period,
   closing phase 16 %), its amplitude scaled per cycle by shimmer and an optional amplitude tremor
   (sinusoidal, depth as a fraction), differentiated for the lip radiation, plus a little
   aspiration noise.
3. **Vocal tract**: a cascade of second-order resonators at the formants of the vowel.

:func:`synthesise_speech` strings such vowels into phrase-like runs of syllables separated by
voiceless noise bursts and pauses, as a stand-in for connected speech.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.signal import lfilter

__all__ = ["VOWEL_FORMANTS", "SyntheticVoice", "synthesise_speech", "synthesise_vowel", "write_wav"]

#: Formant frequencies and bandwidths (Hz) of a few vowels of an adult voice (Peterson and Barney
#: 1952 averages, rounded).
VOWEL_FORMANTS: dict[str, tuple[tuple[float, float], ...]] = {
    "a": ((730.0, 90.0), (1090.0, 110.0), (2440.0, 160.0), (3400.0, 200.0)),
    "i": ((270.0, 60.0), (2290.0, 100.0), (3010.0, 150.0), (3700.0, 200.0)),
    "u": ((300.0, 60.0), (870.0, 90.0), (2240.0, 150.0), (3400.0, 200.0)),
    "e": ((530.0, 70.0), (1840.0, 100.0), (2480.0, 150.0), (3500.0, 200.0)),
    "o": ((570.0, 70.0), (840.0, 90.0), (2410.0, 150.0), (3400.0, 200.0)),
}


@dataclass
class SyntheticVoice:
    """A synthesised sound and the truth it was made from.

    Attributes
    ----------
    samples : ndarray of float64
        The sound, peak at ``peak`` of full scale.
    sample_rate : int
        Samples per second.
    pulse_times_s : ndarray
        Times of the glottal pulses.
    gaps : list of (float, float)
        (time of the last pulse before the gap, inter-pulse interval across it) in seconds.
    voiced_spans_s : list of (float, float)
        Start and end of each stretch of voicing.
    """

    samples: np.ndarray
    sample_rate: int
    pulse_times_s: np.ndarray
    gaps: list[tuple[float, float]] = field(default_factory=list)
    voiced_spans_s: list[tuple[float, float]] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.samples.size / self.sample_rate


def _pulse_times(start_s: float, end_s: float, f0_hz, rng: np.random.Generator, jitter: float,
                 gaps: Sequence[tuple[float, float]]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Pulse times from ``start_s`` to ``end_s`` following ``f0_hz(t)``; gaps as (at_s, interval_s)."""
    pending = sorted(gaps)
    times, done_gaps = [], []
    t = start_s
    while t < end_s:
        times.append(t)
        if pending and t + 1.0 / f0_hz(t) > pending[0][0]:
            _, interval = pending.pop(0)
            done_gaps.append((t, interval))
            t += interval
            continue
        period = 1.0 / f0_hz(t)
        t += period * (1.0 + jitter * rng.standard_normal())
    return np.asarray(times), done_gaps


def _rosenberg_source(pulses: np.ndarray, amplitudes: np.ndarray, n: int, rate: int,
                      nominal_period_s: np.ndarray) -> np.ndarray:
    """Differentiated Rosenberg pulses placed at ``pulses`` (the glottal flow derivative)."""
    flow = np.zeros(n)
    for k, start in enumerate(pulses):
        period = nominal_period_s[k]
        opening, closing = 0.40 * period, 0.16 * period
        first = int(np.ceil(start * rate))
        last = min(n, int(np.floor((start + opening + closing) * rate)) + 1)
        if first >= last:
            continue
        tau = np.arange(first, last) / rate - start
        shape = np.where(tau < opening, 0.5 * (1.0 - np.cos(np.pi * tau / opening)),
                         np.cos(0.5 * np.pi * (tau - opening) / closing))
        flow[first:last] += amplitudes[k] * np.clip(shape, 0.0, None)
    return np.diff(flow, prepend=0.0)


def _vocal_tract(source: np.ndarray, formants: Sequence[tuple[float, float]], rate: int) -> np.ndarray:
    out = source
    for frequency, bandwidth in formants:
        r = np.exp(-np.pi * bandwidth / rate)
        theta = 2.0 * np.pi * frequency / rate
        out = lfilter([1.0 - r], [1.0, -2.0 * r * np.cos(theta), r * r], out)
    return out


def synthesise_vowel(
    seconds: float = 4.0,
    *,
    f0_hz: float = 120.0,
    vowel: str = "a",
    sample_rate: int = 44100,
    jitter: float = 0.002,
    shimmer: float = 0.02,
    noise: float = 0.002,
    gaps: Sequence[tuple[float, float]] = (),
    amplitude_tremor_hz: float | None = None,
    amplitude_tremor_depth: float = 0.0,
    f0_tremor_hz: float | None = None,
    f0_tremor_depth: float = 0.0,
    lead_s: float = 0.3,
    tail_s: float = 0.3,
    peak: float = 0.5,
    background_dbfs: float = -70.0,
    seed: int = 0,
) -> SyntheticVoice:
    """A sustained vowel with known pulses, gaps and tremor.

    Parameters
    ----------
    seconds : float
        Length of the voicing, excluding the silence before (``lead_s``) and after (``tail_s``).
    f0_hz : float
        Mean fundamental frequency.
    vowel : str
        A key of :data:`VOWEL_FORMANTS`.
    sample_rate : int
        Samples per second.
    jitter, shimmer : float
        Standard deviation of the cycle-to-cycle relative change of period and amplitude.
    noise : float
        Standard deviation of the white aspiration noise added to the source, relative to the
        pulses' peak derivative.
    gaps : sequence of (float, float)
        (time in seconds from the start of the file, length in seconds) of each voice break: the
        first pulse after ``time`` is delayed so that the inter-pulse interval is the length.
    amplitude_tremor_hz, amplitude_tremor_depth : float
        Sinusoidal modulation of the pulse amplitudes: ``1 + depth * sin(2 pi f t)``.
    f0_tremor_hz, f0_tremor_depth : float
        Sinusoidal modulation of F0: ``f0 * (1 + depth * sin(2 pi f t))``.
    lead_s, tail_s : float
        Silence before and after the voicing.
    peak : float
        Peak amplitude of the result (fraction of full scale).
    background_dbfs : float
        RMS level of the white background noise of the whole recording (a room and a microphone
        are never silent), dB relative to full scale.
    seed : int
        Seed of the random jitter, shimmer and noise.
    """
    rng = np.random.default_rng(seed)
    total = lead_s + seconds + tail_s
    n = int(round(total * sample_rate))

    def f0_at(t: float) -> float:
        value = f0_hz * (1.0 + 0.01 * np.sin(2 * np.pi * 0.3 * t))  # a slow, natural drift
        if f0_tremor_hz:
            value *= 1.0 + f0_tremor_depth * np.sin(2 * np.pi * f0_tremor_hz * t)
        return value

    pulses, done_gaps = _pulse_times(lead_s, lead_s + seconds, f0_at, rng, jitter, gaps)
    amplitudes = 1.0 + shimmer * rng.standard_normal(pulses.size)
    if amplitude_tremor_hz:
        amplitudes *= 1.0 + amplitude_tremor_depth * np.sin(2 * np.pi * amplitude_tremor_hz * pulses)
    periods = np.array([1.0 / f0_at(t) for t in pulses])
    source = _rosenberg_source(pulses, amplitudes, n, sample_rate, periods)
    scale = np.max(np.abs(source)) or 1.0
    voiced = np.zeros(n)
    voiced[int(lead_s * sample_rate): int((lead_s + seconds) * sample_rate)] = 1.0
    source = source + noise * scale * rng.standard_normal(n) * voiced
    sound = _vocal_tract(source, VOWEL_FORMANTS[vowel], sample_rate)
    sound *= peak / (np.max(np.abs(sound)) or 1.0)
    sound += 10 ** (background_dbfs / 20) * rng.standard_normal(n)
    spans = []
    start = lead_s
    for at, interval in done_gaps:
        spans.append((start, at))
        start = at + interval
    spans.append((start, lead_s + seconds))
    return SyntheticVoice(samples=sound, sample_rate=sample_rate, pulse_times_s=pulses, gaps=done_gaps,
                          voiced_spans_s=spans)


def synthesise_speech(
    seconds: float = 20.0,
    *,
    f0_hz: float = 120.0,
    sample_rate: int = 44100,
    breaks: Sequence[tuple[float, float]] = (),
    consonants: bool = True,
    peak: float = 0.5,
    background_dbfs: float = -70.0,
    seed: int = 0,
) -> SyntheticVoice:
    """Phrase-like connected "speech": voiced syllables with changing vowels, consonant noise, pauses.

    Each phrase is 5 to 9 syllables of 120-260 ms of voicing on vowels in turn, the syllables joined
    by 40-90 ms voiceless noise bursts (at 30 % of the voicing's RMS level) or running straight on (all-voiced transitions); phrases are
    separated by 300-600 ms pauses; F0 falls across each phrase (declination). ``breaks`` adds
    voice breaks (time, length) inside the voicing, as for :func:`synthesise_vowel`, the syllable
    being lengthened so that its voicing resumes after the break; the background
    noise is as there. With ``consonants=False`` every phrase is voiced throughout, like the all-voiced
    sentences of the adductor task.
    """
    rng = np.random.default_rng(seed)
    n = int(round(seconds * sample_rate))
    out = np.zeros(n)
    bursts = np.zeros(n)
    pulses_all, gaps_all, spans = [], [], []
    t = 0.25
    vowels = list(VOWEL_FORMANTS)
    pending = sorted(breaks)
    while t < seconds - 1.0:
        syllables = int(rng.integers(5, 10))
        phrase_start = t
        for s in range(syllables):
            length = float(rng.uniform(0.12, 0.26))
            if t + length > seconds - 0.3:
                break
            vowel = vowels[int(rng.integers(len(vowels)))]
            drop = 1.0 - 0.15 * (t - phrase_start) / 2.0

            def f0_at(x: float, base=f0_hz * max(drop, 0.8)) -> float:
                return base * (1.0 + 0.04 * np.sin(2 * np.pi * 1.5 * x))

            # A break falls in the syllable under way at its time (or the next one, if that time is a pause).
            inside = [(max(at, t + 0.4 * length), interval) for at, interval in pending if at < t + length]
            pending = [g for g in pending if g[0] >= t + length]
            # The syllable goes on after each break inside it, so that the voicing resumes.
            length += sum(interval + 0.05 for _, interval in inside)
            pulses, done = _pulse_times(t, t + length, f0_at, rng, 0.003, inside)
            gaps_all += done
            if pulses.size:
                first, last = int(t * sample_rate), min(n, int((t + length + 0.03) * sample_rate))
                local_n = last - first
                amplitudes = (1.0 + 0.03 * rng.standard_normal(pulses.size)) * np.hanning(pulses.size + 2)[1:-1] ** 0.3
                periods = np.array([1.0 / f0_at(p) for p in pulses])
                source = _rosenberg_source(pulses - first / sample_rate, amplitudes, local_n, sample_rate, periods)
                source += 0.002 * np.max(np.abs(source)) * rng.standard_normal(local_n)
                out[first:last] += _vocal_tract(source, VOWEL_FORMANTS[vowel], sample_rate)
                pulses_all.append(pulses)
                spans.append((float(pulses[0]), float(pulses[-1])))
            t += length
            if consonants and s < syllables - 1 and rng.random() < 0.5:
                burst = float(rng.uniform(0.04, 0.09))
                first, last = int(t * sample_rate), min(n, int((t + burst) * sample_rate))
                bursts[first:last] += lfilter([1.0, -0.95], [1.0], rng.standard_normal(last - first))
                t += burst
        t += float(rng.uniform(0.3, 0.6))
    out *= peak / (np.max(np.abs(out)) or 1.0)
    voiced_rms = np.sqrt(np.mean(out[np.abs(out) > 0.01 * peak] ** 2)) if np.any(out) else 0.0
    out += 0.3 * voiced_rms * bursts / (np.sqrt(np.mean(bursts[bursts != 0] ** 2)) if np.any(bursts) else 1.0)
    out += 10 ** (background_dbfs / 20) * rng.standard_normal(n)
    pulses = np.concatenate(pulses_all) if pulses_all else np.zeros(0)
    return SyntheticVoice(samples=out, sample_rate=sample_rate, pulse_times_s=pulses, gaps=gaps_all,
                          voiced_spans_s=spans)


def write_wav(path, samples: np.ndarray, sample_rate: int) -> None:
    """Write mono 16-bit PCM WAV (samples in -1..1) to a path or a binary file object."""
    import wave

    pcm = np.clip(np.round(np.asarray(samples) * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path if hasattr(path, "write") else str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(int(sample_rate))
        handle.writeframes(pcm.tobytes())
