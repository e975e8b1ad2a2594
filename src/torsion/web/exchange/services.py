"""The web layer's side of the exchange: a patient's record as FHIR, and a record restored from a file.

The conversions themselves are in :mod:`torsion.interop.fhir` (FHIR) and
:mod:`torsion.web.exchange.document` (the record document); this module supplies what the site
knows (body regions, recording kinds, scales) and the rules about whom a record may be restored into.
"""

from __future__ import annotations

import json

from django.db import transaction

from torsion.interop import fhir
from torsion.web.accounts.models import Patient
from torsion.web.exchange.document import build_document, record_rows, restore_document


def vocabulary() -> fhir.Vocabulary:
    from torsion.web.recordings.protocols import KINDS
    from torsion.web.records.regions import REGION_CHOICES

    scales = {}
    try:
        from torsion.clinical import scales as scale_library

        for scale in scale_library.list_scales():
            described = scale.describe()
            scales[described["id"]] = {"name": scale.summary().get("name", described["id"]),
                                       "version": described.get("version"),
                                       "items": [{"id": i["id"], "label": i.get("label", i["id"])}
                                                 for i in described.get("items", [])]}
    except ImportError:  # pragma: no cover - the scale library is part of Torsion
        pass
    from torsion.web.recordings.models_drawing import DrawingTask, Hand

    return fhir.Vocabulary(regions=dict(REGION_CHOICES), recording_kinds={k.code: k.title for k in KINDS.values()},
                           drawing_tasks=dict(DrawingTask.choices), hands=dict(Hand.choices), scales=scales)


def bundle_for(patient: Patient) -> dict:
    return fhir.bundle_from_document(build_document(patient), vocabulary())


def bundle_json(patient: Patient) -> str:
    return json.dumps(bundle_for(patient), indent=1, ensure_ascii=False)


class RestoreRefused(ValueError):
    """The record cannot be restored into this account (it is not empty, or belongs to someone else)."""


def check_empty(patient: Patient) -> None:
    filled = [table for table, count in record_rows(patient) if count and table != "audit.accessevent"]
    if filled:
        raise RestoreRefused("A record can be restored only into an account whose record is empty; this one already "
                             f"holds {', '.join(sorted(filled))}.")


@transaction.atomic
def import_bundle(bundle, patient: Patient) -> dict[str, int]:
    """Restore ``patient``'s record from a FHIR Bundle; refuses a non-empty record or another person's Bundle."""
    check_empty(patient)
    document = fhir.document_from_bundle(bundle, vocabulary(), username=patient.user.username)
    born = document["patient"].get("date_of_birth")
    if born and patient.date_of_birth and born != patient.date_of_birth.isoformat():
        raise RestoreRefused(f"This Bundle describes a person born on {born}, and this account's date of birth is "
                             f"{patient.date_of_birth.isoformat()}: it is another person's record.")
    return restore_document(document, patient)

