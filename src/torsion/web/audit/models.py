"""The audit trail of a patient's record: one row per request in which someone else saw or changed it.

Rows are only ever added. The model refuses to save a changed row or to delete one, its query set
refuses ``update()`` and ``delete()``, and the database itself refuses an ``UPDATE`` of the table (a
trigger, see the migrations). Rows go only when the patient's own account is deleted, with the rest
of their record. The person who acted is kept as a name written at the time (``actor_name``) and an
id without a foreign-key constraint, so deleting a clinician's account later changes nothing here.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit row."""


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: rows are deleted only with the patient's account.")

    def for_patient(self, patient):
        return self.filter(patient=patient)


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", "Viewed"
        WRITE = "write", "Changed"

    class Channel(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"
        FILE = "file", "Recording file"
        EXPORT = "export", "Export"
        COMMAND = "command", "Command line"

    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="access_events")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+", help_text="Who acted (kept as a number even if the account goes).")
    actor_name = models.CharField(max_length=200, help_text="Who acted, as their name read at the time.")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=8, choices=Action.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    route = models.CharField(max_length=100, blank=True, help_text="The page's or API route's name.")
    path = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=8, blank=True)
    what = models.CharField(max_length=200, help_text="What was seen or changed, as people read it.")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status of the response.")

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display().lower()} {self.what} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit trail is append-only: rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: rows are deleted only with the patient's account.")

    @property
    def succeeded(self) -> bool:
        return self.status is None or self.status < 400
