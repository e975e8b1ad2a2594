from __future__ import annotations

import datetime as dt
import uuid
from datetime import date
from typing import Literal

from django.db import transaction
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from torsion.clinical import catalogue
from torsion.clinical.checkins import period_of_time
from torsion.web.accounts.permissions import Access, get_patient, get_patient_object
from torsion.web.records.models import DiaryEntry
from torsion.web.records.regions import REGION_LABELS
from torsion.web.records.services import (
    DiaryDay,
    UnknownMetric,
    add_check_in,
    cycle_report,
    diary_day_of,
    diary_days,
    today,
)
from torsion.web.records.treatment_api import router as treatment_router

router = Router(tags=["diary"])

Score = Field(ge=0, le=10)
_TRIGGERS = {code for code, _ in catalogue.TRIGGERS}
_RELIEVERS = {code for code, _ in catalogue.RELIEVERS}


class DiaryIn(Schema):
    severity: dict[str, int] = Field(..., description="Body region code -> severity 0-10; at least one.")
    pain: int | None = Field(None, ge=0, le=10)
    limitation: int | None = Field(None, ge=0, le=10)
    triggers: list[str] = []
    relievers: list[str] = []
    note: str = Field("", max_length=2000)

    @field_validator("severity")
    @classmethod
    def _severity(cls, value: dict[str, int]) -> dict[str, int]:
        if not value:
            raise ValueError("score at least one body region")
        unknown = sorted(set(value) - set(REGION_LABELS))
        if unknown:
            raise ValueError(f"unknown body region {', '.join(unknown)}; use one of {', '.join(REGION_LABELS)}")
        bad = sorted(region for region, score in value.items() if not 0 <= score <= 10)
        if bad:
            raise ValueError(f"severity must be 0 to 10 ({', '.join(bad)})")
        return value

    @field_validator("triggers")
    @classmethod
    def _triggers(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - _TRIGGERS)
        if unknown:
            raise ValueError(f"unknown trigger {', '.join(unknown)}")
        return value

    @field_validator("relievers")
    @classmethod
    def _relievers(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - _RELIEVERS)
        if unknown:
            raise ValueError(f"unknown reliever {', '.join(unknown)}")
        return value


class CheckInIn(DiaryIn):
    date: date
    period: Literal["morning", "afternoon", "evening"] | None = Field(
        None, description="Part of the day; may be left out when a time is given.")
    time: dt.time | None = Field(None, description="Clock time (HH:MM); the part of the day follows from it.")
    key: uuid.UUID | None = Field(
        None, description="A key the client makes for this check-in (a UUID). Sending the same key again stores "
                          "nothing new and answers with the check-in stored first (status 200 instead of 201).")


class CheckInOut(DiaryIn):
    id: int
    date: date
    period: str = Field(..., description="morning, afternoon, evening, or day (a check-in about the whole day).")
    time: dt.time | None
    key: uuid.UUID | None
    mean_severity: float | None


class DayOut(Schema):
    date: date
    check_ins: int = Field(..., description="Number of check-ins that day; the values below are their means.")
    mean_severity: float | None
    severity: dict[str, float] = Field(..., description="Body region -> mean over the check-ins that scored it.")
    pain: float | None
    limitation: float | None


class DayWithCheckInsOut(DayOut):
    entries: list[CheckInOut]


def _out(entry: DiaryEntry) -> CheckInOut:
    return CheckInOut(id=entry.pk, date=entry.date, period=entry.period, time=entry.time, key=entry.client_key,
                      severity=entry.severity, pain=entry.pain, limitation=entry.limitation, triggers=entry.triggers,
                      relievers=entry.relievers, note=entry.note, mean_severity=entry.mean_severity)


def _day_out(day: DiaryDay, *, with_entries: bool = False):
    values = {"date": day.date, "check_ins": len(day.checkins), "mean_severity": day.mean_severity,
              "severity": day.severity, "pain": day.pain, "limitation": day.limitation}
    if with_entries:
        return DayWithCheckInsOut(**values, entries=[_out(e) for e in day.checkins])
    return DayOut(**values)


def _entries(patient, start: date | None, end: date | None):
    entries = DiaryEntry.objects.filter(patient=patient)
    if start:
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    return entries


@router.get("/patients/{patient_id}/diary", response=list[CheckInOut],
            summary="Diary check-ins, oldest first (several a day are possible)")
def list_diary(request, patient_id: int, start: date | None = None, end: date | None = None):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_out(e) for e in sorted(_entries(patient, start, end), key=lambda e: e.sort_key)]


@router.post("/patients/{patient_id}/diary", response={200: CheckInOut, 201: CheckInOut},
             summary="Add a check-in (stored once per key)")
