"""Recordings: videos a patient made on a guided task, and what the analysis found in them.

Videos are files under the data folder (``<data dir>/recordings/<patient id>/``), never rows in the
database; deleting a recording deletes its file and its results.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from torsion.web.accounts.models import Patient
from torsion.web.recordings.protocols import KINDS


def video_path(instance: Recording, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "webm"
    return f"{instance.patient_id}/{uuid.uuid4().hex}.{extension}"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting for analysis"
    ANALYSING = "analysing", "Being analysed"
    DONE = "done", "Analysed"
    FAILED = "failed", "Could not be measured"


class Recording(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="recordings")
    kind = models.CharField(max_length=16, choices=[(k.code, k.title) for k in KINDS.values()])
    task = models.CharField(max_length=16)
    session = models.UUIDField(default=uuid.uuid4, help_text="Tasks recorded one after another share a session.")
    recorded_at = models.DateTimeField(default=timezone.now)
    video = models.FileField(upload_to=video_path, max_length=200)
    content_type = models.CharField(max_length=60, blank=True,
                                    help_text="Of the stored file; empty for results restored without their file.")
    size_bytes = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True, help_text="Key numbers copied from the result for trends.")
    analysed_at = models.DateTimeField(null=True, blank=True)
    neutral_s = models.FloatField(null=True, blank=True,
                                  help_text="Seconds at the start held as straight as possible, used as neutral.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["patient", "kind", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.kind_info.title}: {self.task_info.title if self.task_info else self.task} {self.recorded_at:%Y-%m-%d}"

    @property
    def kind_info(self):
        return KINDS[self.kind]

    @property
    def task_info(self):
        return self.kind_info.task(self.task)

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)


# Drawings (samples rather than videos) live in their own module; Django finds their models here.
from torsion.web.recordings.models_drawing import Drawing, PointerCalibration  # noqa: E402,F401
