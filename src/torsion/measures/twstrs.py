"""TWSTRS severity *estimates* from measured head posture, for a clinician to confirm.

The Toronto Western Spasmodic Torticollis Rating Scale rates the maximal excursion of each
component of cervical dystonia. Torsion estimates five items from video:

=====================  =====  ==========================================  ===========================
item                   range  bands (maximal excursion)                   direction
=====================  =====  ==========================================  ===========================
rotation               0-4    yaw 5-22 / 23-45 / 46-67 / >=68 degrees     chin toward right / left
laterocollis           0-3    roll 5-15 / 16-35 / >=36 degrees            ear toward right / left
antero_retrocollis     0-3    pitch 5-15 / 16-35 / >=36 degrees           anterocollis / retrocollis
lateral_shift          0/1    >= 0.10 shoulder widths                     toward right / left
sagittal_shift         0/1    >= 0.15 shoulder widths                     anterior / posterior
=====================  =====  ==========================================  ===========================

Sources and what is Torsion's own (all unverified against clinical ratings):

* Rotation 1-22 / 23-45 / 46-67 / 68-90 degrees and laterocollis 1-15 / 16-35 / >35 degrees are the
  published TWSTRS thresholds. Degrees are rounded to the nearest whole degree (halves up) before
  the bands apply, so 22.4 is slight and 22.5 mild.
* The published "slight" bands start at 1 degree; Torsion scores 0 below 5 degrees because video
  head pose cannot resolve smaller deviations (its error is a few degrees at best).
* Antero/retrocollis has no published degree bands (mild / moderate, about half the range /
  severe, about the full range); Torsion uses the laterocollis bands, about a quarter, half and
  more than half of the 60-70 degrees of neck flexion or extension.
* The shift thresholds are Torsion's own. Lateral shift is measured on the image; sagittal shift
  relies on MediaPipe Pose's depth estimate, which is coarse.

Maximal excursion: the series is smoothed with a running median over ``smooth_s`` (1 s, so that
tremor does not inflate it); the 5th and 95th percentiles are taken and the one farther from zero
gives the direction and the excursion. Beside each score: the share of measured time deviated by at
least the "none" threshold in that direction, and the share at maximal excursion (at least 80% of
the excursion), a hint for the scale's duration factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

__all__ = ["ITEMS", "ItemEstimate", "TwstrsItem", "estimate_item", "score_from_bands"]

#: Share of the maximal excursion from which a frame counts as "at maximal excursion".
AT_MAX_FRACTION = 0.8


@dataclass(frozen=True)
class TwstrsItem:
    """Definition of one estimated item.

    Attributes
    ----------
    name : str
    max_score : int
    bands : tuple of float
        Lowest (rounded) excursion for scores 1, 2, ...
    unit : str
        ``deg`` or ``shoulder widths``.
    positive, negative : str
        Direction names for positive and negative values of the series.
    rounded : bool
        Round to whole units before applying the bands (degrees).
    """

    name: str
    max_score: int
    bands: tuple[float, ...]
    unit: str
    positive: str
    negative: str
    rounded: bool = True


ITEMS = {
    item.name: item
    for item in (
        TwstrsItem("rotation", 4, (5, 23, 46, 68), "deg", "right", "left"),
        TwstrsItem("laterocollis", 3, (5, 16, 36), "deg", "right", "left"),
        TwstrsItem("antero_retrocollis", 3, (5, 16, 36), "deg", "anterocollis", "retrocollis"),
        TwstrsItem("lateral_shift", 1, (0.10,), "shoulder widths", "right", "left", rounded=False),
        TwstrsItem("sagittal_shift", 1, (0.15,), "shoulder widths", "anterior", "posterior", rounded=False),
    )
}


@dataclass(frozen=True)
class ItemEstimate:
    """Estimated score of one item.

    Attributes
    ----------
    item : str
    score : int or None
        None when the series had no measured values.
    max_score : int
    direction : str or None
        None when the score is 0 or unknown.
    excursion : float or None
        Maximal excursion (degrees or shoulder widths), unsigned.
    unit : str
    time_deviated_fraction : float or None
        Share of measured time at or beyond the score-1 threshold in ``direction``.
    time_at_max_fraction : float or None
        Share of measured time at 80% of the maximal excursion or more, in ``direction``.
    """

    item: str
    score: int | None
    max_score: int
    direction: str | None
    excursion: float | None
    unit: str
    time_deviated_fraction: float | None
    time_at_max_fraction: float | None

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "direction": self.direction,
            "excursion": self.excursion,
            "unit": self.unit,
            "time_deviated_fraction": self.time_deviated_fraction,
            "time_at_max_fraction": self.time_at_max_fraction,
        }


def score_from_bands(excursion: float, item: TwstrsItem) -> int:
    """Score of an unsigned excursion against an item's bands (degrees rounded half up)."""
    value = np.floor(excursion + 0.5) if item.rounded else excursion
    return int(np.searchsorted(np.asarray(item.bands, dtype=float), value, side="right"))


def estimate_item(name: str, t_s: np.ndarray, values: np.ndarray, *, smooth_s: float = 1.0) -> ItemEstimate:
    """Estimate one TWSTRS item from a signed series.

    Parameters
    ----------
    name : str
        A key of :data:`ITEMS`.
    t_s : ndarray (n,)
        Times in seconds.
    values : ndarray (n,)
        Signed series (positive = the item's ``positive`` direction); NaN where not measured.
    smooth_s : float
        Running-median length in seconds.

    Returns
    -------
    ItemEstimate
    """
    item = ITEMS[name]
    t_s = np.asarray(t_s, dtype=float)
    values = np.asarray(values, dtype=float)
    measured = np.isfinite(values)
    if not measured.any():
        return ItemEstimate(name, None, item.max_score, None, None, item.unit, None, None)
    times, series = t_s[measured], values[measured]
    if series.size > 2:
        step = float(np.median(np.diff(times)))
        width = max(1, int(round(smooth_s / step)) | 1) if step > 0 else 1
        series = ndimage.median_filter(series, size=width, mode="nearest")
    low, high = np.percentile(series, [5, 95])
    if abs(high) != abs(low):
        sign = 1.0 if abs(high) > abs(low) else -1.0
    else:
        sign = -1.0 if np.median(series) < 0 else 1.0
    excursion = float(abs(high) if sign > 0 else abs(low))
    score = score_from_bands(excursion, item)
    directed = sign * series
    threshold = item.bands[0] - 0.5 if item.rounded else item.bands[0]
    deviated = float(np.mean(directed >= threshold))
    at_max = float(np.mean(directed >= AT_MAX_FRACTION * excursion)) if score > 0 else 0.0
    return ItemEstimate(
        item=name,
        score=score,
        max_score=item.max_score,
        direction=(item.positive if sign > 0 else item.negative) if score > 0 else None,
        excursion=excursion,
        unit=item.unit,
        time_deviated_fraction=deviated,
        time_at_max_fraction=at_max,
    )