def add_diary_check_in(request, patient_id: int, payload: CheckInIn):
    patient = get_patient(request.user, patient_id, Access.OWNER)
    if payload.date > today():
        raise HttpError(422, "This day has not happened yet.")
    if payload.time is None and payload.period is None:
        raise HttpError(422, "Give the part of the day (period) or the time.")
    entry = DiaryEntry(patient=patient, date=payload.date, client_key=payload.key, time=payload.time,
                       period=period_of_time(payload.time) if payload.time else payload.period)
    _apply(entry, payload)
    entry, stored = add_check_in(entry)
    return Status(201 if stored else 200, _out(entry))


@router.get("/patients/{patient_id}/diary/days", response=list[DayOut],
            summary="One summary per day, oldest first: the means of each day's check-ins")
def list_diary_days(request, patient_id: int, start: date | None = None, end: date | None = None):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return [_day_out(day) for day in reversed(diary_days(_entries(patient, start, end)))]


@router.get("/patients/{patient_id}/diary/{day}", response=DayWithCheckInsOut,
            summary="One day: the means of its check-ins, and the check-ins")
def get_diary(request, patient_id: int, day: date):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    found = diary_day_of(patient, day)
    if not found.checkins:
        raise HttpError(404, "No check-in on that day.")
    return _day_out(found, with_entries=True)


def _apply(entry: DiaryEntry, payload: DiaryIn) -> None:
    entry.severity = {**entry.severity, **payload.severity}
    for name in ("pain", "limitation", "triggers", "relievers", "note"):
        setattr(entry, name, getattr(payload, name))


@router.put("/patients/{patient_id}/diary/{day}", response=CheckInOut,
            summary="Create or correct a day's only check-in (the earlier version is kept); refused when the day "
                    "has several: correct those one by one")
def put_diary(request, patient_id: int, day: date, payload: DiaryIn):
    patient = get_patient(request.user, patient_id, Access.OWNER)
    if day > today():
        raise HttpError(422, "This day has not happened yet.")
    with transaction.atomic():
        found = list(DiaryEntry.objects.select_for_update().filter(patient=patient, date=day))
        if len(found) > 1:
            raise HttpError(409, f"That day has {len(found)} check-ins; correct one with "
                                 f"PUT /api/patients/{patient_id}/diary/check-ins/{{id}}.")
        entry = found[0] if found else DiaryEntry(patient=patient, date=day)
        _apply(entry, payload)
        entry.save_revised(by=request.user)
    return _out(entry)


class CheckInCorrection(DiaryIn):
    period: Literal["morning", "afternoon", "evening", "day"] | None = Field(
        None, description="Part of the day; left out: unchanged (or from the time, when one is given).")
    time: dt.time | None = None


@router.put("/patients/{patient_id}/diary/check-ins/{entry_id}", response=CheckInOut,
            summary="Correct one check-in (the earlier version is kept)")
def put_check_in(request, patient_id: int, entry_id: int, payload: CheckInCorrection):
    patient = get_patient(request.user, patient_id, Access.OWNER)
    with transaction.atomic():
        entry = get_patient_object(request.user, DiaryEntry.objects.select_for_update(), entry_id, Access.OWNER,
                                   patient=patient)
        if payload.time is not None:
            entry.time, entry.period = payload.time, period_of_time(payload.time)
        elif payload.period is not None:
            entry.time, entry.period = None, payload.period
        _apply(entry, payload)
        entry.save_revised(by=request.user)
    return _out(entry)


class CyclesOut(Schema):
    metric: str = Field(..., description="The diary series analysed.")
    label: str
    metrics: dict[str, str] = Field(..., description="Every series that can be analysed: code -> label.")
    higher_is_worse: bool
    values: int = Field(..., description="Days with a value in the series.")
    cycles: list[dict] = Field(..., description="One per injection cycle, as torsion.clinical.cycles reports it.")
    comparison: dict


@router.get("/patients/{patient_id}/cycles", response=CyclesOut, tags=["cycles"],
            summary="Botulinum-toxin cycle analysis of one diary series (mean, pain, limitation or a region)")
def get_cycles(request, patient_id: int, metric: str = "mean"):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    try:
        analysis = cycle_report(patient, metric)
    except UnknownMetric as exc:
        raise HttpError(422, str(exc)) from None
    report = analysis.report.to_dict()
    return CyclesOut(metric=analysis.metric, label=analysis.label, metrics=dict(analysis.metrics),
                     higher_is_worse=analysis.higher_is_worse, values=analysis.values, **report)


router.add_router("", treatment_router)
