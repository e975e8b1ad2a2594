"""Blinks and eyelid spasms from face landmarks, for blepharospasm.

Method
------
1. **Eye aspect ratio** (Soukupova and Cech 2016) per eye from six MediaPipe Face Mesh landmarks,
   ``EAR = (|p2 - p6| + |p3 - p5|) / (2 |p1 - p4|)``, on the image-plane coordinates (x, y) only. It
   is unchanged by moving, scaling or rotating the face within the image.
2. **Openness** per eye: EAR divided by the person's own open-eye EAR from the same recording
   (MediaPipe's EAR scale differs from the dlib values in the literature, and eyes differ between
   people). The open-eye level is the median of the frames whose EAR is at least
   ``open_candidate_ratio`` times the ``open_quantile`` quantile, so it stays right while the eyes
   are closed for up to about 90 % of the recording. Below ``min_open_ear`` the eyes were closed
   for nearly all of it: the typical MediaPipe value ``typical_open_ear`` is used instead, with a
   warning. Openness is 1 for the usual open eye and well below ``closed_level`` for a shut one
   (about 0.16 on a portrait with the lids painted shut; real closed lids not yet measured).
3. **The two eyes.** Blepharospasm closes both eyes, and sight is lost only when both are closed,
   so the headline measures use the openness of the *more open* eye (``max`` of the two): an event
   there is a closure of both eyes. The same detection runs on each eye alone; a closure of one eye
   with no closure of both eyes at the same time is reported as one-sided (``eye`` = ``"left"`` or
   ``"right"``), as seen in hemifacial spasm, and is not counted among the blinks.
4. **Detection**, after the peak-and-prominence approach of JeFaPaTo (Buechner et al. 2024): every
   minimum of openness whose prominence and whose depth below the open level (``1 - openness``) both
   reach ``min_depth`` is a closure candidate. Its onset and offset are where openness crosses half
   of that depth (``(1 + minimum) / 2``) on either side, interpolated linearly between frames in
   time, so durations are not quantised to frames. Candidates whose intervals overlap (the eye never
   got back above half-open between them) form one event. Events shorter than ``min_blink_s`` are
   landmark glitches and are dropped. Durations are therefore widths at half depth: shorter than the
   whole blink from first lid movement to full reopening (about 100-400 ms in healthy eyes,
   unverified).
5. **Kinds.** An event is *complete* when openness fell to ``closed_level`` or below. Events lasting
   ``spasm_min_s`` (0.5 s) or more are prolonged closures: ``"spasm"`` when complete (counted as
   ``prolonged_closures``), ``"partial_spasm"`` otherwise. Shorter ones are ``"blink"`` or
   ``"partial_blink"``; both count as blinks. An event cut off by the start or end of the recording,
   or by frames where the face was not tracked, is ``"interrupted"``: listed with the part that was
   seen, counted nowhere, and never completed by interpolation.
6. **Summary.** Blink rate per minute of tracked time; eye-closure fraction = share of tracked time
   with openness below ``closed_level`` (the measure that correlated with the Jankovic scale at
   rho = 0.56); flutter episodes (at least ``flutter_min_blinks`` closures each starting within
   ``flutter_max_gap_s`` of the previous one's end); and a Jankovic frequency estimate
   (:func:`jankovic_frequency_estimate`), a suggestion for a clinician to confirm.

Conventions
-----------
Landmarks are MediaPipe Face Mesh with refined eyes and iris, ``(478, 3)`` in pixels, from a camera
facing the person with the image not mirrored: the person's right eye is at smaller image x.
Times are seconds from the first frame, taken from the container's timestamps; frame spacing may
vary and every duration is computed from the timestamps, each frame standing for the time until
the next one. Two tracked frames more than ``max_frame_gap_s`` apart count as a gap in tracking.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy.signal import find_peaks

from torsion.measures.landmarks import N_FACE_LANDMARKS
from torsion.measures.quality import UnusableRecording, median_fps
from torsion.measures.timebase import frame_durations_s, json_floats, time_below, tracked_segments

if TYPE_CHECKING:
    from torsion.measures.pipeline import FrameLandmarks

logger = logging.getLogger(__name__)

#: Person's left eye: inner corner, two upper-lid points, outer corner, two lower-lid points
#: (p1 ... p6 of the EAR formula). At larger image x in an unmirrored image.
LEFT_EYE: tuple[int, ...] = (362, 385, 387, 263, 373, 380)
#: Person's right eye: outer corner, two upper-lid points, inner corner, two lower-lid points.
RIGHT_EYE: tuple[int, ...] = (33, 160, 158, 133, 153, 144)
#: Columns of the per-frame series handed to :func:`analyse_blinks`.
EAR_COLUMNS: tuple[str, str] = ("ear_left", "ear_right")

EVENT_KINDS = ("blink", "partial_blink", "spasm", "partial_spasm", "interrupted")


class BlinkAnalysisError(UnusableRecording):
    """The recording holds too little usable eye data to measure blinking (reason ``eyes_not_measured``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "eyes_not_measured")


