"""Praat's cross-correlation pitch, ``Sound: To Pitch (cc)``, computed on all frames at once.

Praat's own command computes the cross-correlation of every frame lag by lag and sample by sample
(a cost of about ``(rate / floor)^2`` per frame, a frame every ``0.25 / floor`` s): over a second for a
minute of speech. :func:`pitch_cc` follows the same method (Boersma 1993; Praat's
``Sound_to_Pitch.cpp``, ``Sound_to_Pitch_any`` with the ``FCC_NORMAL`` method, and ``Pitch.cpp``,
``Pitch_pathFinder``) with the arithmetic arranged for NumPy, and returns a real Praat ``Pitch``
holding the same frames, candidates and path, so that Praat's commands (``To PointProcess (cc)``,
``Get mean``, ...) work on it unchanged. In order:

1. **Frames**: as many windows of ``2 / floor`` s as fit, centred in the sound, one every
   ``0.25 / floor`` s (``Sampled_shortTermAnalysis``). The window is ``N`` samples, ``N`` the even
   number ``2 * (floor(rate / floor) // 2 - 1)``.
2. **Local mean** over one longest period (``1 / floor``) to each side of the frame's centre, and the
   **intensity**: the largest deviation from that mean within half a period of the centre, divided
   by the largest deviation of the whole sound from its mean.
3. **Normalised cross-correlation** ``r[i] = sum x[j] y[j + i] / sqrt(sum x^2 * sum y[i..i+N)^2)``
   for every lag ``i`` up to ``N``, ``x`` the ``N`` samples from ``1 / floor`` s before the frame's
   centre and ``y`` the ``2N`` samples from there (both minus the local mean). Praat sums the
   products lag by lag in extended precision; here the products of all lags come from one FFT per
   frame (frames in batches) and the sums of squares from running sums taken outwards from the
   middle of the span, so that no sum is a difference of larger ones: ``r`` agrees with Praat's to
   about 1e-15. Where ``x`` or ``y`` is all zeros (digital silence), ``r`` is 0 / 0 as in Praat, and
   where ``y`` is constant over whole windows, ``r`` is kept exactly equal across those lags, as
   Praat's sums are (the FFT's rounding would make false maxima there).
4. **Candidates**: every local maximum of ``r`` above half the voicing threshold (lags 2 to
   ``N - 1``) in order of lag, after the voiceless candidate; when a frame has more maxima than
   places, each further maximum takes the place of the weakest candidate so far (strength from a
   parabola through three lags and a windowed-sinc interpolation of depth 30, minus
   ``octave cost * log2(floor / frequency)``) if it is stronger.
5. **Refinement**: each candidate's lag is the maximum of the sinc interpolation of ``r`` (depth 70,
   700 above ``0.3 * rate``, less near lag ``N``) found by Brent's method on the two lags around the
   maximum, with Praat's steps and tolerance (``NUMimproveMaximum``, ``NUMminimize_brent``); the
   interpolated ``r`` there is the strength, reflected as ``1 / r`` above 1. Brent's method stops
   only within about 1e-5 lag of the maximum, so Praat's frequencies are only had by taking the same
   steps: the search runs on all candidates at once, in parts that fit the processor's cache. The
   function it evaluates (Praat's ``NUM_interpolate_sinc``: sinc times a raised cosine whose width
   follows the position) is, on each of the two lags, a smooth function of the position; it is
   evaluated as the polynomial of degree 14 through its values at the Chebyshev points (accurate to
   about 1e-15), whose coefficients for all candidates come from one matrix product with ``r``
   around each. On the last two lags (Praat's linear and cubic interpolation there) it is computed
   directly.
6. **Path** (``Pitch_pathFinder``): the Viterbi path through the candidates with the voicing,
   silence, octave, octave-jump and voiced/unvoiced costs, the last two scaled by ``0.01 / time
   step``; the chosen candidate is swapped to the first place of each frame, as Praat does. A frame
   whose candidates are all voiceless ends one independent stretch of the path and starts the next,
   so the stretches are searched side by side.

The result is written in Praat's binary format for a Pitch and read back with Parselmouth. Batches
of frames, and parts of the search, run in two threads (NumPy and the FFT let go of the interpreter
while they count), as Praat's command also uses two processors. The frames are taken 8192 at a
time (about 40 s at a floor of 55 Hz), so the memory does not grow with the length: about 50 MB at
its peak for a minute of sound.

Agreement with Praat 6.1.38 (Parselmouth 0.4.7), measured on synthetic vowels and speech, noise,
digital silence and espeak-ng speech at 8 to 48 kHz: the frames and their times are the same, and so
are the intensities, the number and order of the candidates in every frame and the chosen path
(voiced and unvoiced frames alike); the strengths agree to 2e-14 and the frequencies to about 1e-10
relative (median 1e-13, 99.9 % within 1.4e-10 on a minute of speech and on vowels). The exception
is the rare candidate whose search in Praat took another turn on a rounding difference in ``r``
(the FFT's products are good to about 1e-15, Praat's sums in extended precision to 1e-17): it
still lies within Brent's tolerance (a few 1e-5 of a lag, at most about 3e-7 relative). That is
about 1 candidate in 4000 in a minute of speech, up to 2 in 100 in short sounds analysed with a
high floor, where the onset and the end make a larger share of the frames; most are far above the
ceiling (of the chosen voiced frames, 2 in 6800 in such tests). The glottal pulses of ``To
PointProcess (cc)`` on this Pitch are Praat's, to the last bit.
"""

from __future__ import annotations

import math
import os
import queue
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import parselmouth
from scipy import fft as sfft

__all__ = ["PitchCandidates", "pitch_cc", "pitch_cc_candidates", "praat_pitch_bytes"]

