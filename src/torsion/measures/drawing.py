"""Pen, finger or mouse samples of a drawing or handwriting task, checked once for every drawing measure.

A drawing is a series of samples: time ``t`` in seconds, position ``x``, ``y`` on the page (``y``
grows downwards, as on a screen), optionally ``pressure`` (0-1) and ``pen_down``. A *pen lift* is
a run of samples with ``pen_down`` false between two runs with it true; a capture that has no
hover samples marks each lift with one pen-up sample where the pen left the surface. The runs of
pen-down samples are the drawing's *segments* (:meth:`PenSamples.segments`).

Positions are in millimetres when the screen was calibrated and in CSS pixels otherwise
(``unit``); every length a measure reports is in that unit, and every result says which. Where a
measure needs a physical threshold (the smallest tremor it reports), CSS pixels are converted with
the CSS reference size of 1/96 inch (:data:`NOMINAL_MM_PER_PX`), which on real screens is only
roughly right: results in pixels are for comparing drawings made on the same device.

Used by :mod:`torsion.measures.spiral`, :mod:`torsion.measures.line` and
:mod:`torsion.measures.writing`; the CSV form read by :func:`read_samples_csv` is the one
``torsion measure spiral|line|writing`` takes.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import signal

__all__ = [
    "MIN_SAMPLES",
    "NOMINAL_MM_PER_PX",
    "UNITS",
    "DrawingInputError",
    "PenSamples",
    "read_samples_csv",
]

#: Fewest samples any drawing measure accepts.
MIN_SAMPLES = 10
#: Length units a drawing can be in: calibrated millimetres, or CSS pixels.
UNITS = ("mm", "px")
#: The CSS reference pixel (1/96 inch) in millimetres; only for thresholds on uncalibrated drawings.
NOMINAL_MM_PER_PX = 25.4 / 96


class DrawingInputError(ValueError):
    """Samples that cannot be measured; the message says why in plain words."""


def _column(name: str, values, n: int | None) -> np.ndarray:
    try:
        array = np.array(values, dtype=np.float64)  # a copy: the caller's array stays writable
    except (TypeError, ValueError):
        raise DrawingInputError(f"{name} must be numbers.") from None
    if array.ndim != 1:
        raise DrawingInputError(f"{name} must be a list of numbers, one per sample.")
    if n is not None and array.size != n:
        raise DrawingInputError(f"{name} has {array.size} values but t has {n}; every sample needs each column.")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise DrawingInputError(f"{name} has a missing or not-a-number value at sample {bad[0] + 1}.")
    return array


@dataclass(frozen=True)
class PenSamples:
    """Checked samples of one drawing.

    Parameters
    ----------
    t_s : array (n,)
        Sample times in seconds, strictly increasing.
    x, y : array (n,)
        Position in ``unit``; ``y`` grows downwards.
    pressure : array (n,), optional
        Normal force from 0 to 1 as the device reports it.
    pen_down : array of bool (n,), optional
        Whether the pen (finger, pressed mouse) touched; all true when omitted.
    unit : {"mm", "px"}
        Unit of ``x`` and ``y``: calibrated millimetres or CSS pixels.

    Raises
    ------
    DrawingInputError
        Too few samples, time not increasing, a missing or not-a-number value, pressure outside 0-1,
        no pen-down sample, or every pen-down sample at one point.
    """

    t_s: np.ndarray
    x: np.ndarray
    y: np.ndarray
    pressure: np.ndarray | None = None
    pen_down: np.ndarray | None = None
    unit: str = "mm"
    _segments: list[slice] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise DrawingInputError(f"unit must be one of {', '.join(UNITS)}; got {self.unit!r}.")
        t_s = _column("t", self.t_s, None)
        n = t_s.size
        if n < MIN_SAMPLES:
            raise DrawingInputError(f"Too few samples: {n} given, at least {MIN_SAMPLES} are needed.")
        x, y = _column("x", self.x, n), _column("y", self.y, n)
        steps = np.diff(t_s)
        bad = np.flatnonzero(steps <= 0)
        if bad.size:
            k = int(bad[0])
            raise DrawingInputError(
                f"Time must increase from each sample to the next; at sample {k + 2} it goes from "
                f"{t_s[k]:g} s to {t_s[k + 1]:g} s."
            )
        pressure = None
        if self.pressure is not None:
            pressure = _column("pressure", self.pressure, n)
            if pressure.min() < 0 or pressure.max() > 1:
                raise DrawingInputError("pressure must lie between 0 and 1.")
        if self.pen_down is None:
            pen_down = np.ones(n, dtype=bool)
        else:
            raw = _column("pen_down", self.pen_down, n)
            if not np.isin(raw, (0.0, 1.0)).all():
                raise DrawingInputError("pen_down must be 1 (touching) or 0 (lifted) for every sample.")
            pen_down = raw.astype(bool)
        if not pen_down.any():
            raise DrawingInputError("No sample has the pen down: nothing was drawn.")
        if np.ptp(x[pen_down]) == 0 and np.ptp(y[pen_down]) == 0:
            raise DrawingInputError("Every sample with the pen down is at a single point: nothing was drawn.")
        for name, value in (("t_s", t_s), ("x", x), ("y", y), ("pressure", pressure), ("pen_down", pen_down)):
            if value is not None:
                value.setflags(write=False)
            object.__setattr__(self, name, value)
        edges = np.diff(np.r_[0, pen_down.astype(np.int8), 0])
        starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        object.__setattr__(self, "_segments", [slice(a, b) for a, b in zip(starts, stops, strict=True)])

    @property
    def n(self) -> int:
        return int(self.t_s.size)

    @property
    def mm_per_unit(self) -> float:
        """Millimetres per unit of ``x`` and ``y`` (nominal for CSS pixels)."""
        return 1.0 if self.unit == "mm" else NOMINAL_MM_PER_PX

    def segments(self) -> list[slice]:
        """Runs of consecutive pen-down samples, in order."""
        return list(self._segments)

    @property
    def sample_rate_hz(self) -> float:
        """Median rate of pen-down samples (within segments)."""
        steps = np.concatenate([np.diff(self.t_s[s]) for s in self._segments])
        if steps.size == 0:
            steps = np.diff(self.t_s)
        return float(1.0 / np.median(steps))

    def down_xy(self) -> np.ndarray:
        """Pen-down positions, shape (m, 2)."""
        return np.column_stack([self.x[self.pen_down], self.y[self.pen_down]])


def read_samples_csv(path: str | Path, *, unit: str = "mm") -> PenSamples:
    """Read ``t,x,y[,pressure][,pen_down]`` (with that header, columns in any order) from a CSV file.

    Raises
    ------
    DrawingInputError
        The file cannot be read or a column is missing, not numeric, or fails :class:`PenSamples`' checks.
    """
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise DrawingInputError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise DrawingInputError(f"{path}: is a folder, not a CSV file.") from None
    except UnicodeDecodeError:
        raise DrawingInputError(f"{path}: not a text file.") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise DrawingInputError(f"{path}: the file is empty.")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in ("t", "x", "y") if name not in header]
    if missing:
        raise DrawingInputError(
            f"{path}: the first line must name the columns t,x,y (and optionally pressure, pen_down); "
            f"missing {', '.join(missing)}."
        )
    columns: dict[str, list[float]] = {name: [] for name in header}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DrawingInputError(f"{path}: line {number} has {len(row)} cells; the header has {len(header)}.")
        for name, cell in zip(header, row, strict=True):
            try:
                columns[name].append(float(cell))
            except ValueError:
                raise DrawingInputError(f"{path}: line {number}: {name} = {cell.strip()!r} is not a number.") from None
    try:
        return PenSamples(
            t_s=columns["t"],
            x=columns["x"],
            y=columns["y"],
            pressure=columns.get("pressure"),
            pen_down=columns.get("pen_down"),
            unit=unit,
        )
    except DrawingInputError as exc:  # sample k is on line k + 1 of the file, after the header
        message = re.sub(r"at sample (\d+)", lambda m: f"on line {int(m.group(1)) + 1}", str(exc))
        raise DrawingInputError(f"{path}: {message}") from None


# --- Helpers shared by the drawing measures -------------------------------------------------------


def rounded(data):
    """``data`` (dicts, lists, numbers) with floats rounded to 4 decimals, for JSON."""
    if isinstance(data, dict):
        return {key: rounded(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [rounded(value) for value in data]
    if isinstance(data, float):
        return round(data, 4) if math.isfinite(data) else None
    return data


def uniform_pieces(
    samples: PenSamples, rate_hz: float, *, min_duration_s: float = 0.0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each pen-down segment resampled to a uniform time grid at ``rate_hz`` by a cubic spline.

    Returns a list of ``(t_s, xy)`` with ``xy`` of shape (m, 2); segments shorter than
    ``min_duration_s`` (or with fewer than 4 samples) are left out.
    """
    from scipy.interpolate import CubicSpline

    pieces = []
    for part in samples.segments():
        t = samples.t_s[part]
        if t.size < 4 or t[-1] - t[0] < max(min_duration_s, 2.0 / rate_hz):
            continue
        grid = t[0] + np.arange(int(math.floor((t[-1] - t[0]) * rate_hz)) + 1) / rate_hz
        xy = np.column_stack([samples.x[part], samples.y[part]])
        pieces.append((grid, CubicSpline(t, xy, axis=0)(grid)))
    return pieces


