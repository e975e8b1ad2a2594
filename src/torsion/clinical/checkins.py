"""Several diary check-ins a day, and the one value per day that everything else uses.

A person may check in more than once a day (in the morning, the afternoon, the evening, or at a
given clock time) so that symptoms that come back within a day, a medicine or an injection wearing
off, can be seen. Everything that works on days (the diary chart, the history timeline and the
toxin-cycle analytics of :mod:`torsion.clinical.cycles`, which take at most one value per day) uses
the day's mean: every check-in that has a value for the measure counts once, whatever its time, and
a check-in without a value for it (pain left blank, a body part not scored) is left out rather than
counted as zero.

For the diary's mean severity, a check-in's own value is the mean of the body parts it scored, and
the day's value is the mean of those. Each check-in weighs the same, so a day with one body part
scored in the morning and three in the evening is not tilted toward the evening.

Times of day: a check-in made at a clock time belongs to the part of the day that time falls in:
morning before 12:00, afternoon from 12:00 to 17:59, evening from 18:00. Check-ins kept before
times were asked for belong to the whole day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time

__all__ = [
    "PERIODS",
    "PERIOD_LABELS",
    "WHOLE_DAY",
    "daily_means",
    "mean_of_scores",
    "period_of_time",
    "sort_key",
]

#: The parts of a day a check-in can belong to, in the day's order, as (code, label).
PERIODS: tuple[tuple[str, str], ...] = (
    ("morning", "Morning"),
    ("afternoon", "Afternoon"),
    ("evening", "Evening"),
)
#: A check-in about the whole day (every check-in made before times of day were asked for).
WHOLE_DAY = "day"
PERIOD_LABELS: dict[str, str] = {WHOLE_DAY: "Whole day", **dict(PERIODS)}

_AFTERNOON_FROM = time(12, 0)
_EVENING_FROM = time(18, 0)
_ORDER = {WHOLE_DAY: 0, "morning": 1, "afternoon": 2, "evening": 3}


def period_of_time(moment: time) -> str:
    """The part of the day a clock time falls in: ``morning``, ``afternoon`` or ``evening``."""
    if moment < _AFTERNOON_FROM:
        return "morning"
    if moment < _EVENING_FROM:
        return "afternoon"
    return "evening"


def sort_key(period: str, moment: time | None) -> tuple[int, time]:
    """Order of check-ins within a day: whole-day ones first, then by part of the day and clock time.

    A check-in with only a part of the day comes before those of the same part with a clock time.
    """
    if period not in _ORDER:
        raise ValueError(f"unknown part of the day {period!r}; use one of {', '.join(_ORDER)}")
    return _ORDER[period], moment or time.min


def mean_of_scores(scores: Mapping[str, float | None]) -> float | None:
    """Mean of the scores given (``None`` left out); ``None`` when no score is given."""
    values = [float(v) for v in scores.values() if v is not None]
    return sum(values) / len(values) if values else None


def daily_means(values: Iterable[tuple[date, float | None]]) -> list[tuple[date, float]]:
    """One value per day: the mean of that day's check-ins that have a value.

    Parameters
    ----------
    values : iterable of (datetime.date, float or None)
        One item per check-in, in any order; ``None`` where the check-in has no value for the measure.

    Returns
    -------
    list of (datetime.date, float)
        Days with at least one value, oldest first. Days whose check-ins all lack a value are absent,
        as are days without a check-in: nothing is invented.
    """
    sums: dict[date, list[float]] = {}
    for day, value in values:
        if value is None:
            continue
        total = sums.setdefault(day, [0.0, 0])
        total[0] += float(value)
        total[1] += 1
    return [(day, total / count) for day, (total, count) in sorted(sums.items())]
