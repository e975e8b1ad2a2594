"""Reminders: the chosen check-in time and the next injection, on the dashboard and for the page's script."""

from __future__ import annotations

import json
import re
from datetime import date, time, timedelta

import pytest

from tests.web.conftest import logged_in
from torsion.web.core.dates import weekday_date
from torsion.web.records.models import DiaryEntry, ReminderSettings, ToxinInjection
from torsion.web.records.reminders import next_injection, reminder_settings, reminders_of

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)  # a Monday


def _inject(patient, day):
    return ToxinInjection.objects.create(patient=patient, date=day, product="onabotulinumtoxinA")


@pytest.mark.parametrize("injected_days_ago, planned_in, weeks, expected", [
    (None, None, 12, None),                                                   # nothing recorded
    (20, None, 12, ("2025-05-13", False, 64)),                                # 12 weeks after the last
    (20, None, 10, ("2025-04-29", False, 50)),                                # the person's own interval
    (100, None, 12, ("2025-02-22", False, -16)),                               # overdue
    (20, 30, 12, ("2025-04-09", True, 30)),                                   # a planned session wins
    (None, 5, 12, ("2025-03-15", True, 5)),                                   # planned, none before
])
def test_next_injection(patient, injected_days_ago, planned_in, weeks, expected):
    if injected_days_ago is not None:
        _inject(patient, DAY - timedelta(days=injected_days_ago))
    if planned_in is not None:
        _inject(patient, DAY + timedelta(days=planned_in))
    settings = ReminderSettings(patient=patient, injection_interval_weeks=weeks)
    found = next_injection(patient, settings, DAY)
    if expected is None:
        assert found is None
    else:
        assert (found.day.isoformat(), found.planned, found.days_away) == expected


@pytest.mark.parametrize("planned, days_away, sentence", [
    (False, 64, "Your next injection is due around Tue 13 May 2025 (in 64 days), 12 weeks after the last one."),
    (False, 1, "Your next injection is due around Tue 11 Mar 2025 (in 1 day), 12 weeks after the last one."),
    (False, 0, "Your next injection is due around Mon 10 Mar 2025 (today), 12 weeks after the last one."),
    (False, -7, "Your next injection was due around Mon 3 Mar 2025 (7 days ago), 12 weeks after the last one."),
    (True, 30, "Your next injection is planned for Wed 9 Apr 2025 (in 30 days)."),
])
def test_next_injection_sentence(planned, days_away, sentence):
    from torsion.web.records.reminders import NextInjection

    assert NextInjection(DAY + timedelta(days=days_away), planned, days_away, None, 12).sentence == sentence


def test_reminders_page_saves_the_choices(patient_client, patient):
    url = f"/patients/{patient.pk}/reminders/"
    page = patient_client.get(url).content.decode()
    assert "No daily check-in reminder is set." in page and "Allow notifications" in page
    response = patient_client.post(url, {"check_in_time": "20:30", "injection_reminder": "yes",
                                         "injection_interval_weeks": 14, "injection_days_before": 5})
    assert response.status_code == 302
    saved = reminder_settings(patient)
    assert (saved.check_in_time, saved.injection_reminder, saved.injection_interval_weeks,
            saved.injection_days_before) == (time(20, 30), True, 14, 5)
    bad = patient_client.post(url, {"check_in_time": "25:00", "injection_interval_weeks": 2,
                                    "injection_days_before": 5})
    assert bad.status_code == 200 and "Enter a valid time." in bad.content.decode()
    assert "greater than or equal to 4" in bad.content.decode()
    patient_client.post(url, {"check_in_time": "", "injection_reminder": "no", "injection_interval_weeks": 12,
                              "injection_days_before": 3})
    saved = reminder_settings(patient)
    assert saved.check_in_time is None and saved.injection_reminder is False
    assert 'value="no" class="choice-buttons" id="id_injection_reminder_1" checked' in patient_client.get(url).content.decode()


def test_reminders_are_the_patients_own(patient, clinician):
    client = logged_in(clinician.user)
    assert client.get(f"/patients/{patient.pk}/reminders/").status_code == 404
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "torsion-reminders" not in page


def _config(page: str) -> dict:
    found = re.search(r'<script id="torsion-reminders" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_dashboard_line_and_the_settings_the_page_script_reads(patient_client, patient, today):
    ReminderSettings.objects.create(patient=patient, check_in_time=time(21, 0), injection_days_before=7)
    _inject(patient, today - timedelta(days=80))
    page = patient_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Check-in reminder every day at 21:00. You have not checked in today yet." in page
    due = today + timedelta(days=4)
    assert f"Your next injection is due around {weekday_date(due)} (in 4 days)" in page
    assert 'class="reminder-line due"' in page  # within the 7 days before
    config = _config(page)
    assert config == {
        "patient": patient.pk, "checkInTime": "21:00", "checkedInOn": None,
        "checkInUrl": f"/patients/{patient.pk}/check-in/", "dashboardUrl": f"/patients/{patient.pk}/",
        "injection": {"due": due.isoformat(), "remindFrom": (due - timedelta(days=7)).isoformat(), "planned": False},
    }
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 3})
    page = patient_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "You have checked in today." in page and _config(page)["checkedInOn"] == today.isoformat()


def test_no_injection_reminder_when_turned_off(patient, today):
    ReminderSettings.objects.create(patient=patient, injection_reminder=False)
    _inject(patient, today - timedelta(days=80))
    reminders = reminders_of(patient, today)
    assert reminders.config()["injection"] is None and not reminders.injection_due_soon
    assert reminders.check_in_sentence == "No daily check-in reminder is set."
