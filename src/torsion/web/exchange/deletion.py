"""Deleting an account and everything of it: rows, recordings on disk, access given to others."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from torsion.web.accounts.models import User
from torsion.web.exchange.document import record_files, record_rows


@dataclass(frozen=True)
class Deleted:
    rows: int
    files: int


def delete_account(user: User) -> Deleted:
    """Delete ``user``; for a patient, their whole record with it, files included.

    The rows go in one transaction (the account, the patient, and every row that belongs to them
    through a cascading foreign key: the diary, treatments, recordings, scales, diagnosis summaries,
    access granted to clinicians and the audit trail of that access); once it has committed, the
    record's files are deleted from storage. A clinician's account goes without touching any
    patient's record; the audit rows about what they saw stay with each patient, under their name.
    """
    patient = getattr(user, "patient", None)
    rows = sum(count for _, count in record_rows(patient)) if patient is not None else 0
    files = list(record_files(patient)) if patient is not None else []
    with transaction.atomic():
        user.delete()
    for storage, name in files:
        storage.delete(name)
    return Deleted(rows=rows, files=len(files))
