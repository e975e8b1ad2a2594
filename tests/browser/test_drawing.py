"""Drawing in the browser: a spiral drawn with a finger on a phone (trusted pointer events sent through
Chromium's input pipeline), saved, measured, and shown on an accessible results page; a stylus's
pressure and pointer type come through; the screen calibration page sets the size used."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest

from tests import factories
from tests.browser.conftest import PHONE, describe_violations, run_axe, small_targets
from torsion.web.recordings.models_drawing import Drawing, PointerCalibration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _check_page(page, artifacts, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    violations = run_axe(page)
    assert not violations, f"{name}:\n{describe_violations(violations)}"
    assert small_targets(page) == [], name
    page.screenshot(full_page=True, path=str(artifacts / f"drawing-{name}-phone.png"))


def _spiral_points(box: dict, turns: float = 3.5, steps: int = 700):
    """Points of a spiral filling most of the box, viewport coordinates, from the centre outwards."""
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    spacing = (min(box["width"], box["height"]) / 2 - 20) / turns
    for k in range(steps + 1):
        phi = 2 * math.pi * turns * math.sqrt(k / steps)  # even speed along the path
        r = 4 + spacing * phi / (2 * math.pi)
        yield cx + r * math.cos(phi), cy + r * math.sin(phi)


def _draw(cdp, points, *, touch: bool, interval_s: float = 0.008):
    """Send the points as one stroke through Chromium's input pipeline (trusted pointer events)."""
    points = list(points)
    for index, (x, y) in enumerate(points):
        if touch:
            kind = "touchStart" if index == 0 else "touchMove"
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
                {"x": x, "y": y, "radiusX": 4, "radiusY": 4, "force": 0.6, "id": 1}]})
        else:
            kind = "mousePressed" if index == 0 else "mouseMoved"
            cdp.send("Input.dispatchMouseEvent", {
                "type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1,
                "pointerType": "pen", "force": 0.3 + 0.4 * index / len(points), "tiltX": 20, "tiltY": -10})
        time.sleep(interval_s)
    if touch:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    else:
        x, y = points[-1]
        cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left",
                                              "clickCount": 1, "pointerType": "pen"})