#: Praat's ``NUMlog2e`` (``NUMlog2 (x) = log (x) * NUMlog2e``).
_LOG2E = 1.4426950408889634
#: Brent's tolerance: ``sqrt (eps) * |x| + tol / 3`` with Praat's ``eps`` (2^-53) and ``tol`` 1e-10.
_SQRT_EPS = math.sqrt(2.0 ** -53)
_BRENT_TOL = 1e-10
_GOLDEN = 1.0 - 0.6180339887498948482
#: Depths of the sinc interpolation: first estimate, refinement, refinement of very short lags.
_DEPTH_FIRST, _DEPTH_REFINE, _DEPTH_REFINE_SHORT = 30, 70, 700
#: Coefficients of the polynomial for the interpolated correlation on each lag piece.
_POLYNOMIAL_TERMS = 15
#: Candidates per part of the vectorised Brent search.
_BRENT_PART = 8192
#: Size (rows x columns x inner) of each product that gives the polynomials' coefficients: below
#: OpenBLAS's threshold for using more than one thread (65536 * 4).
_GEMM_SIZE = 200_000
#: Frames whose candidates are refined together (about 40 s at a 55 Hz floor; bounds the memory).
_CHUNK_FRAMES = 8192
#: Frames per batch of the correlation (memory: about 3 * batch * 2N doubles).
_BATCH_FRAMES = 512


@dataclass(frozen=True)
class _Layout:
    """Praat's analysis constants for one sound (names as in ``Sound_to_Pitch_any``)."""

    nx: int
    dx: float
    x1: float
    floor: float
    ceiling: float
    max_candidates: int
    dt: float
    t1: float
    n_frames: int
    n_period: int          # nsamp_period
    half_period: int       # halfnsamp_period
    n_window: int          # nsamp_window (N); also maximumLag and brent_ixmax for cc
    half_window: int       # halfnsamp_window


def _layout(nx: int, rate: float, floor_hz: float, ceiling_hz: float, max_candidates: int) -> _Layout:
    dx = 1.0 / rate
    x1 = 0.5 * dx
    if max_candidates < ceiling_hz / floor_hz:
        max_candidates = math.floor(ceiling_hz / floor_hz)
    periods_per_window = 1.0
    dt = periods_per_window / floor_hz / 4.0
    duration = dx * nx
    if floor_hz < periods_per_window / duration:
        raise ValueError(f"the pitch floor must be at least {periods_per_window / duration:g} Hz for a sound "
                         f"of {duration:g} s")
    n_period = math.floor(1.0 / dx / floor_hz)
    ceiling = min(ceiling_hz, 0.5 / dx)
    dt_window = periods_per_window / floor_hz
    half_window = math.floor(dt_window / dx) // 2 - 1
    if half_window < 2:
        raise ValueError("the analysis window is too short for this pitch floor and sampling rate")
    window_duration = 1.0 / floor_hz + dt_window
    if window_duration > duration:
        raise ValueError("the sound is shorter than the pitch analysis window (2 / floor)")
    n_frames = math.floor((duration - window_duration) / dt) + 1
    mid = x1 - 0.5 * dx + 0.5 * duration
    t1 = mid - 0.5 * (n_frames * dt) + 0.5 * dt
    return _Layout(nx=nx, dx=dx, x1=x1, floor=floor_hz, ceiling=ceiling, max_candidates=max_candidates, dt=dt,
                   t1=t1, n_frames=n_frames, n_period=n_period, half_period=n_period // 2 + 1,
                   n_window=2 * half_window, half_window=half_window)


class _Scratch:
    """Work arrays of one thread, reused from batch to batch: fresh memory costs the system a page
    fault every 4 KB, which made up a good part of the time."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
        size = math.prod(shape)
        array = self._arrays.get(name)
        if array is None or array.size < size or array.dtype != dtype:
            array = self._arrays[name] = np.empty(size, dtype)
        return array[:size].reshape(shape)

    def windows(self, name: str, signal: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
        """``signal[start:start + width]`` for each start, as the rows of a work array."""
        index = np.add(starts[:, None], np.arange(width), out=self.get("index", (starts.size, width), np.int64))
        return np.take(signal, index, out=self.get(name, (starts.size, width)), mode="clip")


@dataclass
class PitchCandidates:
    """All frames of a cross-correlation pitch analysis, as Praat stores them.

    Attributes
    ----------
    t1, dt : float
        Time of the first frame's centre and the time step (s).
    ceiling : float
        The pitch ceiling (Hz), clipped to the Nyquist frequency.
    max_candidates : int
        Praat's maximum number of candidates per frame.
    intensity : ndarray, shape (n_frames,)
        Local peak relative to the global peak.
    count : ndarray of int, shape (n_frames,)
        Number of candidates of each frame, the voiceless one included.
    frequency, strength : ndarray, shape (n_frames, max_candidates)
        The candidates in Praat's order (the chosen one first); unused places are 0.
    """

    t1: float
    dt: float
    ceiling: float
    max_candidates: int
    intensity: np.ndarray
    count: np.ndarray
    frequency: np.ndarray
    strength: np.ndarray


# -- windowed-sinc interpolation (Praat's NUM_interpolate_sinc) --------------------------------

def _sinc_weights(phi: np.ndarray, depth: int) -> np.ndarray:
    """Weights of the ``2 * depth`` samples around ``x = midleft + phi`` (0 < phi < 1), left ones
    from ``midleft`` down, then right ones from ``midleft + 1`` up; shape ``phi.shape + (2 * depth,)``.
    The raised-cosine window reaches to ``phi + depth`` on the left and ``depth + 1 - phi`` on the
    right, as in Praat 6.1 (later versions make it ``depth + 0.5`` on both sides)."""
    phi = np.asarray(phi, dtype=float)[..., None]
    k = np.arange(depth)
    left = np.pi * (phi + k)
    right = np.pi * (1.0 - phi + k)
    sign = np.where(k % 2 == 0, 1.0, -1.0)
    w_left = 0.5 * sign * np.sin(np.pi * phi) / left * (1.0 + np.cos(left / (phi + depth)))
    w_right = 0.5 * sign * np.sin(np.pi * (1.0 - phi)) / right * (1.0 + np.cos(right / (depth + 1.0 - phi)))
    return np.concatenate([w_left, w_right], axis=-1)


def _sinc_exact(y: np.ndarray, x: np.ndarray, depth: np.ndarray | int) -> np.ndarray:
    """Praat's ``NUM_interpolate_sinc`` of each row of ``y`` at ``x`` (1-based positions)."""
    y = np.atleast_2d(y)
    x = np.asarray(x, dtype=float)
    size = y.shape[1]
    rows = np.arange(y.shape[0])
    depth = np.broadcast_to(np.asarray(depth), x.shape)
    result = np.full(x.shape, np.nan)
    midleft = np.floor(x).astype(np.int64)

    def at(index):  # y [index], 1-based, clipped into the row
        return y[rows, np.clip(index, 1, size) - 1]

    below, above, on = x < 1, x > size, x == midleft
    result[below] = y[rows[below], 0]
    result[above] = y[rows[above], size - 1]
    rest = ~(below | above)
    result[rest & on] = at(midleft)[rest & on]
    rest &= ~on
    d = np.minimum(np.minimum(depth, midleft), size - midleft)
    nearest = rest & (d <= 0)
    result[nearest] = at(np.floor(x + 0.5).astype(np.int64))[nearest]
    yl, yr = at(midleft), at(midleft + 1)
    linear = rest & (d == 1)
    result[linear] = (yl + (x - midleft) * (yr - yl))[linear]
    cubic = rest & (d == 2)
    if cubic.any():
        dyl, dyr = 0.5 * (yr - at(midleft - 1)), 0.5 * (at(midleft + 2) - yl)
        fil, fir = x - midleft, midleft + 1 - x
        value = yl * fir + yr * fil - fil * fir * (0.5 * (dyr - dyl) + (fil - 0.5) * (dyl + dyr - 2 * (yr - yl)))
        result[cubic] = value[cubic]
    full = np.nonzero(rest & (d >= 3))[0]
    for dd in np.unique(d[full]):
        idx = full[d[full] == dd]
        k = np.arange(int(dd))
        positions = np.concatenate([midleft[idx, None] - k, midleft[idx, None] + 1 + k], axis=1)
        weights = _sinc_weights(x[idx] - midleft[idx], int(dd))
        result[idx] = np.sum(y[idx[:, None], positions - 1] * weights, axis=1)
    return result