def analysis_rate_hz(samples: PenSamples) -> float:
    """Uniform rate the measures resample to: the median sampling rate, at most 250 Hz."""
    return min(samples.sample_rate_hz, 250.0)


def lowpass(values: np.ndarray, rate_hz: float, cutoff_hz: float, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0 (unchanged when the cutoff is at or above Nyquist)."""
    if cutoff_hz >= 0.49 * rate_hz or values.shape[0] < 3 * (2 * order + 1):
        return np.array(values, dtype=np.float64)
    sos = signal.butter(order, cutoff_hz, fs=rate_hz, output="sos")
    return signal.sosfiltfilt(sos, values, axis=0)


def path_length(xy: np.ndarray) -> float:
    """Length of a polyline, shape (m, 2)."""
    return float(np.hypot(*np.diff(xy, axis=0).T).sum()) if len(xy) > 1 else 0.0


#: Low-pass of the path before its length is taken: above any tremor, below sampling noise (which
#: would otherwise lengthen the path more the faster the device samples).
LENGTH_CUTOFF_HZ = 20.0


def drawn_length(samples: PenSamples) -> float:
    """Pen-down path length, each stretch low-passed at :data:`LENGTH_CUTOFF_HZ` first."""
    rate = analysis_rate_hz(samples)
    pieces = uniform_pieces(samples, rate)
    covered = sum(xy.shape[0] for _, xy in pieces)
    length = sum(path_length(lowpass(xy, rate, LENGTH_CUTOFF_HZ)) for _, xy in pieces)
    if covered == 0:  # only stretches too short to resample: their plain length
        length = sum(path_length(np.column_stack([samples.x[s], samples.y[s]])) for s in samples.segments())
    return float(length)
