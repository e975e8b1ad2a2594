"""Checks of a botulinum-toxin session before it is saved: typing mistakes, label maxima, short intervals.

The checks ask the person to look again; they never say what a dose should be, and a deliberate
choice can always be confirmed. They are:

1. **Dose per muscle** outside the range usually recorded for a muscle of that size with that product
   (:data:`USUAL_UNITS_PER_MUSCLE`). A line on "both sides" holds the units of both sides, so its upper
   bound is doubled.
2. **Dose per session** outside the range usually recorded for one session with that product
   (:data:`USUAL_UNITS_PER_SESSION`, from the cervical dystonia doses of labels and trials in the
   clinical reference, section 5). A total below the range is flagged only when the session includes
   a neck muscle: sessions for the eyelids, the voice or a hand rightly use far fewer units.
3. **Label maxima** where they are lower than the usual range (:data:`LABEL_MAXIMA`), counting the
   earlier sessions of the same product within the label's interval.
4. **Interval**: a session less than 12 weeks (:data:`REINJECTION_INTERVAL_DAYS`) after the previous
   injection of the same body region, whatever the product, with the number of days.

Units are those of each product and are never converted: every table below is written out per
product, even where two products happen to share numbers. The per-muscle ranges are a **project
convention** for catching typing mistakes (a slipped decimal point, an extra zero): wide bounds around
the per-muscle doses of the US labels' dosing tables and of published injection guides, set by muscle
size class (:attr:`torsion.clinical.catalogue.Muscle.dose_class`). They are not dosing advice and are
not meant to flag a dose a clinician chose deliberately at the edge of usual practice. The sources of
the label maxima are given with each one and in ``docs/injection-checks.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from torsion.clinical import catalogue
from torsion.clinical.regions import REGIONS

#: Re-injection of the same region usually waits at least 12 weeks (clinical reference, section 5).
REINJECTION_INTERVAL_DAYS = 84

#: Usual units per muscle line (one side) by product and muscle size class, in that product's units.
#: Project convention (see the module docstring); bounds are (lowest, highest).
USUAL_UNITS_PER_MUSCLE: dict[str, dict[str, tuple[float, float]]] = {
    "onabotulinumtoxinA": {
        "face": (0.5, 25), "larynx": (0.1, 10), "jaw": (2, 100), "neck_deep": (2, 75), "neck_large": (5, 200),
        "trunk": (10, 300), "forearm": (5, 100), "hand": (1, 40), "limb_large": (10, 300), "foot": (5, 100),
    },
    "incobotulinumtoxinA": {
        "face": (0.5, 25), "larynx": (0.1, 10), "jaw": (2, 100), "neck_deep": (2, 75), "neck_large": (5, 200),
        "trunk": (10, 300), "forearm": (5, 100), "hand": (1, 40), "limb_large": (10, 300), "foot": (5, 100),
    },
    "daxibotulinumtoxinA": {
        "face": (1, 40), "larynx": (0.2, 20), "jaw": (4, 150), "neck_deep": (4, 100), "neck_large": (10, 250),
        "trunk": (20, 400), "forearm": (10, 150), "hand": (2, 60), "limb_large": (20, 400), "foot": (10, 150),
    },
    "abobotulinumtoxinA": {
        "face": (2, 80), "larynx": (0.5, 30), "jaw": (5, 300), "neck_deep": (5, 250), "neck_large": (15, 600),
        "trunk": (30, 1000), "forearm": (15, 300), "hand": (3, 100), "limb_large": (30, 1000), "foot": (15, 300),
    },
    "rimabotulinumtoxinB": {
        "face": (25, 1000), "larynx": (5, 500), "jaw": (100, 3000), "neck_deep": (100, 2500),
        "neck_large": (250, 7500), "trunk": (500, 10000), "forearm": (100, 3000), "hand": (50, 1000),
        "limb_large": (500, 10000), "foot": (100, 3000),
    },
}

#: Single muscles with a range of their own. The sternocleidomastoid is kept at or under 100 units of
#: onabotulinumtoxinA to limit swallowing problems (clinical reference, section 5).
MUSCLE_EXCEPTIONS: dict[str, dict[str, tuple[float, float]]] = {
    "onabotulinumtoxinA": {"sternocleidomastoid": (5, 100)},
}

#: Usual total units of one session, by product, in that product's units: the cervical dystonia doses
#: of labels and trials (clinical reference, section 5), widened to catch typing mistakes only.
USUAL_UNITS_PER_SESSION: dict[str, tuple[float, float]] = {
    "onabotulinumtoxinA": (15, 500),
    "abobotulinumtoxinA": (50, 1500),
    "incobotulinumtoxinA": (15, 500),
    "rimabotulinumtoxinB": (500, 15000),
    "daxibotulinumtoxinA": (25, 500),
}

#: How each size class is named in a message.
DOSE_CLASS_NAMES: dict[str, str] = {
    "face": "a muscle of the eyelids, brow or lips",
    "larynx": "a muscle of the voice box",
    "jaw": "a jaw or tongue muscle",
    "neck_deep": "a small or deep neck muscle",
    "neck_large": "a large neck or shoulder muscle",
    "trunk": "a trunk muscle",
    "forearm": "a forearm muscle",
    "hand": "a small hand or thumb muscle",
    "limb_large": "a large arm or leg muscle",
    "foot": "a foot or toe muscle",
}


@dataclass(frozen=True)
class LabelMaximum:
    """A maximum dose in a product's label.

    Attributes
    ----------
    units : Decimal
        In the product's own units.
    window_days : int
        Units of the product given within this many days (this session included) are added up; 1
        means one session.
    cervical_only : bool
        Applies only to sessions for cervical dystonia (with a neck muscle).
    source : str
        Where the maximum comes from, as shown to people.
    """

    product: str
    units: Decimal
    window_days: int
    cervical_only: bool
    source: str


LABEL_MAXIMA: tuple[LabelMaximum, ...] = (
    # Botox (US prescribing information): in adults treated for one or more indications, no more than
    # 400 units in a 3-month interval.
    LabelMaximum("onabotulinumtoxinA", Decimal(400), REINJECTION_INTERVAL_DAYS, False,
                 "the US label, all uses together"),
    # Xeomin (US prescribing information): at most 400 units cumulative for any indication in a
    # treatment session, with sessions no sooner than every 12 weeks; counted over 12 weeks here, as
    # for onabotulinumtoxinA (the project's clinical review).
    LabelMaximum("incobotulinumtoxinA", Decimal(400), REINJECTION_INTERVAL_DAYS, False,
                 "the US label, all uses together"),
    # Daxxify (US prescribing information): 125 to 250 units per session in cervical dystonia.
    LabelMaximum("daxibotulinumtoxinA", Decimal(250), 1, True, "the US label for cervical dystonia"),
)


@dataclass(frozen=True)
class InjectedLine:
    """One muscle line: units of the session's product into one muscle on one side."""

    muscle: str
    side: str
    units: Decimal
    muscle_name: str = ""  # the name typed for an "other" muscle

    @property
    def name(self) -> str:
        return self.muscle_name or catalogue.MUSCLE_LABELS.get(self.muscle, self.muscle)

    @property
    def regions(self) -> tuple[str, ...]:
        return catalogue.muscle_regions(self.muscle, self.side)


