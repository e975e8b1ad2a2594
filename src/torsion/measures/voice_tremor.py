"""Vocal tremor in a sustained vowel: rhythmic modulation of loudness and of pitch, 2-12 Hz.

Method (after the contour-based approach of Brückl's tremor analysis for Praat, simplified): the
cycle-by-cycle contours of the longest unbroken stretch of voicing are used, amplitude as each
glottal cycle's waveform peak and F0 as the inverse of each period. Each is turned into a relative
contour (value / mean - 1), resampled evenly at 100 Hz, stripped of slow drift by a zero-phase
high-pass filter at 1.5 Hz, Hann-windowed and Fourier-transformed with zero padding. The highest
peak between 2 and 12 Hz, refined by parabolic interpolation, is the tremor frequency; a sinusoid
at that frequency fitted by least squares to the drift-free contour gives the depth (its amplitude,
as a fraction of the mean: 0.1 = +-10 %) and the share of the contour's variance it explains.

A tremor is *detected* when that share is at least ``min_share`` (0.3) and the depth at least
``min_amplitude_depth`` (3 %) for loudness or ``min_f0_depth`` (1 %) for pitch. These limits are
Torsion's own: on synthetic steady vowels with natural cycle-to-cycle variation (2 % shimmer,
0.2 % jitter) the largest spurious depth is several times smaller; they are not validated against
listeners or clinical ratings. Tremor needs at least ``min_seconds`` (1.5 s) of unbroken voicing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfiltfilt

__all__ = ["TremorEstimate", "TremorSettings", "vocal_tremor"]

_RATE = 100.0


@dataclass(frozen=True)
class TremorSettings:
    band_hz: tuple[float, float] = (2.0, 12.0)
    highpass_hz: float = 1.5
    min_seconds: float = 1.5
    min_share: float = 0.3
    min_amplitude_depth: float = 0.03
    min_f0_depth: float = 0.01


@dataclass(frozen=True)
class TremorEstimate:
    """One contour's tremor: frequency (Hz), depth (fraction of the mean) and variance share."""

    detected: bool
    frequency_hz: float | None
    depth: float | None
    share: float | None

    def to_dict(self) -> dict:
        return {"detected": self.detected,
                "frequency_hz": None if self.frequency_hz is None else round(self.frequency_hz, 3),
                "depth": None if self.depth is None else round(self.depth, 4),
                "share": None if self.share is None else round(self.share, 3)}


NONE = TremorEstimate(False, None, None, None)


def _longest_run(times: np.ndarray, max_interval_s: float) -> slice:
    """The longest run of pulses whose intervals all stay below ``max_interval_s``."""
    breaks = np.nonzero(np.diff(times) > max_interval_s)[0]
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks + 1, [times.size]])
    k = int(np.argmax(times[ends - 1] - times[starts]))
    return slice(int(starts[k]), int(ends[k]))


def _estimate(t: np.ndarray, values: np.ndarray, min_depth: float, s: TremorSettings) -> TremorEstimate:
    grid = np.arange(t[0], t[-1], 1.0 / _RATE)
    if grid.size < 16:
        return NONE
    relative = np.interp(grid, t, values) / np.mean(values) - 1.0
    sos = butter(2, s.highpass_hz, btype="highpass", fs=_RATE, output="sos")
    contour = sosfiltfilt(sos, relative)
    edge = int(0.25 * _RATE)  # the filter's start and end transients
    contour, grid = contour[edge:-edge], grid[edge:-edge]
    if contour.size < 16 or not np.any(contour):
        return NONE
    n_fft = 1 << int(np.ceil(np.log2(contour.size * 16)))
    spectrum = np.abs(np.fft.rfft(contour * np.hanning(contour.size), n_fft))
    freqs = np.fft.rfftfreq(n_fft, 1.0 / _RATE)
    band = np.nonzero((freqs >= s.band_hz[0]) & (freqs <= s.band_hz[1]))[0]
    k = band[np.argmax(spectrum[band])]
    frequency = float(freqs[k])
    if 0 < k < spectrum.size - 1:
        a, b, c = np.log(spectrum[k - 1:k + 2] + 1e-300)
        if a - 2 * b + c < 0:
            frequency += float(0.5 * (a - c) / (a - 2 * b + c)) * (freqs[1] - freqs[0])
    design = np.column_stack([np.sin(2 * np.pi * frequency * grid), np.cos(2 * np.pi * frequency * grid)])
    coef, *_ = np.linalg.lstsq(design, contour, rcond=None)
    depth = float(np.hypot(*coef))
    share = float(1.0 - np.var(contour - design @ coef) / np.var(contour))
    detected = share >= s.min_share and depth >= min_depth
    return TremorEstimate(detected, frequency, depth, share)


def vocal_tremor(pulse_times_s: np.ndarray, pulse_amplitudes: np.ndarray, max_interval_s: float,
                 settings: TremorSettings | None = None) -> tuple[TremorEstimate, TremorEstimate]:
    """Amplitude and F0 tremor from the glottal pulses of a sustained vowel.

    Parameters
    ----------
    pulse_times_s : ndarray, shape (n,)
        Glottal pulse times.
    pulse_amplitudes : ndarray, shape (n,)
        Waveform peak of each cycle.
    max_interval_s : float
        Longest interval between pulses within voicing (Praat's 1.25 / pitch floor).
    settings : TremorSettings, optional

    Returns
    -------
    (TremorEstimate, TremorEstimate)
        Loudness (amplitude) tremor, then pitch (F0) tremor.
    """
    s = settings or TremorSettings()
    if pulse_times_s.size < 8:
        return NONE, NONE
    run = _longest_run(pulse_times_s, max_interval_s)
    t, amplitude = pulse_times_s[run], pulse_amplitudes[run]
    if t.size < 8 or t[-1] - t[0] < s.min_seconds:
        return NONE, NONE
    periods = np.diff(t)
    f0 = 1.0 / periods
    f0_times = 0.5 * (t[1:] + t[:-1])
    return (_estimate(t, amplitude, s.min_amplitude_depth, s),
            _estimate(f0_times, f0, s.min_f0_depth, s))
