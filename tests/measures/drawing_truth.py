"""Synthetic drawings with known answers: spirals, lines and handwriting as a hand would make them.

The spiral is Archimedean (``r = start + spacing * turns``) drawn at a realistic, varying speed:
slower on the tight inner loops (speed grows with the cube root of the radius, as the two-thirds
power law of hand movement has it), with a slow swell of +/-15% and a ramp at the start, so a
typical spiral takes 8-15 s at 25-40 mm/s. Samples come at an uneven rate like a browser's pointer
events. Tremor is a sinusoidal displacement in a fixed direction on the page (as a wrist or forearm
tremor shakes the pen), of known frequency and peak-to-peak amplitude; drift is a slow wobble of
the radius plus the drawing sliding across the page; noise and the screen's pixel grid are added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from torsion.measures.drawing import PenSamples


@dataclass(frozen=True)
class Tremor:
    frequency_hz: float
    peak_to_peak_mm: float
    direction_deg: float = 30.0
    radial: bool = False  # shake along the spiral's radius instead of a fixed direction


def sample_times(duration_s: float, rate_hz: float, rng: np.random.Generator) -> np.ndarray:
    """Uneven sample times (+/-20% of the interval), strictly increasing, rounded to 0.1 ms."""
    n = int(duration_s * rate_hz)
    steps = rng.uniform(0.8, 1.2, n - 1) / rate_hz
    return np.round(np.r_[0.0, np.cumsum(steps)], 4)


def spiral_path(
    turns: float = 4.0,
    spacing_mm: float = 8.0,
    start_radius_mm: float = 1.0,
    mean_speed_mm_s: float = 32.0,
    *,
    clockwise: bool = True,
    outward: bool = True,
    start_angle_rad: float = 0.3,
) -> tuple[callable, float]:
    """The spiral as a function of time: returns ``(position(t) -> (x, y) about the centre, duration_s)``."""
    b = spacing_mm / (2 * np.pi)
    phi_end = 2 * np.pi * turns
    dt = 1e-3
    t, phi, times, phis = 0.0, 0.0, [0.0], [0.0]
    r_mid = start_radius_mm + b * phi_end / 2
    while phi < phi_end:
        progress = phi if outward else phi_end - phi
        r = start_radius_mm + b * progress
        speed = mean_speed_mm_s * np.clip((r / r_mid) ** (1 / 3), 0.35, 1.4)
        speed *= (1 + 0.15 * np.sin(2 * np.pi * 0.4 * t)) * min(1.0, 0.2 + t / 0.3)
        phi += speed / math.hypot(r, b) * dt
        t += dt
        times.append(t)
        phis.append(min(phi, phi_end))
    times, phis = np.asarray(times), np.asarray(phis)

    def position(t_s: np.ndarray) -> np.ndarray:
        phi_t = np.interp(t_s, times, phis)
        progress = phi_t if outward else phi_end - phi_t
        r = start_radius_mm + b * progress
        angle = start_angle_rad + (phi_t if clockwise else -phi_t)  # y down: increasing angle is clockwise
        return np.column_stack([r * np.cos(angle), r * np.sin(angle)])

    return position, float(times[-1])


def spiral_samples(
    *,
    turns: float = 4.0,
    spacing_mm: float = 8.0,
    mean_speed_mm_s: float = 32.0,
    rate_hz: float = 120.0,
    tremor: Tremor | None = None,
    drift_mm: float = 0.0,
    drift_hz: float = 0.5,
    slide_mm: float = 0.0,
    noise_mm: float = 0.02,
    pixel_mm: float = 0.0,
    clockwise: bool = True,
    outward: bool = True,
    centre_mm: tuple[float, float] = (70.0, 90.0),
    seed: int = 0,
    unit: str = "mm",
    scale: float = 1.0,
    lifts: tuple[float, ...] = (),
) -> PenSamples:
    """A spiral drawing; ``lifts`` are times (s) at which the pen is lifted for 0.15 s."""
    rng = np.random.default_rng(seed)
    position, duration = spiral_path(turns, spacing_mm, mean_speed_mm_s=mean_speed_mm_s, clockwise=clockwise,
                                     outward=outward)
    t = sample_times(duration, rate_hz, rng)
    xy = position(t)
    if drift_mm:
        radius = np.hypot(xy[:, 0], xy[:, 1])
        wobble = drift_mm * np.sin(2 * np.pi * drift_hz * t + 0.7)
        xy *= ((radius + wobble) / np.maximum(radius, 1e-9))[:, None]
    if slide_mm:
        xy[:, 0] += slide_mm * t / duration
        xy[:, 1] += 0.5 * slide_mm * t / duration
    if tremor is not None:
        shake = 0.5 * tremor.peak_to_peak_mm * np.sin(2 * np.pi * tremor.frequency_hz * t + 0.4)
        if tremor.radial:
            direction = xy / np.maximum(np.hypot(xy[:, 0], xy[:, 1]), 1e-9)[:, None]
        else:
            angle = np.radians(tremor.direction_deg)
            direction = np.array([[np.cos(angle), np.sin(angle)]])
        xy = xy + shake[:, None] * direction
    xy = xy + np.asarray(centre_mm) + rng.normal(0.0, noise_mm, xy.shape)
    if pixel_mm:
        xy = np.round(xy / pixel_mm) * pixel_mm
    pen_down = np.ones(t.size, dtype=bool)
    for lift in lifts:
        pen_down[(t >= lift) & (t < lift + 0.15)] = False
    return PenSamples(t_s=t, x=xy[:, 0] * scale, y=xy[:, 1] * scale, pen_down=pen_down, unit=unit)


def jerky_spiral_samples(seed: int = 0, turns: float = 3.5, events: int = 700) -> PenSamples:
    """A smooth spiral path (pixels) sampled at evenly spaced points but at irregular times: the pen
    stalls and rushes (intervals log-normal around 18 ms, one in fifty eight times longer), as a
    hesitant, jerky movement does, without any rhythmic shaking."""
    rng = np.random.default_rng(seed)
    k = np.arange(events + 1)
    phi = 2 * np.pi * turns * np.sqrt(k / events)
    r = 4 + 45 * phi / (2 * np.pi)
    intervals = np.exp(rng.normal(np.log(0.018), 0.5, events))
    intervals[rng.random(events) < 0.02] *= 8
    t = np.r_[0.0, np.cumsum(intervals)]
    return PenSamples(t, 180 + r * np.cos(phi), 180 + r * np.sin(phi), unit="px")


def spiral_truth(**options) -> tuple[float, float]:
    """Duration (s) and path length (mm) of the noise-free spiral that :func:`spiral_samples` draws."""
    keys = ("turns", "spacing_mm", "mean_speed_mm_s", "clockwise", "outward")
    position, duration = spiral_path(**{k: v for k, v in options.items() if k in keys})
    xy = position(np.linspace(0, duration, int(duration * 2000)))
    return duration, float(np.hypot(*np.diff(xy, axis=0).T).sum())


def line_samples(
    *,
    length_mm: float = 100.0,
    duration_s: float = 4.0,
    angle_deg: float = 0.0,
    rate_hz: float = 120.0,
    tremor: Tremor | None = None,
    bow_mm: float = 0.0,
    noise_mm: float = 0.02,
    seed: int = 0,
) -> PenSamples:
    """A straight line drawn with a bell-shaped speed profile (minimum jerk); ``bow_mm`` bends it."""
    rng = np.random.default_rng(seed)
    t = sample_times(duration_s, rate_hz, rng)
    tau = np.clip(t / duration_s, 0, 1)
    s = length_mm * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
    across = bow_mm * np.sin(np.pi * s / length_mm)
    angle = np.radians(angle_deg)
    along_dir, across_dir = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
    xy = 20 + s[:, None] * along_dir + across[:, None] * across_dir
    if tremor is not None:
        d = np.radians(tremor.direction_deg)
        xy += 0.5 * tremor.peak_to_peak_mm * np.sin(2 * np.pi * tremor.frequency_hz * t + 0.4)[:, None] * [
            np.cos(d), np.sin(d)]
    xy += rng.normal(0.0, noise_mm, xy.shape)
    return PenSamples(t_s=t, x=xy[:, 0], y=xy[:, 1])


def writing_samples(
    *,
    loops: int = 12,
    loop_hz: float = 2.5,
    height_mm: float = 6.0,
    advance_mm_s: float = 12.0,
    peaks_per_stroke: int = 1,
    words: int = 3,
    gap_s: float = 0.4,
    rate_hz: float = 200.0,
    pressure: tuple[float, float] | None = (0.5, 0.1),
    noise_mm: float = 0.01,
    seed: int = 0,
) -> PenSamples:
    """Cursive-like loops ("llll") in ``words`` groups separated by pen lifts of ``gap_s`` each.

    Each loop is one up stroke and one down stroke; the vertical velocity of each stroke has
    ``peaks_per_stroke`` peaks (1 for fluent writing). Pressure is ``mean +/- amplitude`` as a
    sinusoid at the loop rate (or omitted).
    """
    rng = np.random.default_rng(seed)
    stroke_s = 0.5 / loop_hz
    word_s = loops * 2 * stroke_s
    times, xs, ys, downs, pressures = [], [], [], [], []
    clock = 0.0
    for word in range(words):
        t = clock + np.arange(int(word_s * rate_hz)) / rate_hz
        local = t - clock
        k = np.floor(local / stroke_s)
        tau = local / stroke_s - k  # 0-1 within each stroke
        # Vertical position within a stroke: the integral of a speed profile with the wanted
        # number of peaks, scaled to run from 0 to 1.
        fine = np.linspace(0, 1, 4001)
        shape = np.cumsum(0.25 * np.sin(np.pi * fine) + np.abs(np.sin(peaks_per_stroke * np.pi * fine)))
        shape = (shape - shape[0]) / (shape[-1] - shape[0])
        progress = np.interp(tau, fine, shape)
        up = k % 2 == 0
        height = np.where(up, progress, 1 - progress) * height_mm
        x = 30 + word * (advance_mm_s * word_s + 8) + advance_mm_s * local
        times.append(t)
        xs.append(x)
        ys.append(100 - height)  # y grows downwards: up strokes decrease y
        downs.append(np.ones(t.size, dtype=bool))
        if pressure is not None:
            pressures.append(pressure[0] + pressure[1] * np.sin(2 * np.pi * loop_hz * local))
        clock = t[-1] + 1.0 / rate_hz
        if word < words - 1:  # one pen-up sample marks the lift, then the pen travels in the air
            lift_t = clock + np.arange(int(gap_s * rate_hz)) / rate_hz
            times.append(lift_t)
            xs.append(np.linspace(x[-1], x[-1] + 8, lift_t.size))
            ys.append(np.full(lift_t.size, 100.0 - 8.0))
            downs.append(np.zeros(lift_t.size, dtype=bool))
            if pressure is not None:
                pressures.append(np.zeros(lift_t.size))
            clock = lift_t[-1] + 1.0 / rate_hz
    return PenSamples(
        t_s=np.concatenate(times),
        x=np.concatenate(xs) + rng.normal(0, noise_mm, sum(map(len, xs))),
        y=np.concatenate(ys) + rng.normal(0, noise_mm, sum(map(len, ys))),
        pen_down=np.concatenate(downs),
        pressure=None if pressure is None else np.clip(np.concatenate(pressures), 0, 1),
    )
