"""What the clinician's patient list shows of each patient, kept ready so the list stays fast.

A :class:`PatientSummary` is derived data only: it is rebuilt from the record (diary, injections,
recordings, diagnosis) whenever it is marked stale, and at most once a day otherwise (days since
the last injection change with the calendar). Nothing is ever entered into it.
"""

from __future__ import annotations

from django.db import models


class PatientSummary(models.Model):
    patient = models.OneToOneField("accounts.Patient", on_delete=models.CASCADE, related_name="clinic_summary")
    diagnosis = models.CharField(max_length=300, blank=True, help_text="Forms of dystonia, as in the current summary.")
    diagnosis_status = models.CharField(max_length=80, blank=True)
    last_injection = models.DateField(null=True, blank=True)
    last_product = models.CharField(max_length=80, blank=True)
    wears_off_early = models.BooleanField(null=True, help_text="Benefit typically wore off well before the next "
                                                                "injection in the completed cycles; None: not known.")
    wears_off_days = models.FloatField(null=True, blank=True,
                                       help_text="Median days between wearing-off and the next injection.")
    wears_off_statement = models.CharField(max_length=400, blank=True)
    measure_change = models.CharField(max_length=200, blank=True, help_text="The latest measurement beside the one before.")
    measure_date = models.DateField(null=True, blank=True)
    computed_on = models.DateField()
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "patient summaries"

    def __str__(self) -> str:
        return f"Summary of {self.patient}"
