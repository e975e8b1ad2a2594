"""The complete export: one zip with the record document, the CSV tables and the recordings.

Layout of the archive::

    record.json                      the whole record (see :mod:`torsion.web.exchange.document`)
    csv/<name>.csv                   the same tables a person opens in a spreadsheet
    files/<table>/<id>/<file name>   every stored file (recordings), named in record.json
    README.txt                       what is where

The zip is written to a temporary file on disk, never held whole in memory, so that a record with
many recordings can be exported on a small machine.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import PurePosixPath

from django.db import transaction

from torsion.web.accounts.models import Patient
from torsion.web.exchange.document import (
    DocumentError,
    build_document,
    check_document,
    record_tables,
    restore_document,
    rows_of,
)
from torsion.web.records.csv_files import csv_text
from torsion.web.records.exports import EXPORTS

DOCUMENT_NAME = "record.json"
MAX_MEMBER_BYTES = 2 * 1024 ** 3  # a member larger than this is refused on import (a zip bomb, or not ours)

README = """\
Torsion: the complete export of one person's record.

record.json   Everything Torsion holds on this person, as one JSON document (format
              "torsion-record", version {version}). Torsion can restore a record from it.
csv/          The diary and the treatments as tables that any spreadsheet opens.
files/        The recordings, as they were made; record.json names each one.

Health information: keep this file safe.
"""


def _file_place(table, obj, field) -> str:
    name = PurePosixPath(getattr(obj, field.name).name).name
    return f"files/{table.label}/{obj.pk}/{name}"


def write_archive(patient: Patient, target) -> dict:
    """Write ``patient``'s complete export to ``target`` (a path or a binary file); returns the document."""
    document = build_document(patient, file_name=_file_place)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(version=document["version"]))
        archive.writestr(DOCUMENT_NAME, json.dumps(document, indent=1, ensure_ascii=False))
        for export in EXPORTS.values():
            header, rows = export.rows(patient)
            archive.writestr(f"csv/{export.name}.csv", "\ufeff" + csv_text(header, rows))
        for table in record_tables():
            for field in table.files:
                for obj in rows_of(table, patient):
                    stored = getattr(obj, field.name)
                    if stored:
                        with stored.open("rb") as handle:
                            with archive.open(_file_place(table, obj, field), "w", force_zip64=True) as member:
                                while chunk := handle.read(1024 * 1024):
                                    member.write(chunk)
    return document


def read_document(source) -> tuple[dict, zipfile.ZipFile]:
    """The record document of an archive, checked; raises :class:`DocumentError` with the reason."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentError([f"Not a zip file ({exc})."]) from exc
    try:
        info = archive.getinfo(DOCUMENT_NAME)
    except KeyError as exc:
        raise DocumentError([f"The archive has no {DOCUMENT_NAME}: it is not a Torsion export."]) from exc
    for member in archive.infolist():
        if member.file_size > MAX_MEMBER_BYTES or member.filename.startswith("/") or ".." in member.filename:
            raise DocumentError([f"The archive member {member.filename!r} is refused (too large or outside the archive)."])
    try:
        document = json.loads(archive.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"{DOCUMENT_NAME} is not valid JSON ({exc})."]) from exc
    check_document(document)
    return document, archive


@transaction.atomic
def restore_archive(source, patient: Patient) -> dict[str, int]:
    """Restore an archive into ``patient``'s empty record; nothing is written if anything is wrong."""
    document, archive = read_document(source)

    def open_file(place: str) -> bytes:
        try:
            return archive.read(place)
        except KeyError as exc:
            raise DocumentError([f"the file {place} named in {DOCUMENT_NAME} is not in the archive"]) from exc

    with archive:
        return restore_document(document, patient, open_file=open_file)

