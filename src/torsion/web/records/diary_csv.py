"""The diary as a CSV file: export, and import of a diary kept elsewhere.

Export writes one row per check-in, in the order of the days and of each day's check-ins: the date
(ISO, YYYY-MM-DD), the time of day (Morning, Afternoon, Evening, a clock time such as 07:30, or
empty for a check-in about the whole day), one severity column per body region scored in the
record, pain, limitation, triggers and relievers (their names, separated by semicolons) and the
note.

Import is planned before anything is written. The person says which column holds what (the date,
the time of day, a region's severity, pain, limitation, triggers, relievers, the note) and how
dates are written: ISO (YYYY-MM-DD), day first (DD/MM/YYYY) or month first (MM/DD/YYYY). A date
such as 03/04/2024 means different days in the last two, so the choice is never made for them;
only ISO dates are recognised on their own. :func:`plan_import` then checks every row and lists
every problem with its row number, column and reason. Each row is one check-in, known by its day
and time of day (a row without a time of day is about the whole day). A check-in already in the
diary is refused unless the person asks explicitly to replace such check-ins; a replaced check-in
is corrected through :meth:`DiaryEntry.save_revised`, so its earlier version is kept. Filled cells
replace its values and empty cells leave them as they were. A whole-day row on a day that has only
check-ins at times of day is refused: it would not say which of them it corrects. A row at a new
time of day on a day already in the diary adds a check-in to that day. :func:`apply_import` writes
a plan without problems in one transaction, or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction

from torsion.clinical import catalogue
from torsion.clinical.checkins import PERIOD_LABELS, WHOLE_DAY, period_of_time
from torsion.web.accounts.models import Patient
from torsion.web.core.dates import short_date
from torsion.web.records.csv_files import Table
from torsion.web.records.models import DiaryEntry
from torsion.web.records.regions import REGION_CHOICES, REGION_LABELS

DATE_FORMATS: dict[str, str] = {
    "iso": "YYYY-MM-DD (for example 2024-03-31)",
    "dmy": "DD/MM/YYYY, day first (for example 31/03/2024)",
    "mdy": "MM/DD/YYYY, month first (for example 03/31/2024)",
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_WHOLE = re.compile(r"^\d+(?:[.,]0+)?$")
MAX_NOTE = 2000

SCORE_TARGETS = ("pain", "limitation")
LIST_TARGETS = {"triggers": catalogue.TRIGGERS, "relievers": catalogue.RELIEVERS}


def target_choices() -> list[tuple[str, str]]:
    """What a column can be: left out, the date, a region's severity, or another diary field."""
    return [
        ("", "Leave out"),
        ("date", "Date"),
        ("time", "Time of day"),
        *[(f"severity:{code}", f"Severity: {label}") for code, label in REGION_CHOICES],
        ("pain", "Pain (0-10)"),
        ("limitation", "Limitation (0-10)"),
        ("triggers", "What made it worse"),
        ("relievers", "What helped"),
        ("note", "Note"),
    ]


TARGET_LABELS = dict(target_choices())


def regions_in_record(patient: Patient, severities: Iterable[dict]) -> list[str]:
    """Regions to export: the patient's chosen regions first, then any other region ever scored."""
    used: set[str] = set()
    for severity in severities:
        used.update(severity)
    chosen = [r for r in patient.diary_regions if r in used or r in REGION_LABELS]
    return chosen + [code for code, _ in REGION_CHOICES if code in used and code not in chosen] + sorted(
        r for r in used if r not in REGION_LABELS and r not in chosen)


def _names(codes: list[str], catalogue_pairs) -> str:
    labels = dict(catalogue_pairs)
    return "; ".join(labels.get(code, code) for code in codes)


