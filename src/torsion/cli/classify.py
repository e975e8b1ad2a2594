"""``torsion classify``: classify a dystonia from a JSON file of facts, by the 2013 consensus.

The rules live in :mod:`torsion.clinical.classification`; this module only reads the file, calls
:func:`~torsion.clinical.classification.classify` and prints the result. The library is imported
inside the command so that ``torsion --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from torsion.cli.app import JsonOption, app, fail, print_json, read_json_file

if TYPE_CHECKING:
    from torsion.clinical.classification import Classification


@app.command("classify")
def classify_command(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT.json",
            help='JSON object with "regions" and "onset_age", and optionally "face_sides", "course", '
            '"variability", "associated", "cause" and "task_specific" ("-" reads standard input).',
        ),
    ],
    as_json: JsonOption = False,
    laryngeal_code: Annotated[
        str, typer.Option("--laryngeal-code", help="ICD-10-CM code for laryngeal dystonia: J38.3 or R49.0.")
    ] = "J38.3",
    task_specific_code: Annotated[
        str,
        typer.Option(
            "--task-specific-code", help="ICD-10-CM code for writer's cramp and other task-specific forms."
        ),
    ] = "G24.8",
) -> None:
    """Classify a dystonia: age at onset, body distribution, pattern, cause, forms, older term and codes."""
    from torsion.clinical.classification import ClassificationInputError, classify
    from torsion.clinical.codes import CodingSettings

    try:
        coding = CodingSettings(laryngeal_code=laryngeal_code, task_specific_code=task_specific_code)
    except ValueError as exc:
        fail(str(exc))
    data = read_json_file(input_path)
    try:
        result = classify(data, coding=coding)
    except ClassificationInputError as exc:
        fail(f"{input_path}: {exc}")
    if as_json:
        print_json(result.to_dict())
    else:
        _print_summary(result)


def _print_summary(result: Classification) -> None:
    """Show the classification as a table followed by the explanation, for reading in a terminal."""
    from rich.console import Console
    from rich.table import Table

    from torsion.clinical.classification import PATHOLOGIES
    from torsion.clinical.regions import REGIONS

    def say(value: object) -> str:
        return "not known" if value is None else str(value).replace("_", " ")

    isolated = {True: "isolated", False: "combined", None: "not known"}[result.isolated]
    if result.combined_with:
        isolated += f" (with {', '.join(say(f) for f in result.combined_with)})"
    cause = result.etiology
    details = (cause.inheritance, cause.gene, cause.acquired_kind, cause.drug_timing, cause.idiopathic_kind)
    cause_details = [say(value) for value in details if value is not None]
    if cause.disease:
        cause_details.append(f"part of {cause.disease}" + (f", {cause.disease_code}" if cause.disease_code else ""))
    sides = dict(result.face_sides)
    table = Table(title="Dystonia classification (2013 consensus)", show_header=False, title_justify="left")
    table.add_column("Item", style="bold")
    table.add_column("Result")
    table.add_row(
        "Regions",
        ", ".join(REGIONS[code].label + (f" ({sides[code]} side)" if code in sides else "") for code in result.regions),
    )
    table.add_row("Age at onset", f"{say(result.age_at_onset)} ({result.onset_age_years:g} years)")
    table.add_row("Body distribution", say(result.body_distribution))
    table.add_row("Legs involved", "yes" if result.legs_involved else "no")
    table.add_row("Course", say(result.course))
    table.add_row("Variability", say(result.variability))
    table.add_row("Associated features", isolated)
    table.add_row("Nervous-system pathology", PATHOLOGIES.get(cause.pathology or "", "not known"))
    table.add_row("Cause", say(cause.type) + (f" ({', '.join(cause_details)})" if cause_details else ""))
    table.add_row("Forms", "; ".join(form.name for form in result.forms))
    table.add_row("Older term", say(result.legacy_term))
    table.add_row("ICD-10-CM", "\n".join(f"{code.code} {code.title}" for code in result.icd10) or "none")
    if result.undetermined:
        table.add_row("Not known", ", ".join(say(name) for name in result.undetermined))
    console = Console(highlight=False)
    console.print(table)
    console.print("Why:", style="bold")
    for sentence in result.explanation:
        console.print(f"- {sentence}", markup=False)
