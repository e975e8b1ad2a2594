"""Time bookkeeping shared by the measures, for frame times that need not be evenly spaced.

Browser recordings have variable frame rates, so every duration here comes from the frames' own
timestamps: how long each frame stands for, which runs of frames are tracked without a gap, and how
long a signal stays below a level (with crossings placed between frames by linear interpolation).
"""

from __future__ import annotations

import math

import numpy as np


def json_floats(values: np.ndarray, digits: int = 4) -> list[float | None]:
    """Floats rounded for JSON, with NaN (an untracked frame) as None."""
    return [None if not math.isfinite(v) else round(float(v), digits) for v in np.asarray(values, float)]


def frame_durations_s(t_s: np.ndarray, *, max_gap_s: float) -> np.ndarray:
    """Time each frame stands for: the interval to the next frame.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Frame times in seconds, non-decreasing.
    max_gap_s : float
        An interval longer than this (a stall in the recording) is replaced by the median interval;
        so is the missing interval after the last frame.

    Returns
    -------
    ndarray, shape (n,)
        Seconds per frame.
    """
    t_s = np.asarray(t_s, dtype=float)
    if t_s.size < 2:
        return np.zeros(t_s.shape)
    dt = np.diff(t_s)
    typical = float(np.median(dt))
    durations = np.append(dt, typical)
    durations[durations > max_gap_s] = min(typical, max_gap_s)
    return durations


def tracked_segments(t_s: np.ndarray, usable: np.ndarray, *, max_gap_s: float) -> list[tuple[int, int]]:
    """Runs of consecutive usable frames, split at untracked frames and at time gaps.

    Returns
    -------
    list of (start, stop)
        Index ranges ``start:stop`` of usable frames with no interval above ``max_gap_s``.
    """
    segments = []
    start = None
    for i in range(len(t_s)):
        if not usable[i]:
            if start is not None:
                segments.append((start, i))
                start = None
            continue
        if start is not None and t_s[i] - t_s[i - 1] > max_gap_s:
            segments.append((start, i))
            start = None
        if start is None:
            start = i
    if start is not None:
        segments.append((start, len(t_s)))
    return segments


def time_below(
    t_s: np.ndarray,
    values: np.ndarray,
    level: float,
    segments: list[tuple[int, int]],
    durations_s: np.ndarray,
) -> float:
    """Seconds during which ``values`` lies below ``level``.

    Within a segment the signal is taken as linear between frames, so crossings fall between
    frames; the last frame of a segment holds its value for its own duration.
    """
    total = 0.0
    for start, stop in segments:
        t = t_s[start:stop]
        v = values[start:stop]
        y0, y1, dt = v[:-1], v[1:], np.diff(t)
        both = (y0 < level) & (y1 < level)
        total += float(dt[both].sum())
        crossing = (y0 < level) != (y1 < level)
        low = np.minimum(y0[crossing], y1[crossing])
        high = np.maximum(y0[crossing], y1[crossing])
        total += float((dt[crossing] * (level - low) / (high - low)).sum())
        if v[-1] < level:
            total += float(durations_s[stop - 1])
    return total
