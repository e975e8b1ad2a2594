"""Accepting drawings, running their analysis, and gathering their results for pages.

No measuring happens here: the numbers come from :mod:`torsion.measures.spiral`,
:mod:`torsion.measures.line` and :mod:`torsion.measures.writing`; this module stores the samples,
converts CSS pixels to millimetres when the screen was calibrated, and arranges the results.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from torsion.measures.drawing import DrawingInputError, PenSamples
from torsion.measures.spiral import SpiralTemplate
from torsion.web.accounts.models import Patient
from torsion.web.recordings.models import Status
from torsion.web.recordings.models_drawing import Drawing, DrawingTask, Hand, PointerType

log = logging.getLogger(__name__)

#: The handwriting sentence, Torsion's own: short, with the loops (l, h, y) handwriting analysis
#: reads best; written three times.
WRITING_SENTENCE = "The yellow hills roll on."
WRITING_REPEATS = 3

#: Most samples one drawing may hold (about 14 minutes at 240 samples a second).
MAX_SAMPLES = 200_000
#: Plausible CSS pixels per millimetre: a calibration outside this range is a mistake.
PX_PER_MM_RANGE = (1.0, 30.0)


@dataclass(frozen=True)
class TaskInfo:
    code: str
    title: str
    instructions: str
    measure: str  # "torsion.measures.<module>.<function>"


TASKS: dict[str, TaskInfo] = {
    info.code: info
    for info in (
        TaskInfo(DrawingTask.SPIRAL, "Spiral, drawn freely",
                 "Draw a spiral from the middle outwards, about four turns, with the loops evenly spaced and "
                 "without touching each other. Keep the pen, finger or mouse on the screen until you finish. "
                 "Draw at your usual pace.", "torsion.measures.spiral.measure_spiral"),
        TaskInfo(DrawingTask.SPIRAL_TRACED, "Spiral, traced over a guide",
                 "Trace the grey spiral from its middle outwards, staying on the line as well as you can, "
                 "without lifting. Draw at your usual pace.", "torsion.measures.spiral.measure_spiral"),
        TaskInfo(DrawingTask.LINE, "Straight line",
                 "Draw one straight line from the left dot to the right dot, without lifting, at your usual "
                 "pace.", "torsion.measures.line.measure_line"),
        TaskInfo(DrawingTask.WRITING, "Handwriting",
                 f"Write “{WRITING_SENTENCE}” {WRITING_REPEATS} times, in your usual handwriting, using as many "
                 "lines as you need. On a phone, turning it sideways gives more room.",
                 "torsion.measures.writing.measure_writing"),
    )
}


class DrawingRejected(ValueError):
    """A drawing that cannot be accepted; the message is for the person who sent it."""


def _numbers(name: str, values, n: int | None, *, required: bool = True) -> list[float] | None:
    if values is None:
        if required:
            raise DrawingRejected(f"The drawing has no {name} values.")
        return None
    values = list(values)
    if n is not None and len(values) != n:
        raise DrawingRejected(f"The drawing has {len(values)} {name} values for {n} samples.")
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise DrawingRejected(f"The drawing's {name} values must be numbers.") from None


def template_from(data: dict | None) -> dict | None:
    """A traced spiral's guide as stored (CSS pixels), checked; None without one."""
    if not data:
        return None
    keys = ("centre_x", "centre_y", "start_radius", "spacing", "turns", "start_angle_rad")
    try:
        guide = {key: float(data[key]) for key in keys} | {"clockwise": bool(data.get("clockwise", True))}
    except (KeyError, TypeError, ValueError):
        raise DrawingRejected("The spiral guide is incomplete.") from None
    if not all(math.isfinite(v) for k, v in guide.items() if k != "clockwise") or guide["spacing"] <= 0 or (
            guide["turns"] <= 0):
        raise DrawingRejected("The spiral guide is not a spiral.")
    return guide


