from django.db import models


class Organisation(models.Model):
    """A support or research organisation listed on the public "Finding support" page.

    Kept in the database (not in the page text) so that an administrator can add, correct or retire
    entries in the admin without a new release. The first list is loaded from
    ``learn/content/organisations.yaml`` by a data migration.
    """

    name = models.CharField(max_length=120, unique=True)
    url = models.URLField("web address")
    region = models.CharField(max_length=80, help_text="Where it works, e.g. 'United States' or 'Europe'.")
    description = models.TextField(max_length=600)
    focus = models.CharField(max_length=20, choices=[("support", "Support"), ("research", "Research"),
                                                      ("both", "Support and research")], default="both")
    listed = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)
    reviewed = models.DateField(help_text="When this entry was last checked.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class DiagnosisSummary(models.Model):
    """A classification of the patient's dystonia saved from the classification assistant.

    The newest summary is the patient's current diagnosis summary. A clinician with access can
    confirm it, or correct it, which saves a new summary that replaces it (the old one is kept).
    """

    class Status(models.TextChoices):
        SELF_REPORTED = "self_reported", "Entered by the patient"
        CONFIRMED = "confirmed", "Confirmed by a clinician"
        CLINICIAN = "clinician", "Entered or corrected by a clinician"

    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="diagnoses")
    facts = models.JSONField(help_text="The assistant's input, as accepted by torsion.clinical.classification.")
    result = models.JSONField(help_text="The classification computed from the facts when saved.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SELF_REPORTED)
    saved_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by")
    clinician_note = models.TextField(blank=True, max_length=2000)
    examination_findings = models.TextField(blank=True, max_length=4000,
                                            help_text="A clinician's findings on examining the patient.")

    class Meta:
        ordering = ["-saved_at", "-pk"]
        verbose_name_plural = "diagnosis summaries"

    def __str__(self) -> str:
        return ", ".join(self.result.get("forms", [])) or "Dystonia"