@lru_cache(maxsize=1)
def _chebyshev_points_to_powers() -> tuple[np.ndarray, np.ndarray]:
    """The Chebyshev points ``phi`` in [0, 1], and the matrix (in extended precision) from values
    there to the coefficients of the interpolating polynomial in powers of ``s = 2 phi - 1``.

    Extended precision, because the step from Chebyshev coefficients to powers has integers up to
    ``2^13``: done in double, it would multiply rounding errors by as much."""
    ld = np.longdouble
    n = _POLYNOMIAL_TERMS
    theta = np.arccos(ld(-1.0)) * (np.arange(n).astype(ld) + ld(0.5)) / n
    to_chebyshev = (ld(2.0) / n) * np.cos(np.outer(np.arange(n).astype(ld), theta))
    to_chebyshev[0] *= ld(0.5)
    chebyshev_to_powers = np.zeros((n, n), ld)  # row k: the coefficients of T_k
    chebyshev_to_powers[0, 0] = 1
    chebyshev_to_powers[1, 1] = 1
    for k in range(2, n):
        chebyshev_to_powers[k, 1:] = 2 * chebyshev_to_powers[k - 1, :-1]
        chebyshev_to_powers[k] -= chebyshev_to_powers[k - 2]
    return (0.5 + 0.5 * np.cos(theta)).astype(float), to_chebyshev.T @ chebyshev_to_powers


@lru_cache(maxsize=512)
def _polynomial_matrix(depth_left: int, depth_right: int) -> np.ndarray:
    """Matrix from ``r`` at lags ``i - depth_left .. i + depth_right`` to the coefficients (powers 0
    to ``_POLYNOMIAL_TERMS - 1`` of ``s = 2 phi - 1``) of the sinc interpolation on the piece
    ``[i - 1, i]`` (interpolation depth ``depth_left``) and on ``[i, i + 1]`` (``depth_right``): the
    polynomials through its values at the Chebyshev points."""
    nodes, to_powers = _chebyshev_points_to_powers()
    n = _POLYNOMIAL_TERMS
    matrix = np.zeros((depth_left + depth_right + 1, 2 * n))
    for piece, (depth, first) in enumerate(((depth_left, 0), (depth_right, depth_left - depth_right + 1))):
        # The piece's 2 * depth lags run from midleft - depth + 1 to midleft + depth
        # (midleft = i - 1 + piece); the weights come left ones first, from midleft down.
        order = np.concatenate([np.arange(depth - 1, -1, -1), np.arange(depth, 2 * depth)])
        weights = _sinc_weights(nodes, depth).T.astype(np.longdouble)
        matrix[first + order, piece * n:(piece + 1) * n] = (weights @ to_powers).astype(float)
    return matrix


