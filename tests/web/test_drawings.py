"""Drawings in the web app: samples sent through the API are stored, analysed by the measures library
in the background, shown with their picture and charts, followed as trends per hand, and deleted with
their file; the screen's calibration belongs to a person on one device."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories
from tests.measures.drawing_truth import Tremor, spiral_samples, writing_samples
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.core.demo import DEMO_PATIENT, create_demo
from torsion.web.recordings.models_drawing import Drawing, PointerCalibration
from torsion.web.recordings.services_drawing import stored_samples
from torsion.web.recordings.views_drawing import DEVICE_COOKIE
from torsion.web.records.models import MedicationCourse, ToxinInjection

pytestmark = pytest.mark.django_db


def _send(client, patient, body, on_commit):
    with on_commit(execute=True):
        return client.post(f"/api/patients/{patient.pk}/drawings", json.dumps(body), content_type="application/json")


def _body(samples, *, task="spiral", hand="right", px_per_mm=4.0, **extra):
    return {"task": task, "hand": hand, "pointer_type": "pen", "px_per_mm": px_per_mm, "canvas_width": 800,
            "canvas_height": 800, **factories.drawing_columns(samples, px_per_mm), **extra}


def test_spiral_sent_in_pixels_is_measured_in_millimetres(patient, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    samples = spiral_samples(tremor=Tremor(6.0, 1.0), seed=1)
    response = _send(client, patient, _body(samples, px_per_mm=4.0), django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    drawing = Drawing.objects.get(patient=patient)
    assert response.json()["page_url"] == f"/patients/{patient.pk}/drawings/{drawing.pk}/"
    assert drawing.status == "done", drawing.error
    assert drawing.unit == "mm" and drawing.sample_count == samples.n and drawing.pointer_type == "pen"
    assert str(patient.pk) in drawing.samples.name and Path(drawing.samples.path).is_file()
    stored = stored_samples(drawing)
    assert stored["x"][0] == pytest.approx(samples.x[0] * 4.0)  # kept as captured, in CSS pixels
    tremor = drawing.result["tremor"]
    assert tremor["detected"] is True
    assert tremor["peak_frequency_hz"] == pytest.approx(6.0, abs=0.2)
    assert tremor["amplitude_mm"] == pytest.approx(1.0, rel=0.15)
    assert drawing.metrics["tremor_amplitude_mm"] == pytest.approx(tremor["amplitude_mm"], abs=1e-3)
    assert drawing.result["tightness"] == pytest.approx(8.0, rel=0.02)

    page = client.get(response.json()["page_url"]).content.decode()
    assert "Spiral, drawn freely: right hand" in page
    assert "6.0 Hz, 1.00 mm peak to peak" in page
    assert "The spiral unravelled" in page and "Shaking at each frequency" in page
    assert "Departure from an even spiral" in page
    assert 'class="drawing-picture"' in page and 'id="drawing-samples"' in page
    assert "screen pixels (px)" not in page

    api = client.get(f"/api/patients/{patient.pk}/drawings/{drawing.pk}").json()
    assert api["status"] == "done" and "unravelled" not in api["result"] and "spectrum" not in api["result"]["tremor"]
    full = client.get(f"/api/patients/{patient.pk}/drawings/{drawing.pk}?series=true").json()
    assert len(full["result"]["unravelled"]["r"]) > 100


def test_uncalibrated_drawing_is_in_pixels_and_says_so(patient, django_capture_on_commit_callbacks):
    client = logged_in(patient.user)
    response = _send(client, patient, _body(spiral_samples(seed=2), px_per_mm=None),
                     django_capture_on_commit_callbacks)
    drawing = Drawing.objects.get(pk=response.json()["id"])
    assert drawing.unit == "px" and "mean_speed_px_s" in drawing.result
    assert "mean_speed_px_s" in drawing.metrics and "tremor_amplitude_px" in drawing.metrics
    page = client.get(f"/patients/{patient.pk}/drawings/{drawing.pk}/").content.decode()
    assert "screen pixels (px)" in page and "none detected" in page
    assert "px/s" in page and "mm/s" not in page


def test_traced_spiral_is_compared_with_its_guide(patient, django_capture_on_commit_callbacks):
    guide = {"centre_x": 280.0, "centre_y": 360.0, "start_radius": 4.0, "spacing": 32.0, "turns": 4.0,
             "start_angle_rad": 0.3, "clockwise": True}  # the test spiral's own shape, in pixels at 4 px/mm
    body = _body(spiral_samples(seed=3), task="spiral_traced", template=guide)
    response = _send(logged_in(patient.user), patient, body, django_capture_on_commit_callbacks)
    drawing = Drawing.objects.get(pk=response.json()["id"])
    assert drawing.result["template_deviation_mm"] < 0.1
    assert stored_samples(drawing)["template"]["spacing"] == 32.0
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/drawings/{drawing.pk}/").content.decode()
    assert "Distance from the guide" in page and 'class="guide"' in page


def test_writing_results(patient, django_capture_on_commit_callbacks):
    body = _body(writing_samples(), task="writing", hand="left")
    response = _send(logged_in(patient.user), patient, body, django_capture_on_commit_callbacks)
    drawing = Drawing.objects.get(pk=response.json()["id"])
    assert drawing.status == "done", drawing.error
    assert drawing.result["pen_lifts"] == 2 and drawing.result["niv_per_stroke"] == pytest.approx(1.0, abs=0.1)
    assert drawing.metrics["niv_per_stroke"] == pytest.approx(1.0, abs=0.1)
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/drawings/{drawing.pk}/").content.decode()
    assert "Velocity inversions per stroke" in page and "The yellow hills roll on." in page


def test_a_drawing_that_cannot_be_measured_fails_with_the_reason(patient, django_capture_on_commit_callbacks):
    body = _body(spiral_samples(turns=0.6, seed=4))
    response = _send(logged_in(patient.user), patient, body, django_capture_on_commit_callbacks)
    drawing = Drawing.objects.get(pk=response.json()["id"])
    assert drawing.status == "failed" and drawing.result is None
    assert "a spiral needs at least one full turn" in drawing.error
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/drawings/{drawing.pk}/").content.decode()
    assert "could not be measured" in page and drawing.error in page


GOOD = {"task": "line", "hand": "right", "t_s": [k / 100 for k in range(20)], "x": list(range(20)),
        "y": [5.0] * 20}


@pytest.mark.parametrize(("change", "message"), [
    ({"task": "circle"}, "Unknown drawing task 'circle'"),
    ({"hand": "both"}, "Say which hand drew it: right or left."),
    ({"t_s": GOOD["t_s"][:5], "x": GOOD["x"][:5], "y": GOOD["y"][:5]}, "Too few samples: 5 given"),
    ({"y": [5.0] * 19}, "The drawing has 19 y values for 20 samples."),
    ({"t_s": [0.0] * 20}, "Time must increase from each sample to the next"),
    ({"x": [3] * 20, "y": [3] * 20}, "single point"),
    ({"px_per_mm": 0.01}, "is not plausible; calibrate again"),
    ({"pressure": [2.0] * 20}, "pressure must lie between 0 and 1."),
    ({"task": "spiral_traced", "template": {"centre_x": 1, "centre_y": 1, "start_radius": 0, "spacing": -3,
                                            "turns": 3}}, "The spiral guide is not a spiral."),
])
def test_bad_drawings_are_refused_and_nothing_is_stored(patient, change, message, settings):
    client = logged_in(patient.user)
    before = database_state()
    files_before = sorted(Path(settings.RECORDINGS_DIR).rglob("*"))
    response = client.post(f"/api/patients/{patient.pk}/drawings", json.dumps({**GOOD, **change}),
                           content_type="application/json")
    assert response.status_code == 422 and message in response.json()["detail"]
    assert database_state() == before
    assert sorted(Path(settings.RECORDINGS_DIR).rglob("*")) == files_before


def test_clinician_with_read_access_cannot_send_drawings(patient, stranger_clinician):
    factories.grant(patient, stranger_clinician, can_edit=False)
    client = logged_in(stranger_clinician.user)
    response = client.post(f"/api/patients/{patient.pk}/drawings", json.dumps(GOOD), content_type="application/json")
    assert response.status_code == 404
    assert client.get(f"/patients/{patient.pk}/drawings/").status_code == 200
    assert client.get(f"/patients/{patient.pk}/drawings/new/").status_code == 404


def test_delete_removes_the_samples_file(patient):
    drawing = factories.make_drawing(patient)
    path = Path(drawing.samples.path)
    client = logged_in(patient.user)
    assert client.get(f"/patients/{patient.pk}/drawings/{drawing.pk}/delete/").status_code == 200
    response = client.post(f"/patients/{patient.pk}/drawings/{drawing.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/drawings/"
    assert not path.exists() and not Drawing.objects.exists()
    other = factories.make_drawing(patient)
    assert client.delete(f"/api/patients/{patient.pk}/drawings/{other.pk}").status_code == 204
    assert not Path(other.samples.path).exists()


def test_screen_size_is_kept_per_person_and_device(patient, other_patient):
    client = logged_in(patient.user)
    page = client.get("/drawing/screen-size/?next=/patients/1/drawings/new/")
    assert page.status_code == 200 and "85.60" in page.content.decode()
    device = page.cookies[DEVICE_COOKIE].value
    assert page.cookies[DEVICE_COOKIE]["httponly"]
    response = client.post("/drawing/screen-size/", {"card_width_px": 535.0, "device_label": "tablet",
                                                     "next": f"/patients/{patient.pk}/drawings/new/"})
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/drawings/new/"
    calibration = PointerCalibration.objects.get(user=patient.user, device_key=device)
    assert calibration.px_per_mm == pytest.approx(535.0 / 85.60)
    capture = client.get(f"/patients/{patient.pk}/drawings/new/").content.decode()
    assert "This screen is calibrated (6.25 screen pixels per millimetre)" in capture
    assert 'data-px-per-mm="6.25000"' in capture
    # Another person on the same device, and the same person on another device, start uncalibrated.
    stranger = logged_in(other_patient.user)
    stranger.cookies[DEVICE_COOKIE] = device
    page = stranger.get(f"/patients/{other_patient.pk}/drawings/new/").content.decode()
    assert "This screen is not calibrated." in page
    elsewhere = logged_in(patient.user)
    assert "This screen is not calibrated." in elsewhere.get(f"/patients/{patient.pk}/drawings/new/").content.decode()
    # Forgetting it, and refusing what is not a size or an outside address to go back to.
    assert client.post("/drawing/screen-size/", {"card_width_px": 12}).status_code == 200
    assert client.post("/drawing/screen-size/", {"forget": "1", "next": "https://evil.example/"})["Location"] == (
        "/measure/drawing/")
    assert not PointerCalibration.objects.exists()


def test_trends_keep_hands_apart_and_mark_treatments(patient, today):
    now = timezone.now()
    for days, hand, amplitude in ((60, "right", 2.0), (30, "right", 1.0), (5, "right", 0.5), (40, "left", 0.0),
                                  (10, "left", 0.0)):
        tremor = Tremor(6.0, amplitude) if amplitude else None
        drawing = factories.make_drawing(patient, hand=hand, samples=spiral_samples(tremor=tremor, seed=days),
                                         recorded_at=now - timedelta(days=days))
        assert drawing.status == "done"
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=35), product="onabotulinumtoxinA")
    MedicationCourse.objects.create(patient=patient, drug="propranolol", dose_amount=Decimal(40),
                                    start=today - timedelta(days=20))
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/drawings/").content.decode()
    assert "Spirals: tremor amplitude (0 = none detected)" in page
    assert "3 with the right hand, 2 with the left hand" in page
    assert page.count('class="marker injection"') >= 1 and page.count('class="marker medicine"') >= 1
    assert "Medicine started or stopped" in page
    dashboard = logged_in(patient.user).get(f"/patients/{patient.pk}/").content.decode()
    assert "Spirals: tremor amplitude (0 = none detected)" in dashboard


def test_demo_has_an_example_spiral_of_each_hand():
    create_demo(today=date(2026, 6, 1))
    drawings = Drawing.objects.filter(patient__user__username=DEMO_PATIENT)
    assert sorted(drawings.values_list("hand", flat=True)) == ["left", "right"]
    assert all(d.is_example and d.status == "done" and d.unit == "mm" for d in drawings)
    right, left = drawings.get(hand="right"), drawings.get(hand="left")
    assert right.result["tremor"]["detected"] is True
    assert right.result["tremor"]["peak_frequency_hz"] == pytest.approx(5.5, abs=0.2)
    assert left.result["tremor"]["detected"] is False
    page = logged_in(right.patient.user).get(f"/patients/{right.patient_id}/drawings/{right.pk}/").content.decode()
    assert "This is an example." in page
    create_demo(today=date(2026, 6, 1), reset=True)
    assert Drawing.objects.filter(patient__user__username=DEMO_PATIENT).count() == 2