def export_rows(patient: Patient) -> tuple[list[str], list[list]]:
    """Header and rows of the diary export, one row per check-in, oldest first."""
    entries = sorted(DiaryEntry.objects.filter(patient=patient).only(
        "pk", "date", "period", "time", "severity", "pain", "limitation", "triggers", "relievers", "note"),
        key=lambda e: e.sort_key)
    regions = regions_in_record(patient, (e.severity for e in entries))
    header = ["Date", "Time of day", *[f"{REGION_LABELS.get(r, r)} severity" for r in regions], "Pain", "Limitation",
              "Triggers", "Relievers", "Note"]
    table = []
    for e in entries:
        table.append([e.date.isoformat(), time_of_day_text(e.period, e.time), *[_blank(e.severity.get(r)) for r in regions],
                      _blank(e.pain), _blank(e.limitation), _names(e.triggers, catalogue.TRIGGERS),
                      _names(e.relievers, catalogue.RELIEVERS), e.note])
    return header, table


def time_of_day_text(period: str, moment: time | None) -> str:
    """How the export writes a check-in's time: 07:30, Morning, ... or empty for the whole day."""
    if moment is not None:
        return moment.strftime("%H:%M")
    return "" if period == WHOLE_DAY else PERIOD_LABELS[period]


_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(?::\d{2})?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)


def parse_time_of_day(text: str) -> tuple[str, time | None]:
    """(part of the day, clock time or None) from a cell; ``ValueError`` if it is neither.

    Accepted: empty (the whole day), morning, afternoon, evening (any case), or a clock time such as
    07:30, 7.30, 19:05:00 or 7:30 pm.
    """
    text = text.strip()
    if not text:
        return WHOLE_DAY, None
    lowered = text.casefold()
    for code, label in PERIOD_LABELS.items():
        if lowered in (code, label.casefold()):
            return code, None
    match = _CLOCK.match(text)
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "p" else 0)
    elif match.group(2) is None:
        raise ValueError(text)  # a bare number is not a time
    moment = time(hour, minute)  # ValueError when out of range
    return period_of_time(moment), moment


def _blank(value) -> str:
    return "" if value is None else str(value)


# --- mapping columns ------------------------------------------------------------------------------------

def _normalise(name: str) -> str:
    name = re.sub(r"\(.*?\)", " ", name.casefold())
    name = re.sub(r"[^a-z0-9]+", " ", name)
    return " ".join(w for w in name.split() if w not in {"severity", "score"})


def suggest_mapping(columns: list[str]) -> dict[int, str]:
    """A first guess of each column's meaning from its name, shown for the person to check."""
    known = {"date": "date", "day": "date", "time": "time", "time of day": "time", "when": "time", "period": "time",
             "pain": "pain", "limitation": "limitation", "triggers": "triggers",
             "trigger": "triggers", "relievers": "relievers", "reliever": "relievers", "note": "note",
             "notes": "note"}
    for code, label in REGION_CHOICES:
        known[_normalise(label)] = f"severity:{code}"
        known[_normalise(code)] = f"severity:{code}"
    mapping: dict[int, str] = {}
    for index, name in enumerate(columns):
        target = known.get(_normalise(name))
        if target and target not in mapping.values():
            mapping[index] = target
    return mapping


def parse_day(text: str, date_format: str) -> date:
    """The day written as ``text`` in ``date_format`` (``iso``, ``dmy`` or ``mdy``); ``ValueError`` if not."""
    text = text.strip()
    if date_format == "iso":
        match = _ISO.match(text)
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _SLASHED.match(text)
        if not match:
            raise ValueError(text)
        first, second, year = (int(g) for g in match.groups())
        day, month = (first, second) if date_format == "dmy" else (second, first)
    return date(year, month, day)


def suggest_date_format(table: Table, date_column: int | None) -> str | None:
    """``iso`` when every date cell is an ISO date (unambiguous); otherwise the person must choose."""
    if date_column is None:
        return None
    cells = [row[date_column].strip() for _, row in table.rows if date_column < len(row) and row[date_column].strip()]
    if not cells:
        return None
    try:
        for cell in cells:
            parse_day(cell, "iso")
    except ValueError:
        return None
    return "iso"