def eye_aspect_ratio(face_px: np.ndarray) -> np.ndarray:
    """Eye aspect ratio of both eyes.

    Parameters
    ----------
    face_px : ndarray, shape (..., 478, 3)
        Face Mesh landmarks in pixels (x, y, z). Only x and y are used. NaN landmarks give NaN.

    Returns
    -------
    ndarray, shape (..., 2)
        EAR of the person's left eye, then the right eye (dimensionless). NaN where an eye's corners
        coincide.

    Raises
    ------
    ValueError
        If the array does not end in ``(478, 3)``.
    """
    face_px = np.asarray(face_px, dtype=float)
    if face_px.ndim < 2 or face_px.shape[-2:] != (N_FACE_LANDMARKS, 3):
        raise ValueError(
            f"face landmarks must have shape (..., {N_FACE_LANDMARKS}, 3), got {face_px.shape}"
        )
    ears = []
    for eye in (LEFT_EYE, RIGHT_EYE):
        p = face_px[..., list(eye), :2]
        vertical = np.linalg.norm(p[..., 1, :] - p[..., 5, :], axis=-1) + np.linalg.norm(
            p[..., 2, :] - p[..., 4, :], axis=-1
        )
        width = np.linalg.norm(p[..., 0, :] - p[..., 3, :], axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ears.append(np.where(width > 0, vertical / (2.0 * width), np.nan))
    return np.stack(ears, axis=-1)


@dataclass(frozen=True)
class BlinkParameters:
    """Thresholds of the blink analysis, with their defaults.

    Attributes
    ----------
    closed_level : float
        Openness (fraction of the open-eye EAR) at or below which the eye counts as closed: for
        complete versus partial events and for the eye-closure fraction. Default 0.5.
    min_depth : float
        Smallest drop of openness, both as prominence and below the open level, that counts as a
        closure. Default 0.25, several times the frame-to-frame landmark jitter.
    min_blink_s : float
        Shorter events are treated as landmark glitches. Default 0.05 s.
    spasm_min_s : float
        Events this long or longer are prolonged closures ("superextended" blinks, counted as
        spasms). Default 0.5 s.
    long_spasm_s : float
        Spasm length that the Jankovic frequency item calls "over 1 s". Default 1.0 s.
    flutter_min_blinks : int
        Closures in a row that make a flutter episode. Default 3.
    flutter_max_gap_s : float
        Longest time from one closure's end to the next one's start within a flutter. Default 0.5 s.
    increased_blink_rate_per_min : float
        Blink rate above which blinking counts as increased: 27 per minute at rest separated
        blepharospasm from controls (Bentivoglio 2006). Default 27.
    closed_majority_fraction : float
        Eye-closure fraction above which eyes count as "closed more than half of the time".
        Default 0.5.
    min_rate_duration_s : float
        Least tracked time for a blink rate and a Jankovic estimate. Default 20 s.
    max_frame_gap_s : float
        Two tracked frames further apart than this are a gap in tracking. Default 0.2 s.
    open_quantile, open_candidate_ratio : float
        Open-eye level = median EAR of the frames at or above ``open_candidate_ratio`` times the
        ``open_quantile`` quantile. Defaults 0.95 and 0.75.
    min_open_ear : float
        An open-eye level below this EAR means the eyes were closed nearly all the time. Default 0.15.
    typical_open_ear : float
        Open-eye EAR used in that case; MediaPipe gives about 0.30-0.33 on open adult eyes (measured
        on a frontal portrait). Default 0.30.
    """

    closed_level: float = 0.5
    min_depth: float = 0.25
    min_blink_s: float = 0.05
    spasm_min_s: float = 0.5
    long_spasm_s: float = 1.0
    flutter_min_blinks: int = 3
    flutter_max_gap_s: float = 0.5
    increased_blink_rate_per_min: float = 27.0
    closed_majority_fraction: float = 0.5
    min_rate_duration_s: float = 20.0
    max_frame_gap_s: float = 0.2
    open_quantile: float = 0.95
    open_candidate_ratio: float = 0.75
    min_open_ear: float = 0.15
    typical_open_ear: float = 0.30

    def __post_init__(self) -> None:
        for name in (
            "closed_level",
            "min_depth",
            "closed_majority_fraction",
            "open_quantile",
            "open_candidate_ratio",
        ):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"{name} must lie strictly between 0 and 1, got {value}")
        for name in (
            "min_blink_s",
            "spasm_min_s",
            "flutter_max_gap_s",
            "increased_blink_rate_per_min",
            "min_rate_duration_s",
            "max_frame_gap_s",
            "min_open_ear",
            "typical_open_ear",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.long_spasm_s < self.spasm_min_s:
            raise ValueError(
                f"long_spasm_s ({self.long_spasm_s}) must not be shorter than "
                f"spasm_min_s ({self.spasm_min_s})"
            )
        if self.min_blink_s >= self.spasm_min_s:
            raise ValueError(
                f"min_blink_s ({self.min_blink_s}) must be shorter than spasm_min_s ({self.spasm_min_s})"
            )
        if self.flutter_min_blinks < 2:
            raise ValueError(f"flutter_min_blinks must be at least 2, got {self.flutter_min_blinks}")


@dataclass(frozen=True)
class BlinkEvent:
    """One eyelid closure.

    Attributes
    ----------
    onset_s, offset_s : float
        Crossings of half the closure depth, seconds from the first frame. For an interrupted event,
        the first and last moments it was seen.
    kind : str
        One of ``EVENT_KINDS``.
    eye : str
        ``"both"``, or ``"left"`` / ``"right"`` for a closure of that eye alone (person's sides).
    min_openness : float
        Lowest openness reached (fraction of the open-eye EAR).
    """

    onset_s: float
    offset_s: float
    kind: str
    eye: str
    min_openness: float

    @property
    def duration_s(self) -> float:
        """Width at half depth in seconds (the seen part for an interrupted event)."""
        return self.offset_s - self.onset_s

    @property
    def complete(self) -> bool:
        """Whether the event is a full closure that was seen from start to end."""
        return self.kind in ("blink", "spasm")

    def to_dict(self) -> dict:
        return {
            "onset_s": round(self.onset_s, 4),
            "offset_s": round(self.offset_s, 4),
            "duration_s": round(self.duration_s, 4),
            "kind": self.kind,
            "eye": self.eye,
            "min_openness": round(self.min_openness, 4),
        }


@dataclass(frozen=True)
class FlutterEpisode:
    """A run of closures of both eyes in quick succession (eyelid fluttering)."""

    onset_s: float
    offset_s: float
    n_closures: int

    def to_dict(self) -> dict:
        return {
            "onset_s": round(self.onset_s, 4),
            "offset_s": round(self.offset_s, 4),
            "duration_s": round(self.offset_s - self.onset_s, 4),
            "n_closures": self.n_closures,
        }


@dataclass
class BlinkResult:
    """Blinks, spasms and eye closure of one recording.

    Counts, rates and the closure fraction refer to closures of both eyes unless named per eye.
    ``blink_rate_per_min`` and ``jankovic_frequency_estimate`` are None when less than
    ``min_rate_duration_s`` of tracked time was available.
    """

    duration_s: float
    tracked_duration_s: float
    frames_total: int
    frames_analyzed: int
    fps: float
    open_ear_left: float
    open_ear_right: float
    events: list[BlinkEvent]
    flutter_episodes: list[FlutterEpisode]
    blink_rate_per_min: float | None
    eye_closure_fraction: float
    eye_closure_fraction_left: float
    eye_closure_fraction_right: float
    jankovic_frequency_estimate: int | None
    jankovic_frequency_basis: str
    parameters: BlinkParameters
    warnings: list[str] = field(default_factory=list)
    t_s: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    ear: np.ndarray = field(default_factory=lambda: np.empty((0, 2)), repr=False)
    openness: np.ndarray = field(default_factory=lambda: np.empty((0, 2)), repr=False)
    tracked: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool), repr=False)

    def _both(self, *kinds: str) -> list[BlinkEvent]:
        return [e for e in self.events if e.eye == "both" and e.kind in kinds]

    @property
    def blink_events(self) -> list[BlinkEvent]:
        """Closures of both eyes shorter than ``spasm_min_s`` (complete and partial)."""
        return self._both("blink", "partial_blink")

    @property
    def prolonged_closure_events(self) -> list[BlinkEvent]:
        """Complete closures of both eyes lasting ``spasm_min_s`` or longer."""
        return self._both("spasm")

    @property
    def blinks(self) -> int:
        return len(self.blink_events)

    @property
    def partial_blinks(self) -> int:
        return len(self._both("partial_blink"))

    @property
    def prolonged_closures(self) -> int:
        return len(self.prolonged_closure_events)

    @property
    def prolonged_partial_closures(self) -> int:
        return len(self._both("partial_spasm"))

    @property
    def interrupted_closures(self) -> int:
        return sum(e.kind == "interrupted" for e in self.events)

    @property
    def mean_blink_duration_s(self) -> float | None:
        durations = [e.duration_s for e in self.blink_events]
        return float(np.mean(durations)) if durations else None

    @property
    def longest_prolonged_closure_s(self) -> float | None:
        durations = [e.duration_s for e in self.prolonged_closure_events]
        return max(durations) if durations else None

    @property
    def prolonged_closures_per_min(self) -> float | None:
        if self.blink_rate_per_min is None:
            return None
        return self.prolonged_closures / (self.tracked_duration_s / 60.0)

    def unilateral_closures(self, eye: str) -> int:
        """Complete closures of the person's ``eye`` (``"left"`` or ``"right"``) alone."""
        return sum(e.eye == eye and e.complete for e in self.events)

    def to_dict(self, series: bool = False) -> dict:
        """Summary as plain JSON types; ``series=True`` adds the per-frame traces for plots."""
        mean_blink = self.mean_blink_duration_s
        longest = self.longest_prolonged_closure_s
        per_min = self.prolonged_closures_per_min
        out = {
            "duration_s": round(self.duration_s, 3),
            "tracked_duration_s": round(self.tracked_duration_s, 3),
            "frames_total": self.frames_total,
            "frames_analyzed": self.frames_analyzed,
            "fps": round(self.fps, 3),
            "blinks": self.blinks,
            "partial_blinks": self.partial_blinks,
            "blink_rate_per_min": _round_or_none(self.blink_rate_per_min, 2),
            "mean_blink_duration_s": _round_or_none(mean_blink, 4),
            "prolonged_closures": self.prolonged_closures,
            "prolonged_closures_per_min": _round_or_none(per_min, 2),
            "longest_prolonged_closure_s": _round_or_none(longest, 4),
            "prolonged_partial_closures": self.prolonged_partial_closures,
            "interrupted_closures": self.interrupted_closures,
            "flutter_episodes": [f.to_dict() for f in self.flutter_episodes],
            "eye_closure_fraction": round(self.eye_closure_fraction, 4),
            "eye_closure_fraction_left": round(self.eye_closure_fraction_left, 4),
            "eye_closure_fraction_right": round(self.eye_closure_fraction_right, 4),
            "unilateral_closures_left": self.unilateral_closures("left"),
            "unilateral_closures_right": self.unilateral_closures("right"),
            "jankovic_frequency_estimate": self.jankovic_frequency_estimate,
            "jankovic_frequency_basis": self.jankovic_frequency_basis,
            "open_ear_left": round(self.open_ear_left, 4),
            "open_ear_right": round(self.open_ear_right, 4),
            "events": [e.to_dict() for e in self.events],
            "parameters": asdict(self.parameters),
            "warnings": list(self.warnings),
        }
        if series:
            out["series"] = {
                "t_s": json_floats(self.t_s, 4),
                "tracked": [bool(v) for v in self.tracked],
                "ear_left": json_floats(self.ear[:, 0], 4),
                "ear_right": json_floats(self.ear[:, 1], 4),
                "openness_left": json_floats(self.openness[:, 0], 4),
                "openness_right": json_floats(self.openness[:, 1], 4),
                "openness": json_floats(np.fmax(self.openness[:, 0], self.openness[:, 1]), 4),
            }
        return out


