from __future__ import annotations

from datetime import date

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator

from torsion.clinical import catalogue
from torsion.web.accounts.permissions import Access, get_patient
from torsion.web.records.models import DiaryEntry
from torsion.web.records.regions import REGION_LABELS
from torsion.web.records.services import UnknownMetric, cycle_report, today
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


class DiaryOut(DiaryIn):
    date: date
    mean_severity: float | None


def _out(entry: DiaryEntry) -> DiaryOut:
    return DiaryOut(date=entry.date, severity=entry.severity, pain=entry.pain, limitation=entry.limitation,
                    triggers=entry.triggers, relievers=entry.relievers, note=entry.note,
                    mean_severity=entry.mean_severity)


@router.get("/patients/{patient_id}/diary", response=list[DiaryOut], summary="Diary entries, oldest first")
def list_diary(request, patient_id: int, start: date | None = None, end: date | None = None):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    entries = DiaryEntry.objects.filter(patient=patient).order_by("date")
    if start:
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    return [_out(e) for e in entries]


@router.get("/patients/{patient_id}/diary/{day}", response=DiaryOut, summary="One day's entry")
def get_diary(request, patient_id: int, day: date):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    return _out(get_object_or_404(DiaryEntry, patient=patient, date=day))


@router.put("/patients/{patient_id}/diary/{day}", response=DiaryOut,
            summary="Create or correct one day's entry (the earlier version is kept)")
def put_diary(request, patient_id: int, day: date, payload: DiaryIn):
    patient = get_patient(request.user, patient_id, Access.OWNER)
    if day > today():
        raise HttpError(422, "This day has not happened yet.")
    with transaction.atomic():
        entry = DiaryEntry.objects.select_for_update().filter(patient=patient, date=day).first()
        entry = entry or DiaryEntry(patient=patient, date=day)
        entry.severity = {**entry.severity, **payload.severity}
        for name in ("pain", "limitation", "triggers", "relievers", "note"):
            setattr(entry, name, getattr(payload, name))
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
