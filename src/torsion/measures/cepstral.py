"""Smoothed cepstral peak prominence (CPPS), Praat's algorithm vectorised over frames with NumPy.

Praat computes CPPS in two commands, ``Sound: To PowerCepstrogram`` and ``PowerCepstrogram: Get
CPPS`` (Hillenbrand et al. 1994, as implemented by Weenink; Maryn and Weenink 2015). Praat runs both
one frame and one cell at a time, which takes several seconds for a minute of speech; this module
does the same arithmetic on blocks of a few hundred frames at once, step for step, so that a minute
is measured in a small fraction of a second. The blocks are small enough to stay in the processor's
cache, and are shared between two threads when a processor is idle. The known-answer tests compare it with Praat's own
command (within 0.03 dB; the resampling differs from Praat's in the last digits).

How the arithmetic is done, where it differs from a literal transcription: the spectrum of each
frame is computed in double precision, its logarithm and everything after it in single precision
(double after the trend is subtracted before smoothing); on speech and on the test voices this
moves CPPS by a few millionths of a decibel. The inverse FFT of the log power spectrum is a type-I
cosine transform of its first half (the spectrum is real and even); the smoothing means are
correlations with one kernel away from the ends of the axis; the cepstrum's level is kept as a
natural logarithm and turned into decibels at the end, which every step from the logarithm on
(medians, straight lines, the parabola's top) allows.

Steps (Praat's source, ``PowerCepstrogram.cpp``, ``PowerCepstrum.cpp``, ``Sound.cpp``):

1. Resample to twice the maximum frequency (10 kHz) as ``Sound_resample`` does when lowering the
   rate (Fourier coefficients above the new Nyquist frequency set to zero, band-limited
   interpolation), then pre-emphasis from 50 Hz: ``x[i] -= exp(-2 pi 50 / fs) x[i-1]``.
2. Frames of ``2 * 3 / pitch floor`` seconds (0.1 s for 60 Hz) every ``time_step_s``, placed as
   Praat's short-term analysis places them; each frame minus its mean, times Praat's Gaussian
   window, zero-padded to a power of two; power cepstrum = ``irfft(ln |FFT|^2) ** 2``.
3. Optionally (``subtract_trend_before_smoothing``), per frame a trend line fitted to the cepstrum
   in dB is subtracted and negative differences set to zero.
4. Smoothing: each cell replaced by the mean of the linearly interpolated cepstrogram over
   ``time_window_s`` across time, then over ``quefrency_window_s`` across quefrency (Praat's
   ``Sampled_getMean`` with interpolation, with its half-sample treatment of the edges).
5. Per frame, the tilt line (least squares, or Theil's robust incomplete method), the highest peak
   between 1/330 and 1/60 s quefrency refined by parabolic interpolation, and its height above the
   line: the cepstral peak prominence (dB). CPPS is the mean over all frames.

Settings (:class:`CppsSettings`) are those of Maryn and Weenink's acoustic voice quality index
(AVQI) script, which clinical CPPS cut-offs for Praat are understood to use (Murton et al. 2020,
unverified): pitch floor 60 Hz, maximum frequency 5000 Hz, pre-emphasis from 50 Hz; tilt not
subtracted before smoothing; averaging over 0.01 s and 0.001 s; peak search 60-330 Hz; a straight
tilt line fitted robustly over the whole quefrency axis (Praat reads the range "0.001 to 0" so).
One change: frames every 0.01 s instead of 0.002 s, five times fewer; on the test voices and
synthetic speech this lowers CPPS by 0.1 to 0.2 dB (the 0.01 s time averaging then spans a single
frame).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy import fft, ndimage

__all__ = ["CppsSettings", "cpps", "cpps_of_cepstrogram", "power_cepstrogram"]

T = TypeVar("T")


@dataclass(frozen=True)
class CppsSettings:
    """Parameters of ``To PowerCepstrogram`` and ``Get CPPS`` (Praat's names in brackets)."""

    pitch_floor_hz: float = 60.0  # To PowerCepstrogram: pitch floor
    time_step_s: float = 0.01  # time step
    maximum_frequency_hz: float = 5000.0  # maximum frequency
    pre_emphasis_hz: float = 50.0  # pre-emphasis from
    subtract_trend_before_smoothing: bool = False  # Get CPPS: subtract tilt before smoothing
    time_window_s: float = 0.01  # time averaging window
    quefrency_window_s: float = 0.001  # quefrency averaging window
    peak_floor_hz: float = 60.0  # peak search pitch range
    peak_ceiling_hz: float = 330.0
    trend_from_s: float = 0.001  # tilt line quefrency range (0 as the end: up to the last quefrency)
    trend_to_s: float = 0.0
    trend_type: str = "straight"  # line type: "straight" or "exponential decay"
    fit: str = "robust"  # fit method: "robust" (Theil's incomplete method) or "least squares"

    def praat_arguments(self) -> tuple:
        """The arguments of Praat's ``Get CPPS`` for the same settings (tolerance 0.05, parabolic)."""
        return ("yes" if self.subtract_trend_before_smoothing else "no", self.time_window_s,
                self.quefrency_window_s, self.peak_floor_hz, self.peak_ceiling_hz, 0.05, "Parabolic",
                self.trend_from_s, self.trend_to_s,
                "Exponential decay" if self.trend_type == "exponential decay" else "Straight",
                "Robust" if self.fit == "robust" else "Least squares")


def _gaussian_window(n: int) -> np.ndarray:
    """Praat's ``Sound_createGaussian``: exp(-48 ((i - mid) / (n + 1))^2), edges lowered to zero."""
    i = np.arange(1, n + 1)
    mid = 0.5 * (n + 1)
    edge = math.exp(-12.0)
    return (np.exp(-48.0 * (i - mid) ** 2 / (n + 1) / (n + 1)) - edge) / (1.0 - edge)


def _phase_ramp(n: int, step: float) -> np.ndarray:
    """``exp(1j * step * k)`` for k = 0 .. n-1, as the outer product of two ramps of about sqrt(n)
    complex exponentials each (equal to the direct values within a few units in the last place)."""
    width = math.isqrt(max(n - 1, 0)) + 1
    fine = np.exp((1j * step) * np.arange(width))
    coarse = np.exp((1j * step * width) * np.arange(-(-n // width)))
    return (coarse[:, None] * fine[None, :]).ravel()[:n]


def _fourier_resample(x: np.ndarray, rate: int, new_rate: int) -> np.ndarray:
    """Praat's ``Sound_resample`` for downsampling: a brick-wall low-pass at the new Nyquist frequency
    (Praat zeroes the Fourier coefficients above it), then band-limited interpolation at the new
    sample times, the first centred as Praat centres it (``0.5 (duration - (n - 1) / new_rate)``).
    Zero padding of 1000 samples on each side keeps the two ends apart, as in Praat."""
    if new_rate == rate:
        return x.copy()
    duration = x.size / rate
    n_out = int(math.floor(duration * new_rate + 0.5))
    g = math.gcd(rate, new_rate)
    step, new_step = rate // g, new_rate // g
    blocks = fft.next_fast_len(-(-(x.size + 2000) // step), real=True)
    m, m_out = blocks * step, blocks * new_step
    spectrum = fft.rfft(x, m)
    keep = min(m_out // 2 + 1, spectrum.size)
    spectrum = spectrum[:keep]
    if new_rate < rate and m_out % 2 == 0:
        spectrum[-1] = 0.0  # the new Nyquist frequency itself, which Praat zeroes too
    # Output sample j sits at input position (x1_out - 0.5 / rate) * rate + j * rate / new_rate.
    x1_out = 0.5 * (duration - (n_out - 1) / new_rate)
    shift = (x1_out - 0.5 / rate) * rate
    spectrum *= _phase_ramp(keep, 2.0 * np.pi * shift / m)
    out = fft.irfft(spectrum, m_out, overwrite_x=True)[:n_out]
    out *= m_out / m
    return out


def _frame_times(n_samples: int, rate: float, window_s: float, step_s: float) -> np.ndarray:
    """Praat's ``Sampled_shortTermAnalysis``: frame centres symmetric about the sound's middle."""
    duration = n_samples / rate
    count = int(math.floor((duration - window_s) / step_s)) + 1
    if count < 1:
        return np.zeros(0)
    first = 0.5 * duration - 0.5 * count * step_s + 0.5 * step_s
    return first + step_s * np.arange(count)


def _row_weights(n: int, x1: float, dx: float, centre: float, half: float,
                 domain: tuple[float, float]) -> dict[int, float]:
    """Weights (by 1-based sample index) whose dot product with a sampled function is Praat's
    interpolated mean over ``[centre - half, centre + half]`` (``Sampled_getMean``, interpolating)."""
    xmin, xmax = max(centre - half, domain[0]), min(centre + half, domain[1])
    imin = max(1, int(math.ceil((xmin - x1) / dx - 1e-9)) + 1)
    imax = min(n, int(math.floor((xmax - x1) / dx + 1e-9)) + 1)
    if imin > imax:
        raise ValueError("averaging window narrower than one sample")  # never with Praat's settings
    weights = {i: 1.0 for i in range(imin, imax + 1)}
    width = float(imax - imin + 1)
    left_edge, right_edge = x1 - 0.5 * dx, x1 - 0.5 * dx + n * dx
    if xmin > left_edge:
        phase = (x1 + (imin - 1) * dx - xmin) / dx
        weights[imin] -= 0.5
        width -= 0.5
        if imin > 1:  # interpolate towards the sample outside the window
            width += phase
            weights[imin] += phase * (1.0 - 0.5 * phase)
            weights[imin - 1] = 0.5 * phase * phase
        else:
            phase = min(phase, 0.5)
            width += phase
            weights[imin] += phase
    if xmax < right_edge:
        phase = (xmax - (x1 + (imax - 1) * dx)) / dx
        weights[imax] -= 0.5
        width -= 0.5
        if imax < n:
            width += phase
            weights[imax] += phase * (1.0 - 0.5 * phase)
            weights[imax + 1] = weights.get(imax + 1, 0.0) + 0.5 * phase * phase
        else:
            phase = min(phase, 0.5)
            width += phase
            weights[imax] += phase
    return {i: w / width for i, w in weights.items() if w}


class _WindowMean:
    """Praat's interpolated mean over a window of +-``half`` around every sample of an axis of ``n``
    samples (first at ``x1``, spacing ``dx``), as :func:`_row_weights` gives it for each sample.

    Samples away from the ends share one kernel, applied as a correlation along the axis; the few
    near each end, whose windows are cut by the domain, are weighted one by one.
    """

    def __init__(self, n: int, x1: float, dx: float, half: float, domain: tuple[float, float]) -> None:
        reach = int(math.ceil(half / dx)) + 2
        self.kernel = None
        if n > 2 * reach:
            weights = _row_weights(n, x1, dx, x1 + reach * dx, half, domain)
            offsets = np.array([i - 1 - reach for i in weights])
            radius = int(np.max(np.abs(offsets)))
            self.kernel = np.zeros(2 * radius + 1)
            self.kernel[offsets + radius] = list(weights.values())
        # (rows, first column, weights (columns x rows)) for the samples near each end
        self.ends = []
        for rows in (range(0, min(reach, n)), range(max(reach, n - reach), n)):
            if not rows:
                continue
            rows_weights = [_row_weights(n, x1, dx, x1 + k * dx, half, domain) for k in rows]
            first = min(min(w) for w in rows_weights) - 1
            last = max(max(w) for w in rows_weights)
            matrix = np.zeros((last - first, len(rows)))
            for column, w in enumerate(rows_weights):
                for i, value in w.items():
                    matrix[i - 1 - first, column] = value
            self.ends.append((slice(rows.start, rows.stop), slice(first, last), matrix))

    def apply(self, values: np.ndarray, axis: int) -> np.ndarray:
        """The window means of ``values`` along ``axis``, in a new array of the same type."""
        if self.kernel is None:
            out = np.empty_like(values)
        else:
            out = ndimage.correlate1d(values, self.kernel, axis=axis, mode="constant")
        along = np.moveaxis(values, axis, -1)
        out_along = np.moveaxis(out, axis, -1)
        for rows, columns, matrix in self.ends:
            out_along[..., rows] = along[..., columns] @ matrix
        return out


def _fit_slice(q1: float, dq: float, nq: int, q_from: float, q_to: float, exponential: bool) -> slice:
    """Praat's ``Matrix_getWindowSamplesX`` on the quefrency axis, skipping q = 0 for a log fit. As in
    Praat's ``PowerCepstrum_fitTrendLine``, a range whose end is not above its start (such as 0.001
    to 0) means the whole quefrency axis."""
    if q_to <= q_from:
        q_from, q_to = q1, q1 + (nq - 1) * dq
    imin = 1 + int(math.ceil((q_from - q1) / dq))
    imax = 1 + int(math.floor((q_to - q1) / dq))
    imin, imax = max(imin, 1), min(imax, nq)
    if imin == 1 and exponential:
        imin = 2
    return slice(imin - 1, imax)


def _median_rows(values: np.ndarray) -> np.ndarray:
    """The median of each row, as ``np.median(values, axis=1)``, partitioning ``values`` in place."""
    n = values.shape[1]
    middle = n // 2
    values.partition(middle, axis=1)
    upper = values[:, middle].copy()
    if n % 2:
        return upper
    return 0.5 * (values[:, :middle].max(axis=1) + upper)


def _trend(level: np.ndarray, x: np.ndarray, robust: bool) -> tuple[np.ndarray, np.ndarray]:
    """A line per frame (rows) through ``level`` (the fitted columns of the cepstrum on a log scale)
    against ``x`` (their quefrencies, or its logarithm); returns slope and intercept.

    Least squares, or Theil's incomplete method as in Praat's ``NUMlineFit_theil``: the median of
    the slopes between point i and point i + n/2 of the range, then the median of the intercepts.
    """
    if robust:
        half = x.size // 2
        second = half + 1 if x.size % 2 else half
        slopes = level[:, second:second + half] - level[:, :half]
        slopes /= (x[second:second + half] - x[:half]).astype(level.dtype)
        slope = _median_rows(slopes)
        residuals = np.multiply(slope[:, None], -x.astype(level.dtype)[None, :])
        residuals += level
        return slope.astype(np.float64), _median_rows(residuals).astype(np.float64)
    centred = x - x.mean()
    slope = (level @ centred.astype(level.dtype)).astype(np.float64) / np.dot(centred, centred)
    return slope, level.mean(axis=1, dtype=np.float64) - slope * x.mean()  # centred sums to zero


def _band_maximum(level: np.ndarray, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Praat's ``Vector_getMaximumAndX`` with parabolic interpolation, per row, over columns
    ``first..last``: the larger end value, or a local maximum of the band (its neighbours may lie
    outside the band) raised to the top of the parabola through it and its neighbours. Returns the
    maxima and their fractional column indices."""
    rows = np.arange(level.shape[0])
    peak = level[:, first].astype(np.float64)
    index = np.full(level.shape[0], float(first))
    right_end = level[:, last] > peak
    peak[right_end] = level[right_end, last]
    index[right_end] = last
    inner_first, inner_last = max(first, 1), min(last, level.shape[1] - 2)
    mid = level[:, inner_first:inner_last + 1]
    rise = mid - level[:, inner_first - 1:inner_last]  # above the left neighbour
    fall = mid - level[:, inner_first + 1:inner_last + 2]  # above the right neighbour
    local = rise > 0
    local &= fall >= 0
    # The parabola through the three points peaks at offset (rise - fall) / (2 (rise + fall)) from the
    # middle point, (rise - fall)^2 / (8 (rise + fall)) above it; rise + fall > 0 at a local maximum.
    skew = rise - fall
    curvature = np.add(rise, fall, out=rise)
    top = np.full(mid.shape, -np.inf, dtype=level.dtype)
    np.square(skew, out=top, where=local)
    np.divide(top, curvature, out=top, where=local)
    top *= 0.125
    top += mid  # -inf away from the local maxima
    best = np.argmax(top, axis=1)
    best_top = top[rows, best].astype(np.float64)
    better = best_top > peak
    peak[better] = best_top[better]
    offset = 0.5 * skew[rows, best].astype(np.float64) / curvature[rows, best]
    index[better] = inner_first + best[better] + offset[better]
    return peak, np.clip(index, first, last)


class _Prominence:
    """Steps 3 to 5 of ``Get CPPS`` for blocks of frames of a power cepstrogram on quefrencies ``q``.

    The cepstrum's level is worked on as ``ln(power + 1e-30)``, in single precision unless the trend
    is divided out first: then many cells sit at or just above the line (level 0), where single
    precision would round away the small differences that decide the medians. Every step after the
    logarithm (medians, lines, the parabola's top) scales with the level, so the prominences are
    turned into decibels at the end.
    """

    def __init__(self, q: np.ndarray, settings: CppsSettings) -> None:
        s = settings
        dq = q[1] - q[0]
        self.exponential = s.trend_type == "exponential decay"
        self.robust = s.fit == "robust"
        self.fit = _fit_slice(0.0, dq, q.size, s.trend_from_s, s.trend_to_s, self.exponential)
        self.x = np.log(q[self.fit]) if self.exponential else q[self.fit]
        qx = q.copy()
        qx[0] = 0.5 * dq
        self.x_all = np.log(qx) if self.exponential else qx
        self.smoothing = None
        if int(math.floor(s.quefrency_window_s / dq)) > 1:
            self.smoothing = _WindowMean(q.size, 0.0, dq, 0.5 * s.quefrency_window_s, (0.0, q[-1]))
        self.first = int(math.ceil((1.0 / s.peak_ceiling_hz) / dq))
        self.last = int(math.floor((1.0 / s.peak_floor_hz) / dq))
        self.dq = dq
        self.dtype = np.float64 if s.subtract_trend_before_smoothing else np.float32

    def detrended(self, power: np.ndarray) -> np.ndarray:
        """Get CPPS's optional first step: the power with its trend line (in dB) divided out,
        powers below the line set to the line's (0 dB)."""
        level = np.log(np.add(power, 1e-30, dtype=np.float64))
        slope, intercept = _trend(level[:, self.fit], self.x, self.robust)
        level -= slope[:, None] * self.x_all[None, :]
        level -= intercept[:, None]
        np.maximum(level, 0.0, out=level)
        out = np.exp(level, out=level)
        out -= 1e-30
        return out

    def decibels(self, power: np.ndarray) -> np.ndarray:
        """The cepstral peak prominence (dB) of each frame (row) of ``power``, smoothed across time
        already if the settings ask for it."""
        # ln(mean(power) + 1e-30) = ln(mean(power + 1e-30)): the weights of every mean add up to 1
        level = np.add(power, 1e-30, dtype=self.dtype)
        if self.smoothing is not None:
            level = self.smoothing.apply(level, axis=1)
        np.log(level, out=level)
        slope, intercept = _trend(level[:, self.fit], self.x, self.robust)
        peak, index = _band_maximum(level, self.first, self.last)
        q_peak = index * self.dq
        line = slope * (np.log(q_peak) if self.exponential else q_peak) + intercept
        prominence = peak - line
        prominence *= 10.0 / math.log(10.0)
        return prominence


def _quefrencies(settings: CppsSettings) -> np.ndarray:
    """The quefrency axis (s) of :func:`power_cepstrogram`: 0 to half the padded frame length."""
    fs = int(round(2 * settings.maximum_frequency_hz))
    nfft = _fft_length(settings)
    nq = nfft // 2 + 1
    return (0.5 * nfft / fs / (nq - 1)) * np.arange(nq)


def _fft_length(settings: CppsSettings) -> int:
    fs = int(round(2 * settings.maximum_frequency_hz))
    n_win = int(round(2.0 * 3.0 / settings.pitch_floor_hz * fs))
    return 1 << max(1, (n_win - 1).bit_length())


#: Frames analysed together: few enough that a block's arrays (a few megabytes) stay in the
#: processor's cache, enough that NumPy's cost per call is small beside the arithmetic.
_BLOCK_FRAMES = 256
#: At most this many threads analyse blocks of frames at the same time (NumPy and SciPy's FFT
#: release the interpreter lock in the costly steps).
_MAX_THREADS = 2
#: The smallest normal single-precision number: the floor of the power spectrum before its logarithm.
_TINY = float(np.finfo(np.float32).tiny)


class _Frames:
    """Steps 1 and 2 of ``To PowerCepstrogram`` for the frames centred at ``times``: the sound
    resampled and pre-emphasised once, then the power cepstra of any run of frames on demand."""

    def __init__(self, samples: np.ndarray, sample_rate: int, times: np.ndarray, s: CppsSettings) -> None:
        fs = int(round(2 * s.maximum_frequency_hz))
        window_s = 2.0 * 3.0 / s.pitch_floor_hz
        x = _fourier_resample(np.asarray(samples, dtype=np.float64), int(sample_rate), fs)
        pre = math.exp(-2.0 * math.pi * s.pre_emphasis_hz / fs)
        x[1:] -= pre * x[:-1]  # the right-hand side is computed whole before x changes
        self.n_win = n_win = int(round(window_s * fs))
        self.nfft = _fft_length(s)
        self.window = _gaussian_window(n_win)
        self.fs = fs
        # Praat's Sound_into_Sound: the frame starts at the sample nearest to t - window/2 (x1 = 0.5/fs).
        starts = np.floor((times - window_s / 2 - 0.5 / fs) * fs + 1.0 + 0.5).astype(np.int64) - 1
        if starts.size and (starts[0] < 0 or starts[-1] + n_win > x.size):  # zeros outside the sound
            x = np.concatenate([np.zeros(n_win), x, np.zeros(n_win)])
            starts = starts + n_win
        self.starts = starts
        self.running = np.concatenate([[0.0], np.cumsum(x)])  # frame means from running sums
        self.frames_of = np.lib.stride_tricks.sliding_window_view(x, n_win)

    def power_cepstra(self, lo: int, hi: int) -> np.ndarray:
        """Power cepstra (frames x quefrencies, single precision) of frames ``lo`` to ``hi - 1``."""
        first = self.starts[lo:hi]
        n, n_win = first.size, self.n_win
        padded = np.zeros((n, self.nfft))
        step = int(first[1] - first[0]) if n > 1 else 1
        if step > 0 and np.all(np.diff(first) == step):
            source = self.frames_of[first[0]:first[-1] + 1:step]
        else:
            source = self.frames_of[first]
        frames = padded[:, :n_win]
        np.subtract(source, ((self.running[first + n_win] - self.running[first]) / n_win)[:, None], out=frames)
        frames *= self.window
        spectrum = fft.rfft(padded, axis=1)
        power = np.square(spectrum.real)
        power += np.square(spectrum.imag)
        # Praat's spectrum is the FFT times the sample period (which moves quefrency 0 only). The
        # logarithm and what follows are in single precision, the spectrum itself is not: its range
        # within a frame can pass the 140 dB that single precision keeps.
        level = np.multiply(power, 1.0 / self.fs**2, out=np.empty(power.shape, np.float32), casting="same_kind")
        np.maximum(level, _TINY, out=level)  # Praat adds 1e-300, below single precision's range
        np.log(level, out=level)
        # The inverse real FFT of a real, even spectrum: a type-I cosine transform of its half.
        cepstrum = fft.dct(level, type=1, axis=1, overwrite_x=True)
        cepstrum *= 1.0 / self.nfft
        return np.square(cepstrum, out=cepstrum)


def _idle_processors() -> float:
    """Processors left idle by the one-minute load average (which counts this process), 0 where the
    system does not tell."""
    loadavg = getattr(os, "getloadavg", None)
    try:
        return (os.cpu_count() or 1) - loadavg()[0] if loadavg else 0.0
    except OSError:
        return 0.0


def _over_blocks(function: Callable[[int, int], T], count: int) -> list[T]:
    """``function(lo, hi)`` for consecutive blocks of ``count`` frames, in order.

    On up to :data:`_MAX_THREADS` threads, but on one while no processor is idle: on a busy machine a
    second thread only waits for a processor (and measured a little slower than one).
    """
    bounds = [(lo, min(lo + _BLOCK_FRAMES, count)) for lo in range(0, count, _BLOCK_FRAMES)]
    threads = min(_MAX_THREADS, len(bounds), 1 + int(_idle_processors() + 0.5))
    if threads <= 1:
        return [function(lo, hi) for lo, hi in bounds]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda bound: function(*bound), bounds))


def power_cepstrogram(samples: np.ndarray, sample_rate: int, settings: CppsSettings | None = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Praat's ``Sound: To PowerCepstrogram``: frame times (s), quefrencies (s), power (frames x quefrencies)."""
    s = settings or CppsSettings()
    times = _frame_times(samples.size, sample_rate, 2.0 * 3.0 / s.pitch_floor_hz, s.time_step_s)
    q = _quefrencies(s)
    cepstra = np.empty((times.size, q.size))
    if times.size:
        frames = _Frames(samples, sample_rate, times, s)

        def fill(lo: int, hi: int) -> None:
            cepstra[lo:hi] = frames.power_cepstra(lo, hi)

        _over_blocks(fill, times.size)
    return times, q, cepstra


def _smoothed_across_time(s: CppsSettings) -> bool:
    return int(math.floor(s.time_window_s / s.time_step_s)) > 1


def cpps(samples: np.ndarray, sample_rate: int, settings: CppsSettings | None = None) -> float | None:
    """Smoothed cepstral peak prominence of a sound, in dB.

    Parameters
    ----------
    samples : ndarray, shape (n,)
        Mono sound.
    sample_rate : int
        Samples per second (an integer).
    settings : CppsSettings, optional

    Returns
    -------
    float or None
        CPPS in dB; None when the sound is shorter than one analysis window (0.1 s).
    """
    s = settings or CppsSettings()
    duration_s = samples.size / sample_rate
    if _smoothed_across_time(s):  # smoothing across frames needs the whole cepstrogram
        times, q, cepstra = power_cepstrogram(samples, sample_rate, s)
        return cpps_of_cepstrogram(times, q, cepstra, duration_s, s) if times.size else None
    times = _frame_times(samples.size, sample_rate, 2.0 * 3.0 / s.pitch_floor_hz, s.time_step_s)
    if times.size == 0:
        return None
    frames = _Frames(samples, sample_rate, times, s)
    prominence = _Prominence(_quefrencies(s), s)

    def block_sum(lo: int, hi: int) -> float:
        power = frames.power_cepstra(lo, hi)
        if s.subtract_trend_before_smoothing:
            power = prominence.detrended(power)
        return float(np.sum(prominence.decibels(power)))

    return math.fsum(_over_blocks(block_sum, times.size)) / times.size


def cpps_of_cepstrogram(times: np.ndarray, q: np.ndarray, cepstra: np.ndarray, duration_s: float,
                        settings: CppsSettings | None = None) -> float:
    """Praat's ``PowerCepstrogram: Get CPPS`` on a cepstrogram from :func:`power_cepstrogram` (dB; NaN
    for a cepstrogram without frames)."""
    s = settings or CppsSettings()
    if times.size == 0:
        return math.nan
    prominence = _Prominence(q, s)
    if s.subtract_trend_before_smoothing:
        detrended = np.empty(cepstra.shape)

        def fill(lo: int, hi: int) -> None:
            detrended[lo:hi] = prominence.detrended(cepstra[lo:hi])

        _over_blocks(fill, times.size)
        cepstra = detrended
    if _smoothed_across_time(s):
        across_time = _WindowMean(times.size, times[0], s.time_step_s, 0.5 * s.time_window_s, (0.0, duration_s))
        cepstra = across_time.apply(np.asarray(cepstra, dtype=np.float64), axis=0)
    sums = _over_blocks(lambda lo, hi: float(np.sum(prominence.decibels(cepstra[lo:hi]))), times.size)
    return math.fsum(sums) / times.size
