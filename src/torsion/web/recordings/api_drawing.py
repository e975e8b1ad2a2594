"""API routes for drawings: send the samples of one drawing, follow its analysis, read or delete it."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from torsion.web.accounts.permissions import Access, get_patient, get_patient_object
from torsion.web.recordings.models_drawing import Drawing
from torsion.web.recordings.services_drawing import DrawingRejected, accept_drawing

router = Router(tags=["drawings"])


class SpiralGuideIn(Schema):
    """The spiral shown for tracing, in the same CSS pixels as the samples."""

    centre_x: float
    centre_y: float
    start_radius: float
    spacing: float = Field(description="Distance between loops, CSS pixels per turn.")
    turns: float
    start_angle_rad: float = 0.0
    clockwise: bool = True


class DrawingIn(Schema):
    task: str = Field(description="spiral, spiral_traced, line or writing.")
    hand: str = Field(description="right or left.")
    pointer_type: str = Field("unknown", description="pen, touch, mouse or unknown.")
    t_s: list[float] = Field(description="Sample times, seconds, increasing.")
    x: list[float] = Field(description="CSS pixels from the left of the drawing area.")
    y: list[float] = Field(description="CSS pixels from the top of the drawing area.")
    pressure: list[float] | None = Field(None, description="0-1 as the device reports it.")
    pen_down: list[int] | None = Field(None, description="1 touching, 0 lifted (at least one 0 at each lift).")
    tilt_x_deg: list[float] | None = None
    tilt_y_deg: list[float] | None = None
    px_per_mm: float | None = Field(None, description="The screen's calibration; without it results are in pixels.")
    canvas_width: float | None = None
    canvas_height: float | None = None
    template: SpiralGuideIn | None = Field(None, description="The guide of a traced spiral.")
    session: uuid.UUID | None = None


class DrawingOut(Schema):
    id: int
    task: str
    hand: str
    pointer_type: str
    session: uuid.UUID
    recorded_at: datetime
    unit: str
    is_example: bool
    status: str
    error: str
    metrics: dict
    page_url: str
    result: dict | None = None


def _out(drawing: Drawing, *, with_result: bool = False, series: bool = False) -> DrawingOut:
    result = None
    if with_result and drawing.result is not None:
        result = drawing.result if series else {
            k: ({kk: vv for kk, vv in v.items() if kk != "spectrum"} if k == "tremor" else v)
            for k, v in drawing.result.items() if k != "unravelled"}
    return DrawingOut(
        id=drawing.pk, task=drawing.task, hand=drawing.hand, pointer_type=drawing.pointer_type,
        session=drawing.session, recorded_at=drawing.recorded_at, unit=drawing.unit, is_example=drawing.is_example,
        status=drawing.status, error=drawing.error, metrics=drawing.metrics, result=result,
        page_url=reverse("recordings:drawing_detail", kwargs={"patient_id": drawing.patient_id,
                                                               "drawing_id": drawing.pk}),
    )


@router.get("/patients/{patient_id}/drawings", response=list[DrawingOut], summary="Drawings, newest first")
def list_drawings(request, patient_id: int, task: str | None = None, hand: str | None = None):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    drawings = Drawing.objects.filter(patient=patient)
    if task:
        drawings = drawings.filter(task=task)
    if hand:
        drawings = drawings.filter(hand=hand)
    return [_out(d) for d in drawings]


@router.post("/patients/{patient_id}/drawings", response={201: DrawingOut},
             summary="Send the samples of one drawing; its analysis starts in the background")
def create_drawing(request, patient_id: int, payload: DrawingIn):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    try:
        drawing = accept_drawing(
            patient, task=payload.task, hand=payload.hand, pointer_type=payload.pointer_type, t_s=payload.t_s,
            x=payload.x, y=payload.y, pressure=payload.pressure, pen_down=payload.pen_down,
            tilt_x_deg=payload.tilt_x_deg, tilt_y_deg=payload.tilt_y_deg, px_per_mm=payload.px_per_mm,
            canvas={"width": payload.canvas_width, "height": payload.canvas_height}
            if payload.canvas_width and payload.canvas_height else None,
            template=payload.template.dict() if payload.template else None, session=payload.session,
        )
    except DrawingRejected as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _out(drawing))


@router.get("/patients/{patient_id}/drawings/{drawing_id}", response=DrawingOut,
            summary="One drawing: status and results")
def get_drawing(request, patient_id: int, drawing_id: int, series: bool = False):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    drawing = get_patient_object(request.user, Drawing, drawing_id, patient=patient)
    return _out(drawing, with_result=True, series=series)


@router.delete("/patients/{patient_id}/drawings/{drawing_id}", response={204: None},
               summary="Delete a drawing, its samples and its results")
def delete_drawing(request, patient_id: int, drawing_id: int):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    get_patient_object(request.user, Drawing, drawing_id, Access.EDIT, patient=patient).delete()
    return Status(204, None)
