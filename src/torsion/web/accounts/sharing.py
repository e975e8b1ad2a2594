"""Sharing a record: a patient invites a clinician with a one-time code, and can stop sharing at once.

The code is ten characters of Crockford's base 32 (no I, L, O or U, so nothing reads two ways),
shown as ``ABCDE-FGHJK``. Only its SHA-256 hash is stored. Typing is forgiving: case, spaces and
dashes are ignored, and O, I and L are read as 0, 1 and 1. A code works once, until it expires
(7 days unless the patient chooses otherwise) or the patient cancels it.

Access ends the moment a grant is revoked: :mod:`torsion.web.accounts.permissions` reads the grant
on every request, for pages and API keys alike.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from torsion.web.accounts.models import CareGrant, Clinician, Invitation, Patient
from torsion.web.core.dates import short_datetime

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
EXPIRY_CHOICES = (1, 7, 14)  # days
DEFAULT_EXPIRY_DAYS = 7
MAX_FAILURES = 10  # wrong codes a clinician may type ...
FAILURE_WINDOW = 15 * 60  # ... in this many seconds before being asked to wait


class InvitationError(ValueError):
    """A code that cannot be accepted, with a message for the person who typed it."""


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    code: str  # shown once, as five characters, a dash, five characters


def normalise(code: str) -> str:
    """The code as stored: upper case, without spaces or dashes, O read as 0 and I or L as 1."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def invite(patient: Patient, *, can_edit: bool, days: int = DEFAULT_EXPIRY_DAYS) -> NewInvitation:
    if days not in EXPIRY_CHOICES:
        raise ValueError(f"An invitation lasts {', '.join(map(str, EXPIRY_CHOICES))} days, not {days}.")
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    invitation = Invitation.objects.create(patient=patient, code_hash=_hash(code), can_edit=can_edit,
                                           created_at=now, expires_at=now + timedelta(days=days))
    return NewInvitation(invitation, display(code))


def _failures_key(clinician: Clinician) -> str:
    return f"torsion:invitation-failures:{clinician.pk}"


def accept(clinician: Clinician, code: str) -> CareGrant:
    """Redeem ``code`` for ``clinician``: the patient's record is shared with them from now on.

    Raises :class:`InvitationError` with a message for the clinician when the code is malformed,
    unknown, expired, cancelled or already used, or after too many wrong codes in a short time.
    """
    failures = cache.get(_failures_key(clinician), 0)
    if failures >= MAX_FAILURES:
        raise InvitationError("Too many codes that did not match. Wait a quarter of an hour, then try again.")
    cleaned = normalise(code)
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        _fail(clinician)
        raise InvitationError("An invitation code has ten letters and digits, like ABCDE-12345. "
                              "Check it against the one the patient gave you.")
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update().select_related("patient__user")
                      .filter(code_hash=_hash(cleaned)).first())
        if invitation is None:
            _fail(clinician)
            raise InvitationError("No invitation has this code. Check each character, or ask the patient for a new one.")
        if invitation.accepted_at is not None:
            raise InvitationError("This code has already been used. Codes work once; ask the patient for a new one.")
        if invitation.cancelled_at is not None:
            raise InvitationError("The patient cancelled this invitation. Ask them for a new one if they wish to share.")
        if invitation.expires_at <= timezone.now():
            raise InvitationError(f"This code expired on {short_datetime(timezone.localtime(invitation.expires_at))}. "
                                  "Ask the patient for a new one.")
        now = timezone.now()
        CareGrant.objects.active().filter(patient=invitation.patient, clinician=clinician).update(revoked_at=now)
        grant = CareGrant.objects.create(patient=invitation.patient, clinician=clinician,
                                         can_edit=invitation.can_edit, granted_at=now)
        invitation.accepted_at = now
        invitation.accepted_by = clinician
        invitation.grant = grant
        invitation.save(update_fields=["accepted_at", "accepted_by", "grant"])
    cache.delete(_failures_key(clinician))
    return grant


def _fail(clinician: Clinician) -> None:
    key = _failures_key(clinician)
    if not cache.add(key, 1, FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, FAILURE_WINDOW)


def cancel(invitation: Invitation) -> None:
    """Void a pending invitation; an accepted one is ended by stopping the grant instead."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True) \
        .update(cancelled_at=timezone.now())


def stop_sharing(grant: CareGrant) -> None:
    """End a clinician's access now. The audit trail of what they saw stays with the patient."""
    if grant.revoked_at is None:
        grant.revoke()