@dataclass(frozen=True)
class Session:
    """A session to check, or an earlier one to check it against."""

    day: date
    product: str
    lines: tuple[InjectedLine, ...]
    product_name: str = ""  # the name typed for an "other" product
    regions: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "regions", frozenset(r for line in self.lines for r in line.regions))

    @property
    def total_units(self) -> Decimal:
        return sum((line.units for line in self.lines), Decimal(0))

    @property
    def is_cervical(self) -> bool:
        return "neck" in self.regions

    @property
    def label(self) -> str:
        if self.product == "other":
            return self.product_name or "another product"
        return dict(catalogue.TOXIN_PRODUCTS).get(self.product, self.product)


@dataclass(frozen=True)
class DoseCheck:
    """One finding to confirm before saving.

    Attributes
    ----------
    kind : {"muscle_dose", "session_dose", "label_maximum", "interval"}
    key : str
        Identifies the finding together with the values that caused it: the same entry gives the
        same key, a changed value a different one.
    message : str
        What to look at, in plain words.
    line : int or None
        Index of the muscle line concerned, for a per-muscle finding.
    """

    kind: str
    key: str
    message: str
    line: int | None = None


def _units(value: Decimal | float) -> str:
    return f"{Decimal(str(value)).normalize():,f}"


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _range(low: float, high: float) -> str:
    return f"{_units(low)} to {_units(high)} units"


