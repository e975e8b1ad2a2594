"""The installed app offline: the check-in page opens without a connection, a check-in made offline is
kept on the phone, and it reaches the diary exactly once when the connection is back."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import PHONE
from torsion.web.records.models import DiaryEntry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def patient(db):
    return factories.make_patient("pat", regions=("neck", "upper_face"))


def _choose(page, group: str, option: str) -> None:
    page.get_by_role("group", name=group).get_by_role("radio", name=option, exact=True).check()


def test_check_in_offline_is_stored_exactly_once_when_back_online(context_factory, patient, today, artifacts):
    context = context_factory(patient.user, viewport=PHONE)
    page = context.new_page()
    page.goto(f"/patients/{patient.pk}/check-in/")
    # The service worker has kept a copy of the check-in page on the device.
    page.wait_for_selector("html[data-offline-ready=true]", state="attached")

    context.set_offline(True)
    page.goto("/check-in/")  # the installed app's start address, opened with no connection
    assert page.get_by_role("heading", name="Today's check-in").is_visible()
    assert page.evaluate("navigator.onLine") is False
    _choose(page, "When is this check-in about?", "Evening")
    _choose(page, "Neck: how severe?", "6")
    _choose(page, "Eyelids and brow: how severe?", "2")
    _choose(page, "Pain", "3")
    page.get_by_label("Note").fill("written on the train")
    page.get_by_role("button", name="Save check-in").click()
    status = page.locator("#offline-checkins")
    status.get_by_text("No connection: your check-in is kept on this device", exact=False).wait_for()
    text = status.inner_text()
    assert "1 check-in is kept on this device and not sent yet" in text
    assert f"evening check-in, {today:%A} {today.day} {today:%B}" in text
    page.screenshot(path=str(artifacts / "offline-checkin-kept-phone.png"), full_page=True)
    assert not DiaryEntry.objects.exists()
    kept = page.evaluate("Torsion.queue.all()")
    assert len(kept) == 1 and kept[0]["body"]["period"] == "evening"

    context.set_offline(False)
    status.get_by_text("Sent and saved in your diary", exact=False).wait_for()
    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.date, entry.period, entry.severity, entry.pain, entry.note) == (
        today, "evening", {"neck": 6, "upper_face": 2}, 3, "written on the train")
    assert str(entry.client_key) == kept[0]["key"]
    assert page.evaluate("Torsion.queue.all()") == []

    # The answer to the first sending could have been lost: the same check-in sent again is not stored twice.
    result = page.evaluate("(item) => Torsion.queue.add(item).then(() => Torsion.sync())", kept[0])
    assert [item["key"] for item in result["sent"]] == [kept[0]["key"]] and result["pending"] == []
    page.reload()
    page.wait_for_load_state("networkidle")
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    page.goto(f"/patients/{patient.pk}/diary/")
    assert page.get_by_text("Evening:", exact=False).count() == 1


def test_offline_pages_other_than_the_check_in_say_so(context_factory, patient):
    context = context_factory(patient.user, viewport=PHONE)
    page = context.new_page()
    page.goto(f"/patients/{patient.pk}/check-in/")
    page.wait_for_selector("html[data-offline-ready=true]", state="attached")
    context.set_offline(True)
    page.goto(f"/patients/{patient.pk}/diary/")
    assert page.get_by_role("heading", name="You are offline").is_visible()
    page.get_by_role("link", name="Open today's check-in").click()
    page.get_by_role("heading", name="Today's check-in").wait_for()


def test_second_check_in_online_says_what_saving_does(context_factory, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 2, "upper_face": 1})
    page = context_factory(patient.user, viewport=PHONE).new_page()
    page.goto(f"/patients/{patient.pk}/check-in/")
    notice = page.locator(".earlier-checkins")
    assert notice.get_by_role("heading", name="You already checked in today").is_visible()
    assert "Saving this form adds a check-in to this day; the one above stays as it is." in notice.inner_text()
    # Something missing: the page comes back with the fields to correct, and nothing is saved.
    _choose(page, "When is this check-in about?", "Evening")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Please correct the 2 marked fields below.").wait_for()
    assert DiaryEntry.objects.count() == 1
    _choose(page, "Neck: how severe?", "8")
    _choose(page, "Eyelids and brow: how severe?", "5")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    message = page.locator(".messages").inner_text()
    assert "Saved your evening check-in for" in message
    assert "That day now has 2 check-ins; its summary is their mean (severity 4.0 of 10)." in message
    assert DiaryEntry.objects.filter(patient=patient, date=today).count() == 2