@transaction.atomic
def accept_drawing(
    patient: Patient,
    *,
    task: str,
    hand: str,
    t_s: Sequence[float],
    x: Sequence[float],
    y: Sequence[float],
    pressure: Sequence[float] | None = None,
    pen_down: Sequence[float] | None = None,
    tilt_x_deg: Sequence[float] | None = None,
    tilt_y_deg: Sequence[float] | None = None,
    pointer_type: str = PointerType.UNKNOWN,
    px_per_mm: float | None = None,
    canvas: dict | None = None,
    template: dict | None = None,
    session: uuid.UUID | None = None,
    recorded_at: datetime | None = None,
    is_example: bool = False,
    queue: bool = True,
) -> Drawing:
    """Store a drawing's samples (CSS pixels, as captured) and queue its analysis (unless ``queue`` is
    false: the caller then runs :func:`run_drawing_analysis` itself).

    Raises
    ------
    DrawingRejected
        Unknown task or hand, samples that are not numbers or do not line up, too many or too few,
        or an implausible screen calibration.
    """
    if task not in TASKS:
        raise DrawingRejected(f"Unknown drawing task {task!r}; expected one of {', '.join(TASKS)}.")
    if hand not in Hand.values:
        raise DrawingRejected("Say which hand drew it: right or left.")
    if pointer_type not in PointerType.values:
        pointer_type = PointerType.UNKNOWN
    t = _numbers("time", t_s, None)
    n = len(t)
    if n > MAX_SAMPLES:
        raise DrawingRejected(f"The drawing has {n} samples; the most accepted is {MAX_SAMPLES}.")
    columns = {
        "t_s": t,
        "x": _numbers("x", x, n),
        "y": _numbers("y", y, n),
        "pressure": _numbers("pressure", pressure, n, required=False),
        "pen_down": _numbers("pen-down", pen_down, n, required=False),
        "tilt_x_deg": _numbers("tilt", tilt_x_deg, n, required=False),
        "tilt_y_deg": _numbers("tilt", tilt_y_deg, n, required=False),
    }
    if px_per_mm is not None and not PX_PER_MM_RANGE[0] <= px_per_mm <= PX_PER_MM_RANGE[1]:
        raise DrawingRejected(f"A screen with {px_per_mm:g} pixels per millimetre is not plausible; calibrate again.")
    guide = template_from(template) if task == DrawingTask.SPIRAL_TRACED else None
    try:  # the measures' own checks, so that a drawing that can never be measured is refused now
        PenSamples(t_s=t, x=columns["x"], y=columns["y"], pressure=columns["pressure"], pen_down=columns["pen_down"],
                   unit="px")
    except DrawingInputError as exc:
        raise DrawingRejected(str(exc)) from None
    document = {
        "version": 1,
        "unit": "css_px",
        **{name: values for name, values in columns.items() if values is not None},
        "canvas": {k: float(v) for k, v in (canvas or {}).items() if k in ("width", "height")},
        "template": guide,
    }
    drawing = Drawing(patient=patient, task=task, hand=hand, pointer_type=pointer_type,
                      session=session or uuid.uuid4(), recorded_at=recorded_at or timezone.now(), sample_count=n,
                      px_per_mm=px_per_mm, is_example=is_example)
    drawing.samples.save("samples.json", ContentFile(json.dumps(document, separators=(",", ":")).encode()),
                         save=False)
    drawing.save()
    if queue:
        transaction.on_commit(lambda: _enqueue(drawing.pk))
    return drawing


def _enqueue(drawing_id: int) -> None:
    from torsion.web.recordings.tasks_drawing import analyse_drawing

    analyse_drawing.enqueue(drawing_id)


