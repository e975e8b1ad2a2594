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


#: Sound files the voice measure accepts (a video's sound is measured too), by type -> stored extension.
ACCEPTED_AUDIO_TYPES = {
    "audio/webm": "webm",
    "audio/ogg": "ogg",
    "audio/opus": "ogg",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/aac": "aac",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/vnd.wave": "wav",
    "audio/flac": "flac",
    "audio/x-flac": "flac",
    **ACCEPTED_TYPES,
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


def _looks_like_audio(head: bytes) -> bool:
    return (
        _looks_like_video(head)  # WebM, MP4/M4A
        or (head.startswith(b"RIFF") and head[8:12] == b"WAVE")
        or head.startswith((b"fLaC", b"OggS", b"ID3"))
        or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)  # MPEG audio frame (MP3, AAC ADTS)
    )


def _accepted(kind: str) -> dict[str, str]:
    return ACCEPTED_AUDIO_TYPES if KINDS[kind].media == "audio" else ACCEPTED_TYPES


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
    audio = KINDS[kind].media == "audio"
    if content_type not in _accepted(kind):
        raise UploadRejected("This is not a sound file Torsion can read (WebM, Ogg, MP3, M4A, WAV or FLAC)." if audio
                             else "This is not a video file Torsion can read (WebM, MP4, MOV or AVI).")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if audio:
        if not _looks_like_audio(head):
            raise UploadRejected("The file does not look like a sound recording, even though its name says so.")
        _check_sound(upload)
    elif not _looks_like_video(head):
        raise UploadRejected("The file does not look like a video, even though its name says so.")


def _check_sound(upload: UploadedFile) -> None:
    """Refuse silent, clipped, cut or low-rate sound before anything is stored (the library decides)."""
    from torsion.measures.audio import read_audio
    from torsion.measures.quality import UnusableRecording

    try:
        if hasattr(upload, "temporary_file_path"):
            read_audio(upload.temporary_file_path())
        else:
            read_audio(upload.file)
    except UnusableRecording as exc:
        raise UploadRejected(str(exc)) from None
    finally:
        upload.seek(0)


@transaction.atomic
def accept_upload(patient: Patient, upload: UploadedFile, *, kind: str, task: str, session: uuid.UUID | None = None,
                  neutral_s: float | None = None) -> Recording:
    """Store an uploaded video as a new recording and queue its analysis."""
    validate_upload(upload, kind, task)
    content_type = upload.content_type.split(";")[0].strip().lower()
    upload.name = f"recording.{_accepted(kind)[content_type]}"
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
    if recording.kind == "voice":
        kwargs["task"] = recording.task
    try:
        result = _measure_function(recording.kind)(recording.video.path, **kwargs)
    except UnusableRecording as exc:
        Recording.objects.filter(pk=recording_id).update(status=Status.FAILED, error=str(exc), progress=1.0,
                                                         analysed_at=timezone.now())
        return
    except Exception:
        log.exception("Analysis of recording %s failed", recording_id)
        kept = "recording" if recording.is_audio else "video"
        Recording.objects.filter(pk=recording_id).update(
            status=Status.FAILED, progress=1.0, analysed_at=timezone.now(),
            error=f"The analysis stopped because of an internal error. The {kept} is kept; "
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
    "voice": {
        "phonatory_breaks": ("phonatory_breaks.count", 1.0),
        "cpps_db": ("cpps_db", 1.0),
        "voice_breaks": ("voice_breaks", 1.0),
        "jitter_percent": ("jitter_local", 100.0),
        "unvoiced_percent": ("unvoiced_fraction", 100.0),
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
