"""What an injector looks at while charting a session: the dose grid and the latest head posture.

The dose grid sets the muscles (rows, one per muscle and side) against the last sessions (columns,
newest first, so that the session that matters most is the one in view on a narrow screen). Each
cell is the dose in that session's product's own units; each column names its product and has its
total. Totals across columns are never made: columns may be different products.

The posture is read from the head recordings' stored results (``Recording.metrics``: the median
rotation, tilt and forward/back bend over the recording, from :mod:`torsion.measures.head`); nothing
is measured here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from torsion.clinical import catalogue
from torsion.web.accounts.models import Patient
from torsion.web.learn.models import DiagnosisSummary
from torsion.web.recordings.models import Recording, Status
from torsion.web.records.models import ToxinInjection
from torsion.web.records.treatments import session_total

#: Short product names for the grid's column heads (the usual abbreviations in the literature), so that
#: a column stays narrow on a phone; a key under the grid gives the full names.
PRODUCT_ABBREVIATIONS: dict[str, str] = {
    "onabotulinumtoxinA": "onaBoNT-A",
    "abobotulinumtoxinA": "aboBoNT-A",
    "incobotulinumtoxinA": "incoBoNT-A",
    "rimabotulinumtoxinB": "rimaBoNT-B",
    "daxibotulinumtoxinA": "daxiBoNT-A",
}
GRID_SESSION_CHOICES = (4, 8, 12, 24)
GRID_SESSIONS = 8
COMPACT_GRID_SESSIONS = 3

_MUSCLE_ORDER = {m.code: index for index, m in enumerate(catalogue.MUSCLES)}
_SIDE_ORDER = {code: index for index, (code, _) in enumerate(catalogue.SIDES)}
_SIDE_LABELS = dict(catalogue.SIDES)


@dataclass(frozen=True)
class GridColumn:
    injection: ToxinInjection
    product_name: str
    product_short: str
    total: Decimal


@dataclass(frozen=True)
class GridRow:
    muscle: str
    side: str
    muscle_name: str
    side_label: str
    cells: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class GridGroup:
    label: str
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class DoseGrid:
    columns: tuple[GridColumn, ...]
    groups: tuple[GridGroup, ...]
    more_sessions: int  # sessions of the record not shown

    @property
    def rows(self) -> list[GridRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def abbreviations(self) -> list[tuple[str, str]]:
        """(short name, full name) of each product shown under a short name, in column order."""
        pairs = dict((c.product_short, c.product_name) for c in self.columns if c.product_short != c.product_name)
        return list(pairs.items())


def dose_grid(patient: Patient, sessions: int = GRID_SESSIONS) -> DoseGrid:
    """The patient's last ``sessions`` injection sessions as a muscle-by-session grid (newest first)."""
    query = ToxinInjection.objects.filter(patient=patient).order_by("-date", "-pk")
    injections = list(query.prefetch_related("lines")[:sessions])
    columns = tuple(GridColumn(i, i.product_name, PRODUCT_ABBREVIATIONS.get(i.product, i.product_name),
                               session_total(i)) for i in injections)
    cells: dict[tuple[str, str, str], dict[int, Decimal]] = {}
    for index, injection in enumerate(injections):
        for line in injection.lines.all():
            key = (line.muscle, " ".join(line.muscle_other.split()), line.side)
            row = cells.setdefault(key, {})
            row[index] = row.get(index, Decimal(0)) + line.units

    def order(key: tuple[str, str, str]):
        muscle, other, side = key
        return _MUSCLE_ORDER.get(muscle, len(_MUSCLE_ORDER)), other.casefold(), _SIDE_ORDER.get(side, 9)

    groups: dict[str, list[GridRow]] = {}
    for key in sorted(cells, key=order):
        muscle, other, side = key
        info = catalogue.MUSCLES_BY_CODE.get(muscle)
        group = info.group if info else "Other"
        groups.setdefault(group, []).append(GridRow(
            muscle, side, other or catalogue.MUSCLE_LABELS.get(muscle, muscle), _SIDE_LABELS.get(side, side),
            tuple(cells[key].get(index) for index in range(len(injections)))))
    total = query.count() if len(injections) == sessions else len(injections)
    return DoseGrid(columns, tuple(GridGroup(label, tuple(rows)) for label, rows in groups.items()),
                    total - len(injections))


# --- the head posture beside the form -----------------------------------------------------------

@dataclass(frozen=True)
class PostureAngle:
    name: str  # "Rotation"
    degrees: float | None
    description: str  # "23° to the right (chin toward the right shoulder)"


@dataclass(frozen=True)
class Posture:
    recording_id: int
    recorded_on: date
    from_neutral: bool  # measured from the person's own straight posture at the start of the video
    angles: tuple[PostureAngle, ...]


#: (metric key, name, words for a positive value, words for a negative value); signs as in
#: docs/measures-head.md: positive yaw is the chin toward the right shoulder, positive roll the right
#: ear down, positive pitch the chin down.
_ANGLES = (
    ("yaw_median_deg", "Rotation", "to the right (chin toward the right shoulder)",
     "to the left (chin toward the left shoulder)"),
    ("roll_median_deg", "Tilt", "to the right (right ear toward the right shoulder)",
     "to the left (left ear toward the left shoulder)"),
    ("pitch_median_deg", "Flexion or extension", "forward (chin down, flexion)", "backward (chin up, extension)"),
)


def describe_angle(value: float | None, positive: str, negative: str) -> str:
    """``23.4`` -> "23° <positive words>"; under 1 degree either way -> "about straight"."""
    if value is None:
        return "not measured"
    if abs(value) < 1:
        return "about straight"
    return f"{abs(value):.0f}° {positive if value > 0 else negative}"


def latest_posture(patient: Patient) -> Posture | None:
    """The head posture of the patient's latest analysed head-at-rest recording, or ``None``."""
    recording = (Recording.objects.filter(patient=patient, kind="head", task="rest", status=Status.DONE)
                 .exclude(metrics={}).order_by("-recorded_at", "-pk").first())
    if recording is None:
        return None
    metrics = recording.metrics or {}
    angles = tuple(PostureAngle(name, metrics.get(key), describe_angle(metrics.get(key), positive, negative))
                   for key, name, positive, negative in _ANGLES)
    return Posture(recording.pk, timezone.localtime(recording.recorded_at).date(), bool(recording.neutral_s), angles)


def has_cervical_dystonia(patient: Patient, muscles: Iterable[str] = ()) -> bool:
    """Whether the neck is involved: in the muscles being charted, the diagnosis summary or the diary."""
    if any(catalogue.MUSCLES_BY_CODE.get(m) and catalogue.MUSCLES_BY_CODE[m].region == "neck" for m in muscles):
        return True
    if "neck" in (patient.diary_regions or []):
        return True
    summary = DiagnosisSummary.objects.filter(patient=patient).order_by("-saved_at", "-pk").first()
    return summary is not None and "neck" in (summary.facts or {}).get("regions", [])
