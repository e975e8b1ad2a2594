"""Reminders: a daily check-in time and the next botulinum-toxin injection.

The dashboard always says both in words. While Torsion is open in a browser that allows it, the
page's script (``static/torsion/js/app.js``) also shows them as notifications, from the settings
:func:`reminder_config` puts on the page. Nothing is sent from the server: a notification while the
app is closed (Web Push) would need a push service run by the browser's maker, which a self-hosted
Torsion without network access cannot use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse

from torsion.web.accounts.models import Patient
from torsion.web.core.dates import weekday_date
from torsion.web.records.models import DiaryEntry, ReminderSettings, ToxinInjection


def reminder_settings(patient: Patient) -> ReminderSettings:
    """The patient's reminders, or the defaults (not saved) if they never chose any."""
    found = ReminderSettings.objects.filter(patient=patient).first()
    return found or ReminderSettings(patient=patient)


@dataclass(frozen=True)
class NextInjection:
    """When the next injection is: a session recorded for a later day, or the usual interval after the last."""

    day: date
    planned: bool
    days_away: int  # negative once the day has passed
    last: date | None
    interval_weeks: int

    @property
    def sentence(self) -> str:
        when = weekday_date(self.day)
        if self.days_away == 0:
            away = "today"
        elif self.days_away > 0:
            away = f"in {self.days_away} day{'s' if self.days_away != 1 else ''}"
        else:
            away = f"{-self.days_away} day{'s' if self.days_away != -1 else ''} ago"
        if self.planned:
            return f"Your next injection is planned for {when} ({away})."
        basis = f"{self.interval_weeks} weeks after the last one"
        if self.days_away < 0:
            return f"Your next injection was due around {when} ({away}), {basis}."
        return f"Your next injection is due around {when} ({away}), {basis}."


def next_injection(patient: Patient, settings: ReminderSettings, today: date) -> NextInjection | None:
    """The next injection for ``patient``; ``None`` without any injection recorded."""
    injections = ToxinInjection.objects.filter(patient=patient)
    planned = injections.filter(date__gt=today).order_by("date").values_list("date", flat=True).first()
    last = injections.filter(date__lte=today).order_by("-date").values_list("date", flat=True).first()
    if planned is not None:
        return NextInjection(planned, True, (planned - today).days, last, settings.injection_interval_weeks)
    if last is None:
        return None
    due = last + timedelta(weeks=settings.injection_interval_weeks)
    return NextInjection(due, False, (due - today).days, last, settings.injection_interval_weeks)


@dataclass(frozen=True)
class Reminders:
    """What the dashboard says about reminders, and what the page's script needs to show them."""

    settings: ReminderSettings
    next_injection: NextInjection | None
    checked_in_today: bool
    today: date

    @property
    def check_in_sentence(self) -> str:
        if self.settings.check_in_time is None:
            return "No daily check-in reminder is set."
        done = "You have checked in today." if self.checked_in_today else "You have not checked in today yet."
        return f"Check-in reminder every day at {self.settings.check_in_time:%H:%M}. {done}"

    @property
    def injection_due_soon(self) -> bool:
        """Whether the injection reminder is on and today is within its days before (or after) the day."""
        nxt = self.next_injection
        return bool(self.settings.injection_reminder and nxt is not None
                    and nxt.days_away <= self.settings.injection_days_before)

    def config(self) -> dict:
        """The settings the page's script reads (dates as YYYY-MM-DD in the server's time zone)."""
        patient = self.settings.patient
        nxt = self.next_injection
        injection = None
        if nxt is not None and self.settings.injection_reminder:
            injection = {
                "due": nxt.day.isoformat(),
                "remindFrom": (nxt.day - timedelta(days=self.settings.injection_days_before)).isoformat(),
                "planned": nxt.planned,
            }
        return {
            "patient": patient.pk,
            "checkInTime": self.settings.check_in_time.strftime("%H:%M") if self.settings.check_in_time else None,
            "checkedInOn": self.today.isoformat() if self.checked_in_today else None,
            "checkInUrl": reverse("records:check_in", kwargs={"patient_id": patient.pk}),
            "dashboardUrl": reverse("core:patient_dashboard", kwargs={"patient_id": patient.pk}),
            "injection": injection,
        }


def reminders_of(patient: Patient, today: date) -> Reminders:
    settings = reminder_settings(patient)
    return Reminders(
        settings=settings,
        next_injection=next_injection(patient, settings, today),
        checked_in_today=DiaryEntry.objects.filter(patient=patient, date=today).exists(),
        today=today,
    )