# --- planning -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedDay:
    """One row (one check-in) as it will be saved; ``None`` and empty values are left as they are when replacing."""

    row: int
    date: date
    period: str = WHOLE_DAY
    time: time | None = None
    severity: dict[str, int] = field(default_factory=dict)
    pain: int | None = None
    limitation: int | None = None
    triggers: list[str] | None = None
    relievers: list[str] | None = None
    note: str | None = None
    replaces: bool = False

    @property
    def moment(self) -> tuple[str, time | None]:
        return self.period, self.time

    @property
    def when_label(self) -> str:
        label = PERIOD_LABELS[self.period]
        return f"{label}, {self.time:%H:%M}" if self.time else label

    def apply_to(self, entry: DiaryEntry) -> DiaryEntry:
        entry.period, entry.time = self.period, self.time
        entry.severity = {**entry.severity, **self.severity}
        for name in ("pain", "limitation", "triggers", "relievers", "note"):
            value = getattr(self, name)
            if value is not None:
                setattr(entry, name, value)
        return entry


@dataclass
class ImportPlan:
    days: list[PlannedDay]
    errors: list[RowError]

    @property
    def new_days(self) -> int:
        return sum(1 for d in self.days if not d.replaces)

    @property
    def replaced_days(self) -> int:
        return sum(1 for d in self.days if d.replaces)


def _score(text: str) -> int:
    if not _WHOLE.match(text):
        raise ValueError
    value = int(text.replace(",", ".").split(".")[0])
    if value > 10:
        raise ValueError
    return value


def _codes(text: str, pairs) -> tuple[list[str], list[str]]:
    lookup = {}
    for code, label in pairs:
        lookup[code.casefold()] = code
        lookup[label.casefold()] = code
    codes, unknown = [], []
    for item in re.split(r"[;,]", text):
        item = item.strip()
        if not item:
            continue
        code = lookup.get(item.casefold())
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def plan_import(table: Table, mapping: dict[int, str], date_format: str, *,
                existing: dict[date, set[tuple[str, time | None]]], replace: bool, today: date) -> ImportPlan:
    """Check every row of ``table`` and say what would be saved (see the module docstring).

    Parameters
    ----------
    mapping : dict
        Column index -> target (``date``, ``time``, ``severity:<region>``, ``pain``, ``limitation``,
        ``triggers``, ``relievers`` or ``note``); exactly one column is the date.
    existing : dict
        Days already in the diary -> the (part of the day, clock time) of each of their check-ins
        (see :func:`existing_check_ins`).
    replace : bool
        The person chose to replace check-ins already in the diary.
    """
    date_column = next(index for index, target in mapping.items() if target == "date")
    date_name = table.columns[date_column]
    days: list[PlannedDay] = []
    errors: list[RowError] = []
    first_row_of: dict[tuple[date, str, time | None], int] = {}
    time_column = next((index for index, target in mapping.items() if target == "time"), None)
    width = len(table.columns)
    for number, cells in table.rows:
        problems: list[RowError] = []
        cells = cells + [""] * (width - len(cells))
        if any(cell.strip() for cell in cells[width:]):
            problems.append(RowError(number, "after the last column", "This row has more cells than the header row "
                                                                      "has columns."))
        raw_day = cells[date_column].strip()
        when = None
        if not raw_day:
            problems.append(RowError(number, date_name, "The date is empty."))
        else:
            try:
                when = parse_day(raw_day, date_format)
            except ValueError:
                problems.append(RowError(number, date_name, f"“{raw_day}” is not a date written as "
                                                            f"{DATE_FORMATS[date_format].split(' (')[0]}."))
        moment: tuple[str, time | None] = (WHOLE_DAY, None)
        time_known = True
        if time_column is not None:
            raw_time = cells[time_column].strip()
            try:
                moment = parse_time_of_day(raw_time)
            except ValueError:
                time_known = False
                problems.append(RowError(number, table.columns[time_column],
                                         f"“{raw_time}” is not a time of day: write Morning, Afternoon, Evening, a "
                                         "time such as 07:30, or leave it empty for the whole day."))
        planned = PlannedDay(number, when or date.min, *moment)
        if when is not None and time_known:
            day_has = existing.get(when, set())
            key = (when, *moment)
            said = short_date(when) if moment[0] == WHOLE_DAY else f"{short_date(when)} ({planned.when_label.lower()})"
            if when > today:
                problems.append(RowError(number, date_name, f"{short_date(when)} has not happened yet."))
            elif key in first_row_of:
                per = "day" if moment[0] == WHOLE_DAY else "check-in"
                problems.append(RowError(number, date_name, f"{said} is also on row {first_row_of[key]}; "
                                                            f"keep one row per {per}."))
            elif moment in day_has:
                planned.replaces = True
                if not replace:
                    problems.append(RowError(number, date_name, f"{said} is already in the diary. Choose “Replace "
                                                                "check-ins already in the diary” to correct it with "
                                                                "this row, or remove the row."))
            elif moment[0] == WHOLE_DAY and day_has:
                problems.append(RowError(number, date_name, f"{short_date(when)} has check-ins at times of day in the "
                                                            "diary; give this row its time of day (in a column "
                                                            "chosen as “Time of day”) to say which one it corrects, "
                                                            "or remove the row."))
            first_row_of.setdefault(key, number)
        filled = 0
        for index, target in mapping.items():
            if target in ("date", "time"):
                continue
            text = cells[index].strip()
            if not text:
                continue
            filled += 1
            column = table.columns[index]
            if target.startswith("severity:") or target in SCORE_TARGETS:
                try:
                    value = _score(text)
                except ValueError:
                    problems.append(RowError(number, column, f"“{text}” is not a whole number from 0 to 10."))
                    continue
                if target in SCORE_TARGETS:
                    setattr(planned, target, value)
                else:
                    planned.severity[target.split(":", 1)[1]] = value
            elif target in LIST_TARGETS:
                codes, unknown = _codes(text, LIST_TARGETS[target])
                if unknown:
                    what = "trigger" if target == "triggers" else "reliever"
                    problems.append(RowError(number, column, f"“{'”, “'.join(unknown)}” is not a {what} Torsion knows "
                                                              f"(the names are listed on the diary's check-in page)."))
                    continue
                setattr(planned, target, codes)
            else:
                note = cells[index].strip()
                if len(note) > MAX_NOTE:
                    problems.append(RowError(number, column, f"The note has {len(note)} characters; at most "
                                                              f"{MAX_NOTE} are kept."))
                    continue
                planned.note = note
        if not filled and when is not None:
            problems.append(RowError(number, date_name, "There is only a date on this row: nothing to import."))
        errors += problems
        if not problems:
            days.append(planned)
    return ImportPlan(days, errors)


