"""The audit trail as people read it: the patient's "who has seen my record" and a clinician's own activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from torsion.web.accounts.models import Patient
from torsion.web.accounts.permissions import Access, patient_view
from torsion.web.audit.models import AccessEvent

PAGE_SIZE = 50


def _filtered_page(request, events, key: str, field: str) -> tuple[object, int | None, str]:
    """The page of ``events`` asked for, narrowed to ``?<key>=<id>`` on ``field`` when given."""
    chosen = _int_or_none(request.GET.get(key))
    if chosen is not None:
        events = events.filter(**{field: chosen})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.rows = collapse(page.object_list)
    return page, chosen, urlencode({key: chosen}) + "&" if chosen is not None else ""


@dataclass(frozen=True)
class Row:
    """Events in a row that differ only in time (a list sorted again and again, say), shown once."""

    event: AccessEvent  # the newest of them
    count: int
    first_at: datetime
    key: tuple

    def __getattr__(self, name):  # the template reads the newest event's fields from the row
        return getattr(self.event, name)


def collapse(events) -> list[Row]:
    """Consecutive events (newest first) with the same person, patient, action, channel and
    description become one row with their count; the trail itself keeps every event."""
    rows: list[Row] = []
    for event in events:
        key = (event.actor_id, event.actor_name, event.patient_id, event.action, event.channel, event.what,
               event.succeeded)
        if rows and rows[-1].key == key:
            rows[-1] = Row(rows[-1].event, rows[-1].count + 1, event.at, key)
        else:
            rows.append(Row(event, 1, event.at, key))
    return rows


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@patient_view(Access.OWNER)
@require_safe
def access_log(request, patient_id: int):
    """Every time someone other than the patient saw or changed the record, newest first."""
    events = AccessEvent.objects.filter(patient=request.patient)
    people = list(events.order_by().values_list("actor_id", "actor_name").distinct())
    people = sorted({actor_id: name for actor_id, name in people}.items(), key=lambda item: item[1].lower())
    page, person, pager_query = _filtered_page(request, events, "person", "actor_id")
    return render(request, "audit/access_log.html", {
        "title": "Who has seen your record", "page": page, "people": people, "person": person,
        "pager_query": pager_query,
    })


@login_required
@require_safe
def activity(request):
    """A clinician's own trail: every patient record they opened or changed, newest first."""
    if not hasattr(request.user, "clinician"):
        raise Http404("This page is for clinicians.")
    events = AccessEvent.objects.filter(actor_id=request.user.pk).select_related("patient__user")
    patient_ids = events.order_by().values_list("patient_id", flat=True).distinct()
    patients = sorted(Patient.objects.filter(pk__in=patient_ids).select_related("user"), key=lambda p: str(p).lower())
    page, chosen, pager_query = _filtered_page(request, events, "patient", "patient_id")
    return render(request, "audit/activity.html", {
        "title": "My access to patient records", "page": page, "patients": patients, "chosen": chosen,
        "pager_query": pager_query,
    })
