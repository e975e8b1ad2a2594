"""``torsion score``: list the rating scales, describe one, or score a JSON file of answers.

The engine and the definitions live in :mod:`torsion.clinical.scales`; this module only parses the
arguments, reads the file and prints. The library is imported inside the command so that
``torsion --help`` stays fast.

* ``torsion score --list`` lists the scales (``--json``: ``[{"id", "name", "rated_by", "min_total",
  "max_total", ...}]``).
* ``torsion score SCALE --describe`` shows the items and their allowed answers (``--json``: the
  definition's ``describe()``, with ``"id"``, ``"version"``, ``"items"`` and ``"max_total"``).
* ``torsion score SCALE ANSWERS.json`` scores an object of item id -> value (``"na"`` where the
  scale allows not applicable); ``--draft`` scores only the items answered. ``--json``: the result's
  ``to_dict()``, with ``"scale"``, ``"version"``, ``"total"``, ``"max_total"`` and ``"sections"``.

Bad input (unknown scale, unreadable file, a missing, mistyped or not allowed answer) exits with
status 2 and a message naming the item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from torsion.cli.app import JsonOption, app, fail, print_json, read_json_file

if TYPE_CHECKING:
    from torsion.clinical.scales import ScaleDefinition, ScaleScore


@app.command("score")
def score_command(
    scale_id: Annotated[
        str | None,
        typer.Argument(metavar="SCALE", help="Scale id, such as twstrs (torsion score --list shows them)."),
    ] = None,
    answers_path: Annotated[
        str | None,
        typer.Argument(
            metavar="ANSWERS.json",
            help='JSON object of item id -> answer ("na" where an item allows not applicable; '
            '"-" reads standard input).',
        ),
    ] = None,
    list_scales: Annotated[bool, typer.Option("--list", help="List the rating scales.")] = False,
    describe: Annotated[
        bool, typer.Option("--describe", help="Show a scale's items and allowed answers.")
    ] = False,
    draft: Annotated[
        bool,
        typer.Option("--draft", help="Score only the items answered so far (the running score of a draft)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Rating scales: list them, describe one, or score a file of answers."""
    from torsion.clinical import scales

    if list_scales:
        if scale_id is not None or answers_path is not None or describe or draft:
            fail("--list takes no scale, answers, --describe or --draft")
        _list(scales.list_scales(), as_json)
        return
    if scale_id is None:
        fail("give a scale id, or --list to see them")
    try:
        definition = scales.get_scale(scale_id)
    except scales.UnknownScaleError as exc:
        fail(str(exc))
    if describe:
        if answers_path is not None or draft:
            fail("--describe takes no answers file or --draft")
        _describe(definition, as_json)
        return
    if answers_path is None:
        fail(f"give a JSON file of answers to score {scale_id}, or --describe to see its items")
    answers = read_json_file(answers_path)
    if not isinstance(answers, dict):
        fail(f"{answers_path}: expected a JSON object of item id -> answer")
    try:
        result = definition.score_draft(answers) if draft else definition.score(answers)
    except scales.ScaleAnswerError as exc:
        fail(f"{answers_path}: {exc}")
    if as_json:
        print_json(result.to_dict())
    else:
        _print_score(definition, result)


def _list(definitions: list[ScaleDefinition], as_json: bool) -> None:
    if as_json:
        print_json([definition.summary() for definition in definitions])
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Rating scales", title_justify="left", box=box.SIMPLE_HEAD)
    for heading in ("Id", "Scale", "Rated by", "Total", "Electronic use"):
        table.add_column(heading)
    for definition in definitions:
        table.add_row(
            definition.id,
            f"{definition.name} ({definition.abbreviation})",
            definition.rated_by,
            f"{definition.min_total}-{definition.max_total}",
            "needs approval" if definition.licence.approval_required else "terms not established",
        )
    Console(highlight=False).print(table)


def _describe(definition: ScaleDefinition, as_json: bool) -> None:
    if as_json:
        print_json(definition.describe())
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from torsion.clinical.scales.definition import number

    console = Console(highlight=False)
    console.print(
        f"{definition.name} ({definition.abbreviation}), {definition.version}", style="bold", markup=False
    )
    console.print(definition.description, markup=False)
    console.print(
        f"Rated by the {definition.rated_by}; total {definition.min_total}-{definition.max_total}"
        f"{definition.unit or ''}, higher is {'worse' if definition.higher_is_worse else 'better'}.",
        markup=False,
    )
    table = Table(box=box.SIMPLE_HEAD, show_lines=False)
    for heading in ("Item", "Section", "What it rates", "Answers"):
        table.add_column(heading)
    for item in definition.items:
        if all(answer.label for answer in item.answers) or len(item.answers) <= 6:
            answers = "; ".join(
                f"{number(answer.value)} {answer.label or ''}".rstrip() for answer in item.answers
            )
        else:
            answers = f"{item.allowed[0]}-{item.allowed[-1]}"
        if item.weight != 1:
            answers += f" (x{number(item.weight)})"
        if item.not_applicable:
            answers += "; na not applicable"
        table.add_row(item.id, item.section, item.label, answers)
    console.print(table)
    for section in definition.sections:
        console.print(
            f"{section.name}: {section.rule.describe()}, {number(section.low)}-{number(section.high)}",
            markup=False,
        )
    console.print(f"Total: {definition.total.rule.describe()}", markup=False)
    if definition.not_applicable:
        console.print(f"Not applicable: {definition.not_applicable.note}", markup=False)
    console.print(f"Licence: {definition.licence.notice}", markup=False)
    for note in definition.notes:
        console.print(f"- {note}", markup=False)


def _print_score(definition: ScaleDefinition, result: ScaleScore) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from torsion.clinical.scales.definition import number

    def show(value: object) -> str:
        if value is None:
            return "-"
        return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)

    title = f"{definition.abbreviation}, {result.version}" + (" (draft)" if not result.complete else "")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Part")
    table.add_column("Score", justify="right")
    table.add_column("Range", justify="right")
    for section in definition.sections:
        table.add_row(
            section.name, show(result.sections[section.id]), f"{number(section.low)}-{number(section.high)}"
        )
    unit = definition.unit or ""
    table.add_row(
        "Total",
        show(result.total) + (unit if result.total is not None else ""),
        f"{result.min_total}-{result.max_total}{unit}",
        style="bold",
    )
    console = Console(highlight=False)
    console.print(title, style="bold", markup=False)
    console.print(table)
    if result.interpretation:
        console.print(f"Total: {result.interpretation}.", markup=False)
    if result.not_applicable:
        console.print(f"Not applicable: {', '.join(result.not_applicable)}", markup=False)
    if result.missing:
        console.print(f"Not answered yet ({len(result.missing)}): {', '.join(result.missing)}", markup=False)
    if definition.licence.approval_required:
        console.print(f"Licence: {definition.licence.notice}", markup=False)
