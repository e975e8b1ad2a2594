"""The one permission check for patient data.

Every page and API route that touches a patient's records resolves the patient (or the object) via
the functions here, which all end in :func:`can_access`:

- the patient themself may view and edit everything of theirs;
- a clinician may view while the patient's :class:`~torsion.web.accounts.models.CareGrant` for them
  is active, and record (``Access.EDIT``: injections and other treatments, diagnosis summaries,
  clinician-rated scales, recordings) only if that grant allows it;
- what only the patient may do (``Access.OWNER``: their own diary, whom they share with, their audit
  trail, export) is refused to everyone else, clinicians included;
- nobody else, administrators included, sees anything.

A refusal is always "not found" (HTTP 404), so nobody can learn whether another person's record
exists by probing addresses.

Every access granted here to anyone but the patient is noted in the audit trail
(:mod:`torsion.web.audit.recorder`), so no page, API route or file can show a patient's data to
someone else without it being recorded.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseNotAllowed

from torsion.web.accounts.models import CareGrant, Patient, Role
from torsion.web.audit import recorder


class Access(enum.Enum):
    VIEW = "view"  # the patient, or a clinician with an active grant
    EDIT = "edit"  # the patient, or a clinician whose grant allows recording
    OWNER = "owner"  # the patient only


def can_access(user, patient: Patient, access: Access = Access.VIEW) -> bool:
    """Whether ``user`` may ``access`` the records of ``patient``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if patient.user_id == user.pk:
        return True
    if access is Access.OWNER or user.role != Role.CLINICIAN or not hasattr(user, "clinician"):
        return False
    grants = CareGrant.objects.active().filter(patient=patient, clinician=user.clinician)
    if access is Access.EDIT:
        grants = grants.filter(can_edit=True)
    return grants.exists()


def get_patient(user, patient_id: int, access: Access = Access.VIEW) -> Patient:
    """The patient with ``patient_id`` if ``user`` may ``access`` them; otherwise :class:`Http404`."""
    patient = Patient.objects.select_related("user").filter(pk=patient_id).first()
    if patient is None or not can_access(user, patient, access):
        raise Http404("No such patient.")
    recorder.note(user, patient)
    return patient


M = TypeVar("M", bound=models.Model)


def get_patient_object(user, queryset: type[M] | models.QuerySet, pk, access: Access = Access.VIEW, *,
                       patient: Patient | None = None) -> M:
    """A patient-owned object by primary key, checked through its ``patient`` foreign key.

    If ``patient`` is given, the object must also belong to that patient (so that an address such as
    ``/patients/1/diary/7/`` cannot reach patient 2's entry 7).
    """
    qs = queryset.objects.all() if isinstance(queryset, type) else queryset
    obj = qs.select_related("patient").filter(pk=pk).first()
    if obj is None or (patient is not None and obj.patient_id != patient.pk):
        raise Http404("Not found.")
    if not can_access(user, obj.patient, access):
        raise Http404("Not found.")
    recorder.note(user, obj.patient, obj)
    return obj


def patient_view(access: Access = Access.VIEW) -> Callable:
    """Decorate a view that takes ``patient_id``: checks access and sets ``request.patient``.

    Anonymous visitors are sent to the log-in page. A view that only shows (``Access.VIEW``) answers
    nothing but GET and HEAD, so a page that reads can never be made to write. The decorated view is
    marked with ``patient_access`` so tests can prove every patient URL is guarded.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, patient_id: int, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.patient = get_patient(request.user, patient_id, access)
            if access is Access.VIEW and request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            request.can_edit = can_access(request.user, request.patient, Access.EDIT)
            request.is_owner = request.patient.user_id == request.user.pk
            return view(request, *args, patient_id=patient_id, **kwargs)

        wrapper.patient_access = access
        return wrapper

    return decorator
