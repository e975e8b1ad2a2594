"""A patient's whole record as one JSON document, and back.

The document is what the complete export (a zip) carries and what the FHIR conversion reads. Its
shape::

    {"format": "torsion-record", "version": 1, "exported_at": "...", "torsion_version": "...",
     "patient": {"username", "display_name", "first_name", "last_name", "email", "date_of_birth",
                 "diary_regions"},
     "tables": {"records.toxininjection": [{"id": 5, "date": "2026-01-05", ...}, ...], ...},
     "files": {"recordings.recording/12/video": "files/recordings/12.webm", ...}}

Which tables: every model that belongs to the patient, found from the models themselves (a foreign
key to ``accounts.Patient``, or to a model that has one), so a kind of record added later is in the
document, in the deletion and in the restore without a change here. Relations between the record's
own rows are kept as the exporting site's ids (``"injection": 5``); a restore gives new ids and
re-links them. Accounts of other people (the clinician who confirmed a diagnosis, say) are accounts
of the exporting site: they are written as the person's name and are not restored as accounts.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from torsion import __version__
from torsion.web.accounts.models import Patient, User

FORMAT = "torsion-record"
VERSION = 1

#: Patient-linked models that are not the patient's record: access between people, staging data,
#: and derived caches rebuilt from the record.
NOT_RECORD = frozenset({
    "accounts.caregrant", "accounts.invitation", "accounts.apitoken", "records.diaryimport", "clinic.patientsummary",
})


class DocumentError(ValueError):
    """A document that cannot be restored; ``problems`` name the table, row and field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    parent: str  # the field that leads to the patient (directly, or through another record model)
    references: tuple[models.ForeignKey, ...] = field(default=())  # other links to record models
    people: tuple[models.ForeignKey, ...] = field(default=())  # links to accounts
    files: tuple[models.FileField, ...] = field(default=())

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@functools.cache
def record_tables() -> tuple[Table, ...]:
    """The record's models in an order where each comes after those it refers to (found once per process)."""
    found: dict[str, Table] = {}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in found or label in NOT_RECORD or model is Patient:
                continue
            parent = _parent_field(model, found)
            if parent is None:
                continue
            fks = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
            found[label] = Table(
                model=model, parent=parent.name,
                references=tuple(f for f in fks if f is not parent and f.related_model is not Patient
                                 and f.related_model is not User),
                people=tuple(f for f in fks if f.related_model is User),
                files=tuple(f for f in model._meta.concrete_fields if isinstance(f, models.FileField)),
            )
            changed = True
    return tuple(_ordered(found))


def _parent_field(model, found: dict[str, Table]):
    fks = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    for f in fks:
        if f.related_model is Patient:
            return f
    for f in fks:
        if f.related_model._meta.label_lower in found and not f.null:
            return f
    return None


def _ordered(found: dict[str, Table]) -> list[Table]:
    ordered: list[Table] = []
    placed: set[str] = set()
    pending = dict(sorted(found.items()))
    while pending:
        for label, table in list(pending.items()):
            needs = {f.related_model._meta.label_lower for f in table.references if not f.null}
            parent = table.model._meta.get_field(table.parent).related_model._meta.label_lower
            if parent != "accounts.patient":
                needs.add(parent)
            needs.discard(label)
            if needs <= placed:
                ordered.append(table)
                placed.add(label)
                del pending[label]
                break
        else:  # a cycle of required links: cannot happen with the project's models
            raise RuntimeError(f"Cannot order the record's tables: {sorted(pending)}")
    return ordered


def rows_of(table: Table, patient: Patient) -> models.QuerySet:
    """The rows of ``table`` that belong to ``patient``."""
    return table.model._base_manager.filter(**{_path_to_patient(table): patient}).order_by("pk")


@functools.cache
def _path_to_patient(table: Table) -> str:
    """The lookup from ``table`` to its patient, through parents: ``"injection__patient"``, say."""
    parents = {t.model: t.parent for t in record_tables()}
    parts, model, field_name = [], table.model, table.parent
    while True:
        parts.append(field_name)
        target = model._meta.get_field(field_name).related_model
        if target is Patient:
            return "__".join(parts)
        model, field_name = target, parents[target]


# --- Export -------------------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def build_document(patient: Patient, *, file_name=None) -> dict:
    """The whole record of ``patient``; ``file_name(table, row, field)`` names a file's place in an archive."""
    user = patient.user
    document = {
        "format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat(),
        "torsion_version": __version__,
        "patient": {
            "username": user.username, "display_name": user.display_name, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email,
            "date_of_birth": patient.date_of_birth.isoformat() if patient.date_of_birth else None,
            "diary_regions": list(patient.diary_regions),
        },
        "tables": {},
        "files": {},
    }
    for table in record_tables():
        rows = []
        for obj in rows_of(table, patient):
            row = {"id": obj.pk}
            for f in table.model._meta.concrete_fields:
                if f.primary_key or f.name == table.parent and f.related_model is Patient:
                    continue
                if isinstance(f, models.ForeignKey):
                    if f.related_model is User:
                        person = getattr(obj, f.name)
                        row[f.name] = None if person is None else (
                            "patient" if person.pk == user.pk else f"person: {person.shown_name}")
                    else:
                        row[f.name] = getattr(obj, f.attname)
                elif isinstance(f, models.FileField):
                    stored = getattr(obj, f.name)
                    if stored and file_name is not None:
                        place = file_name(table, obj, f)
                        document["files"][f"{table.label}/{obj.pk}/{f.name}"] = place
                        row[f.name] = place
                    else:
                        row[f.name] = None
                else:
                    row[f.name] = _plain(f.value_from_object(obj))
            rows.append(row)
        document["tables"][table.label] = rows
    return document