def existing_check_ins(patient: Patient) -> dict[date, set[tuple[str, time | None]]]:
    """Each day in ``patient``'s diary -> the (part of the day, clock time) of its check-ins."""
    found: dict[date, set[tuple[str, time | None]]] = {}
    for day, period, moment in DiaryEntry.objects.filter(patient=patient).values_list("date", "period", "time"):
        found.setdefault(day, set()).add((period, moment))
    return found


@transaction.atomic
def apply_import(patient: Patient, plan: ImportPlan, *, by=None) -> tuple[int, int]:
    """Write a plan without errors: new check-ins in one insert, replaced ones through their revision history.

    Returns
    -------
    (int, int)
        Check-ins added and check-ins corrected.
    """
    if plan.errors:
        raise ValueError("A plan with errors is never written.")
    planned = {(d.date, *d.moment): d for d in plan.days}
    corrected = 0
    days = sorted({d.date for d in plan.days})
    for entry in DiaryEntry.objects.select_for_update().filter(patient=patient, date__in=days):
        found = planned.get((entry.date, entry.period, entry.time))
        if found is None:
            continue
        if not found.replaces:
            raise ValueError(f"{entry.date} ({entry.when_label}) is already in the diary and was not meant to be "
                             "replaced.")
        planned.pop((entry.date, entry.period, entry.time)).apply_to(entry).save_revised(by=by)
        corrected += 1
    if any(d.replaces for d in planned.values()):
        raise ValueError("A check-in meant to be replaced is no longer in the diary.")
    new = [d.apply_to(DiaryEntry(patient=patient, date=d.date, triggers=[], relievers=[])) for d in planned.values()]
    DiaryEntry.objects.bulk_create(new)
    from torsion.web.clinic.summary import mark_stale

    mark_stale(patient.pk)
    return len(new), corrected
