"""Synthetic eye-openness recordings with known blinks and spasms.

Each closure is a trapezoid in openness: a linear fall from 1 to ``min_openness`` over ``close_s``,
a hold for ``hold_s`` and a linear rise over ``reopen_s``. Its true onset and offset are the
crossings of half its depth, ``close_s / 2`` after the start and ``reopen_s / 2`` into the reopening,
so its true duration is ``close_s / 2 + hold_s + reopen_s / 2``. Overlapping closures combine by
taking the lower openness. EAR = the eye's open EAR times openness, plus Gaussian noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class TrueClosure:
    start_s: float
    close_s: float = 0.06
    hold_s: float = 0.04
    reopen_s: float = 0.12
    min_openness: float = 0.3
    eye: str = "both"

    @property
    def onset_s(self) -> float:
        return self.start_s + self.close_s / 2

    @property
    def offset_s(self) -> float:
        return self.start_s + self.close_s + self.hold_s + self.reopen_s / 2

    @property
    def duration_s(self) -> float:
        return self.offset_s - self.onset_s

    def time_below_s(self, level: float) -> float:
        """Seconds this closure keeps openness below ``level`` on its own."""
        if self.min_openness >= level:
            return 0.0
        share = (level - self.min_openness) / (1.0 - self.min_openness)
        return (self.close_s + self.reopen_s) * share + self.hold_s

    def openness(self, t: np.ndarray) -> np.ndarray:
        depth = 1.0 - self.min_openness
        u = t - self.start_s
        fall = np.clip(u / self.close_s, 0, 1)
        rise = np.clip((u - self.close_s - self.hold_s) / self.reopen_s, 0, 1)
        return 1.0 - depth * (fall - rise)


def with_duration(start_s: float, duration_s: float, **kwargs) -> TrueClosure:
    """A closure whose half-depth duration is ``duration_s`` (the hold absorbs the difference)."""
    close_s = kwargs.pop("close_s", 0.06)
    reopen_s = kwargs.pop("reopen_s", 0.12)
    hold_s = duration_s - close_s / 2 - reopen_s / 2
    assert hold_s >= 0, "duration too short for these ramps"
    return TrueClosure(start_s, close_s=close_s, hold_s=hold_s, reopen_s=reopen_s, **kwargs)


@dataclass
class SyntheticRecording:
    t_s: np.ndarray
    ear: np.ndarray
    tracked: np.ndarray
    closures: list[TrueClosure]
    openness: np.ndarray = field(repr=False)


def frame_times(duration_s: float, fps: float = 30.0, *, jitter: float = 0.0, seed: int = 0) -> np.ndarray:
    """Frame times from 0 to ``duration_s``; ``jitter`` > 0 spreads each interval uniformly by
    +/- that fraction (variable frame rate)."""
    rng = np.random.default_rng(seed)
    n = int(round(duration_s * fps))
    intervals = np.full(n - 1, 1.0 / fps)
    if jitter:
        intervals *= rng.uniform(1 - jitter, 1 + jitter, n - 1)
    return np.concatenate(([0.0], np.cumsum(intervals)))


def make_recording(
    closures: list[TrueClosure],
    t_s: np.ndarray,
    *,
    open_ear: tuple[float, float] = (0.32, 0.30),
    noise: float = 0.0,
    gaps: list[tuple[float, float]] = (),
    seed: int = 1,
) -> SyntheticRecording:
    """Per-frame EAR of the person's left and right eye.

    Parameters
    ----------
    closures : list of TrueClosure
    t_s : ndarray, shape (n,)
    open_ear : (left, right)
        Open-eye EAR of each eye.
    noise : float
        Standard deviation of the Gaussian noise as a fraction of the open EAR.
    gaps : list of (start_s, end_s)
        Stretches with no tracked face (EAR NaN, tracked False).
    """
    rng = np.random.default_rng(seed)
    openness = np.ones((t_s.size, 2))
    for c in closures:
        cols = {"both": [0, 1], "left": [0], "right": [1]}[c.eye]
        for col in cols:
            openness[:, col] = np.minimum(openness[:, col], c.openness(t_s))
    ear = openness * np.asarray(open_ear) * (1 + noise * rng.standard_normal(openness.shape))
    tracked = np.ones(t_s.size, dtype=bool)
    for start, end in gaps:
        tracked &= ~((t_s >= start) & (t_s <= end))
    ear[~tracked] = np.nan
    return SyntheticRecording(t_s, ear, tracked, list(closures), openness)


def true_time_below(recording: SyntheticRecording, level: float, *, fine_step_s: float = 1e-4) -> float:
    """Seconds with the noise-free openness of both eyes (the more open one) below ``level``,
    integrated on a fine grid over the whole span."""
    t = np.arange(recording.t_s[0], recording.t_s[-1], fine_step_s)
    left = np.ones_like(t)
    right = np.ones_like(t)
    for c in recording.closures:
        o = c.openness(t)
        if c.eye in ("both", "left"):
            left = np.minimum(left, o)
        if c.eye in ("both", "right"):
            right = np.minimum(right, o)
    return float((np.maximum(left, right) < level).sum() * fine_step_s)
