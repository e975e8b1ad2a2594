"""Recording the voice through the browser: Chromium's fake microphone plays a vowel made by the tests,
the page shows its level, records it with MediaRecorder, lets the person record again, sends it, skips
the other tasks, and the analysis result appears. Both pages pass axe on a phone-sized screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, describe_violations, run_axe, small_targets
from torsion.measures.voice_synthesis import synthesise_vowel, write_wav
from torsion.web.recordings.models import Recording

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

F0_HZ = 132.0


@pytest.fixture(scope="module")
def microphone_sound(tmp_path_factory) -> Path:
    """Ten seconds of a steady /a/ with no silence at either end, so that the fake microphone's loop is seamless."""
    voice = synthesise_vowel(10.0, f0_hz=F0_HZ, lead_s=0.0, tail_s=0.0, sample_rate=48000, peak=0.4)
    path = tmp_path_factory.mktemp("microphone") / "vowel.wav"
    write_wav(path, voice.samples, 48000)
    return path


@pytest.fixture
def microphone_browser(browser, microphone_sound):
    # Started by the test session's Playwright: a second Playwright in the same thread is refused.
    microphone = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone_sound}",
        "--autoplay-policy=no-user-gesture-required",
    ])
    yield microphone
    microphone.close()


def _open(browser, live_server, patient, viewport):
    from django.test import Client

    client = Client()
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(60000)
    return context, page


def _accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    assert not small_targets(page)


def test_record_the_voice_record_again_send_and_see_results(microphone_browser, live_server, settings, db,
                                                            artifacts):
    from tests import factories

    settings.TORSION_TASK_SECONDS = 6
    patient = factories.make_patient("voice-user")
    context, page = _open(microphone_browser, live_server, patient, PHONE)
    page.goto(f"/patients/{patient.pk}/recordings/new/voice/")
    page.get_by_role("button", name="Turn on the microphone").click()
    start = page.get_by_role("button", name="Start held vowel (up to 6 s)")
    start.wait_for()
    # The level meter follows the fake microphone.
    page.wait_for_function("document.getElementById('level-meter').value > 0.3")
    assert page.get_by_role("heading", name="Task 1 of 4: Held vowel").is_visible()
    _accessible(page)
    page.screenshot(path=str(artifacts / "voice-capture-phone.png"), full_page=True)

    # First take, stopped early by hand, then recorded again.
    start.click()
    stop = page.get_by_role("button", name="Stop")
    stop.wait_for()
    page.wait_for_timeout(4500)  # 3 s of countdown, then about 1.5 s of recording
    stop.click()
    again = page.get_by_role("button", name="Record again")
    again.wait_for()
    assert page.locator("#review").is_visible()
    again.click()
    start.click()
    # Second take runs to the end of the task by itself (6 s).
    send = page.get_by_role("button", name="Send this recording")
    send.wait_for(timeout=30000)
    assert "Recorded 6 s" in page.locator("#capture-status").inner_text()
    page.screenshot(path=str(artifacts / "voice-review-phone.png"), full_page=True)
    send.click()
    link = page.get_by_role("link", name="Held vowel: sent, being analysed")
    link.wait_for(timeout=90000)
    assert page.get_by_role("heading", name="Task 2 of 4: Smooth sentences").is_visible()
    assert "Lynn and Molly rowed away in the rain." in page.locator("#reading-text").inner_text()
    # The other tasks can wait for another day.
    for _ in range(3):
        page.get_by_role("button", name="Skip this task").click()
    assert page.get_by_role("link", name="See my results").is_visible()
    assert "All tasks are done" in page.locator("#capture-status").inner_text()

    recording = Recording.objects.get(patient=patient)
    assert recording.kind == "voice" and recording.task == "vowel"
    assert recording.content_type in ("audio/webm", "audio/ogg", "audio/mp4")
    link.click()
    page.locator("#numbers-h, .message.error").first.wait_for(timeout=90000)
    recording.refresh_from_db()
    assert recording.status == "done", recording.error
    assert recording.result["duration_s"] == pytest.approx(6.0, abs=0.8)  # the second take, not the first
    assert recording.result["f0_mean_hz"] == pytest.approx(F0_HZ, rel=0.03)
    assert recording.result["voice_breaks"] <= 1  # the fake microphone's loop may join once
    assert page.get_by_role("heading", name="Results").is_visible()
    assert page.locator("svg.chart").count() == 2
    _accessible(page)
    page.screenshot(path=str(artifacts / "voice-results-phone.png"), full_page=True)
    context.close()
