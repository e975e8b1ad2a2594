"""The classification assistant as a person uses it: tap the body, step through, save the result."""

from __future__ import annotations

import pytest

from tests import factories
from torsion.web.learn.models import DiagnosisSummary

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_step_through_the_assistant_and_save(context_factory):
    patient = factories.make_patient("wizard-user", regions=())
    page = context_factory(patient.user, viewport={"width": 390, "height": 844}).new_page()
    page.goto("/learn/classify/")
    assert page.get_by_text("Step 1 of 5").is_visible()
    assert not page.get_by_text("Step 2 of 5").is_visible()  # one step at a time

    page.locator('.body-map [data-region="neck"]').click()
    assert page.locator('input[name="regions"][value="neck"]').is_checked()
    assert page.evaluate("getComputedStyle(document.querySelector('.body-map [data-region=neck]')).fill") != \
        page.evaluate("getComputedStyle(document.querySelector('.body-map [data-region=trunk]')).fill")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("How old were you when it started?").fill("44")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Static (it stays about the same over the years)").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("No, nothing else").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Idiopathic (no cause has been found)").check()
    page.get_by_label("Sporadic (no one else in the family has it)").check()
    page.get_by_role("button", name="Show the classification").click()

    result = page.locator("#result")
    assert "Cervical dystonia" in result.inner_text()
    assert "G24.3 Spasmodic torticollis" in result.inner_text()
    assert "Primary" in result.inner_text()
    page.get_by_role("button", name="Save as my diagnosis summary").click()
    page.wait_for_url(f"**/patients/{patient.pk}/diagnosis/")
    assert page.get_by_role("heading", level=2, name="Cervical dystonia").is_visible()
    summary = DiagnosisSummary.objects.get(patient=patient)
    assert summary.result["icd10"] == ["G24.3"] and summary.facts["onset_age"] == 44.0
