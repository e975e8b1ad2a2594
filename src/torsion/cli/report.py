"""``torsion report``: a patient's visit report as a PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from torsion.cli.app import app, fail
from torsion.cli.server import setup_django


def _day(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{what} {value!r} is not a date like 2026-03-31")


@app.command("report")
def report(
    patient: Annotated[str, typer.Option("--patient", help="The patient's user name.")],
    out: Annotated[Path, typer.Option("--out", help="The PDF file to write.")],
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD); by default the injection "
                                                              "before the last one.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD); by default today.")] = None,
) -> None:
    """Write the patient's visit report as a PDF (a few A4 pages with charts)."""
    first, last = _day(start, "--from"), _day(end, "--to")
    setup_django()
    from torsion.reports.visit import render_pdf
    from torsion.web.accounts.models import Patient
    from torsion.web.audit.recorder import note_command
    from torsion.web.reports.builder import build_visit_report

    person = Patient.objects.select_related("user").filter(user__username=patient).first()
    if person is None:
        fail(f"no patient with the user name {patient!r}")
    try:
        content = build_visit_report(person, first, last)
    except ValueError as exc:
        fail(str(exc))
    partial = out.with_name(out.name + ".part")
    try:
        render_pdf(content, partial)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"{out}: cannot write ({exc.strerror})")
    partial.replace(out)
    note_command(person, "Visit report (PDF)")
    typer.echo(f"Wrote {out}.", err=True)
