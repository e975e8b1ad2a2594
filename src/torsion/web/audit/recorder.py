"""Noting who sees or changes a patient's record, and writing it to the audit trail.

The one permission check (:mod:`torsion.web.accounts.permissions`) calls :func:`note` each time it
lets someone other than the patient reach the patient's record or one of its objects. During a web
request the notes are collected by :class:`AuditMiddleware` and written once the response is ready
(one row per patient per request, with the most specific object reached and the response's status),
so a page that reads the same record several times makes one row. Outside a request (a script or a
command) a note is written at once.

Whether a request read or changed the record follows its HTTP method: GET and HEAD read, anything
else writes (a refused change is kept too, with its status, and shown as not saved).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

from django.db import models

from torsion.web.audit.labels import channel_of, describe

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Note:
    actor: object
    patient: object
    objects: list[models.Model] = field(default_factory=list)
    summary: str | None = None  # what was shown, when it was only a summary (a patient list)


@dataclass
class _Collector:
    notes: dict[tuple[int, int], _Note] = field(default_factory=dict)

    def add(self, actor, patient, obj) -> None:
        note = self.notes.setdefault((actor.pk, patient.pk), _Note(actor, patient))
        if obj is not None and obj not in note.objects:
            note.objects.append(obj)


_current: contextvars.ContextVar[_Collector | None] = contextvars.ContextVar("torsion_audit", default=None)


def note(user, patient, obj: models.Model | None = None) -> None:
    """Note that ``user`` reached ``patient``'s record (and ``obj`` of it); the patient's own use is not noted."""
    if patient.user_id == user.pk:
        return
    collector = _current.get()
    if collector is not None:
        collector.add(user, patient, obj)
    else:
        _write([_Note(user, patient, [obj] if obj is not None else [])], request=None, status=None)


def note_many(user, patients, what: str) -> None:
    """Note that ``user`` was shown a summary of each of ``patients`` (for example in a patient list)."""
    collector = _current.get()
    for patient in patients:
        if patient.user_id == user.pk:
            continue
        if collector is not None:
            collector.add(user, patient, None)
            collector.notes[(user.pk, patient.pk)].summary = what
        else:
            _write([_Note(user, patient)], request=None, status=None, what=what)


def note_command(patient, what: str, *, write: bool = False) -> None:
    """Note that the site's operator used ``patient``'s record from the command line (an export, a report)."""
    from torsion.web.audit.models import AccessEvent

    AccessEvent.objects.create(
        patient=patient, actor_id=None, actor_name="The site's operator, on the command line",
        action=AccessEvent.Action.WRITE if write else AccessEvent.Action.READ, channel=AccessEvent.Channel.COMMAND,
        what=what[:200])


def actor_name(user) -> str:
    """A person as the audit trail keeps them: name, role and, for a clinician, their institution."""
    name = user.shown_name
    clinician = getattr(user, "clinician", None)
    if clinician is not None:
        return f"{name}, clinician{', ' + clinician.institution if clinician.institution else ''}"[:200]
    return f"{name}, {user.get_role_display().lower()}"[:200]


def _write(notes: list[_Note], *, request, status: int | None, what: str | None = None) -> None:
    from torsion.web.audit.models import AccessEvent

    method = request.method if request is not None else ""
    match = getattr(request, "resolver_match", None)
    route = (match.view_name if match is not None else "")[:100]
    path = request.path[:300] if request is not None else ""
    events = []
    for item in notes:
        obj = item.objects[-1] if item.objects else None
        events.append(AccessEvent(
            patient=item.patient,
            actor_id=item.actor.pk,
            actor_name=actor_name(item.actor),
            action=AccessEvent.Action.READ if (request is None or method in _SAFE_METHODS) else AccessEvent.Action.WRITE,
            channel=channel_of(request, route),
            route=route,
            path=path,
            method=method,
            what=(item.summary or what or describe(route, obj, path, request))[:200],
            object_type=type(obj).__name__ if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            status=status,
        ))
    AccessEvent.objects.bulk_create(events)


class AuditMiddleware:
    """Collects the notes of one request and writes them to the audit trail with the response's status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        collector = _Collector()
        token = _current.set(collector)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if collector.notes:
            _write(list(collector.notes.values()), request=request, status=response.status_code)
        return response
