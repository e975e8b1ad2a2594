"""``torsion export`` and ``torsion import``: a patient's whole record as a zip or as HL7 FHIR R4.

These run on the server, as its operator; each export is kept in the patient's audit trail.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from torsion.cli.app import app, fail, read_json_file
from torsion.cli.server import _migrate, setup_django

export_app = typer.Typer(help="Export a patient's whole record.", no_args_is_help=True)
import_app = typer.Typer(help="Restore a patient's record from an export.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

PatientOption = Annotated[str, typer.Option("--patient", help="The patient's user name.")]


def _setup() -> None:
    setup_django()
    _migrate()


def _patient(username: str):
    _setup()
    from torsion.web.accounts.models import Patient

    patient = Patient.objects.select_related("user").filter(user__username=username).first()
    if patient is None:
        fail(f"no patient with the user name {username!r}")
    return patient


@export_app.command("zip")
def export_zip(patient: PatientOption, out: Annotated[Path, typer.Option("--out", help="The zip file to write.")]):
    """Everything Torsion holds on the patient, as one zip (record.json, tables, recordings)."""
    person = _patient(patient)
    from torsion.web.audit.recorder import note_command
    from torsion.web.exchange.archive import write_archive

    if out.exists() and out.is_dir():
        fail(f"{out}: is a folder; give a file name")
    partial = out.with_name(out.name + ".part")
    try:
        document = write_archive(person, partial)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"{out}: cannot write ({exc.strerror})")
    partial.replace(out)
    note_command(person, "Complete export (zip)")
    rows = sum(len(rows) for rows in document["tables"].values())
    typer.echo(f"Wrote {out}: {rows} entries and {len(document['files'])} files.", err=True)


@export_app.command("fhir")
def export_fhir(patient: PatientOption):
    """The patient's record as an HL7 FHIR R4 Bundle (JSON), on standard output."""
    person = _patient(patient)
    from torsion.web.audit.recorder import note_command
    from torsion.web.exchange.services import bundle_json

    text = bundle_json(person)
    note_command(person, "Export as HL7 FHIR")
    sys.stdout.write(text + "\n")


_made: list[str] = []


def _report(counts: dict[str, int]) -> None:
    for name in _made:
        typer.echo(f"Made the account {name!r}; it has no password yet: 'torsion set-password {name}' sets one.",
                   err=True)
    typer.echo(json.dumps({"restored": counts}, indent=1))


def _target(username: str | None, default: str | None):
    from torsion.web.accounts.models import Patient, Role, User

    name = username or default
    if not name:
        fail("the file names no user; give one with --as USERNAME")
    user = User.objects.filter(username=name).first()
    if user is None:
        user = User.objects.create_user(username=name, password=None, role=Role.PATIENT)
        _made.append(name)
    if not hasattr(user, "patient"):
        if user.role != Role.PATIENT:
            fail(f"{name!r} is not a patient's account")
        Patient.objects.create(user=user)
        user.refresh_from_db()
    return user.patient


@import_app.command("fhir")
def import_fhir(file: Annotated[str, typer.Argument(help="A FHIR R4 Bundle (JSON) exported by Torsion; - for stdin.")],
                as_user: Annotated[str | None, typer.Option("--as", help="The account to restore into "
                                                                          "(made if missing).")] = None):
    """Restore a patient's record from a FHIR Bundle into an empty account; nothing is written on any error."""
    _setup()
    from django.db import transaction

    from torsion.interop.fhir import USERNAME, FhirError
    from torsion.web.exchange.document import DocumentError
    from torsion.web.exchange.services import RestoreRefused, import_bundle

    bundle = read_json_file(file)
    named = None
    if isinstance(bundle, dict):
        for entry in bundle.get("entry") or []:
            resource = (entry or {}).get("resource") or {}
            if resource.get("resourceType") == "Patient":
                named = next((i.get("value") for i in resource.get("identifier", []) if i.get("system") == USERNAME),
                             None)
    try:
        with transaction.atomic():
            counts = import_bundle(bundle, _target(as_user, named))
    except (FhirError, DocumentError) as exc:
        fail("the Bundle was refused, nothing was written:\n  " + "\n  ".join(exc.problems[:40]))
    except RestoreRefused as exc:
        fail(str(exc))
    _report(counts)


@import_app.command("zip")
def import_zip(file: Annotated[Path, typer.Argument(help="A complete export (zip) made by Torsion.")],
               as_user: Annotated[str | None, typer.Option("--as", help="The account to restore into "
                                                                         "(made if missing).")] = None):
    """Restore a patient's record from a complete export into an empty account."""
    _setup()
    from django.db import transaction

    from torsion.web.exchange.archive import read_document, restore_archive
    from torsion.web.exchange.document import DocumentError
    from torsion.web.exchange.services import RestoreRefused, check_empty

    if not file.is_file():
        fail(f"{file}: no such file")
    try:
        document, archive = read_document(file)
        archive.close()
        with transaction.atomic():
            patient = _target(as_user, document["patient"].get("username"))
            check_empty(patient)
            counts = restore_archive(file, patient)
    except DocumentError as exc:
        fail("the archive was refused, nothing was written:\n  " + "\n  ".join(exc.problems[:40]))
    except RestoreRefused as exc:
        fail(str(exc))
    _report(counts)


@app.command("set-password")
def set_password(username: Annotated[str, typer.Argument(help="The account's user name.")]):
    """Set an account's password (asked twice, never shown)."""
    setup_django()
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from torsion.web.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        fail(f"no account {username!r}")
    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        fail(" ".join(exc.messages))
    user.set_password(password)
    user.save(update_fields=["password"])
    typer.echo(f"Password of {username!r} set.", err=True)
