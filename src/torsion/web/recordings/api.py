from __future__ import annotations

import uuid
from datetime import datetime

from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from torsion.web.accounts.permissions import Access, get_patient, get_patient_object
from torsion.web.recordings.camera_check import MAX_FRAME_BYTES, FrameRejected, check_uploaded_frame
from torsion.web.recordings.models import Recording
from torsion.web.recordings.services import UploadRejected, accept_upload

router = Router(tags=["recordings"])


class RecordingOut(Schema):
    id: int
    kind: str
    task: str
    session: uuid.UUID
    recorded_at: datetime
    status: str
    progress: float
    error: str
    metrics: dict
    page_url: str
    example: bool = False  # synthesised for the demonstration account, not a real recording
    result: dict | None = None


def _out(recording: Recording, *, with_result: bool = False, series: bool = False) -> RecordingOut:
    result = None
    if with_result and recording.result is not None:
        result = recording.result if series else {k: v for k, v in recording.result.items() if k != "series"}
    return RecordingOut(
        id=recording.pk, kind=recording.kind, task=recording.task, session=recording.session,
        recorded_at=recording.recorded_at, status=recording.status, progress=recording.progress,
        error=recording.error, metrics=recording.metrics, result=result, example=recording.example,
        page_url=reverse("recordings:detail", kwargs={"patient_id": recording.patient_id,
                                                      "recording_id": recording.pk}),
    )


@router.get("/patients/{patient_id}/recordings", response=list[RecordingOut], summary="Recordings, newest first")
def list_recordings(request, patient_id: int, kind: str | None = None):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    recordings = Recording.objects.filter(patient=patient)
    if kind:
        recordings = recordings.filter(kind=kind)
    return [_out(r) for r in recordings]


@router.post("/patients/{patient_id}/recordings", response={201: RecordingOut},
             summary="Upload a video (or, for the voice, a sound recording) of one guided task; its analysis "
                     "starts in the background")
def upload_recording(request, patient_id: int, kind: Form[str], task: Form[str], video: File[UploadedFile],
                     session: Form[uuid.UUID | None] = None, neutral_s: Form[float | None] = None):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    if neutral_s is not None and not 0 < neutral_s <= 30:
        raise HttpError(422, "The neutral period must be between 0 and 30 seconds.")
    try:
        recording = accept_upload(patient, video, kind=kind, task=task, session=session, neutral_s=neutral_s)
    except UploadRejected as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _out(recording))


class CameraCheckOut(Schema):
    passed: bool
    fps: float | None
    mean_luma: float
    faces: list[dict]
    problems: list[dict] = Field(..., description="Each with code, topic (frame rate, light or framing), message "
                                                  "and fix, in words for the person being recorded.")


@router.post("/patients/{patient_id}/recordings/camera-check", response=CameraCheckOut,
             summary="Check one camera frame before recording: frame rate, light and framing (nothing is kept)")
def camera_check(request, patient_id: int, frame: File[UploadedFile], fps: Form[float | None] = None):
    get_patient(request.user, patient_id, Access.EDIT)
    if fps is not None and not 0 <= fps <= 1000:
        raise HttpError(422, "The frame rate must be between 0 and 1000 frames per second.")
    try:
        return check_uploaded_frame(frame.read(MAX_FRAME_BYTES + 1), fps).to_dict()
    except FrameRejected as exc:
        raise HttpError(422, str(exc)) from None


@router.get("/patients/{patient_id}/recordings/{recording_id}", response=RecordingOut,
            summary="One recording: status, progress and results")
def get_recording(request, patient_id: int, recording_id: int, series: bool = False):
    patient = get_patient(request.user, patient_id, Access.VIEW)
    recording = get_patient_object(request.user, Recording, recording_id, patient=patient)
    return _out(recording, with_result=True, series=series)


@router.delete("/patients/{patient_id}/recordings/{recording_id}", response={204: None},
               summary="Delete a recording, its video and its results")
def delete_recording(request, patient_id: int, recording_id: int):
    patient = get_patient(request.user, patient_id, Access.EDIT)
    get_patient_object(request.user, Recording, recording_id, Access.EDIT, patient=patient).delete()
    return Status(204, None)
