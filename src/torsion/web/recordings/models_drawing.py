"""Drawings: spirals, lines and handwriting made with a pen, finger or mouse, and what the analysis found.

A drawing's samples are a JSON file under the data folder (``<data dir>/recordings/<patient id>/
drawings/``), stored as the browser captured them, in CSS pixels, with the screen's calibration
beside them (``px_per_mm``), so that a drawing can be measured again. Deleting a drawing deletes its
file and its results. Drawings are their own model rather than a kind of video recording because
they hold samples instead of a video, belong to a hand, and carry a screen calibration.

A :class:`PointerCalibration` is a person's screen size on one device: CSS pixels per millimetre,
found by matching a bar on the screen to a bank card. It belongs to the person holding the device
(a clinician's tablet serves many patients), keyed by a random device identifier kept in a cookie.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from torsion.web.accounts.models import Patient
from torsion.web.recordings.models import Status  # models.py is loaded first and imports this module last


class Hand(models.TextChoices):
    RIGHT = "right", "Right hand"
    LEFT = "left", "Left hand"


class DrawingTask(models.TextChoices):
    SPIRAL = "spiral", "Spiral, drawn freely"
    SPIRAL_TRACED = "spiral_traced", "Spiral, traced over a guide"
    LINE = "line", "Straight line"
    WRITING = "writing", "Handwriting"


class PointerType(models.TextChoices):
    PEN = "pen", "Stylus"
    TOUCH = "touch", "Finger"
    MOUSE = "mouse", "Mouse"
    UNKNOWN = "unknown", "Unknown"


def samples_path(instance: Drawing, filename: str) -> str:
    return f"{instance.patient_id}/drawings/{uuid.uuid4().hex}.json"


class Drawing(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="drawings")
    task = models.CharField(max_length=16, choices=DrawingTask.choices)
    hand = models.CharField(max_length=8, choices=Hand.choices)
    pointer_type = models.CharField(max_length=8, choices=PointerType.choices, default=PointerType.UNKNOWN)
    session = models.UUIDField(default=uuid.uuid4, help_text="Tasks drawn one after another share a session.")
    recorded_at = models.DateTimeField(default=timezone.now)
    samples = models.FileField(upload_to=samples_path, max_length=200)
    sample_count = models.PositiveIntegerField()
    px_per_mm = models.FloatField(null=True, blank=True,
                                  help_text="CSS pixels per millimetre on the screen it was drawn on; empty if "
                                            "unknown.")
    is_example = models.BooleanField(default=False, help_text="Synthesised to show what a result looks like.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True, help_text="Key numbers copied from the result for trends.")
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["patient", "task", "hand", "recorded_at"])]

    def __str__(self) -> str:
        example = " (example)" if self.is_example else ""
        return f"{self.get_task_display()}, {self.get_hand_display().lower()}{example} {self.recorded_at:%Y-%m-%d}"

    @property
    def calibrated(self) -> bool:
        return self.px_per_mm is not None

    @property
    def unit(self) -> str:
        """Length unit of the results: millimetres on a calibrated screen, else CSS pixels."""
        return "mm" if self.calibrated else "px"

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)


class PointerCalibration(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pointer_calibrations")
    device_key = models.CharField(max_length=64)
    px_per_mm = models.FloatField()
    device_label = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "device_key"], name="one_calibration_per_device")]

    def __str__(self) -> str:
        return f"{self.px_per_mm:.3f} px/mm ({self.device_label or 'a device'})"
