"""Saving, confirming and correcting a patient's diagnosis summary (service functions for the views)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from torsion.clinical import classification as cls
from torsion.web.accounts.models import Patient
from torsion.web.learn.models import DiagnosisSummary


def current_diagnosis(patient: Patient) -> DiagnosisSummary | None:
    return DiagnosisSummary.objects.filter(patient=patient).order_by("-saved_at", "-pk").first()


@transaction.atomic
def save_diagnosis(patient: Patient, facts: dict, *, by, replaces: DiagnosisSummary | None = None,
                   findings: str = "") -> DiagnosisSummary:
    """Classify ``facts`` again (never trusting a result sent by a browser) and save the summary.

    Raises :class:`~torsion.clinical.classification.ClassificationInputError` for invalid facts.
    The first saved diagnosis also sets the body regions scored in the daily check-in, if none were set.
    """
    result = cls.classify(cls.ClassificationInput.from_dict(facts)).to_dict()
    status = DiagnosisSummary.Status.CLINICIAN if getattr(by, "is_clinician", False) \
        else DiagnosisSummary.Status.SELF_REPORTED
    summary = DiagnosisSummary.objects.create(patient=patient, facts=facts, result=result, status=status,
                                              saved_by=by, replaces=replaces, examination_findings=findings)
    if not patient.diary_regions:
        patient.diary_regions = list(result["regions"])
        patient.save(update_fields=["diary_regions"])
    return summary


def confirm_diagnosis(summary: DiagnosisSummary, *, by, note: str = "", findings: str = "") -> DiagnosisSummary:
    summary.status = DiagnosisSummary.Status.CONFIRMED
    if findings:
        summary.examination_findings = findings
    summary.confirmed_by = by
    summary.confirmed_at = timezone.now()
    summary.clinician_note = note
    summary.save(update_fields=["status", "confirmed_by", "confirmed_at", "clinician_note", "examination_findings"])
    return summary
