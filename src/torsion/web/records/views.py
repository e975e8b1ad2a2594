from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from torsion.clinical.checkins import period_of_time
from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.core.dates import weekday_date
from torsion.web.records.forms import DiaryDayForm, DiaryEntryForm, RegionsForm
from torsion.web.records.models import DiaryEntry
from torsion.web.records.services import add_check_in, diary_day_of, diary_days, today


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date.") from None


@patient_view(Access.VIEW)
def diary(request, patient_id: int):
    """The diary, one row per day (newest first) with each of its check-ins."""
    dates = (DiaryEntry.objects.filter(patient=request.patient).order_by("-date").values_list("date", flat=True)
             .distinct())
    page = Paginator(dates, 31).get_page(request.GET.get("page"))
    days = diary_days(DiaryEntry.objects.filter(patient=request.patient, date__in=list(page.object_list)))
    day_form = DiaryDayForm(request.GET or None, today=today())
    if request.GET.get("date") and day_form.is_valid():
        return redirect("records:diary_day", patient_id=patient_id, day=day_form.cleaned_data["date"].isoformat())
    return render(request, "records/diary.html", {"title": "Diary", "record_section": "diary", "page": page,
                                                  "days": days, "day_form": day_form, "today": today()})


def _regions_first(request, patient_id: int):
    return redirect(f"{reverse('records:diary_regions', kwargs={'patient_id': patient_id})}?next=" + request.path)


def _new_check_in(request, patient_id: int, when: date):
    """The page of a new check-in for ``when``, with the check-ins that day already has."""
    patient = request.patient
    if not patient.diary_regions:
        return _regions_first(request, patient_id)
    day = diary_day_of(patient, when)
    form = DiaryEntryForm(request.POST if request.method == "POST" else None, regions=patient.diary_regions,
                          period=period_of_time(timezone.localtime().time()) if when == today() else None)
    if request.method == "POST" and form.is_valid():
        entry, stored = add_check_in(form.apply_to(DiaryEntry(patient=patient, date=when)))
        if stored:
            messages.success(request, _saved_message(entry, diary_day_of(patient, when)))
        else:
            messages.info(request, f"This check-in was already saved ({entry.when_label.lower()}, "
                                   f"{weekday_date(entry.date)}); it is kept once.")
        return redirect("core:patient_dashboard", patient_id=patient_id)
    is_today = when == today()
    return render(request, "records/diary_day.html", {
        "title": "Today's check-in" if is_today else f"Check-in for {weekday_date(when)}",
        "form": form,
        "diary_day": day,
        "day": when,
        "is_today": is_today,
        "action": request.path,
        "api_url": f"/api/patients/{patient_id}/diary",
    })


def _saved_message(entry: DiaryEntry, day) -> str:
    said = f"Saved your {entry.when_label.lower()} check-in for {weekday_date(entry.date)}."
    count = len(day.checkins)
    if count < 2:
        return said
    mean = day.mean_severity
    return (f"{said} That day now has {count} check-ins; its summary is their mean"
            f"{f' (severity {mean:.1f} of 10)' if mean is not None else ''}.")


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def check_in(request, patient_id: int):
    """Today's check-in, at an address that stays the same from day to day (the app opens it, offline too)."""
    return _new_check_in(request, patient_id, today())


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def diary_day(request, patient_id: int, day: str):
    """Add a check-in to one day; the day's earlier check-ins are listed, each with a link to correct it."""
    when = _parse_day(day)
    if when > today():
        messages.error(request, "That day has not happened yet; here is today instead.")
        return redirect("records:diary_day", patient_id=patient_id, day=today().isoformat())
    return _new_check_in(request, patient_id, when)


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def checkin_edit(request, patient_id: int, day: str, entry_id: int):
    """Correct one check-in. Saving keeps the earlier version."""
    patient = request.patient
    entry = get_patient_object(request.user, DiaryEntry, entry_id, Access.OWNER, patient=patient)
    if entry.date != _parse_day(day):
        raise Http404("Not a check-in of that day.")
    form = DiaryEntryForm(request.POST if request.method == "POST" else None, regions=patient.diary_regions,
                          entry=entry)
    if request.method == "POST" and form.is_valid():
        form.apply_to(entry).save_revised(by=request.user)
        messages.success(request, f"Corrected your {entry.when_label.lower()} check-in for {weekday_date(entry.date)}; "
                                  "the earlier version is kept.")
        return redirect("records:diary_day", patient_id=patient_id, day=entry.date.isoformat())
    return render(request, "records/checkin_edit.html", {
        "title": f"Correct a check-in of {weekday_date(entry.date)}",
        "record_section": "diary",
        "form": form,
        "entry": entry,
        "revisions": entry.revisions.all()[:20],
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
    return render(request, "records/regions.html", {"title": "Body parts to score", "record_section": "diary",
                                                    "form": form})
