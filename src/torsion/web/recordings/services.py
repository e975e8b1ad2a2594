"""Accepting uploads, running the analysis, and gathering results for pages. No measuring happens here:
the numbers come from :mod:`torsion.measures`; this module stores and arranges them."""

from __future__ import annotations

import importlib
import logging
import time
import uuid
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from torsion.web.accounts.models import Patient
from torsion.web.recordings.models import Recording, Status
from torsion.web.recordings.protocols import KINDS

log = logging.getLogger(__name__)

ACCEPTED_TYPES = {
    "video/webm": "webm",
    "video/x-matroska": "mkv",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/x-msvideo": "avi",
}


class UploadRejected(ValueError):
    """An upload that cannot be accepted; the message is for the person who sent it."""


def _looks_like_video(head: bytes) -> bool:
    return (
        head.startswith(b"\x1a\x45\xdf\xa3")  # Matroska / WebM (EBML)
        or head[4:8] == b"ftyp"  # MP4 / QuickTime
        or head[4:8] in (b"moov", b"mdat", b"wide", b"free")  # older QuickTime
        or (head.startswith(b"RIFF") and head[8:12] == b"AVI ")
    )


def validate_upload(upload: UploadedFile, kind: str, task: str) -> None:
    if kind not in KINDS:
        raise UploadRejected(f"Unknown kind of recording {kind!r}.")
    if KINDS[kind].task(task) is None:
        names = ", ".join(t.code for t in KINDS[kind].tasks)
        raise UploadRejected(f"Unknown task {task!r} for {KINDS[kind].title.lower()}; expected one of {names}.")
    limit = settings.TORSION_MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise UploadRejected("The file is empty.")
    if upload.size > limit:
        raise UploadRejected(f"The file is {upload.size / 1e6:.0f} MB; the largest accepted is {limit / 1e6:.0f} MB.")
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type not in ACCEPTED_TYPES:
        raise UploadRejected("This is not a video file Torsion can read (WebM, MP4, MOV or AVI).")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _looks_like_video(head):
        raise UploadRejected("The file does not look like a video, even though its name says so.")


@transaction.atomic
def accept_upload(patient: Patient, upload: UploadedFile, *, kind: str, task: str, session: uuid.UUID | None = None,
                  neutral_s: float | None = None) -> Recording:
    """Store an uploaded video as a new recording and queue its analysis."""
    validate_upload(upload, kind, task)
    content_type = upload.content_type.split(";")[0].strip().lower()
    upload.name = f"recording.{ACCEPTED_TYPES[content_type]}"
    recording = Recording(patient=patient, kind=kind, task=task, session=session or uuid.uuid4(),
                          content_type=content_type, size_bytes=upload.size, neutral_s=neutral_s)
    recording.video.save(upload.name, upload, save=False)
    recording.save()
    transaction.on_commit(lambda: _enqueue(recording.pk))
    return recording


def _enqueue(recording_id: int) -> None:
    from torsion.web.recordings.tasks import analyse_recording

    analyse_recording.enqueue(recording_id)


def _measure_function(kind: str) -> Callable:
    module_name, function_name = KINDS[kind].measure.rsplit(".", 1)
    return getattr(importlib.import_module(module_name), function_name)


def run_analysis(recording_id: int) -> None:
    """Analyse one recording with its measure and store the result (or the reason it failed)."""
    from torsion.measures.quality import UnusableRecording

    recording = Recording.objects.get(pk=recording_id)
    Recording.objects.filter(pk=recording_id).update(status=Status.ANALYSING, progress=0.0, error="")
    last_update = [0.0]

    def progress(done: int, total: int | None) -> None:
        now = time.monotonic()
        if total and now - last_update[0] > 1.0:
            last_update[0] = now
            Recording.objects.filter(pk=recording_id).update(progress=min(done / total, 0.99))

    kwargs: dict = {"progress": progress}
    if recording.kind == "head" and recording.neutral_s:
        kwargs["neutral_s"] = recording.neutral_s
    try:
        result = _measure_function(recording.kind)(recording.video.path, **kwargs)
    except UnusableRecording as exc:
        Recording.objects.filter(pk=recording_id).update(status=Status.FAILED, error=str(exc), progress=1.0,
                                                         analysed_at=timezone.now())
        return
    except Exception:
        log.exception("Analysis of recording %s failed", recording_id)
        Recording.objects.filter(pk=recording_id).update(
            status=Status.FAILED, progress=1.0, analysed_at=timezone.now(),
            error="The analysis stopped because of an internal error. The video is kept; "
                  "the site's administrator can find the details in the log.")
        return
    data = result.to_dict(series=True)
    Recording.objects.filter(pk=recording_id).update(
        status=Status.DONE, progress=1.0, result=data, metrics=metrics_from_result(recording.kind, data),
        analysed_at=timezone.now(),
    )
    from torsion.web.clinic.summary import mark_stale

    mark_stale(recording.patient_id)


def _lookup(data: dict, path: str):
    value = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


#: Where each trend metric sits in a measure's result, and the factor for its display unit.
METRIC_SOURCES: dict[str, dict[str, tuple[str, float]]] = {
    "head": {
        "yaw_median_deg": ("yaw_deg.median", 1.0),
        "roll_median_deg": ("roll_deg.median", 1.0),
        "pitch_median_deg": ("pitch_deg.median", 1.0),
        "tremor_amplitude_deg": ("tremor.amplitude_deg", 1.0),
    },
    "blink": {
        "blink_rate_per_min": ("blink_rate_per_min", 1.0),
        "eye_closure_percent": ("eye_closure_fraction", 100.0),
        "prolonged_closures": ("prolonged_closures", 1.0),
    },
    "face": {
        "mouth_opening_outside_percent": ("mouth_opening.fraction_outside_rest", 100.0),
        "jaw_deviation_outside_percent": ("jaw_deviation.fraction_outside_rest", 100.0),
        "lip_pull_outside_percent": ("lip_pull.fraction_outside_rest", 100.0),
    },
}


def metrics_from_result(kind: str, data: dict) -> dict[str, float]:
    metrics = {}
    for key, (path, factor) in METRIC_SOURCES[kind].items():
        value = _lookup(data, path)
        if value is not None:
            metrics[key] = round(value * factor, 3)
    return metrics


def metric_series(patient: Patient, kind: str, task: str, metric: str) -> list[tuple[date, float]]:
    rows = (Recording.objects.filter(patient=patient, kind=kind, task=task, status=Status.DONE)
            .order_by("recorded_at").values_list("recorded_at", "metrics"))
    return [(timezone.localtime(when).date(), metrics[metric]) for when, metrics in rows if metric in metrics]