def _horner(coefficients: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Sum of ``coefficients[k] * s^k`` (coefficients by rows, one column per point)."""
    value = coefficients[-1].copy()
    for k in range(coefficients.shape[0] - 2, -1, -1):
        value *= s
        value += coefficients[k]
    return value


# -- frames: local mean, intensity, normalised cross-correlation -------------------------------

def _flat_runs(z: np.ndarray, length: int) -> np.ndarray:
    """(start, end) of the runs of at least ``length`` equal samples (digital silence), end excluded."""
    equal = z[1:] == z[:-1]
    if np.count_nonzero(equal) < length - 1:
        return np.zeros((0, 2), np.int64)
    change = np.nonzero(~equal)[0] + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [z.size]])
    long_enough = ends - starts >= length
    return np.stack([starts[long_enough], ends[long_enough]], axis=1)


def _level_flat_windows(r: np.ndarray, segment: np.ndarray, n: int) -> None:
    """Where ``y`` is one constant over whole windows, Praat's ``r`` is the same at all those lags
    (and +-1 where ``x`` is constant too); the FFT's rounding would make false maxima there."""
    equal = np.concatenate([[0], np.cumsum(segment[1:] == segment[:-1])])
    flat = equal[n - 1:2 * n] - equal[:n + 1] == n - 1  # window [i, i + N) constant, lags 0..N
    lag = 1
    while lag <= n:
        if not flat[lag]:
            lag += 1
            continue
        end = lag
        while end + 1 <= n and flat[end + 1]:
            end += 1
        r[lag:end + 1] = np.sign(segment[0] * segment[lag]) if flat[0] else r[lag]
        lag = end + 1


def _frame_correlations(z: np.ndarray, lay: _Layout, frames: np.ndarray, global_peak: float,
                        flat_runs: np.ndarray, scratch: _Scratch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intensity, silence (local peak 0) and ``r`` at lags 0..N (rows) of the given frames."""
    n = lay.n_window
    count = frames.size
    t = lay.t1 + frames * lay.dt
    left = np.floor((t - lay.x1) / lay.dx).astype(np.int64) + 1  # Sampled_xToLowIndex, 1-based
    # Local mean over samples left + 1 - P .. left + P (1-based), summed one after the other as
    # Praat does: where the frame is quiet, the last bit of the mean shows in r.
    mean_windows = scratch.windows("mean", z, left - lay.n_period, 2 * lay.n_period)
    local_mean = np.cumsum(mean_windows, axis=1, out=mean_windows)[:, -1] / (2 * lay.n_period)
    # Local peak: |z - mean| within half a longest period of the centre.
    first_j = max(1, lay.half_window + 1 - lay.half_period)
    last_j = min(n, lay.half_window + lay.half_period)
    peak_windows = scratch.windows("peak", z, left - lay.half_window + first_j - 1, last_j - first_j + 1)
    local_peak = np.maximum(peak_windows.max(axis=1) - local_mean, local_mean - peak_windows.min(axis=1))
    intensity = np.where(local_peak > global_peak, 1.0, local_peak / global_peak)
    # Correlation span: 2N samples from 1 / floor before the centre (at the sound's start, from its
    # first sample, as in Praat; the layout of the frames keeps the span's end inside the sound).
    start_time = t - 0.5 * (1.0 / lay.floor + 1.0 / lay.floor)
    start = np.maximum(np.floor((start_time - lay.x1) / lay.dx).astype(np.int64), 0)
    segment = scratch.windows("segment", z, start, 2 * n)
    segment -= local_mean[:, None]
    # Sums of y^2 over [i, i + N): the part left of the middle summed leftwards, the rest
    # rightwards, so that no sum is a difference of larger sums.
    left_squares = np.square(segment[:, n - 1::-1], out=scratch.get("left", (count, n)))
    right_squares = np.square(segment[:, n:], out=scratch.get("right", (count, n)))
    np.cumsum(left_squares, axis=1, out=left_squares)    # [:, k] = sum of squares[n - 1 - k .. n - 1]
    np.cumsum(right_squares, axis=1, out=right_squares)  # [:, k] = sum of squares[n .. n + k]
    sum_x2 = left_squares[:, n - 1]
    sum_y2 = scratch.get("sum_y2", (count, n + 1))
    sum_y2[:, 0] = sum_x2
    sum_y2[:, 1:n] = left_squares[:, n - 2::-1]
    sum_y2[:, 1:n] += right_squares[:, :n - 1]
    sum_y2[:, n] = right_squares[:, n - 1]
    flat_rows = np.zeros(0, np.int64)
    if flat_runs.size:  # digital silence long enough to fill a window
        overlap = (np.minimum(flat_runs[None, :, 1], (start + 2 * n)[:, None])
                   - np.maximum(flat_runs[None, :, 0], start[:, None]))
        flat_rows = np.nonzero(np.any(overlap >= n, axis=1))[0]
    flat_segments = segment[flat_rows].copy()
    size = sfft.next_fast_len(2 * n, real=True)
    spectrum = sfft.rfft(segment, size, axis=1)
    segment[:, n:] = 0.0  # x alone
    x_spectrum = sfft.rfft(segment, size, axis=1)
    spectrum *= np.conjugate(x_spectrum, out=x_spectrum)
    r = sfft.irfft(spectrum, size, axis=1)[:, :n + 1]
    sum_y2 *= sum_x2[:, None]
    np.sqrt(sum_y2, out=sum_y2)
    with np.errstate(divide="ignore", invalid="ignore"):
        r /= sum_y2
    # Where x or y is all zeros (digital silence), Praat's product is exactly 0 and r is 0 / 0.
    r[sum_y2 == 0.0] = np.nan
    r[:, 0] = 1.0
    for row, flat_segment in zip(flat_rows, flat_segments, strict=True):
        _level_flat_windows(r[row], flat_segment, n)
    return intensity, local_peak == 0.0, r


def _symmetric(r: np.ndarray) -> np.ndarray:
    """Rows of ``r`` at lags -N..N (Praat's ``r [-i] = r [i]``)."""
    return np.concatenate([r[:, :0:-1], r], axis=1)


def _padded_rows(r: np.ndarray, pad: int) -> np.ndarray:
    """Rows of ``r`` (lags 0..N) preceded by lags ``-pad .. -1`` (Praat's ``r [-i] = r [i]``)."""
    padded = np.empty((r.shape[0], pad + r.shape[1]))
    padded[:, pad:] = r
    padded[:, :pad] = r[:, pad:0:-1]
    return padded


# -- candidates ------------------------------------------------------------------------------

def _first_estimates(r: np.ndarray, rows: np.ndarray, lags: np.ndarray, rate_inverse_dx: float
                     ) -> np.ndarray:
    """Praat's first frequency estimate of each maximum: a parabola through three lags."""
    r0, r1, r2 = r[rows, lags - 1], r[rows, lags], r[rows, lags + 1]
    dr = 0.5 * (r2 - r0)
    d2r = 2.0 * r1 - r0 - r2
    with np.errstate(divide="ignore", invalid="ignore"):
        return rate_inverse_dx / (lags + dr / d2r)


def _place_candidates(frequency: np.ndarray, strength: np.ndarray, places: int, floor_hz: float,
                      octave_cost: float) -> list[int]:
    """Indices of a frame's maxima (given in lag order) that keep a place, in place order, when
    there are more maxima than ``places``: a further maximum replaces the weakest candidate so far
    (strength minus ``octave_cost * log2(floor / frequency)``, the first of equals) if it is stronger."""
    favoured = (strength - octave_cost * (np.log(floor_hz / frequency) * _LOG2E)).tolist()
    kept = list(range(places))
    values = favoured[:places]
    for m in range(places, len(favoured)):
        weakest = min(values)
        if favoured[m] > weakest:
            place = values.index(weakest)
            kept[place], values[place] = m, favoured[m]
    return kept


# -- refinement: Brent's search for the maximum of the interpolated correlation ---------------

def _brent_maximise(evaluate, ixmid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Praat's ``NUMminimize_brent`` of ``-evaluate`` on ``[ixmid - 1, ixmid + 1]``, run on all
    candidates at once with Praat's steps and tolerance. Returns the positions and the values
    (``-maximum``) where each search stopped. ``evaluate(indices, x)`` interpolates candidates
    ``indices`` at positions ``x``."""
    count = ixmid.size
    best_x = np.empty(count)
    best_f = np.empty(count)
    index = np.arange(count)
    a, b = ixmid - 1.0, ixmid + 1.0
    x = a + _GOLDEN * (b - a)
    fx = -evaluate(index, x)
    w, v, fw, fv = x, x, fx, fx
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(60):
            middle = (a + b) / 2.0
            tol_act = _SQRT_EPS * np.abs(x) + _BRENT_TOL / 3.0
            done = np.abs(x - middle) + (b - a) / 2.0 <= 2.0 * tol_act
            if done.any():
                best_x[index[done]], best_f[index[done]] = x[done], fx[done]
                keep = ~done
                if not keep.any():
                    return best_x, best_f
                index, a, b, x, w, v, fx, fw, fv, middle, tol_act = (
                    array[keep] for array in (index, a, b, x, w, v, fx, fw, fv, middle, tol_act))
            below_middle = x < middle
            step = _GOLDEN * np.where(below_middle, b - x, a - x)
            # Parabola through (x, fx), (w, fw), (v, fv): its step p / q, accepted if it is short
            # enough and stays inside [a, b] (away from the ends by the tolerance).
            t = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * t
            q = 2.0 * (q - t)
            p = np.where(q > 0.0, -p, p)
            q = np.abs(q)
            twice_tol = 2.0 * tol_act
            parabolic = ((np.abs(x - w) >= tol_act) & (np.abs(p) < np.abs(step * q))
                         & (p > q * (a - x + twice_tol)) & (p < q * (b - x - twice_tol)))
            step = np.where(parabolic, p / q, step)
            step = np.where(np.abs(step) < tol_act, np.copysign(tol_act, step), step)
            u = x + step
            fu = -evaluate(index, u)
            better = fu <= fx
            before = u < x
            # a moves up to x (t better, beyond x) or to u (t worse, before x); b likewise.
            a = np.where(better != before, np.where(better, x, u), a)
            b = np.where(better == before, np.where(better, x, u), b)
            shift = ~better & ((fu <= fw) | (w == x))
            replace = ~better & ~shift & ((fu <= fv) | (v == x) | (v == w))
            moved = better | shift
            v, fv = (np.where(moved, w, np.where(replace, u, v)),
                     np.where(moved, fw, np.where(replace, fu, fv)))
            w, fw = np.where(better, x, np.where(shift, u, w)), np.where(better, fx, np.where(shift, fu, fw))
            x, fx = np.where(better, u, x), np.where(better, fu, fx)
    best_x[index], best_f[index] = x, fx  # not converged in 60 steps: Praat keeps the best so far
    return best_x, best_f


@dataclass
class _Refinement:
    """The candidates to refine: where they are and how to interpolate around them.

    The first ``n_poly`` candidates are interpolated through polynomials, the rest directly."""

    frame: np.ndarray          # frame index
    slot: np.ndarray           # place in the frame's candidates (1 = first after the voiceless)
    lag: np.ndarray            # lag of the maximum of r
    coefficients: np.ndarray   # (n_poly, 2 * terms): polynomial on [lag - 1, lag], then on [lag, lag + 1]
    exact_rows: np.ndarray     # (n_exact, 2N + 1): r at lags -N..N of the candidates interpolated directly
    exact_depth: np.ndarray    # their interpolation depth

    @property
    def n_poly(self) -> int:
        return self.coefficients.shape[0]


def _refine_part(ref: _Refinement, stacked: np.ndarray, n_window: int, part: slice
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Brent's maximum (lag, value) of the interpolated correlation of candidates ``part``;
    ``stacked[k, p * n_poly + j]`` is coefficient k of candidate j's piece p."""
    n_poly = ref.n_poly
    offset = n_window + 1  # position x in Praat's array of r at lags -N..N is lag + N + 1
    ixmid = (ref.lag[part] + offset).astype(float)
    first = part.start
    scratch = _Scratch()

    def evaluate(indices: np.ndarray, x: np.ndarray) -> np.ndarray:
        candidate = indices + first
        distance = x - ixmid[indices]  # in [-1, 1]; exact
        if candidate[-1] < n_poly:  # all through polynomials (the usual case)
            right = distance >= 0.0
            s = np.where(right, 2.0 * distance - 1.0, 2.0 * distance + 1.0)
            coefficients = scratch.get("coefficients", (stacked.shape[0], candidate.size))
            return _horner(np.take(stacked, candidate + right * n_poly, axis=1, out=coefficients, mode="clip"), s)
        out = np.empty(x.size)
        poly = candidate < n_poly
        if poly.any():
            right = distance[poly] >= 0.0
            s = np.where(right, 2.0 * distance[poly] - 1.0, 2.0 * distance[poly] + 1.0)
            out[poly] = _horner(np.take(stacked, candidate[poly] + right * n_poly, axis=1), s)
        j = candidate[~poly] - n_poly
        out[~poly] = _sinc_exact(ref.exact_rows[j], x[~poly], ref.exact_depth[j])
        return out

    x, f = _brent_maximise(evaluate, ixmid)
    return x - offset, -f


def _refine(ref: _Refinement, n_window: int, pool: ThreadPoolExecutor | None) -> tuple[np.ndarray, np.ndarray]:
    """Brent's maximum (lag, value) of each candidate's interpolated correlation, in parts (side
    by side when a pool of threads is given: NumPy lets go of the interpreter while it counts)."""
    n_poly = ref.n_poly
    stacked = ref.coefficients.reshape(n_poly, 2, _POLYNOMIAL_TERMS).transpose(2, 1, 0).reshape(
        _POLYNOMIAL_TERMS, 2 * n_poly)
    total = ref.lag.size
    # Parts small enough for the processor's cache make each NumPy step cheaper.
    parts = [slice(first, min(first + _BRENT_PART, total)) for first in range(0, total, _BRENT_PART)]
    if pool is None:
        results = [_refine_part(ref, stacked, n_window, part) for part in parts]
    else:
        results = list(pool.map(lambda part: _refine_part(ref, stacked, n_window, part), parts))
    if not results:
        return np.zeros(0), np.zeros(0)
    return np.concatenate([r[0] for r in results]), np.concatenate([r[1] for r in results])


def _batch_candidates(z: np.ndarray, lay: _Layout, frames: np.ndarray, voicing_threshold: float,
                      octave_cost: float, global_peak: float, flat_runs: np.ndarray, scratch: _Scratch) -> dict:
    """Intensity of the frames and their maxima that become candidates, with what refines them."""
    n = lay.n_window
    rate = 1.0 / lay.dx
    places = lay.max_candidates - 1
    intensity, silent, r = _frame_correlations(z, lay, frames, global_peak, flat_runs, scratch)
    middle = r[:, 2:n]
    maxima = (middle > 0.5 * voicing_threshold) & (middle > r[:, 1:n - 1]) & (middle >= r[:, 3:n + 1])
    maxima &= ~silent[:, None]
    rows, columns = np.nonzero(maxima)
    lags = columns + 2
    per_frame = np.bincount(rows, minlength=frames.size)
    row_start = np.concatenate([[0], np.cumsum(per_frame)[:-1]])
    slot = np.arange(rows.size) - row_start[rows] + 1
    first_frequency = _first_estimates(r, rows, lags, rate)
    crowded = np.nonzero(per_frame > places)[0]
    if crowded.size:  # more maxima than places: Praat's first estimates decide who stays
        members = np.concatenate([np.arange(row_start[row], row_start[row] + per_frame[row]) for row in crowded])
        position = rate / first_frequency[members] + (n + 1)  # in Praat's array of r at lags -N..N
        strength = _sinc_exact(_symmetric(r[rows[members]]), position, _DEPTH_FIRST)
        strength = np.where(strength > 1.0, 1.0 / strength, strength)
        keep = np.ones(rows.size, bool)
        keep[members] = False
        done = 0
        for row in crowded:
            mine = slice(done, done + per_frame[row])
            done += per_frame[row]
            kept = members[mine][_place_candidates(first_frequency[members[mine]], strength[mine], places,
                                                   lay.floor, octave_cost)]
            keep[kept] = True
            slot[kept] = np.arange(1, kept.size + 1)
        rows, lags, slot, first_frequency = rows[keep], lags[keep], slot[keep], first_frequency[keep]
    depth = np.where(first_frequency > 0.3 / lay.dx, _DEPTH_REFINE_SHORT, _DEPTH_REFINE)
    depth_left = np.minimum(depth, n - (lags - 1))
    depth_right = np.minimum(depth, n - lags)
    exact = depth_right < 3  # the last two lags: Praat's linear and cubic interpolation
    # Candidates grouped by the depths of their two pieces (70 and 70 but near the largest lags
    # and for very short ones).
    groups = depth_left * 1024 + depth_right
    groups[exact] = -1
    order = np.argsort(groups, kind="stable")
    order = order[groups[order] >= 0]
    bounds = np.flatnonzero(np.diff(groups[order])) + 1
    blocks = []
    if order.size:
        pad = max(0, -int(np.min(lags[order] - depth_left[order])))
        padded = _padded_rows(r, pad)
        flat, columns = padded.ravel(), padded.shape[1]
        for group in np.split(order, bounds):
            d_left, d_right = int(depth_left[group[0]]), int(depth_right[group[0]])
            # r at lags lag - d_left .. lag + d_right of each candidate of the group.
            start = rows[group] * columns + lags[group] - d_left + pad
            width = d_left + d_right + 1
            # Products small enough for BLAS to do them in the calling thread (in its own threads
            # it would go on waiting for more afterwards, taking the other processor).
            slice_rows = max(1, _GEMM_SIZE // (width * 2 * _POLYNOMIAL_TERMS))
            start = np.concatenate([start, np.full(-start.size % slice_rows, start[-1])])
            windows = scratch.windows("windows", flat, start, width)
            products = windows.reshape(-1, slice_rows, width) @ _polynomial_matrix(d_left, d_right)
            blocks.append(products.reshape(-1, products.shape[2])[:group.size])
    coefficients = np.concatenate(blocks) if blocks else np.zeros((0, 2 * _POLYNOMIAL_TERMS))
    return dict(intensity=intensity, frame=frames[rows[order]], slot=slot[order], lag=lags[order],
                coefficients=coefficients, exact_frame=frames[rows[exact]], exact_slot=slot[exact],
                exact_lag=lags[exact], exact_rows=_symmetric(r[rows[exact]]), exact_depth=depth[exact])


def _collect_candidates(z: np.ndarray, lay: _Layout, frames: range, voicing_threshold: float,
                        octave_cost: float, global_peak: float, flat_runs: np.ndarray,
                        pool: ThreadPoolExecutor | None, scratches: queue.SimpleQueue
                        ) -> tuple[np.ndarray, _Refinement]:
    """Intensity of the frames and the maxima that become candidates, batch by batch of frames
    (each batch with one of ``scratches``, so that two threads never share one)."""
    batches = [np.arange(first, min(first + _BATCH_FRAMES, frames.stop))
               for first in range(frames.start, frames.stop, _BATCH_FRAMES)]

    def batch(frames: np.ndarray) -> dict:
        scratch = scratches.get()
        try:
            return _batch_candidates(z, lay, frames, voicing_threshold, octave_cost, global_peak, flat_runs,
                                     scratch)
        finally:
            scratches.put(scratch)

    parts = [batch(frames) for frames in batches] if pool is None else list(pool.map(batch, batches))

    def joined(key: str, axis: int = 0) -> np.ndarray:
        return np.concatenate([part[key] for part in parts], axis=axis)

    refinement = _Refinement(
        frame=np.concatenate([joined("frame"), joined("exact_frame")]),
        slot=np.concatenate([joined("slot"), joined("exact_slot")]),
        lag=np.concatenate([joined("lag"), joined("exact_lag")]),
        coefficients=joined("coefficients"), exact_rows=joined("exact_rows"),
        exact_depth=joined("exact_depth"))
    return joined("intensity"), refinement


# -- the path through the candidates (Praat's Pitch_pathFinder) -------------------------------

def _path_finder(frequency: np.ndarray, strength: np.ndarray, count: np.ndarray, intensity: np.ndarray,
                 ceiling: float, dt: float, silence_threshold: float, voicing_threshold: float,
                 octave_cost: float, octave_jump_cost: float, voiced_unvoiced_cost: float) -> np.ndarray:
    """The place of the chosen candidate in each frame (0 = the voiceless candidate).

    Every voiceless candidate of a frame (frequency 0 or at or above the ceiling) has the same
    local cost and the same transitions, so Praat's ties always go to the first, place 0: they are
    one node here. A frame with only voiceless candidates is reached the same way by every path
    after it, so the search splits there into stretches that are run side by side.
    """
    n_frames, width = frequency.shape
    time_step_correction = 0.01 / dt
    jump_cost = octave_jump_cost * time_step_correction
    switch_cost = voiced_unvoiced_cost * time_step_correction
    voiced = (np.arange(width) < count[:, None]) & (frequency > 0.0) & (frequency < ceiling)
    unvoiced_strength = (2.0 - intensity / (silence_threshold / (1.0 + voicing_threshold))
                         if silence_threshold > 0 else np.zeros(n_frames))
    unvoiced_strength = voicing_threshold + np.maximum(unvoiced_strength, 0.0)
    # Nodes: 0 = voiceless, then the voiced candidates in their order; absent nodes have local -inf.
    n_voiced = voiced.sum(axis=1)
    nodes = int(n_voiced.max()) + 1 if n_frames else 1
    rows, columns = np.nonzero(voiced)
    rank = np.arange(rows.size) - np.concatenate([[0], np.cumsum(n_voiced)[:-1]])[rows] + 1
    node_slot = np.zeros((n_frames, nodes), np.int64)
    node_slot[rows, rank] = columns
    node_frequency = np.ones((n_frames, nodes))
    node_frequency[rows, rank] = frequency[rows, columns]  # absent nodes 1 Hz: finite, never used
    node_voiced = np.zeros((n_frames, nodes), bool)
    node_voiced[rows, rank] = True
    node_local = np.full((n_frames, nodes), -np.inf)
    node_local[:, 0] = unvoiced_strength
    voiced_frequency = frequency[rows, columns]
    node_local[rows, rank] = strength[rows, columns] - octave_cost * (np.log(ceiling / voiced_frequency) * _LOG2E)
    guard_nan = bool(np.isnan(node_local).any())  # Praat never chooses a NaN; argmax would
    # Stretches start at frame 0 and at each frame without a voiced candidate; longest first.
    starts = np.unique(np.concatenate([[0], np.nonzero(n_voiced == 0)[0]]))
    lengths = np.diff(np.concatenate([starts, [n_frames]]))
    order = np.argsort(-lengths, kind="stable")
    starts, lengths = starts[order], lengths[order]
    active_at = np.searchsorted(-lengths, -np.arange(int(lengths[0])), side="left")  # stretches longer than t
    delta = node_local[starts].copy()
    psi: list[np.ndarray] = [np.zeros((0, 0), np.int16)] * int(lengths[0])  # per step: (stretches, nodes)
    with np.errstate(invalid="ignore"):
        for step in range(1, int(lengths[0])):
            active = int(active_at[step])
            current = starts[:active] + step
            used = int(n_voiced[current - 1].max(initial=0)), int(n_voiced[current].max(initial=0))
            m_prev, m_cur = used[0] + 1, used[1] + 1
            previous_voiced = node_voiced[current - 1, :m_prev, None]
            current_voiced = node_voiced[current, None, :m_cur]
            jump = np.log(node_frequency[current - 1, :m_prev, None] / node_frequency[current, None, :m_cur])
            jump *= _LOG2E
            np.abs(jump, out=jump)
            jump *= jump_cost
            transition = np.where(previous_voiced & current_voiced, jump,
                                  np.where(previous_voiced ^ current_voiced, switch_cost, 0.0))
            values = delta[:active, :m_prev, None] - transition
            values += node_local[current, None, :m_cur]
            if guard_nan:
                values[np.isnan(values)] = -np.inf
            place = np.argmax(values, axis=1)
            psi[step] = place.astype(np.int16)
            delta[:active, :m_cur] = np.take_along_axis(values, place[:, None, :], axis=1)[:, 0, :]
            delta[:active, m_cur:] = -np.inf
    # Where each stretch leaves: into the next stretch's first (voiceless) frame, or the end.
    ends = starts + lengths
    leave = np.argmax(delta, axis=1)
    following = ends < n_frames
    leaving_cost = np.where(np.arange(nodes) > 0, switch_cost, 0.0)  # into a voiceless frame
    into_next = (delta[following] - leaving_cost) + node_local[ends[following], :1]
    if guard_nan:
        into_next[np.isnan(into_next)] = -np.inf
    leave[following] = np.argmax(into_next, axis=1)
    chosen = np.zeros(n_frames, np.int64)
    node = leave
    for step in range(int(lengths[0]) - 1, -1, -1):
        active = int(active_at[step])
        frame = starts[:active] + step
        chosen[frame] = node_slot[frame, node[:active]]
        if step > 0:
            node[:active] = psi[step][np.arange(active), node[:active]]
    return chosen


# -- the whole analysis ------------------------------------------------------------------------

def pitch_cc_candidates(samples: np.ndarray, rate: float, floor_hz: float, ceiling_hz: float, *,
                        max_candidates: int = 15, silence_threshold: float = 0.03,
                        voicing_threshold: float = 0.45, octave_cost: float = 0.01,
                        octave_jump_cost: float = 0.35, voiced_unvoiced_cost: float = 0.14) -> PitchCandidates:
    """Praat's ``Sound: To Pitch (cc)`` (time step 0, i.e. ``0.25 / floor``; not "very accurate")
    of a mono sound starting at time 0, as arrays.

    Parameters
    ----------
    samples : ndarray, shape (n,)
        The sound.
    rate : float
        Samples per second.
    floor_hz, ceiling_hz : float
        Pitch floor and ceiling.
    max_candidates, silence_threshold, voicing_threshold, octave_cost, octave_jump_cost, voiced_unvoiced_cost
        Praat's arguments of the same names.

    Returns
    -------
    PitchCandidates
    """
    z = np.ascontiguousarray(samples, dtype=np.float64)
    if z.ndim != 1:
        raise ValueError(f"samples must be one channel (a 1-D array), not of shape {z.shape}")
    lay = _layout(z.size, float(rate), float(floor_hz), float(ceiling_hz), int(max_candidates))
    width = lay.max_candidates
    frequency = np.zeros((lay.n_frames, width))
    strength = np.zeros((lay.n_frames, width))
    global_peak = float(np.max(np.abs(z - np.mean(z))))
    if global_peak == 0.0:  # Praat returns the frames as created: every place voiceless, no path
        return PitchCandidates(t1=lay.t1, dt=lay.dt, ceiling=lay.ceiling, max_candidates=width,
                               intensity=np.zeros(lay.n_frames), count=np.full(lay.n_frames, width),
                               frequency=frequency, strength=strength)
    intensity = np.empty(lay.n_frames)
    count = np.ones(lay.n_frames, np.int64)
    flat_runs = _flat_runs(z, lay.n_window)
    workers = min(2, os.cpu_count() or 1)
    scratches: queue.SimpleQueue = queue.SimpleQueue()
    for _ in range(workers):
        scratches.put(_Scratch())
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        for first in range(0, lay.n_frames, _CHUNK_FRAMES):  # memory bounded whatever the length
            frames = range(first, min(first + _CHUNK_FRAMES, lay.n_frames))
            intensity[frames.start:frames.stop], refinement = _collect_candidates(
                z, lay, frames, voicing_threshold, octave_cost, global_peak, flat_runs, pool, scratches)
            lag, value = _refine(refinement, lay.n_window, pool)
            frequency[refinement.frame, refinement.slot] = 1.0 / lay.dx / lag
            strength[refinement.frame, refinement.slot] = np.where(value > 1.0, 1.0 / value, value)
            count += np.bincount(refinement.frame, minlength=lay.n_frames)
    chosen = _path_finder(frequency, strength, count, intensity, lay.ceiling, lay.dt, silence_threshold,
                          voicing_threshold, octave_cost, octave_jump_cost, voiced_unvoiced_cost)
    rows = np.arange(lay.n_frames)
    for table in (frequency, strength):
        first = table[:, 0].copy()
        table[:, 0] = table[rows, chosen]
        table[rows, chosen] = first
    return PitchCandidates(t1=lay.t1, dt=lay.dt, ceiling=lay.ceiling, max_candidates=width, intensity=intensity,
                           count=count, frequency=frequency, strength=strength)


def praat_pitch_bytes(candidates: PitchCandidates, xmin: float, xmax: float) -> bytes:
    """The Pitch in Praat's binary file format ("ooBinaryFile", class "Pitch" version 1)."""
    c = candidates
    n_frames = c.intensity.size
    header = (b"ooBinaryFile" + bytes([7]) + b"Pitch 1"
              + np.array([xmin, xmax], ">f8").tobytes() + np.array([n_frames], ">i4").tobytes()
              + np.array([c.dt, c.t1, c.ceiling], ">f8").tobytes() + np.array([c.max_candidates], ">i2").tobytes())
    sizes = 12 + 16 * c.count
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    body = np.empty(int(sizes.sum()), np.uint8)
    body[starts[:, None] + np.arange(8)] = c.intensity.astype(">f8").view(np.uint8).reshape(-1, 8)
    body[starts[:, None] + 8 + np.arange(4)] = c.count.astype(">i4").view(np.uint8).reshape(-1, 4)
    used = np.arange(c.frequency.shape[1]) < c.count[:, None]
    rows, slots = np.nonzero(used)
    pairs = np.stack([c.frequency[rows, slots], c.strength[rows, slots]], axis=1).astype(">f8")
    body[(starts[rows] + 12 + 16 * slots)[:, None] + np.arange(16)] = pairs.view(np.uint8).reshape(-1, 16)
    return header + body.tobytes()


def pitch_cc(samples: np.ndarray, rate: float, floor_hz: float, ceiling_hz: float, settings=None
             ) -> parselmouth.Pitch:
    """Praat's ``Sound: To Pitch (cc)`` of a mono sound starting at time 0, as a Praat Pitch.

    The same as ``call(sound, "To Pitch (cc)", 0, floor_hz, max_candidates, "no", silence_threshold,
    voicing_threshold, octave_cost, octave_jump_cost, voiced_unvoiced_cost, ceiling_hz)`` with the
    settings of ``settings`` (a :class:`torsion.measures.praat_voice.PraatSettings`; Praat's
    standard ones when None), computed as described in the module's documentation.
    """
    keywords = {}
    if settings is not None:
        keywords = {name: getattr(settings, name) for name in (
            "max_candidates", "silence_threshold", "voicing_threshold", "octave_cost", "octave_jump_cost",
            "voiced_unvoiced_cost")}
    candidates = pitch_cc_candidates(samples, rate, floor_hz, ceiling_hz, **keywords)
    data = praat_pitch_bytes(candidates, 0.0, np.asarray(samples).size / rate)  # a Sound's end, as Praat has it
    handle, path = tempfile.mkstemp(suffix=".Pitch", prefix="torsion-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        return parselmouth.read(path)
    finally:
        os.unlink(path)
