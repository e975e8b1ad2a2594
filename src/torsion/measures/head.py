"""Head posture and head tremor in cervical dystonia, from a video of the person facing the camera.

Entry point: :func:`measure_head` (a video file) -> :class:`HeadResult`; :func:`analyse_head` does
the same from per-frame signals already extracted (useful for tests and re-analysis).

Per frame (see :mod:`torsion.measures.pipeline` for decoding and landmarks):

* ``yaw_deg``, ``pitch_deg``, ``roll_deg``: head orientation by rigid alignment of the Face Mesh
  landmarks to Torsion's reference face (:mod:`torsion.measures.headpose`, which defines the
  signs: yaw + = chin toward the person's right shoulder, pitch + = chin down, roll + = right ear
  down).
* From MediaPipe Pose (run every :data:`POSE_INTERVAL_S` = 2 s of video; NaN on other frames),
  normalised by the shoulder width (distance between the shoulder landmarks in the picture):

  - ``lateral_shift``: horizontal offset of the head centre (between the ears, from the face fit)
    from the midpoint of the shoulders; + = toward the person's right.
  - ``sagittal_shift``: depth of the shoulders' midpoint minus depth of the ears (Pose's depth
    estimate); + = head forward (anterior). Pose depth is coarse, and a head is normally somewhat
    in front of the shoulders, so this is only scored against a neutral period.
  - ``shoulder_elevation``: height of the right shoulder above the left; + = right shoulder raised.

Calibration: with ``neutral_s``, the first ``neutral_s`` seconds are the person holding the head
as straight as they can; the median of each signal over that period is subtracted, and the period
is left out of the summaries. With ``neutral`` = (yaw, pitch, roll) in degrees chosen by a
clinician, those angles are subtracted. Without either, angles are relative to the reference face
(zero pitch = the head held as for a portrait photograph; see
:mod:`torsion.measures.reference_face`).

Summaries: median, 5th and 95th percentiles of each signal over tracked frames; head tremor
(:mod:`torsion.measures.tremor`); TWSTRS estimates (:mod:`torsion.measures.twstrs`). Frames where
the face was lost are marked and left out, never filled in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from torsion.measures.headpose import PoseFitError, head_pose
from torsion.measures.pipeline import FrameLandmarks, FrameSignals, track_video
from torsion.measures.tremor import TremorResult, analyse_tremor
from torsion.measures.twstrs import ItemEstimate, estimate_item

__all__ = ["COLUMNS", "HeadResult", "NeutralPeriodError", "analyse_head", "extract_head", "measure_head"]

log = logging.getLogger(__name__)

ANGLES = ("yaw_deg", "pitch_deg", "roll_deg")
SHIFTS = ("lateral_shift", "sagittal_shift", "shoulder_elevation")
COLUMNS = ANGLES + ("head_scale_px", "fit_rms_px") + SHIFTS

#: MediaPipe Pose landmark indices (person's left / right).
LEFT_EAR, RIGHT_EAR, LEFT_SHOULDER, RIGHT_SHOULDER = 7, 8, 11, 12
#: Pose landmarks with less visibility than this are not used.
MIN_VISIBILITY = 0.5
#: Seconds of video between MediaPipe Pose runs: shoulder posture changes slowly, and at 30
#: frames/s Pose on every frame would cost more than Face Mesh itself (see docs/measures-head.md).
POSE_INTERVAL_S = 2.0
#: Shortest tracked time after the neutral period that can be summarised, seconds.
MIN_ANALYSED_S = 1.0

TWSTRS_NOTE = (
    "Estimates from video, to be confirmed by a clinician; Torsion's degree bands are documented "
    "and not validated against clinical ratings."
)


class NeutralPeriodError(ValueError):
    """The neutral (calibration) period cannot be used."""


def extract_head(frame: FrameLandmarks) -> list[float] | None:
    """Reduce one frame to the values of :data:`COLUMNS` (None when the face cannot be fitted)."""
    try:
        pose = head_pose(frame.face_px)
    except PoseFitError as exc:
        log.debug("frame %d: %s", frame.index, exc)
        return None
    shifts = [np.nan, np.nan, np.nan]
    body = frame.pose_px
    if body is not None and body[[LEFT_SHOULDER, RIGHT_SHOULDER], 3].min() >= MIN_VISIBILITY:
        left, right = body[LEFT_SHOULDER, :3], body[RIGHT_SHOULDER, :3]
        width = float(np.hypot(*(left[:2] - right[:2])))
        if width > 0:
            middle = 0.5 * (left + right)
            shifts[0] = (middle[0] - pose.head_centre_px[0]) / width
            if body[[LEFT_EAR, RIGHT_EAR], 3].min() >= MIN_VISIBILITY:
                ears_z = 0.5 * (body[LEFT_EAR, 2] + body[RIGHT_EAR, 2])
                shifts[1] = (middle[2] - ears_z) / width
            shifts[2] = (left[1] - right[1]) / width
    return [pose.yaw_deg, pose.pitch_deg, pose.roll_deg, pose.scale, pose.rms_px, *shifts]


def _spread(values: np.ndarray) -> dict | None:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    p5, median, p95 = np.percentile(finite, [5, 50, 95])
    return {"median": float(median), "p5": float(p5), "p95": float(p95)}


@dataclass
class HeadResult:
    """Head posture, shifts, tremor and TWSTRS estimates of one recording.

    Attributes
    ----------
    frames_total, frames_analyzed : int
        Frames decoded; tracked frames summarised (after any neutral period).
    fps : float
        Median frame rate from the timestamps.
    duration_s : float
    t_s : ndarray (n,)
        Frame times, seconds.
    tracked : ndarray of bool (n,)
    series : dict of str to ndarray (n,)
        Calibrated per-frame signals (``yaw_deg``, ``pitch_deg``, ``roll_deg``, shifts); NaN where
        not measured.
    posture : dict of str to dict or None
        ``{median, p5, p95}`` per signal; None for a signal never measured.
    neutral : dict or None
        What was subtracted: ``{"source", "yaw_deg", "pitch_deg", "roll_deg", ...}``.
    tremor : TremorResult
    twstrs : dict of str to ItemEstimate
    warnings : list of str
    """

    frames_total: int
    frames_analyzed: int
    fps: float
    duration_s: float
    t_s: np.ndarray
    tracked: np.ndarray
    series: dict[str, np.ndarray]
    posture: dict[str, dict | None]
    neutral: dict | None
    tremor: TremorResult
    twstrs: dict[str, ItemEstimate]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, series: bool = False) -> dict:
        """JSON-ready result; ``series=True`` adds per-frame signals and the tremor spectrum."""
        out = {
            "frames_total": self.frames_total,
            "frames_analyzed": self.frames_analyzed,
            "fps": self.fps,
            "duration_s": self.duration_s,
            **{name: self.posture[name] for name in ANGLES + SHIFTS},
            "shift_unit": "shoulder widths",
            "neutral": self.neutral,
            "tremor": self.tremor.to_dict(series=series),
            "twstrs_estimate": {name: item.to_dict() for name, item in self.twstrs.items()},
            "twstrs_note": TWSTRS_NOTE,
            "warnings": list(self.warnings),
        }
        if series:
            out["series"] = {
                "t_s": self.t_s.tolist(),
                "tracked": self.tracked.tolist(),
                **{
                    name: [None if not np.isfinite(v) else float(v) for v in values]
                    for name, values in self.series.items()
                },
            }
        return out


def analyse_head(
    signals: FrameSignals,
    *,
    neutral_s: float | None = None,
    neutral: tuple[float, float, float] | None = None,
) -> HeadResult:
    """Summarise per-frame head signals (columns :data:`COLUMNS`) into a :class:`HeadResult`.

    Parameters
    ----------
    signals : FrameSignals
        From :func:`track_video` with :func:`extract_head`.
    neutral_s : float, optional
        Length in seconds of the neutral period at the start of the recording.
    neutral : (float, float, float), optional
        Neutral (yaw, pitch, roll) in degrees to subtract.

    Raises
    ------
    NeutralPeriodError
        Both calibrations given, a non-positive period, no tracked frame in it, or less than
        one second of tracked video after it.
    """
    if neutral_s is not None and neutral is not None:
        raise NeutralPeriodError("Give either a neutral period or neutral angles, not both.")
    t_s, tracked = signals.t_s, signals.tracked.copy()
    series = {name: signals.column(name).copy() for name in ANGLES + SHIFTS}
    warnings = list(signals.warnings)
    neutral_info = None
    summarised = tracked.copy()
    if neutral_s is not None:
        if not neutral_s > 0:
            raise NeutralPeriodError(f"The neutral period must be longer than 0 s; got {neutral_s:g} s.")
        period = t_s < neutral_s
        calm = period & tracked
        if np.count_nonzero(calm) < 3:
            raise NeutralPeriodError(
                f"The face was not tracked in the first {neutral_s:g} s, so the neutral posture is unknown."
            )
        neutral_info = {"source": f"first {neutral_s:g} s"}
        for name, values in series.items():
            reference = values[calm & np.isfinite(values)]
            offset = float(np.median(reference)) if reference.size else 0.0
            if name in SHIFTS and reference.size == 0:
                neutral_info[name] = None
                if np.isfinite(values).any():
                    warnings.append(
                        f"No {name.replace('_', ' ')} was measured in the neutral period; it is not calibrated."
                    )
                continue
            neutral_info[name] = offset
            values -= offset
        summarised &= ~period
        left_s = float(np.ptp(t_s[summarised])) if summarised.any() else 0.0
        if left_s < MIN_ANALYSED_S:
            raise NeutralPeriodError(
                f"Less than {MIN_ANALYSED_S:g} s of tracked video is left after the {neutral_s:g} s "
                "neutral period."
            )
    elif neutral is not None:
        if len(neutral) != 3 or not np.all(np.isfinite(neutral)):
            raise NeutralPeriodError("Neutral angles must be three numbers: yaw, pitch and roll in degrees.")
        neutral_info = {"source": "given", **dict(zip(ANGLES, map(float, neutral), strict=True))}
        for name, offset in zip(ANGLES, neutral, strict=True):
            series[name] -= offset
    for values in series.values():
        values[~tracked] = np.nan

    posture = {name: _spread(values[summarised]) for name, values in series.items()}
    if posture["lateral_shift"] is None:
        warnings.append("The shoulders were not found; head shifts and shoulder elevation were not measured.")
    angles = np.column_stack([series[name] for name in ANGLES])
    tremor = analyse_tremor(t_s, np.where(summarised[:, None], angles, np.nan), summarised)
    warnings.extend(tremor.warnings)

    def window(name: str) -> np.ndarray:
        return np.where(summarised, series[name], np.nan)

    twstrs = {
        "rotation": estimate_item("rotation", t_s, window("yaw_deg")),
        "laterocollis": estimate_item("laterocollis", t_s, window("roll_deg")),
        "antero_retrocollis": estimate_item("antero_retrocollis", t_s, window("pitch_deg")),
        "lateral_shift": estimate_item("lateral_shift", t_s, window("lateral_shift")),
    }
    if neutral_s is not None and neutral_info.get("sagittal_shift") is not None:
        twstrs["sagittal_shift"] = estimate_item("sagittal_shift", t_s, window("sagittal_shift"))
    else:
        twstrs["sagittal_shift"] = estimate_item("sagittal_shift", t_s, np.full(t_s.size, np.nan))
        if posture["sagittal_shift"] is not None:
            warnings.append("Forward or backward shift of the head is measured only when the recording starts with a "
                            "few seconds held as straight as possible (a neutral period).")

    duration_s = float(t_s[-1] - t_s[0]) if t_s.size > 1 else 0.0
    return HeadResult(
        frames_total=signals.frames_total,
        frames_analyzed=int(np.count_nonzero(summarised)),
        fps=signals.fps,
        duration_s=duration_s,
        t_s=t_s,
        tracked=tracked,
        series=series,
        posture=posture,
        neutral=neutral_info,
        tremor=tremor,
        twstrs=twstrs,
        warnings=warnings,
    )


def measure_head(
    video_path: str | Path,
    *,
    neutral_s: float | None = None,
    neutral: tuple[float, float, float] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> HeadResult:
    """Measure head posture and tremor in a video of a person facing the camera.

    Parameters
    ----------
    video_path : str or Path
    neutral_s : float, optional
        The first ``neutral_s`` seconds show the head held as straight as the person can.
    neutral : (float, float, float), optional
        Clinician-chosen neutral (yaw, pitch, roll) in degrees.
    progress : callable, optional
        ``progress(done_frames, total_frames_or_None)``.

    Returns
    -------
    HeadResult

    Raises
    ------
    UnusableRecording
        The file cannot be read or measured (:mod:`torsion.measures.quality`).
    NeutralPeriodError
        The calibration cannot be applied.
    """
    if neutral_s is not None and neutral is not None:
        raise NeutralPeriodError("Give either a neutral period or neutral angles, not both.")
    signals = track_video(
        video_path, extract_head, COLUMNS, pose=True, progress=progress, pose_interval_s=POSE_INTERVAL_S
    )
    return analyse_head(signals, neutral_s=neutral_s, neutral=neutral)
