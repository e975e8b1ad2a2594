"""Recording through the browser: Chromium's fake camera plays a face video made by the tests, the page
records it with MediaRecorder, uploads it, and the analysis result appears."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.measures.synthetic_video import astronaut, face_view
from torsion.web.recordings.models import Recording

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def write_y4m(path: Path, frames, fps: int = 30) -> Path:
    """Frames (RGB uint8) as a YUV4MPEG2 file, the format Chromium's fake camera plays in a loop."""
    frames = list(frames)
    height, width = frames[0].shape[:2]
    with open(path, "wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for rgb in frames:
            handle.write(b"FRAME\n")
            handle.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420).tobytes())
    return path


@pytest.fixture(scope="module")
def camera_video(tmp_path_factory) -> Path:
    t = np.arange(60) / 30.0
    frames = [face_view(astronaut(), size=(480, 360), roll_deg=10 + 2 * np.sin(2 * np.pi * 0.5 * s), zoom=1.5)
              for s in t]
    return write_y4m(tmp_path_factory.mktemp("camera") / "face.y4m", frames)


@pytest.fixture
def camera_browser(browser, camera_video):
    # Started by the test session's Playwright: a second Playwright in the same thread is refused.
    camera = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_video}",
    ])
    yield camera
    camera.close()


def test_record_with_the_camera_and_see_results(camera_browser, live_server, settings, db):
    from django.test import Client

    from tests import factories

    settings.TORSION_TASK_SECONDS = 4
    patient = factories.make_patient("camera-user")
    client = Client()
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    context = camera_browser.new_context(base_url=live_server.url, viewport={"width": 1000, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(f"/patients/{patient.pk}/recordings/new/head/")

    page.get_by_label("Start with 5 seconds holding my head as straight as I can", exact=False).check()
    page.get_by_role("button", name="Turn on the camera").click()
    start = page.get_by_role("button", name="Start task 1 of 2: Head at rest (4 s)")
    start.wait_for()
    page.wait_for_function("document.getElementById('preview').videoWidth > 0")
    assert page.evaluate("document.getElementById('preview').videoWidth") == 480
    start.click()
    link = page.get_by_role("link", name="Head at rest: sent, being analysed")
    link.wait_for(timeout=90000)

    recording = Recording.objects.get(patient=patient)
    assert recording.kind == "head" and recording.task == "rest" and recording.content_type == "video/webm"
    assert recording.neutral_s == 5
    link.click()
    page.locator("#numbers-h, .message.error").first.wait_for(timeout=90000)
    recording.refresh_from_db()
    assert recording.status == "done", recording.error
    assert page.get_by_role("heading", name="Results").is_visible()
    # The fake camera shows the face tilted 10 +- 2 degrees all along, so relative to the neutral period
    # at the start, the tilt is about zero.
    assert recording.result["frames_analyzed"] >= 60
    assert recording.result["neutral"] is not None  # measured from the neutral period at the start
    assert abs(recording.result["roll_deg"]["median"]) < 4  # the same tilt as during the neutral period
    assert page.locator("svg.chart").count() >= 1
    context.close()
