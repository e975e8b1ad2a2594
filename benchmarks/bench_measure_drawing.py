"""Speed of the drawing measures on this machine.

Run with ``.venv/bin/python -m benchmarks measure_drawing`` (or through ``python -m benchmarks``).
Prints the median and the fastest of :data:`RUNS` timed calls (after :data:`WARM_UP` untimed ones)
of:

* :func:`torsion.measures.spiral.measure_spiral` on a 20 s spiral sampled 240 times a second (a
  fast stylus; 4800 samples, four and a half turns at about 33 mm/s, a 6 Hz tremor of 1.17 mm peak
  to peak and 0.05 mm noise) against the 50 ms target;
* for information, :func:`torsion.measures.writing.measure_writing` on 30 s of handwriting and
  :func:`torsion.measures.line.measure_line` on a 4 s line, both at 240 samples a second.

Wall-clock and CPU time are both given, with the load average, because other work on the machine
moves the wall-clock figures. The drawings are made here from formulas; nothing is read from disk.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import numpy as np

TARGET_MS = 50.0
RUNS = 30
WARM_UP = 3
RATE_HZ = 240.0
SPIRAL_S = 20.0


def _times(duration_s: float, rng: np.random.Generator) -> np.ndarray:
    """Sample times at :data:`RATE_HZ` with +/-20% jitter, as pointer events arrive."""
    steps = rng.uniform(0.8, 1.2, int(duration_s * RATE_HZ) - 1) / RATE_HZ
    return np.r_[0.0, np.cumsum(steps)]


def spiral(rng: np.random.Generator):
    """An Archimedean spiral (8 mm between loops) drawn in 20 s, with a 6 Hz tremor of 1.17 mm peak to peak."""
    from torsion.measures.drawing import PenSamples

    t = _times(SPIRAL_S, rng)
    # Equal area per unit time (theta ~ sqrt(t)) keeps the pen's speed roughly constant.
    theta = 2 * np.pi * 5 * np.sqrt((t + 0.3) / (t[-1] + 0.3))
    r = 8.0 / (2 * np.pi) * theta
    x = 80 + r * np.cos(theta) + 0.5 * np.sin(2 * np.pi * 6 * t) + rng.normal(0, 0.05, t.size)
    y = 80 + r * np.sin(theta) + 0.3 * np.sin(2 * np.pi * 6 * t) + rng.normal(0, 0.05, t.size)
    return PenSamples(t, x, y)


def writing(rng: np.random.Generator):
    """30 s of cursive loops (2.5 loops a second, 6 mm high), lifted for 0.4 s every 5 s."""
    from torsion.measures.drawing import PenSamples

    t = _times(30.0, rng)
    pen_down = (t % 5.0) < 4.6
    x = 20 + 10 * t + 1.5 * np.sin(2 * np.pi * 2.5 * t)
    y = 100 - 3 * (1 - np.cos(2 * np.pi * 2.5 * t))
    pressure = np.where(pen_down, 0.5 + 0.1 * np.sin(2 * np.pi * 2.5 * t), 0.0)
    return PenSamples(t, x + rng.normal(0, 0.02, t.size), y + rng.normal(0, 0.02, t.size), pressure=pressure,
                      pen_down=pen_down)


def line(rng: np.random.Generator):
    """A 100 mm line in 4 s with a bell-shaped speed profile."""
    from torsion.measures.drawing import PenSamples

    t = _times(4.0, rng)
    tau = t / t[-1]
    s = 100 * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
    return PenSamples(t, 20 + s + rng.normal(0, 0.05, t.size), 50 + rng.normal(0, 0.05, t.size))


def timed(function: Callable, argument) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of :data:`RUNS` calls after :data:`WARM_UP` untimed ones."""
    for _ in range(WARM_UP):
        function(argument)
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        function(argument)
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return wall, cpu


def main() -> None:
    from torsion.measures.line import measure_line
    from torsion.measures.spiral import measure_spiral
    from torsion.measures.writing import measure_writing

    rng = np.random.default_rng(0)
    cases = [
        ("spiral, 20 s at 240 samples/s", measure_spiral, spiral(rng), TARGET_MS),
        ("handwriting, 30 s at 240 samples/s", measure_writing, writing(rng), None),
        ("line, 4 s at 240 samples/s", measure_line, line(rng), None),
    ]
    print(f"drawing measures: {RUNS} timed runs each after {WARM_UP} warm-up runs; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    for label, function, samples, target in cases:
        wall, cpu = timed(function, samples)
        verdict = ""
        if target is not None:
            verdict = f"  target < {target:.0f} ms: {'met' if statistics.median(wall) < target else 'NOT met'}"
        print(f"{label} ({samples.n} samples): median {statistics.median(wall):.1f} ms, fastest {min(wall):.1f} ms, "
              f"CPU median {statistics.median(cpu):.1f} ms{verdict}", flush=True)
    check = measure_spiral(cases[0][2])
    print(f"(the benchmark spiral: {check.turns:.1f} turns, {check.mean_speed:.0f} mm/s, {check.tremor.summary})")


if __name__ == "__main__":
    main()