def _join(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"; with a comma before the last "and" when an item has an "and" of its own."""
    if len(items) == 1:
        return items[0]
    last = ", and " if any(" and " in item for item in items) else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def _side_words(side: str) -> str:
    return {"left": "left", "right": "right", "bilateral": "both sides", "midline": "midline"}.get(side, side)


def muscle_range(product: str, muscle: str, side: str) -> tuple[Decimal, Decimal, str] | None:
    """The usual units of one line of ``muscle`` on ``side`` with ``product``, and what it is usual for.

    Returns ``None`` where no range is known ("other" products or muscles).
    """
    info = catalogue.MUSCLES_BY_CODE.get(muscle)
    table = USUAL_UNITS_PER_MUSCLE.get(product)
    if info is None or table is None:
        return None
    exception = MUSCLE_EXCEPTIONS.get(product, {}).get(muscle)
    if exception is not None:
        low, high = exception
        what = f"the {info.label.lower()}"
    elif info.dose_class in table:
        low, high = table[info.dose_class]
        what = DOSE_CLASS_NAMES[info.dose_class]
    else:
        return None
    low_d, high_d = Decimal(str(low)), Decimal(str(high))
    if side == "bilateral":
        return low_d, high_d * 2, f"{what} on both sides"
    return low_d, high_d, what


def _muscle_checks(session: Session) -> list[DoseCheck]:
    checks = []
    for index, line in enumerate(session.lines):
        usual = muscle_range(session.product, line.muscle, line.side)
        if usual is None or line.units <= 0:
            continue
        low, high, what = usual
        if low <= line.units <= high:
            continue
        direction = "more" if line.units > high else "less"
        checks.append(DoseCheck(
            "muscle_dose", f"muscle:{index}:{line.muscle}:{line.side}:{_units(line.units)}:{session.product}",
            f"{line.name} ({_side_words(line.side)}): {_units(line.units)} units of {session.label} is {direction} "
            f"than the {_range(low, high)} usually recorded for {what} with this product.", index))
    return checks


def _applicable_maxima(session: Session) -> list[LabelMaximum]:
    return [m for m in LABEL_MAXIMA if m.product == session.product and (session.is_cervical or not m.cervical_only)]


def _session_checks(session: Session) -> list[DoseCheck]:
    usual = USUAL_UNITS_PER_SESSION.get(session.product)
    total = session.total_units
    if usual is None or total <= 0:
        return []
    low, high = (Decimal(str(v)) for v in usual)
    key = f"session:{session.product}:{_units(total)}"
    if total > high and not any(m.units < high for m in _applicable_maxima(session)):
        return [DoseCheck("session_dose", key, f"The session's total, {_units(total)} units of {session.label}, is "
                                               f"more than the {_range(low, high)} usually recorded for one session "
                                               f"with this product.")]
    if total < low and session.is_cervical:
        return [DoseCheck("session_dose", key, f"The session's total, {_units(total)} units of {session.label}, is "
                                               f"less than the {_range(low, high)} usually recorded for one cervical "
                                               f"dystonia session with this product.")]
    return []


def _label_checks(session: Session, earlier: Sequence[Session]) -> list[DoseCheck]:
    checks = []
    for maximum in _applicable_maxima(session):
        counted = [s for s in earlier if s.product == session.product
                   and 0 <= (session.day - s.day).days < maximum.window_days] if maximum.window_days > 1 else []
        counted.sort(key=lambda s: s.day)
        total = session.total_units + sum((s.total_units for s in counted), Decimal(0))
        if total <= maximum.units:
            continue
        limit = (f"the label maximum of {_units(maximum.units)} units in any 12 weeks ({maximum.source})"
                 if maximum.window_days > 1 else f"the label maximum of {_units(maximum.units)} units per session "
                                                 f"({maximum.source})")
        if counted:
            earlier_words = _join([f"{_day(s.day)} ({_units(s.total_units)} units)" for s in counted])
            plural = "s" if len(counted) > 1 else ""
            message = (f"With the earlier session{plural} of {earlier_words}, this makes {_units(total)} units of "
                       f"{session.label} within 12 weeks, more than {limit}.")
        else:
            where = " in one cervical dystonia session" if maximum.cervical_only else " in this session"
            message = f"{_units(total)} units of {session.label}{where} is more than {limit}."
        days = ",".join(s.day.isoformat() for s in counted)
        checks.append(DoseCheck("label_maximum", f"label:{session.product}:{_units(total)}:{days}", message))
    return checks


def _interval_checks(session: Session, earlier: Sequence[Session]) -> list[DoseCheck]:
    latest: dict[str, Session] = {}
    for region in session.regions:
        before = [s for s in earlier if region in s.regions and 0 <= (session.day - s.day).days]
        if before:
            latest[region] = max(before, key=lambda s: s.day)
    by_day: dict[date, list[str]] = {}
    for region, previous in latest.items():
        if (session.day - previous.day).days < REINJECTION_INTERVAL_DAYS:
            by_day.setdefault(previous.day, []).append(region)
    checks = []
    for day in sorted(by_day, reverse=True):
        regions = sorted(by_day[day], key=list(REGIONS).index)
        names = _join([f"the {REGIONS[r].label.lower()}" for r in regions])
        days = (session.day - day).days
        if days == 0:
            message = (f"Another injection of {names} is recorded on the same day ({_day(day)}): check that this "
                       f"session is not entered twice.")
        else:
            message = (f"{days} day{'s' if days != 1 else ''} after the previous injection of {names} "
                       f"({_day(day)}): injections of the same region are usually at least 12 weeks "
                       f"({REINJECTION_INTERVAL_DAYS} days) apart.")
        checks.append(DoseCheck("interval", f"interval:{'+'.join(regions)}:{day.isoformat()}:{days}", message))
    return checks


def check_session(session: Session, earlier: Iterable[Session] = ()) -> list[DoseCheck]:
    """Everything to confirm before ``session`` is saved, per muscle first, then for the session.

    Parameters
    ----------
    session : Session
        The session as entered.
    earlier : iterable of Session
        The patient's other sessions; only those on or before ``session.day`` are used (an entry
        corrected later is checked against what came before it).

    Returns
    -------
    list of DoseCheck
        Empty when nothing looks unusual.
    """
    before = [s for s in earlier if s.day <= session.day]
    return [*_muscle_checks(session), *_session_checks(session), *_label_checks(session, before),
            *_interval_checks(session, before)]
