from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from torsion.web.accounts.permissions import Access, patient_view
from torsion.web.core.dates import weekday_date
from torsion.web.records.forms import DiaryDayForm, DiaryEntryForm, RegionsForm
from torsion.web.records.models import DiaryEntry
from torsion.web.records.services import today


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date.") from None


@patient_view(Access.VIEW)
def diary(request, patient_id: int):
    entries = DiaryEntry.objects.filter(patient=request.patient).order_by("-date")
    page = Paginator(entries, 31).get_page(request.GET.get("page"))
    day_form = DiaryDayForm(request.GET or None, today=today())
    if request.GET.get("date") and day_form.is_valid():
        return redirect("records:diary_day", patient_id=patient_id, day=day_form.cleaned_data["date"].isoformat())
    return render(request, "records/diary.html", {"title": "Diary", "record_section": "diary", "page": page,
                                                  "day_form": day_form, "today": today()})


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def diary_day(request, patient_id: int, day: str):
    """Fill in or correct one day's check-in. Saving an existing day keeps the earlier version."""
    patient = request.patient
    when = _parse_day(day)
    if when > today():
        messages.error(request, "That day has not happened yet; here is today instead.")
        return redirect("records:diary_day", patient_id=patient_id, day=today().isoformat())
    if not patient.diary_regions:
        return redirect(f"{reverse('records:diary_regions', kwargs={'patient_id': patient_id})}?next=" + request.path)
    entry = DiaryEntry.objects.filter(patient=patient, date=when).first()
    form = DiaryEntryForm(request.POST if request.method == "POST" else None, regions=patient.diary_regions, entry=entry)
    if request.method == "POST" and form.is_valid():
        record = form.apply_to(entry or DiaryEntry(patient=patient, date=when))
        record.save_revised(by=request.user)
        messages.success(request, f"Saved your check-in for {weekday_date(when)}.")
        return redirect("core:patient_dashboard", patient_id=patient_id)
    return render(request, "records/diary_day.html", {
        "title": f"Check-in for {weekday_date(when)}",
        "form": form,
        "entry": entry,
        "day": when,
        "is_today": when == today(),
        "revisions": entry.revisions.all()[:20] if entry else [],
    })


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def diary_regions(request, patient_id: int):
    patient = request.patient
    form = RegionsForm(request.POST if request.method == "POST" else None, initial={"regions": patient.diary_regions})
    if request.method == "POST" and form.is_valid():
        patient.diary_regions = form.cleaned_data["regions"]
        patient.save(update_fields=["diary_regions"])
        messages.success(request, "Your check-in now scores the body parts you chose.")
        target = request.GET.get("next", "")
        if target.startswith(f"/patients/{patient_id}/"):
            return redirect(target)
        return redirect("records:diary", patient_id=patient_id)
    return render(request, "records/regions.html", {"title": "Body parts to score", "form": form})