def stored_samples(drawing: Drawing) -> dict:
    """The drawing's samples document as stored (CSS pixels)."""
    with drawing.samples.open("rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def pen_samples(drawing: Drawing, document: dict | None = None) -> PenSamples:
    """The samples for the measures: millimetres on a calibrated screen, CSS pixels otherwise."""
    document = document if document is not None else stored_samples(drawing)
    scale = 1.0 / drawing.px_per_mm if drawing.calibrated else 1.0
    return PenSamples(
        t_s=document["t_s"],
        x=[v * scale for v in document["x"]],
        y=[v * scale for v in document["y"]],
        pressure=document.get("pressure"),
        pen_down=document.get("pen_down"),
        unit=drawing.unit,
    )


def spiral_template(drawing: Drawing, document: dict) -> SpiralTemplate | None:
    guide = document.get("template")
    if not guide:
        return None
    scale = 1.0 / drawing.px_per_mm if drawing.calibrated else 1.0
    return SpiralTemplate(
        centre_x=guide["centre_x"] * scale, centre_y=guide["centre_y"] * scale,
        start_radius=guide["start_radius"] * scale, spacing=guide["spacing"] * scale, turns=guide["turns"],
        start_angle_rad=guide["start_angle_rad"], clockwise=guide["clockwise"],
    )


def measure(drawing: Drawing):
    """Run the drawing's measure on its stored samples; returns the measure's result."""
    from torsion.measures.line import measure_line
    from torsion.measures.spiral import measure_spiral
    from torsion.measures.writing import measure_writing

    document = stored_samples(drawing)
    samples = pen_samples(drawing, document)
    if drawing.task in (DrawingTask.SPIRAL, DrawingTask.SPIRAL_TRACED):
        return measure_spiral(samples, template=spiral_template(drawing, document))
    if drawing.task == DrawingTask.LINE:
        return measure_line(samples)
    return measure_writing(samples)


def run_drawing_analysis(drawing_id: int) -> None:
    """Measure one drawing and store the result (or the reason it could not be measured)."""
    drawing = Drawing.objects.get(pk=drawing_id)
    Drawing.objects.filter(pk=drawing_id).update(status=Status.ANALYSING, error="")
    try:
        result = measure(drawing)
    except DrawingInputError as exc:
        Drawing.objects.filter(pk=drawing_id).update(status=Status.FAILED, error=str(exc), analysed_at=timezone.now())
        return
    except Exception:
        log.exception("Analysis of drawing %s failed", drawing_id)
        Drawing.objects.filter(pk=drawing_id).update(
            status=Status.FAILED, analysed_at=timezone.now(),
            error="The analysis stopped because of an internal error. The drawing is kept; the site's "
                  "administrator can find the details in the log.")
        return
    data = result.to_dict(series=True)
    Drawing.objects.filter(pk=drawing_id).update(status=Status.DONE, result=data, metrics=metrics_from_result(data),
                                                 analysed_at=timezone.now())


@dataclass(frozen=True)
class Metric:
    """A number followed over time: its key in ``Drawing.metrics`` and where it sits in a result."""

    key: str  # "{u}" is the length unit
    label: str
    unit: str  # for display; "{u}" is the length unit
    path: str  # dotted path in the result; "{u}" is the length unit


#: The trend metrics of each task (the first is the one shown on the dashboard).
METRICS: dict[str, tuple[Metric, ...]] = {
    "spiral": (
        Metric("tremor_amplitude_{u}", "Tremor amplitude (0 = none detected)", "{u}", "tremor.amplitude_{u}"),
        Metric("radial_deviation_{u}", "Radial deviation", "{u}", "radial_deviation_{u}"),
        Metric("first_order_smoothness_{u}", "First-order smoothness", "{u}/rad", "first_order_smoothness"),
        Metric("mean_speed_{u}_s", "Drawing speed", "{u}/s", "mean_speed_{u}_s"),
    ),
    "line": (
        Metric("tremor_amplitude_{u}", "Tremor amplitude (0 = none detected)", "{u}", "tremor.amplitude_{u}"),
        Metric("deviation_{u}", "Deviation from straight", "{u}", "deviation_{u}"),
        Metric("mean_speed_{u}_s", "Drawing speed", "{u}/s", "mean_speed_{u}_s"),
    ),
    "writing": (
        Metric("niv_per_stroke", "Velocity inversions per stroke", "", "niv_per_stroke"),
        Metric("stroke_frequency_hz", "Stroke frequency", "Hz", "stroke_frequency_hz"),
        Metric("mean_speed_{u}_s", "Writing speed", "{u}/s", "mean_speed_{u}_s"),
        Metric("in_air_s", "Time in the air", "s", "in_air_s"),
    ),
}


def metrics_of(task: str) -> tuple[Metric, ...]:
    return METRICS["spiral" if task == DrawingTask.SPIRAL_TRACED else task]


def _lookup(data: dict, path: str):
    value = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def metrics_from_result(data: dict) -> dict[str, float]:
    """Trend numbers from a result; a tremor looked for and not found counts as amplitude 0."""
    unit = data.get("unit", "mm")
    metrics = {}
    for metric in metrics_of(data["task"]):
        value = _lookup(data, metric.path.format(u=unit))
        looked_and_found_none = data.get("tremor", {}).get("detected") is False
        if value is None and metric.key.startswith("tremor_amplitude") and looked_and_found_none:
            value = 0.0
        if value is not None:
            metrics[metric.key.format(u=unit)] = round(float(value), 4)
    return metrics


def metric_series(patient: Patient, tasks: Sequence[str], hand: str, key: str) -> list[tuple[date, float]]:
    rows = (Drawing.objects.filter(patient=patient, task__in=tasks, hand=hand, status=Status.DONE)
            .order_by("recorded_at").values_list("recorded_at", "metrics"))
    return [(timezone.localtime(when).date(), metrics[key]) for when, metrics in rows if key in metrics]