def test_draw_a_spiral_with_a_finger_on_a_phone_and_see_the_results(context_factory, artifacts, db):
    patient = factories.make_patient("drawer")
    context = context_factory(patient.user, viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=3)
    page = context.new_page()
    page.goto(f"/patients/{patient.pk}/drawings/new/")
    assert page.get_by_text("This screen is not calibrated.").is_visible()
    _check_page(page, artifacts, "capture")

    page.get_by_label("Right hand").check()
    canvas = page.locator("#drawing-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box["width"] >= 300 and abs(box["width"] - box["height"]) < 1  # a square box filling the phone's width
    cdp = context.new_cdp_session(page)
    _draw(cdp, _spiral_points(box), touch=True)
    assert "1 stroke" in page.locator("#drawing-status").inner_text()
    page.screenshot(full_page=True, path=str(artifacts / "drawing-capture-drawn-phone.png"))

    page.get_by_role("button", name="Save the drawing").click()
    page.wait_for_url(re.compile(rf".*/patients/{patient.pk}/drawings/\d+/$"))
    drawing = Drawing.objects.get(patient=patient)
    (artifacts / "drawing-spiral-samples.json").write_bytes(Path(drawing.samples.path).read_bytes())
    assert drawing.status == "done", drawing.error
    assert drawing.hand == "right" and drawing.task == "spiral" and drawing.pointer_type == "touch"
    assert drawing.unit == "px" and drawing.sample_count > 300
    assert drawing.result["turns"] == pytest.approx(3.5, abs=0.3)
    assert drawing.result["direction"] == "clockwise" and drawing.result["outward"] is True
    assert drawing.result["tightness"] == pytest.approx((box["width"] / 2 - 20) / 3.5, rel=0.15)

    assert page.get_by_role("heading", name="Spiral, drawn freely: right hand").is_visible()
    assert page.get_by_role("heading", name="Results").is_visible()
    assert page.get_by_text("screen pixels (px)").is_visible()
    assert page.locator("svg.drawing-picture polyline.ink").count() == 1
    assert page.locator("svg.chart").count() == 3  # the unravelled spiral, its departure, the spectrum
    _check_page(page, artifacts, "results")
    page.get_by_role("button", name="Replay at the speed it was drawn").click()
    page.get_by_text("Replay finished").wait_for(timeout=30000)

    page.goto(f"/patients/{patient.pk}/drawings/")
    assert page.get_by_role("heading", name="Trends, right and left hand").is_visible()
    _check_page(page, artifacts, "list")


def test_stylus_pressure_and_a_calibrated_screen(context_factory, artifacts, db):
    patient = factories.make_patient("stylus")
    context = context_factory(patient.user, viewport=PHONE)
    page = context.new_page()
    page.goto(f"/drawing/screen-size/?next=/patients/{patient.pk}/drawings/new/")
    _check_page(page, artifacts, "screen-size")
    outline = page.locator("#card-outline")
    assert outline.bounding_box()["width"] == pytest.approx(324, abs=1)  # a desktop screen's guess, lying flat
    field = page.locator("#id_card_width_px")
    field.fill("534")
    field.dispatch_event("change")
    page.get_by_role("button", name="Larger").click()
    page.get_by_role("button", name="Larger").click()
    assert field.input_value() == "535"
    assert page.locator("#card-slider").input_value() == "535"
    size = outline.bounding_box()
    assert size["height"] == pytest.approx(535, abs=1)  # upright: a card's long side does not fit across a phone
    assert size["width"] == pytest.approx(535 * 53.98 / 85.60, abs=1)
    page.screenshot(full_page=True, path=str(artifacts / "drawing-screen-size-upright-phone.png"))
    page.get_by_role("button", name="Save this screen's size").click()
    page.wait_for_url(f"**/patients/{patient.pk}/drawings/new/")
    assert PointerCalibration.objects.get(user=patient.user).px_per_mm == pytest.approx(535 / 85.60)
    assert page.get_by_text("This screen is calibrated (6.25 screen pixels per millimetre)").is_visible()

    page.get_by_label("Straight line").check()
    page.get_by_label("Left hand").check()
    canvas = page.locator("#drawing-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    y = box["y"] + box["height"] / 2
    line = [(box["x"] + box["width"] * (0.08 + 0.84 * k / 300), y + 0.5 * math.sin(k / 5)) for k in range(301)]
    _draw(context.new_cdp_session(page), line, touch=False, interval_s=0.01)
    page.get_by_role("button", name="Save the drawing").click()
    page.wait_for_url(re.compile(rf".*/patients/{patient.pk}/drawings/\d+/$"))
    drawing = Drawing.objects.get(patient=patient)
    assert drawing.status == "done", drawing.error
    assert drawing.pointer_type == "pen" and drawing.task == "line" and drawing.hand == "left"
    assert drawing.unit == "mm" and drawing.px_per_mm == pytest.approx(535 / 85.60)
    assert drawing.result["length_mm"] == pytest.approx(box["width"] * 0.84 / (535 / 85.60), rel=0.03)
    from torsion.web.recordings.services_drawing import stored_samples

    stored = stored_samples(drawing)
    pressures = [p for p, down in zip(stored["pressure"], stored["pen_down"], strict=True) if down]
    assert 0.25 < min(pressures) < max(pressures) < 0.75  # the stylus's rising force came through
    assert stored["pen_down"][-1] == 0  # the lift is marked
    assert set(stored["tilt_x_deg"][:-1]) == {20}
    _check_page(page, artifacts, "line-results")


INK_AT = """([x, y]) => {
  const canvas = document.getElementById('drawing-canvas');
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const [r, g, b, a] = canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
  return [r, g, b, a];
}"""


def test_each_task_has_its_guide_in_the_dark_theme_too(context_factory, artifacts, db):
    patient = factories.make_patient("guides")
    context = context_factory(patient.user, viewport=PHONE, color_scheme="dark", has_touch=True)
    page = context.new_page()
    page.goto(f"/patients/{patient.pk}/drawings/new/?task=spiral_traced&hand=left")
    assert page.get_by_label("Left hand").is_checked()
    canvas = page.locator("#drawing-canvas")
    box = canvas.bounding_box()
    # The guide spiral passes through the right of its centre, at its start radius plus one loop.
    guide = page.evaluate(INK_AT, [box["width"] / 2 + 3 + (box["width"] / 2 - 17) / 3, box["height"] / 2])
    assert guide[3] == 255 and max(guide[:3]) > 40  # drawn, and visible on the dark box
    assert page.get_by_text("Trace the grey spiral").is_visible()
    _check_page(page, artifacts, "traced-dark")

    page.get_by_label("Handwriting").check()
    assert page.get_by_text("The yellow hills roll on.", exact=True).is_visible()
    assert page.get_by_text("Write “The yellow hills roll on.” 3 times").is_visible()
    box = canvas.bounding_box()
    assert box["height"] < box["width"]
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    stroke = [(box["x"] + 40 + 3 * k, box["y"] + 60 + 10 * math.sin(k / 4)) for k in range(60)]
    _draw(context.new_cdp_session(page), stroke, touch=True, interval_s=0.005)
    ink = page.evaluate(INK_AT, [stroke[30][0] - box["x"], stroke[30][1] - box["y"]])
    assert ink[3] == 255 and min(ink[:3]) > 150  # light ink on the dark box
    _check_page(page, artifacts, "writing-dark")
    page.get_by_role("button", name="Clear and start again").click()
    assert page.evaluate(INK_AT, [stroke[30][0] - box["x"], stroke[30][1] - box["y"]])[3] == 0
    page.get_by_role("button", name="Save the drawing").click()
    assert "nothing to save yet" in page.locator("#drawing-status").inner_text()
    assert not Drawing.objects.exists()
