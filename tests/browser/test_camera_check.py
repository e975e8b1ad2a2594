"""The recording page's camera check on Chromium's fake camera, which plays a face video made here at a
chosen frame rate: 5 frames a second is refused with the rate and the fix, 30 is accepted. Then what
the page shows while recording: the task, the seconds left, controls disabled, cancel and stop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.test_capture import write_y4m
from tests.measures.synthetic_video import astronaut, face_view
from torsion.web.recordings.models import Recording

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def _face_video(folder: Path, fps: int) -> Path:
    # Two seconds of a face swaying a little, at ``fps`` frames a second (the file's own rate).
    frames = [face_view(astronaut(), size=(480, 360), roll_deg=4 * np.sin(2 * np.pi * k / (2 * fps)), zoom=1.5)
              for k in range(2 * fps)]
    return write_y4m(folder / f"face-{fps}fps.y4m", frames, fps=fps)


@pytest.fixture
def camera(browser, tmp_path, live_server):
    """Opens the head recording page in a Chromium whose fake camera plays a face at ``fps`` frames a second.

    The browsers are started by the test session's Playwright (a second Playwright in the same thread is
    refused), each with its own video file.
    """
    browsers = []

    def open_page(patient, fps: int, viewport=PHONE):
        from django.test import Client

        camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={_face_video(tmp_path, fps)}"])
        browsers.append(camera_browser)
        client = Client()
        client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
        context = camera_browser.new_context(base_url=live_server.url, viewport=viewport)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(f"/patients/{patient.pk}/recordings/new/head/")
        page.get_by_role("button", name="Turn on the camera").click()
        return page

    yield open_page
    for camera_browser in browsers:
        camera_browser.close()


@pytest.fixture
def patient(db):
    return factories.make_patient("camera-user")


def _item(page, topic: str):
    return page.locator(f'.check-list li[data-topic="{topic}"]')


def test_camera_at_5_frames_a_second_is_refused_with_the_fix(camera, patient, artifacts):
    page = camera(patient, 5)
    frame_rate = _item(page, "frame rate")
    page.locator('.check-list li[data-topic="frame rate"].problem').wait_for()
    text = frame_rate.inner_text()
    assert "The camera gives 5 frames a second; the measurements need at least 15." in text
    assert "Close other apps and browser tabs that use the camera" in text
    assert _item(page, "framing").get_attribute("class") == "ok"  # the face itself is well placed
    start = page.get_by_role("button", name="Start task 1 of 2: Head at rest", exact=False)
    assert start.is_disabled()
    assert "Please fix what is marked" in page.locator("#check-summary").inner_text()
    page.screenshot(path=str(artifacts / "camera-check-5fps-phone.png"), full_page=True)
    page.get_by_role("button", name="Record anyway").click()
    assert start.is_enabled()
    assert "You chose to record anyway" in page.locator("#check-summary").inner_text()


def test_camera_at_30_frames_a_second_is_accepted(camera, patient, artifacts):
    page = camera(patient, 30)
    page.locator(".camera-check.passed").wait_for()
    assert page.locator("#check-summary").inner_text() == "The camera is ready. Start when you are."
    rate = _item(page, "frame rate").inner_text()
    assert rate.startswith("Frame rate: good (") and "frames a second" in rate
    fps = int(rate.split("(")[1].split()[0])
    assert 25 <= fps <= 32
    assert page.get_by_role("button", name="Start task 1 of 2: Head at rest", exact=False).is_enabled()
    assert not page.get_by_role("button", name="Record anyway").is_visible()
    page.screenshot(path=str(artifacts / "camera-check-30fps-phone.png"), full_page=True)


def test_while_recording_the_task_and_seconds_left_show_and_controls_wait(camera, patient, settings, artifacts):
    settings.TORSION_TASK_SECONDS = 4
    page = camera(patient, 30)
    start = page.get_by_role("button", name="Start task 1 of 2: Head at rest (4 s)")
    start.click()
    # Cancel during the recording: nothing is sent.
    now = page.locator("#recording-now")
    now.wait_for()
    assert now.inner_text().startswith("Recording task 1 of 2: Head at rest.")
    assert now.inner_text().endswith("seconds left.") or now.inner_text().endswith("second left.")
    seconds = page.locator("#time-left").inner_text()
    assert seconds in ("4 s", "3 s", "2 s", "1 s")
    assert start.is_disabled() and page.locator("#calibrate").is_disabled()
    assert page.locator("#upload-form button[type=submit]").is_disabled()
    page.screenshot(path=str(artifacts / "recording-in-progress-phone.png"), full_page=True)
    page.get_by_role("button", name="Cancel this task").click()
    page.get_by_text("Cancelled: nothing was recorded or sent.").wait_for()
    assert not now.is_visible() and page.locator("#time-left").inner_text() == ""
    assert not Recording.objects.exists()
    assert page.locator("#upload-form button[type=submit]").is_enabled()

    # Stop early: what was recorded is sent.
    page.locator(".camera-check.passed").wait_for()
    start.click()
    now.wait_for()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Stop now and send").click()
    page.get_by_role("link", name="Head at rest: sent, being analysed").wait_for(timeout=90000)
    recording = Recording.objects.get(patient=patient)
    assert recording.task == "rest"
