"""CSV files as Torsion writes and reads them: UTF-8, safe to open in a spreadsheet.

Written files start with a byte-order mark (so spreadsheets read UTF-8 correctly) and every cell
that a spreadsheet would take for a formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is prefixed with an apostrophe, as the OWASP advice on CSV injection recommends.
A cell that itself starts with an apostrophe gets one too, so that reading can undo exactly the
prefixes writing added: a note such as "-2 since Monday" or "'tis better" survives a round trip.

Reading accepts comma-, semicolon- or tab-separated text (spreadsheets set to many European
languages save with semicolons); the separator is the one that gives the header row most columns
and is shown back to the person on the preview, never applied silently to the data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


class CSVFileError(ValueError):
    """The file cannot be read as a CSV table; the message says why and what to do."""


def spreadsheet_safe(value) -> str:
    """A cell's text, with an apostrophe before anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unguard(text: str) -> str:
    """Undo :func:`spreadsheet_safe` on a cell read back from a file (a lone leading apostrophe stays)."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A download of the table as ``filename`` (UTF-8 with a byte-order mark)."""
    body = "\ufeff" + csv_text(header, rows)
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class Table:
    """A CSV file read into memory.

    Attributes
    ----------
    columns : list of str
        Column names from the header row; empty names become "Column N", repeated names get " (2)".
    rows : list of (int, list of str)
        Each data row with its row number as a spreadsheet shows it (the header is usually row 1);
        blank rows are left out.
    separator : str
        The separator found: ``,``, ``;`` or a tab.
    """

    columns: list[str]
    rows: list[tuple[int, list[str]]]
    separator: str

    @property
    def separator_name(self) -> str:
        return SEPARATORS[self.separator]


def decode_upload(raw: bytes) -> str:
    """The text of an uploaded file, or :class:`CSVFileError` saying why it is not a CSV file."""
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise CSVFileError("This is a spreadsheet file (such as .xlsx or .xls), not CSV. In your spreadsheet, "
                           "choose “Save as” and the format “CSV UTF-8”, then upload that file.")
    if b"\x00" in raw[:4096]:
        raise CSVFileError("This is not a text file. Upload a CSV file: a table saved as text, with a header row.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CSVFileError("The file is not UTF-8 text. In your spreadsheet, choose “Save as” and the format "
                           "“CSV UTF-8”, then upload that file.") from None


def read_table(text: str) -> Table:
    """Parse CSV text with a header row (see the module docstring for separators)."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise CSVFileError("The file is empty.")
    separator = max(SEPARATORS, key=lambda sep: len(next(csv.reader([first], delimiter=sep))))
    try:
        records = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)]
    except csv.Error as exc:
        raise CSVFileError(f"The file could not be read as CSV ({exc}).") from None
    numbered = [(number, row) for number, row in enumerate(records, start=1)]
    while numbered and not any(cell.strip() for cell in numbered[0][1]):
        numbered.pop(0)
    header = numbered[0][1]
    if len(header) < 2:
        raise CSVFileError("The header row has only one column. A diary file needs a date column and at least "
                           "one column of scores, separated by commas, semicolons or tabs.")
    columns: list[str] = []
    for index, name in enumerate(header, start=1):
        name = unguard(name.strip()) or f"Column {index}"
        candidate, copy = name, 2
        while candidate in columns:
            candidate, copy = f"{name} ({copy})", copy + 1
        columns.append(candidate)
    rows = [(number, [unguard(cell) for cell in row])
            for number, row in numbered[1:] if any(cell.strip() for cell in row)]
    if not rows:
        raise CSVFileError("The file has a header row but no rows of data below it.")
    return Table(columns, rows, separator)
