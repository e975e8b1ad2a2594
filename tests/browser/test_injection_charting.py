"""Charting an injection session in Chromium, on a phone and on a desktop: repeat, check, confirm, grid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, describe_violations, run_axe, small_targets
from torsion.web.records.models import InjectionLine, ToxinInjection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def patient(db):
    return factories.make_patient("pat", regions=("neck", "upper_face"))


def page_problems(page, name: str) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{name} scrolls sideways by {overflow}px")
    violations = run_axe(page)
    if violations:
        problems.append(f"{name}:\n{describe_violations(violations)}")
    small = small_targets(page)
    if small:
        problems.append(f"{name}: targets smaller than 44x44 px: {small}")
    return problems


@pytest.mark.parametrize("viewport_name, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_repeat_the_last_session_with_a_typing_mistake_then_confirm(context_factory, artifacts, patient, today,
                                                                     viewport_name, viewport):
    previous = ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=100),
                                             product="onabotulinumtoxinA", guidance="emg", injector="Dr Lee",
                                             dilution_units_per_ml=Decimal(50))
    for muscle, side, units, sites in (("sternocleidomastoid", "left", 40, 2), ("splenius_capitis", "right", 80, 3),
                                       ("levator_scapulae", "right", 40, 2), ("trapezius", "right", 30, 2),
                                       ("orbicularis_oculi_pretarsal", "bilateral", 10, 4)):
        InjectionLine.objects.create(injection=previous, muscle=muscle, side=side, units=Decimal(units), sites=sites)
    page = context_factory(patient.user, viewport=viewport).new_page()
    problems = []

    page.goto(f"/patients/{patient.pk}/treatments/")
    page.get_by_role("link", name="Repeat the last session").first.click()
    page.wait_for_url("**/repeat/")
    assert page.locator("#id_date").input_value() == today.isoformat()
    assert page.locator("#id_lines-1-units").input_value() == "80"
    problems += page_problems(page, f"repeat form ({viewport_name})")
    page.screenshot(full_page=True, path=str(artifacts / f"injection-repeat-{viewport_name}.png"))

    page.locator("#id_lines-0-units").fill("400")  # a typing mistake for 40
    page.get_by_role("button", name="Save injection").click()
    checks = page.locator(".dose-checks")
    assert checks.is_visible()
    assert "Sternocleidomastoid (left): 400 units of onabotulinumtoxinA (Botox)" in checks.inner_text()
    assert ToxinInjection.objects.filter(patient=patient).count() == 1
    problems += page_problems(page, f"form with checks ({viewport_name})")
    page.screenshot(full_page=True, path=str(artifacts / f"injection-checks-{viewport_name}.png"))

    page.locator("#id_lines-0-units").fill("45")  # corrected: checked again and saved without asking
    page.get_by_role("button", name="Save injection").click()
    page.wait_for_url(f"**/patients/{patient.pk}/treatments/injections/*/")
    saved = ToxinInjection.objects.filter(patient=patient).order_by("-pk").first()
    assert saved.pk != previous.pk and saved.confirmed_checks == []
    assert [(l.muscle, l.units) for l in saved.lines.order_by("pk")][:2] == [
        ("sternocleidomastoid", Decimal(45)), ("splenius_capitis", Decimal(80))]

    page.get_by_role("link", name="Dose grid").click()
    page.wait_for_url("**/injections/grid/")
    totals = page.evaluate("[...document.querySelectorAll('table.dose-grid tfoot td')].map(td => td.firstChild.data)")
    assert totals == ["205", "200"]
    problems += page_problems(page, f"dose grid ({viewport_name})")
    page.screenshot(full_page=True, path=str(artifacts / f"injection-grid-{viewport_name}.png"))

    # A deliberate choice is confirmed once and saved as entered (here a second session the same day).
    page.goto(f"/patients/{patient.pk}/treatments/injections/{previous.pk}/repeat/")
    page.get_by_role("button", name="Save injection").click()
    found = page.locator(".dose-checks").inner_text()
    assert "Another injection of the eyelids and brow, and the neck is recorded on the same day" in found
    assert "this makes 405 units of onabotulinumtoxinA (Botox) within 12 weeks" in found
    page.get_by_role("button", name="I have checked these doses: save as entered").click()
    page.wait_for_url(f"**/patients/{patient.pk}/treatments/injections/*/")
    assert ToxinInjection.objects.filter(patient=patient).count() == 3
    assert not problems, "\n".join(problems)
