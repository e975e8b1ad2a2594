"""Dates as every page writes them: "2 Dec 2026", with the weekday "Wed 2 Dec 2026", with the time "2 Dec 2026, 10:30".

Templates use the same style through Django's ``date`` filter: ``j M Y``, ``D j M Y`` and ``j M Y, H:i``.
"""

from __future__ import annotations

from datetime import date, datetime


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def weekday_date(day: date) -> str:
    return f"{day:%a} {short_date(day)}"


def short_datetime(moment: datetime) -> str:
    return f"{short_date(moment)}, {moment:%H:%M}"
