"""``torsion measure spiral|line|writing``: drawing and handwriting measures from a CSV of pen samples.

Thin shells over :func:`torsion.measures.spiral.measure_spiral`,
:func:`torsion.measures.line.measure_line` and :func:`torsion.measures.writing.measure_writing`.
The samples file has a header line naming its columns, ``t,x,y`` and optionally ``pressure`` and
``pen_down`` (time in seconds, positions in millimetres, or CSS pixels with ``--px``). Input that
cannot be measured exits with status 2 and a one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from torsion.cli.app import JsonOption, fail, print_json
from torsion.cli.measure import measure_app

SamplesArgument = Annotated[
    Path,
    typer.Argument(
        metavar="SAMPLES.csv",
        help="Pen samples with a header line: t,x,y[,pressure][,pen_down] (seconds; millimetres unless --px).",
    ),
]
PixelsOption = Annotated[
    bool, typer.Option("--px", help="x and y are CSS pixels (an uncalibrated screen), not millimetres.")
]

#: Result keys shown by the readable summary, with their labels (``{u}`` is the length unit).
SUMMARY_KEYS = {
    "spiral": [
        ("duration_s", "Drawing time (s)"),
        ("mean_speed_{u}_s", "Mean speed ({u}/s)"),
        ("turns", "Turns"),
        ("radial_deviation_{u}", "Radial deviation ({u})"),
        ("first_order_smoothness", "First-order smoothness ({u}/rad)"),
        ("second_order_smoothness", "Second-order smoothness ({u}/rad²)"),
        ("tightness", "Loop spacing ({u} per turn)"),
        ("tightness_variability", "Loop spacing variability"),
        ("zero_crossing_rate_hz", "Zero crossings per second"),
        ("pen_lifts", "Pen lifts"),
    ],
    "line": [
        ("duration_s", "Drawing time (s)"),
        ("length_{u}", "Length ({u})"),
        ("mean_speed_{u}_s", "Mean speed ({u}/s)"),
        ("deviation_{u}", "Deviation from straight ({u})"),
        ("straightness", "Straightness"),
        ("pen_lifts", "Pen lifts"),
    ],
    "writing": [
        ("duration_s", "Writing time (s)"),
        ("strokes", "Strokes"),
        ("stroke_frequency_hz", "Stroke frequency (Hz)"),
        ("niv_per_stroke", "Velocity inversions per stroke"),
        ("pen_lifts", "Pen lifts"),
        ("on_surface_s", "On the surface (s)"),
        ("in_air_s", "In the air (s)"),
        ("mean_speed_{u}_s", "Mean speed ({u}/s)"),
        ("jerk_{u}_s3", "Jerk ({u}/s³)"),
        ("normalized_jerk", "Normalised jerk (median per stroke)"),
        ("mean_pressure", "Mean pressure (0-1)"),
        ("pressure_variability", "Pressure variability"),
    ],
}


def _print_summary(data: dict) -> None:
    unit = data["unit"]
    for key, label in SUMMARY_KEYS[data["task"]]:
        value = data.get(key.format(u=unit))
        shown = "-" if value is None else (f"{value:.3g}" if isinstance(value, float) else str(value))
        typer.echo(f"{label.format(u=unit)}: {shown}")
    if "tremor" in data:
        typer.echo(data["tremor"]["summary"])
    for warning in data["warnings"]:
        typer.echo(f"warning: {warning}")


def _run(path: Path, measure: Callable, pixels: bool, as_json: bool) -> None:
    from torsion.measures.drawing import DrawingInputError, read_samples_csv

    try:
        result = measure(read_samples_csv(path, unit="px" if pixels else "mm"))
    except DrawingInputError as exc:
        message = str(exc)
        fail(message if message.startswith(str(path)) else f"{path}: {message}")
    if as_json:
        print_json(result.to_dict())
    else:
        _print_summary(result.to_dict())


@measure_app.command("spiral")
def spiral_command(samples: SamplesArgument, as_json: JsonOption = False, pixels: PixelsOption = False) -> None:
    """Spiral drawing: speed, radial deviation, smoothness, loop spacing and tremor."""
    from torsion.measures.spiral import measure_spiral

    _run(samples, measure_spiral, pixels, as_json)


@measure_app.command("line")
def line_command(samples: SamplesArgument, as_json: JsonOption = False, pixels: PixelsOption = False) -> None:
    """Straight line: deviation from straight, speed and tremor."""
    from torsion.measures.line import measure_line

    _run(samples, measure_line, pixels, as_json)


@measure_app.command("writing")
def writing_command(samples: SamplesArgument, as_json: JsonOption = False, pixels: PixelsOption = False) -> None:
    """Handwriting: strokes, stroke frequency, velocity inversions, pen lifts, pressure, speed and jerk."""
    from torsion.measures.writing import measure_writing

    _run(samples, measure_writing, pixels, as_json)
