"""People and the access between them.

A :class:`User` has one role. A patient's health data hangs off their :class:`Patient` record; a
clinician sees it only while the patient has an active :class:`CareGrant` for them. Administrators
manage accounts and reference data; the role alone gives them no access to anyone's health data.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    PATIENT = "patient", "Person living with dystonia"
    CLINICIAN = "clinician", "Clinician"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    display_name = models.CharField(
        "name to show", max_length=80, blank=True, help_text="How Torsion greets you. Optional."
    )

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def shown_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Patient(models.Model):
    """The person whose records these are. Every patient-owned model has a foreign key to this."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient")
    date_of_birth = models.DateField(null=True, blank=True)
    diary_regions = models.JSONField(
        default=list, blank=True, help_text="Body regions scored in the daily check-in, in display order."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.shown_name

    def active_clinicians(self):
        return Clinician.objects.filter(grants__in=CareGrant.objects.active().filter(patient=self))


class Clinician(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="clinician")
    institution = models.CharField(max_length=120, blank=True)
    specialty = models.CharField(max_length=120, blank=True, default="Movement disorders neurology")
    verified = models.BooleanField(
        default=False, help_text="Set by an administrator once the clinician's identity has been checked."
    )

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.shown_name


class CareGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CareGrant(models.Model):
    """A patient's permission for one clinician to see (and, if allowed, annotate) their records."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="grants")
    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="grants")
    can_edit = models.BooleanField(
        default=False, help_text="Allow the clinician to add and correct entries, not only read them."
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CareGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} -> {self.clinician}"

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class ApiToken(models.Model):
    """A personal key for programs (the command line, scripts) to use the JSON API as this person.

    Only a hash of the key is stored; the key itself is shown once, when it is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, help_text="What the key is for, e.g. 'laptop script'.")
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A patient's one-time offer of access to a clinician, redeemed with a code the patient passes on.

    Only a hash of the code is kept; the code is shown to the patient once, when it is made. The
    invitation is used up by the first clinician who accepts it, and is void after ``expires_at``
    or once the patient cancels it.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    can_edit = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(Clinician, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    grant = models.ForeignKey(CareGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation from {self.patient} ({self.state})"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
