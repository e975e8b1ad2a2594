"""Sharing as two people do it in Chromium: the patient invites, the clinician accepts and works, the patient checks."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, describe_violations, run_axe
from torsion.web.accounts.models import CareGrant
from torsion.web.records.models import InjectionLine, ToxinInjection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _assert_accessible(page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what}:\n{describe_violations(violations)}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_invite_accept_work_and_see_the_access(context_factory, today, viewport):
    patient = factories.make_patient("robin", regions=("neck",))
    session = ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=90),
                                            product="abobotulinumtoxinA", guidance="emg")
    InjectionLine.objects.create(injection=session, muscle="sternocleidomastoid", side="left", units=Decimal(250))
    InjectionLine.objects.create(injection=session, muscle="splenius_capitis", side="right", units=Decimal(500))
    doctor = factories.make_clinician("dr-ames")

    # The patient makes a code from their account page.
    mine = context_factory(patient.user, viewport=viewport).new_page()
    mine.goto("/accounts/profile/")
    mine.get_by_role("link", name="Invite a clinician or stop sharing").click()
    mine.locator("label").filter(has_text="See my record and add to it").click()
    mine.get_by_role("button", name="Make an invitation code").click()
    code = mine.locator("[data-invitation-code]").inner_text()
    assert len(code) == 11 and code[5] == "-"
    _assert_accessible(mine, "sharing page with a new code")

    # The clinician types it (in lower case, as people do) and reaches the patient.
    theirs = context_factory(doctor.user, viewport=viewport).new_page()
    theirs.goto("/clinic/accept/")
    _assert_accessible(theirs, "accept page")
    theirs.get_by_label("Invitation code").fill(code.lower())
    theirs.get_by_role("button", name="Accept").click()
    theirs.wait_for_url(f"**/patients/{patient.pk}/")
    assert "The record of" in theirs.locator(".record-banner").inner_text()
    assert CareGrant.objects.active().get(patient=patient, clinician=doctor).can_edit

    theirs.goto("/clinic/")
    row = theirs.locator("table.patient-table tbody tr").filter(has_text="robin")
    assert row.count() == 1
    assert "May record" in row.inner_text() and session.date.strftime("%-d %b %Y") in row.inner_text()
    _assert_accessible(theirs, "patient list")
    row.get_by_role("link", name="robin").click()
    theirs.wait_for_url(f"**/patients/{patient.pk}/")

    # The clinician repeats the last session with one dose changed.
    theirs.goto(f"/patients/{patient.pk}/treatments/")
    theirs.get_by_role("link", name="Repeat the last session").first.click()
    theirs.wait_for_url("**/repeat/")
    assert theirs.locator("#id_date").input_value() == today.isoformat()
    assert theirs.locator("#id_lines-0-units").input_value() == "250"
    theirs.locator("#id_lines-1-units").fill("450")
    _assert_accessible(theirs, "repeat form for the clinician")
    theirs.get_by_role("button", name="Save injection").click()
    theirs.wait_for_url(f"**/patients/{patient.pk}/treatments/injections/*/")
    repeated = ToxinInjection.objects.filter(patient=patient).order_by("-pk").first()
    assert repeated.pk != session.pk and repeated.date == today and repeated.product == "abobotulinumtoxinA"
    assert sorted((l.muscle, l.side, l.units) for l in repeated.lines.all()) == [
        ("splenius_capitis", "right", Decimal(450)), ("sternocleidomastoid", "left", Decimal(250))]

    # The patient sees who opened the record.
    mine.goto(f"/patients/{patient.pk}/access-log/")
    log = mine.locator("table.audit-table").inner_text()
    assert "dr-ames" in log and "Patient list" in log and "Treatments" in log
    assert "Changed: New injection session" in log
    _assert_accessible(mine, "access log")
    # ... and stops sharing; the clinician's next request is refused.
    mine.goto(f"/patients/{patient.pk}/sharing/")
    mine.get_by_role("button", name="Stop sharing with dr-ames").click()
    assert "no longer has access" in mine.locator(".messages").inner_text()
    response = theirs.goto(f"/patients/{patient.pk}/")
    assert response.status == 404