# --- Restore ------------------------------------------------------------------------------------

def check_document(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DocumentError(["This is not a Torsion record document (its 'format' is not 'torsion-record')."])
    if document.get("version") != VERSION:
        raise DocumentError([f"Record documents of version {document.get('version')!r} cannot be read here; "
                             f"this Torsion reads version {VERSION}."])
    if not isinstance(document.get("tables"), dict) or not isinstance(document.get("patient"), dict):
        raise DocumentError(["The document has no 'patient' or no 'tables'."])
    known = {t.label for t in record_tables()}
    unknown = sorted(set(document["tables"]) - known)
    if unknown:
        raise DocumentError([f"Unknown table(s) {', '.join(unknown)}: the document comes from another version of "
                             "Torsion."])


@transaction.atomic
def restore_document(document: dict, patient: Patient, *, open_file=None) -> dict[str, int]:
    """Write the rows of ``document`` into ``patient``'s (empty) record; returns rows written per table.

    ``open_file(place)`` returns the bytes of a file named in the document. Every row is validated
    (``full_clean``) before the transaction commits; any problem raises :class:`DocumentError` naming
    the table, the row and the field, and nothing is written.
    """
    check_document(document)
    info = document["patient"]
    if info.get("date_of_birth"):
        patient.date_of_birth = dt.date.fromisoformat(info["date_of_birth"])
    patient.diary_regions = list(info.get("diary_regions") or [])
    patient.save(update_fields=["date_of_birth", "diary_regions"])
    user = patient.user
    for name in ("display_name", "first_name", "last_name", "email"):  # fill what the account leaves blank
        if not getattr(user, name) and info.get(name):
            setattr(user, name, str(info[name])[:user._meta.get_field(name).max_length])
    user.save(update_fields=["display_name", "first_name", "last_name", "email"])
    ids: dict[str, dict[int, int]] = {}
    later: list[tuple[models.Model, str, str, int]] = []  # rows whose link points to a row not yet made
    counts: dict[str, int] = {}
    problems: list[str] = []
    written: list = []  # files stored so far, removed again if the restore fails
    for table in record_tables():
        rows = document["tables"].get(table.label) or []
        ids[table.label] = {}
        for row in rows:
            where = f"{table.label} row {row.get('id')}"
            try:
                obj = _build_row(table, row, patient, ids, later, open_file, written)
                # Files are checked as they are stored; accounts of other people are not carried over.
                obj.full_clean(validate_unique=False, exclude=[f.name for f in (*table.files, *table.people)])
            except DocumentError as exc:
                problems.extend(f"{where}: {p}" for p in exc.problems)
                continue
            except Exception as exc:  # noqa: BLE001  (ValidationError and conversion errors alike)
                problems.append(f"{where}: {_message(exc)}")
                continue
            obj.save()
            ids[table.label][row["id"]] = obj.pk
        counts[table.label] = len(rows)
    for obj, attname, target, old in later:
        new = ids.get(target, {}).get(old)
        if new is None:
            problems.append(f"{obj._meta.label_lower} row: refers to {target} row {old}, which is not in the document")
            continue
        type(obj)._base_manager.filter(pk=obj.pk).update(**{attname: new})
    if problems:
        for stored in written:
            stored.delete(save=False)
        transaction.set_rollback(True)
        raise DocumentError(problems)
    return counts


def _build_row(table: Table, row: dict, patient: Patient, ids, later, open_file, written) -> models.Model:
    obj = table.model()
    parent = table.model._meta.get_field(table.parent)
    if parent.related_model is Patient:
        setattr(obj, parent.attname, patient.pk)
    for f in table.model._meta.concrete_fields:
        if f.primary_key or (f is parent and f.related_model is Patient) or f.name not in row:
            continue
        value = row[f.name]
        if isinstance(f, models.ForeignKey):
            if f.related_model is User:
                setattr(obj, f.attname, patient.user_id if value == "patient" else None)
                continue
            if value is None:
                setattr(obj, f.attname, None)
                continue
            target = f.related_model._meta.label_lower
            if value in ids.get(target, {}):
                setattr(obj, f.attname, ids[target][value])
            elif f.null:
                later.append((obj, f.attname, target, value))
            else:
                raise DocumentError([f"'{f.name}' refers to {target} row {value}, which is not in the document"])
        elif isinstance(f, models.FileField):
            if value:
                if open_file is None:
                    raise DocumentError([f"'{f.name}': the file {value} is not available"])
                from django.core.files.base import ContentFile

                data = open_file(value)
                getattr(obj, f.name).save(value.rsplit("/", 1)[-1], ContentFile(data), save=False)
                written.append(getattr(obj, f.name))
        else:
            try:
                setattr(obj, f.attname, None if value is None else f.to_python(value))
            except Exception as exc:  # noqa: BLE001
                raise DocumentError([f"'{f.name}': {_message(exc)}"]) from exc
    return obj


def _message(exc: Exception) -> str:
    messages = getattr(exc, "message_dict", None)
    if messages:
        return "; ".join(f"'{name}': {' '.join(texts)}" for name, texts in messages.items())
    texts = getattr(exc, "messages", None)
    return " ".join(texts) if texts else str(exc)


def record_files(patient: Patient) -> Iterable[tuple[object, str]]:
    """(storage, name) of every stored file of ``patient``'s record."""
    for table in record_tables():
        for f in table.files:
            for obj in rows_of(table, patient):
                stored = getattr(obj, f.name)
                if stored:
                    yield stored.storage, stored.name


def record_rows(patient: Patient) -> Iterable[tuple[str, int]]:
    """(table, number of rows) for every table of the record: what a deletion must leave at zero."""
    for table in record_tables():
        yield table.label, rows_of(table, patient).count()