def _frame_rate(t_s: np.ndarray) -> float:
    rate = median_fps(t_s)
    return rate if math.isfinite(rate) else 0.0


def _round_or_none(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


# --- detection ---------------------------------------------------------------------------------


@dataclass
class _Closure:
    onset_s: float
    offset_s: float
    min_openness: float
    interrupted: bool


def _crossing_time(t0: float, t1: float, y0: float, y1: float, level: float) -> float:
    return t0 + (level - y0) / (y1 - y0) * (t1 - t0)


def _segment_closures(t: np.ndarray, o: np.ndarray, min_depth: float) -> list[_Closure]:
    """Closures within one tracked segment, before merging."""
    # The segment is bordered by open-eye values for the peak search only, so that a closure cut
    # off by the segment's edge still has a prominence and is found (and then marked interrupted).
    pad = max(1.0, float(o.max()))
    peaks, _ = find_peaks(-np.concatenate(([pad], o, [pad])), prominence=min_depth)
    closures = []
    n = len(o)
    for p in peaks - 1:
        depth = 1.0 - o[p]
        if depth < min_depth:
            continue
        level = 1.0 - depth / 2.0
        i = p
        while i >= 0 and o[i] < level:
            i -= 1
        j = p
        while j < n and o[j] < level:
            j += 1
        onset = t[0] if i < 0 else _crossing_time(t[i], t[i + 1], o[i], o[i + 1], level)
        offset = t[-1] if j >= n else _crossing_time(t[j - 1], t[j], o[j - 1], o[j], level)
        closures.append(_Closure(onset, offset, float(o[p]), i < 0 or j >= n))
    closures.sort(key=lambda c: c.onset_s)
    merged: list[_Closure] = []
    for c in closures:
        if merged and c.onset_s < merged[-1].offset_s:
            last = merged[-1]
            last.offset_s = max(last.offset_s, c.offset_s)
            last.min_openness = min(last.min_openness, c.min_openness)
            last.interrupted = last.interrupted or c.interrupted
        else:
            merged.append(c)
    return merged


def detect_closures(
    t_s: np.ndarray,
    openness: np.ndarray,
    segments: list[tuple[int, int]],
    params: BlinkParameters,
    *,
    eye: str = "both",
) -> list[BlinkEvent]:
    """Find and classify eyelid closures in one openness series.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Frame times in seconds.
    openness : ndarray, shape (n,)
        Openness (fraction of the open-eye EAR); only frames inside ``segments`` are read.
    segments : list of (start, stop)
        Tracked segments from :func:`tracked_segments`.
    params : BlinkParameters
    eye : str
        Label stored in the events.

    Returns
    -------
    list of BlinkEvent
        In time order.
    """
    events = []
    for start, stop in segments:
        for c in _segment_closures(t_s[start:stop], openness[start:stop], params.min_depth):
            duration = c.offset_s - c.onset_s
            if c.interrupted:
                kind = "interrupted"
            elif duration < params.min_blink_s:
                continue
            else:
                complete = c.min_openness <= params.closed_level
                if duration >= params.spasm_min_s:
                    kind = "spasm" if complete else "partial_spasm"
                else:
                    kind = "blink" if complete else "partial_blink"
            events.append(BlinkEvent(c.onset_s, c.offset_s, kind, eye, c.min_openness))
    return events


def _overlaps(a: BlinkEvent, others: list[BlinkEvent]) -> bool:
    return any(a.onset_s < b.offset_s and b.onset_s < a.offset_s for b in others)


def flutter_episodes(events: list[BlinkEvent], params: BlinkParameters) -> list[FlutterEpisode]:
    """Runs of at least ``flutter_min_blinks`` seen closures, each starting within
    ``flutter_max_gap_s`` of the previous one's end."""
    seen = [e for e in events if e.kind != "interrupted"]
    episodes = []
    run: list[BlinkEvent] = []
    for e in seen:
        if run and e.onset_s - run[-1].offset_s > params.flutter_max_gap_s:
            if len(run) >= params.flutter_min_blinks:
                episodes.append(FlutterEpisode(run[0].onset_s, run[-1].offset_s, len(run)))
            run = []
        run.append(e)
    if len(run) >= params.flutter_min_blinks:
        episodes.append(FlutterEpisode(run[0].onset_s, run[-1].offset_s, len(run)))
    return episodes


def open_eye_level(ear: np.ndarray, params: BlinkParameters) -> float:
    """Robust open-eye EAR of one eye from its tracked frames (see the module docstring)."""
    top = float(np.quantile(ear, params.open_quantile))
    return float(np.median(ear[ear >= params.open_candidate_ratio * top]))


# --- the rule ----------------------------------------------------------------------------------


def jankovic_frequency_estimate(
    *,
    blink_rate_per_min: float | None,
    eye_closure_fraction: float,
    longest_prolonged_closure_s: float | None,
    n_flutter_episodes: int,
    params: BlinkParameters | None = None,
) -> tuple[int | None, str]:
    """Estimate the Jankovic Rating Scale frequency item (0-4) from measured blinking.

    A project rule, for a clinician to confirm; the first that applies wins:

    - 4: eyes closed (both) for more than ``closed_majority_fraction`` of the tracked time;
    - 3: a prolonged closure longer than ``long_spasm_s`` (1 s);
    - 2: any prolonged closure (0.5 s or more) or a flutter episode;
    - 1: blink rate above ``increased_blink_rate_per_min``;
    - 0: none of these.

    Parameters
    ----------
    blink_rate_per_min : float or None
        None when the recording was too short for a rate; then no estimate is made.
    eye_closure_fraction : float
        Share of tracked time with both eyes closed, 0-1.
    longest_prolonged_closure_s : float or None
        Longest complete closure of ``spasm_min_s`` or more, None if there was none.
    n_flutter_episodes : int
    params : BlinkParameters, optional

    Returns
    -------
    (int or None, str)
        The estimate and a sentence saying why.
    """
    p = params or BlinkParameters()
    if blink_rate_per_min is None:
        return None, (
            f"No estimate: less than {p.min_rate_duration_s:g} s of the recording could be analysed."
        )
    if eye_closure_fraction > p.closed_majority_fraction:
        return 4, (
            f"Eyes closed {eye_closure_fraction:.0%} of the analysed time, more than "
            f"{p.closed_majority_fraction:.0%}."
        )
    if longest_prolonged_closure_s is not None and longest_prolonged_closure_s > p.long_spasm_s:
        return 3, (
            f"Eye closure lasting {longest_prolonged_closure_s:.1f} s, longer than {p.long_spasm_s:g} s, "
            "with the eyes open most of the time."
        )
    if longest_prolonged_closure_s is not None or n_flutter_episodes > 0:
        parts = []
        if longest_prolonged_closure_s is not None:
            parts.append(f"eye closures of {p.spasm_min_s:g}-{p.long_spasm_s:g} s")
        if n_flutter_episodes > 0:
            parts.append(f"{n_flutter_episodes} episode(s) of eyelid fluttering")
        return 2, f"Brief spasms: {' and '.join(parts)}, none longer than {p.long_spasm_s:g} s."
    if blink_rate_per_min > p.increased_blink_rate_per_min:
        return 1, (
            f"Blink rate {blink_rate_per_min:.0f} per minute, above {p.increased_blink_rate_per_min:g}; "
            "no spasms."
        )
    return 0, (
        f"Blink rate {blink_rate_per_min:.0f} per minute, not above {p.increased_blink_rate_per_min:g}; "
        "no spasms."
    )


# --- analysis ----------------------------------------------------------------------------------


def analyse_blinks(t_s: np.ndarray, ear: np.ndarray, tracked: np.ndarray, **params) -> BlinkResult:
    """Detect blinks and spasms in per-frame eye aspect ratios.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Frame times in seconds from the first frame, non-decreasing (spacing may vary).
    ear : ndarray, shape (n, 2)
        EAR of the person's left and right eye per frame (:func:`eye_aspect_ratio`); NaN where the
        face was not tracked.
    tracked : ndarray, shape (n,)
        Whether the face was tracked in each frame.
    **params
        Fields of :class:`BlinkParameters`.

    Returns
    -------
    BlinkResult

    Raises
    ------
    BlinkAnalysisError
        Fewer than two frames with both eyes measured.
    ValueError
        Arrays of mismatched shapes or times that go backwards.
    """
    p = BlinkParameters(**params)
    t_s = np.asarray(t_s, dtype=float)
    ear = np.asarray(ear, dtype=float)
    tracked = np.asarray(tracked, dtype=bool)
    n = t_s.shape[0]
    if t_s.ndim != 1 or ear.shape != (n, 2) or tracked.shape != (n,):
        raise ValueError(
            f"expected t_s (n,), ear (n, 2) and tracked (n,), got {t_s.shape}, {ear.shape}, {tracked.shape}"
        )
    if n > 1 and np.any(np.diff(t_s) < 0):
        raise ValueError("frame times must not decrease")
    usable = tracked & np.all(np.isfinite(ear), axis=1) & np.all(ear > 0, axis=1)
    if usable.sum() < 2:
        raise BlinkAnalysisError("The eyes could not be measured in enough frames of this recording.")

    warnings: list[str] = []
    durations = frame_durations_s(t_s, max_gap_s=p.max_frame_gap_s)
    segments = tracked_segments(t_s, usable, max_gap_s=p.max_frame_gap_s)
    tracked_duration = float(durations[usable].sum())
    duration = float(t_s[-1] - t_s[0] + durations[-1])

    open_levels = []
    for col, side in enumerate(("left", "right")):
        level = open_eye_level(ear[usable, col], p)
        if level < p.min_open_ear:
            warnings.append(
                f"The {side} eye looked closed for almost the whole recording (open-eye EAR {level:.2f}); "
                f"its openness is scaled to a typical open eye (EAR {p.typical_open_ear:.2f})."
            )
            level = p.typical_open_ear
        open_levels.append(level)
    openness = np.where(usable[:, None], ear / np.array(open_levels), np.nan)
    if float(np.ptp(ear[usable], axis=0).max()) <= 1e-9 * max(open_levels):
        warnings.append(
            "Eye openness did not change at all during the recording; this looks like a still image."
        )

    both = np.fmax(openness[:, 0], openness[:, 1])
    events = detect_closures(t_s, both, segments, p, eye="both")
    for col, side in enumerate(("left", "right")):
        own = detect_closures(t_s, openness[:, col], segments, p, eye=side)
        events.extend(e for e in own if not _overlaps(e, [b for b in events if b.eye == "both"]))
    events.sort(key=lambda e: e.onset_s)

    closure_fraction = time_below(t_s, both, p.closed_level, segments, durations) / tracked_duration
    per_eye = [
        time_below(t_s, openness[:, col], p.closed_level, segments, durations) / tracked_duration
        for col in (0, 1)
    ]
    episodes = flutter_episodes([e for e in events if e.eye == "both"], p)

    if len(segments) > 1 or not usable.all():
        stretches = len(segments) - 1 + int(not usable[0]) + int(not usable[-1])
        warnings.append(
            f"The eyes could not be measured in {n - int(usable.sum())} of {n} frames "
            f"({duration - tracked_duration:.1f} s in {stretches} stretch(es)); blinks there are missed."
        )
    interrupted = sum(e.kind == "interrupted" for e in events)
    if interrupted:
        warnings.append(
            f"{interrupted} eye closure(s) ran into the start or end of the recording or into a "
            "stretch without tracking; they are listed but not counted."
        )
    both_events = [e for e in events if e.eye == "both"]
    n_blinks = sum(e.kind in ("blink", "partial_blink") for e in both_events)
    spasms = [e.duration_s for e in both_events if e.kind == "spasm"]
    longest = max(spasms) if spasms else None
    rate = None
    if tracked_duration >= p.min_rate_duration_s:
        rate = n_blinks / (tracked_duration / 60.0)
    else:
        warnings.append(
            f"Only {tracked_duration:.1f} s could be analysed, too short for a blink rate "
            f"(at least {p.min_rate_duration_s:g} s needed)."
        )
    jankovic, basis = jankovic_frequency_estimate(
        blink_rate_per_min=rate,
        eye_closure_fraction=closure_fraction,
        longest_prolonged_closure_s=longest,
        n_flutter_episodes=len(episodes),
        params=p,
    )
    result = BlinkResult(
        duration_s=duration,
        tracked_duration_s=tracked_duration,
        frames_total=n,
        frames_analyzed=int(usable.sum()),
        fps=_frame_rate(t_s),
        open_ear_left=open_levels[0],
        open_ear_right=open_levels[1],
        events=events,
        flutter_episodes=episodes,
        blink_rate_per_min=rate,
        eye_closure_fraction=closure_fraction,
        eye_closure_fraction_left=per_eye[0],
        eye_closure_fraction_right=per_eye[1],
        jankovic_frequency_estimate=jankovic,
        jankovic_frequency_basis=basis,
        parameters=p,
        warnings=warnings,
        t_s=t_s,
        ear=np.where(usable[:, None], ear, np.nan),
        openness=openness,
        tracked=usable,
    )
    for message in warnings:
        logger.info("blink analysis: %s", message)
    return result


# --- entry point -------------------------------------------------------------------------------


def _eye_aspect_ratios(frame: FrameLandmarks) -> np.ndarray:
    return eye_aspect_ratio(frame.face_px)


def measure_blink(
    video_path: str | Path, *, progress: Callable[[int, int | None], None] | None = None, **params
) -> BlinkResult:
    """Measure blinking and eyelid spasms in a video of a face.

    Parameters
    ----------
    video_path : str or Path
        Video file, camera facing the person, image not mirrored.
    progress : callable, optional
        ``progress(done_frames, total_frames)``, passed to the video pipeline.
    **params
        Fields of :class:`BlinkParameters`.

    Returns
    -------
    BlinkResult
        With the pipeline's quality warnings first.

    Raises
    ------
    torsion.measures.quality.UnusableRecording
        When the video cannot be read or measured (:class:`BlinkAnalysisError` among them).
    """
    # Imported here so that the analysis functions above load without the video stack.
    from torsion.measures.pipeline import track_video

    signals = track_video(video_path, _eye_aspect_ratios, EAR_COLUMNS, progress=progress)
    result = analyse_blinks(signals.t_s, signals.values, signals.tracked, **params)
    result.warnings[:0] = signals.warnings
    return result
