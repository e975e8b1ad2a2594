"""Reminders as notifications while Torsion is open: the check-in at the chosen time, and the next injection."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests import factories
from tests.browser.conftest import PHONE
from torsion.web.records.models import DiaryEntry, ReminderSettings, ToxinInjection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOTIFICATIONS = """() => navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => ({title: n.title, body: n.body, url: n.data && n.data.url})))"""


@pytest.fixture
def patient(db):
    return factories.make_patient("pat", regions=("neck",))


def _titles(page) -> list[str]:
    return sorted(n["title"] for n in page.evaluate(NOTIFICATIONS))


def _wait_for_notifications(page, attempts: int = 100) -> list[dict]:
    for _ in range(attempts):
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            return shown
        page.wait_for_timeout(100)
    raise AssertionError("No notification was shown.")


def test_check_in_reminder_at_the_chosen_time_while_the_app_is_open(context_factory, patient, today):
    ReminderSettings.objects.create(patient=patient, check_in_time=time(20, 0), injection_reminder=False)
    context = context_factory(patient.user, viewport=PHONE, permissions=["notifications"])
    page = context.new_page()
    page.clock.install(time=f"{today.isoformat()}T19:58:00")
    page.goto(f"/patients/{patient.pk}/")
    assert page.get_by_text("Check-in reminder every day at 20:00. You have not checked in today yet.").is_visible()
    page.evaluate("navigator.serviceWorker.ready")
    assert _titles(page) == []  # not yet
    page.clock.run_for("03:00")
    assert _wait_for_notifications(page) == [{"title": "Time for your check-in",
                      "body": "How are you now? A check-in takes under half a minute.",
                      "url": f"/patients/{patient.pk}/check-in/"}]
    # Once a day: opening another page does not remind again.
    page.goto(f"/patients/{patient.pk}/diary/")
    page.evaluate("navigator.serviceWorker.ready")
    assert len(page.evaluate(NOTIFICATIONS)) == 1


def test_no_check_in_reminder_after_checking_in_and_injection_reminder_when_due(context_factory, patient, today):
    ReminderSettings.objects.create(patient=patient, check_in_time=time(0, 0), injection_days_before=7)
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 4})
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=80), product="onabotulinumtoxinA")
    context = context_factory(patient.user, viewport=PHONE, permissions=["notifications"])
    page = context.new_page()
    page.clock.install(time=f"{today.isoformat()}T12:00:00")
    page.goto(f"/patients/{patient.pk}/")
    due = today + timedelta(days=4)
    assert _wait_for_notifications(page) == [{
        "title": "Your next botulinum-toxin injection",
        "body": f"Your next injection is due around {due:%A} {due.day} {due:%B} (in 4 days).",
        "url": f"/patients/{patient.pk}/",
    }]


def test_reminders_page_asks_for_notifications_only_on_request(context_factory, patient):
    page = context_factory(patient.user, viewport=PHONE).new_page()
    page.goto(f"/patients/{patient.pk}/reminders/")
    state = page.locator("[data-notify-state]")
    assert state.inner_text() in ("Notifications are not allowed yet in this browser.",
                                  "Notifications are blocked for Torsion in this browser's settings; the line on "
                                  "your dashboard is your reminder.")
    allowed = context_factory(patient.user, viewport=PHONE, permissions=["notifications"]).new_page()
    allowed.goto(f"/patients/{patient.pk}/reminders/")
    assert allowed.locator("[data-notify-state]").inner_text() == (
        "Notifications are allowed in this browser. They appear while Torsion is open here.")
    assert not allowed.get_by_role("button", name="Allow notifications").is_visible()
