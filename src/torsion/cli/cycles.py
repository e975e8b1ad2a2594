"""``torsion cycles``: botulinum-toxin cycle analytics from a JSON file of injections and a daily series.

The analysis lives in :mod:`torsion.clinical.cycles`; this module only reads the file, checks its
shape, calls :func:`~torsion.clinical.cycles.analyse_cycles` and prints the report. The library is
imported inside the command so that ``torsion --help`` stays fast.

Input: ``{"injections": [{"date": "2025-01-06"}, ...], "series": [{"date": "2025-01-01", "value":
6}, ...], "higher_is_worse": true}``. Injection objects may carry other keys (product, dose, ...),
which are ignored; ``higher_is_worse`` is optional (true by default). Output with ``--json``: the
report's ``to_dict()``, ``{"cycles": [...], "comparison": {...}}``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from torsion.cli.app import JsonOption, app, fail, print_json, read_json_file

if TYPE_CHECKING:
    from torsion.clinical.cycles import CycleReport

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@app.command("cycles")
def cycles_command(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT.json",
            help='JSON object with "injections" (objects with a "date") and "series" (objects with '
            '"date" and "value"), and optionally "higher_is_worse" ("-" reads standard input).',
        ),
    ],
    as_json: JsonOption = False,
    with_response: Annotated[
        bool,
        typer.Option(
            "--response/--no-response", help="Include each cycle's daily response curve in the JSON."
        ),
    ] = True,
) -> None:
    """Analyse toxin cycles: baseline, onset, peak, wearing-off, benefit duration, and their trend."""
    from torsion.clinical.cycles import CycleInputError, analyse_cycles

    data = read_json_file(input_path)
    injections, series, higher_is_worse = _parse(data, input_path)
    try:
        report = analyse_cycles(injections, series, higher_is_worse=higher_is_worse)
    except CycleInputError as exc:
        fail(f"{input_path}: {exc}")
    if as_json:
        out = report.to_dict()
        if not with_response:
            for cycle in out["cycles"]:
                del cycle["response"]
        print_json(out)
    else:
        _print_table(report)


def _parse(data: Any, path: str) -> tuple[list[date], list[tuple[date, float]], bool]:
    """Check the input document's shape and turn it into the library's arguments, or fail."""
    if not isinstance(data, dict):
        fail(f'{path}: expected a JSON object with "injections" and "series"')
    for key in ("injections", "series"):
        if key not in data:
            fail(f'{path}: missing key "{key}"')
        if not isinstance(data[key], list):
            fail(f'{path}: "{key}" must be a list')
    higher_is_worse = data.get("higher_is_worse", True)
    if not isinstance(higher_is_worse, bool):
        fail(f'{path}: "higher_is_worse" must be true or false')
    injections = [
        _date(_field(item, "date", f"injections[{i}]", path), f"injections[{i}].date", path)
        for i, item in enumerate(data["injections"])
    ]
    series = []
    for i, item in enumerate(data["series"]):
        day = _date(_field(item, "date", f"series[{i}]", path), f"series[{i}].date", path)
        value = _field(item, "value", f"series[{i}]", path)
        if value is None:
            fail(f"{path}: series[{i}].value is null; leave days without a value out of the series")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"{path}: series[{i}].value: {value!r} is not a number")
        series.append((day, float(value)))
    return injections, series, higher_is_worse


def _field(item: Any, key: str, where: str, path: str) -> Any:
    if not isinstance(item, dict):
        fail(f"{path}: {where} must be an object")
    if key not in item:
        fail(f'{path}: {where} has no "{key}"')
    return item[key]


def _date(value: Any, where: str, path: str) -> date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    fail(f"{path}: {where}: {value!r} is not a date (expected YYYY-MM-DD)")


def _print_table(report: CycleReport) -> None:
    """Show one row per cycle, then the reasons, notes and the comparison, for reading in a terminal.

    Before: the baseline; Onset, Peak and Wore off: days after the injection; Best: the peak
    improvement (and its percentage of the baseline); Benefit: days with benefit, ``>=`` when the
    benefit was still present at the end of the cycle.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    def show(value: object, unit: str = "") -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.1f}{unit}"
        return f"{value}{unit}"

    table = Table(
        title="Botulinum-toxin cycles (days counted from each injection)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    for heading in ("#", "Injection", "Status", "Before", "Onset", "Peak", "Best", "Wore off", "Benefit"):
        table.add_column(
            heading, justify="left" if heading in ("Injection", "Status") else "right", no_wrap=True
        )
    for c in report.cycles:
        best = show(c.peak_improvement)
        if c.peak_improvement_pct is not None:
            best += f" ({c.peak_improvement_pct:.0f}%)"
        benefit = show(c.benefit_days)
        if c.censored:
            benefit = f">={benefit}"
        if c.responded is False:
            status = "no benefit"
        else:
            status = "ok" if c.status == "ok" else "see note"
        table.add_row(
            str(c.number),
            c.start.isoformat(),
            status,
            show(c.baseline),
            show(c.onset_day),
            show(c.peak_day),
            best,
            "still on" if c.censored else show(c.wearing_off_day),
            benefit,
        )
    console = Console(highlight=False)
    console.print(table)
    for c in report.cycles:
        for line in ([c.reason] if c.reason else []) + list(c.notes):
            console.print(f"Cycle {c.number}: {line}", markup=False)
    console.print("Across cycles:", style="bold")
    console.print(f"- {report.comparison.trend.statement}", markup=False)
    console.print(f"- {report.comparison.interval.statement}", markup=False)
