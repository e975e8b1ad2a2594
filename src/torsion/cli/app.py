"""The Typer application behind the ``torsion`` command, and the helpers its commands share."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, NoReturn

import typer

from torsion import __version__

app = typer.Typer(
    name="torsion",
    help="Torsion: measure, record and understand dystonia.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: The ``--json`` flag every command shares.
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a readable summary.")]

#: Exit status for input the user can fix (unreadable file, invalid JSON, impossible values).
EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print a one-line reason on stderr and exit with status 2."""
    typer.echo(f"torsion: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def read_json_file(path: str) -> Any:
    """Read a JSON document from ``path`` (``-`` for stdin), failing with a clear message."""
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except IsADirectoryError:
        fail(f"{path}: is a directory, not a JSON file")
    except UnicodeDecodeError:
        fail(f"{path}: not a text file")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")


def print_json(obj: Any) -> None:
    """Write ``obj`` to stdout as one indented JSON document."""
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"torsion {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Torsion: measure, record and understand dystonia.

    Every command honours TORSION_DATA_DIR (where the database, recordings and logs live; ./var by
    default) and DATABASE_URL (PostgreSQL instead of the embedded SQLite database).
    """
