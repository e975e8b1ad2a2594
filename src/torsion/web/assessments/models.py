"""Rating-scale administrations: one filled-in scale of one patient, scored by the scale engine.

What a scale is and how it scores live in :mod:`torsion.clinical.scales`; this module only keeps
what was answered and what the engine computed from it (total, sections, derived scores, with the
scale's version and the definition's revision), so that a score stays as it was computed even if a
definition is revised later.

A saved administration can be corrected by the person who entered it, with a reason; each
correction keeps the administration as it was before (:class:`ScaleCorrection`), so nothing saved
is lost and a history chart can be explained.

Items of the TWSTRS severity section can start from the estimates Torsion measures on a head
recording (:mod:`torsion.measures.twstrs`). Each estimate used is kept as an :class:`EstimatedItem`
beside the value the clinician confirmed, so that the estimates can be compared with clinical
ratings later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from torsion.web.accounts.models import Patient
from torsion.web.recordings.models import Recording


class ScaleAdministration(models.Model):
    """One administration of one scale: the answers and the engine's score of them."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Saved"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="scale_administrations")
    scale = models.CharField(max_length=40, help_text="Id of the scale's definition, e.g. twstrs.")
    scale_version = models.CharField(max_length=200, help_text="Version of the scale the score was computed for.")
    scale_revision = models.PositiveSmallIntegerField(help_text="Revision of Torsion's definition file.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    administered_on = models.DateField()
    answers = models.JSONField(default=dict, blank=True, help_text="Item id -> answer, as validated by the engine.")
    total = models.FloatField(null=True, blank=True,
                              help_text="The engine's total (of the items answered, in a draft).")
    sections = models.JSONField(default=dict, blank=True, help_text="Section id -> score, from the engine.")
    derived = models.JSONField(default=dict, blank=True, help_text="Derived score id -> value, from the engine.")
    complete = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)
    recording = models.ForeignKey(Recording, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="scale_administrations",
                                  help_text="The head recording whose estimates started the severity items.")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-administered_on", "-pk"]
        indexes = [models.Index(fields=["patient", "scale", "status", "administered_on"])]
        verbose_name = "rating scale"

    def __str__(self) -> str:
        return f"{self.scale} {self.administered_on}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def changed_estimates(self) -> int:
        """How many items that started from a video estimate the clinician changed."""
        return sum(row.changed for row in self.estimates.all())


class EstimatedItem(models.Model):
    """An item that started from a video estimate, with the value the clinician confirmed or chose instead."""

    administration = models.ForeignKey(ScaleAdministration, on_delete=models.CASCADE, related_name="estimates")
    item = models.CharField(max_length=40)
    estimated_score = models.PositiveSmallIntegerField()
    confirmed_score = models.FloatField(null=True, blank=True,
                                        help_text="The clinician's answer; empty while unanswered.")
    changed = models.BooleanField(default=False, help_text="The clinician's answer differs from the estimate.")
    excursion = models.FloatField(null=True, blank=True, help_text="Maximal excursion measured, in the unit below.")
    unit = models.CharField(max_length=20, blank=True)
    direction = models.CharField(max_length=20, blank=True)
    details = models.JSONField(default=dict, blank=True, help_text="The estimate as the measure gave it.")

    class Meta:
        ordering = ["administration", "pk"]
        constraints = [models.UniqueConstraint(fields=["administration", "item"], name="one_estimate_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: estimate {self.estimated_score}, confirmed {self.confirmed_score}"


class ScaleCorrection(models.Model):
    """One correction of a saved administration: who, when, why, and the administration as it was before."""

    administration = models.ForeignKey(ScaleAdministration, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField(auto_now_add=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500)
    previous = models.JSONField(help_text="Date, answers, scores and note before the correction.")

    class Meta:
        ordering = ["administration", "-corrected_at", "-pk"]

    def __str__(self) -> str:
        return f"correction of {self.administration_id} on {self.corrected_at:%Y-%m-%d}"

    @property
    def previous_total(self):
        return self.previous.get("total")
