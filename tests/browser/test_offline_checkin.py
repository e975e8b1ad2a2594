"""The installed app offline: the check-in page opens without a connection, a check-in made offline is
kept on the phone, and it reaches the diary exactly once when the connection is back."""

from __future__ import annotations

import json

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


def test_manifest_and_service_worker_are_served_for_the_whole_site(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/check-in/" and data["scope"] == "/" and data["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/service-worker.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/" and "no-cache" in worker["Cache-Control"]
    assert "/static/torsion/js/checkin.js" in worker.content.decode()
