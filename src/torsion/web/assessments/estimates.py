"""TWSTRS severity items estimated from a head recording, offered to the clinician to confirm or change.

The estimates are computed by :mod:`torsion.measures.twstrs` when a recording is analysed and stored
in the recording's result (``twstrs_estimate``); nothing is measured here. This module reads them,
words them for the form, and counts how often the clinicians' confirmed values agreed with them.

Only recordings of the head at rest are offered: on the turning task the head is turned on purpose,
and its excursion says nothing about the dystonic posture.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from torsion.clinical.scales import ScaleDefinition
from torsion.measures.twstrs import ITEMS as ESTIMABLE
from torsion.web.accounts.models import Patient
from torsion.web.assessments.models import EstimatedItem, ScaleAdministration
from torsion.web.recordings.models import Recording, Status

#: The scale whose severity items the head measure estimates.
SCALE = "twstrs"
#: The head task whose recordings may start the form.
TASK = "rest"

#: Short names of the estimated items, for the list of recordings.
SHORT_NAMES = {"rotation": "rotation", "laterocollis": "laterocollis", "antero_retrocollis": "antero/retrocollis",
               "lateral_shift": "lateral shift", "sagittal_shift": "sagittal shift"}

_DIRECTION_WORDS = {
    "rotation": {"right": "chin to the right", "left": "chin to the left"},
    "laterocollis": {"right": "tilted towards the right shoulder", "left": "tilted towards the left shoulder"},
    "antero_retrocollis": {"anterocollis": "bent forward (anterocollis)", "retrocollis": "bent backward (retrocollis)"},
    "lateral_shift": {"right": "shifted to the right", "left": "shifted to the left"},
    "sagittal_shift": {"anterior": "shifted forward", "posterior": "shifted backward"},
}


@dataclass(frozen=True)
class VideoEstimate:
    """One item's estimate from a recording: the score and the excursion it came from."""

    item: str
    score: int
    max_score: int
    excursion: float | None
    unit: str
    direction: str | None
    details: dict

    @property
    def measured(self) -> str:
        """The excursion in words, e.g. ``31° chin to the right`` or ``0.12 shoulder widths shifted to the left``."""
        if self.excursion is None:
            return "not measured"
        amount = f"{self.excursion:.0f}°" if self.unit == "deg" else f"{self.excursion:.2f} {self.unit}"
        words = _DIRECTION_WORDS.get(self.item, {}).get(self.direction or "")
        return f"{amount} {words}" if words else f"{amount} at most, within what is scored as none"

    @classmethod
    def from_result(cls, item: str, data: dict) -> VideoEstimate | None:
        score = data.get("score")
        if not isinstance(score, int) or isinstance(score, bool):
            return None
        return cls(item=item, score=score, max_score=int(data.get("max_score") or ESTIMABLE[item].max_score),
                   excursion=data.get("excursion"), unit=str(data.get("unit") or ESTIMABLE[item].unit),
                   direction=data.get("direction"), details=dict(data))

    @classmethod
    def from_stored(cls, row: EstimatedItem) -> VideoEstimate:
        return cls(item=row.item, score=row.estimated_score, max_score=ESTIMABLE[row.item].max_score,
                   excursion=row.excursion, unit=row.unit, direction=row.direction or None, details=row.details)


def offers_estimates(definition: ScaleDefinition) -> bool:
    return definition.id == SCALE


def estimates_from_recording(recording: Recording, definition: ScaleDefinition) -> dict[str, VideoEstimate]:
    """The recording's estimates of the scale's items, by item id (items the video could not score left out)."""
    if recording.kind != "head" or recording.task != TASK or recording.status != Status.DONE:
        return {}
    stored = (recording.result or {}).get("twstrs_estimate") or {}
    items = {item.id for item in definition.items}
    estimates = {}
    for item_id, data in stored.items():
        if item_id in ESTIMABLE and item_id in items and isinstance(data, dict):
            estimate = VideoEstimate.from_result(item_id, data)
            if estimate is not None and estimate.score in definition.item(item_id).allowed:
                estimates[item_id] = estimate
    return estimates


def recordings_with_estimates(patient: Patient, limit: int = 8) -> list[dict]:
    """The patient's latest analysed head-at-rest recordings that carry estimates, newest first.

    Each is ``{"recording": Recording, "scores": [(short item name, score), ...]}``; only the estimates
    are read from the stored results, not their per-frame series.
    """
    rows = (Recording.objects.filter(patient=patient, kind="head", task=TASK, status=Status.DONE)
            .order_by("-recorded_at", "-pk")
            .values_list("pk", "result__twstrs_estimate")[:limit * 3])
    chosen = []
    for pk, stored in rows:
        scores = [(SHORT_NAMES[item], data["score"]) for item, data in (stored or {}).items()
                  if item in ESTIMABLE and isinstance(data, dict) and isinstance(data.get("score"), int)]
        if scores:
            chosen.append((pk, scores))
        if len(chosen) == limit:
            break
    recordings = Recording.objects.defer("result").in_bulk([pk for pk, _ in chosen])
    return [{"recording": recordings[pk], "scores": scores} for pk, scores in chosen]


# --- agreement ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemAgreement:
    """How the confirmed values of one item compared with its video estimates over saved administrations."""

    item: str
    label: str
    compared: int
    same: int
    clinician_higher: int
    clinician_lower: int
    within_one: int

    @property
    def same_percent(self) -> float | None:
        return 100 * self.same / self.compared if self.compared else None


def agreement(patient: Patient, definition: ScaleDefinition) -> list[ItemAgreement]:
    """Per estimated item: saved administrations where the clinician kept, raised or lowered the estimate."""
    rows = (EstimatedItem.objects
            .filter(administration__patient=patient, administration__scale=definition.id,
                    administration__status=ScaleAdministration.Status.FINAL, confirmed_score__isnull=False)
            .values_list("item", "estimated_score", "confirmed_score"))
    counts: dict[str, Counter] = {}
    for item, estimated, confirmed in rows:
        tally = counts.setdefault(item, Counter())
        tally["compared"] += 1
        tally["same"] += confirmed == estimated
        tally["higher"] += confirmed > estimated
        tally["lower"] += confirmed < estimated
        tally["within_one"] += abs(confirmed - estimated) <= 1
    return [ItemAgreement(item.id, item.label, counts[item.id]["compared"], counts[item.id]["same"],
                          counts[item.id]["higher"], counts[item.id]["lower"], counts[item.id]["within_one"])
            for item in definition.items if item.id in counts]
