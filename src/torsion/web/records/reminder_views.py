"""The page where the patient chooses their reminders."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from torsion.web.accounts.permissions import Access, patient_view
from torsion.web.records.forms import ReminderForm
from torsion.web.records.reminders import reminder_settings, reminders_of
from torsion.web.records.services import today


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def reminders(request, patient_id: int):
    settings = reminder_settings(request.patient)
    form = ReminderForm(request.POST if request.method == "POST" else None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your reminders are saved.")
        return redirect("records:reminders", patient_id=patient_id)
    return render(request, "records/reminders.html", {
        "title": "Reminders",
        "record_section": "diary",
        "form": form,
        "reminders": reminders_of(request.patient, today()),
    })
