"""Rating scales as a clinician and a patient use them in Chromium: TWSTRS from video, CDIP-58 on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import COLOUR_RULES, DESKTOP, PHONE, describe_violations, run_axe, small_targets
from torsion.clinical import scales
from torsion.web.assessments.models import ScaleAdministration
from torsion.web.records.models import ToxinInjection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _check_page(page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what}:\n{describe_violations(violations)}"
    small = small_targets(page)
    assert not small, f"{what}: targets smaller than 44x44 px: {small}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px"


def _answer(page, item_id: str, value) -> None:
    page.locator(f'#q-{item_id} label.answer:has(input[value="{value}"])').click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_clinician_rates_twstrs_from_a_recording_changes_one_item_and_sees_the_history(
        context_factory, today, artifacts, viewport, request):
    size = request.node.callspec.id
    patient = factories.make_patient("robin")
    doctor = factories.make_clinician("dr-ames")
    factories.grant(patient, doctor, can_edit=True)
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=40), product="onabotulinumtoxinA")
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=110), product="onabotulinumtoxinA")
    earlier = scales.score("twstrs", {**{i.id: i.allowed[0] for i in scales.get_scale("twstrs").items},
                                      "rotation": 3, "duration": 4, "pain_usual": 6})
    ScaleAdministration.objects.create(
        patient=patient, scale="twstrs", scale_version=earlier.version, scale_revision=earlier.revision,
        status="final", administered_on=today - timedelta(days=100), answers=earlier.items, total=earlier.total,
        sections=earlier.sections, derived=earlier.derived, complete=True, entered_by=doctor.user)
    recording = factories.head_recording(patient, yaw_deg=31, roll_deg=12, pitch_deg=0, lateral=0.04)

    page = context_factory(doctor.user, viewport=viewport).new_page()
    page.goto(f"/patients/{patient.pk}/")
    page.locator("main").get_by_role("link", name="Rating scales", exact=True).first.click()
    page.get_by_role("link", name="Rate TWSTRS").click()
    page.get_by_role("button", name="Fill in its estimates").click()
    page.wait_for_url(f"**/scales/twstrs/new/?recording={recording.pk}")
    rotation = page.locator("#q-rotation")
    assert "Video estimate" in rotation.inner_text() and "31° chin to the right" in rotation.inner_text()
    assert rotation.locator('input[value="2"]').is_checked()
    assert page.locator("#q-laterocollis input[value='1']").is_checked()
    assert page.locator(".score-panel [data-score-total]").inner_text() == "3"
    _check_page(page, "TWSTRS started from a recording")
    page.screenshot(full_page=True, path=str(artifacts / f"scales-twstrs-estimates-{size}.png"))

    # The clinician rates rotation one step higher than the estimate; the page says so at once.
    _answer(page, "rotation", 3)
    assert "Changed: your rating differs" in rotation.locator("[data-estimate-state]").inner_text()
    assert "Still the estimate" in page.locator("#q-laterocollis [data-estimate-state]").inner_text()
    expect(page.locator(".score-panel [data-score-total]")).to_have_text("4")
    answers = {"rotation": 3, "laterocollis": 1, "antero_retrocollis": 0, "lateral_shift": 0}
    for item in scales.get_scale("twstrs").items:
        if item.id not in answers:
            value = {"duration": 3, "sensory_trick": 1, "pain_usual": 4, "pain_worst": 6}.get(item.id, item.allowed[0])
            _answer(page, item.id, value)
            answers[item.id] = value
    expected = scales.score("twstrs", answers)
    expect(page.locator(".score-panel [data-score-total]")).to_have_text(f"{expected.total:g}")
    assert page.locator(".score-panel [data-score-answered]").inner_text() == "21"
    page.get_by_label("I examined the patient and checked each value that came from the video.").check()
    page.get_by_role("button", name="Save TWSTRS").click()
    page.wait_for_url("**/scales/twstrs/")

    assert f"TWSTRS saved: total {expected.total:g}." in page.locator(".messages").inner_text()
    chart = page.locator("figure.chart-figure svg.chart")
    assert chart.is_visible()
    assert chart.locator(".dot").count() == 2 and chart.locator("line.injection").count() == 2
    _check_page(page, "TWSTRS history")
    page.screenshot(full_page=True, path=str(artifacts / f"scales-twstrs-history-{size}.png"))
    saved = ScaleAdministration.objects.filter(patient=patient).latest("pk")
    assert saved.total == expected.total and saved.recording == recording
    assert {r.item: r.changed for r in saved.estimates.all()} == {
        "rotation": True, "laterocollis": False, "antero_retrocollis": False, "lateral_shift": False}

    page.get_by_role("link", name="Follow it through the toxin cycles").click()
    assert page.get_by_role("heading", name="TWSTRS total in each cycle").is_visible()
    _check_page(page, "cycle page following TWSTRS")
    page.screenshot(full_page=True, path=str(artifacts / f"scales-cycles-{size}.png"))


def test_patient_answers_cdip58_on_a_phone(context_factory, today, artifacts):
    patient = factories.make_patient("robin")
    cdip = scales.get_scale("cdip58")
    page = context_factory(patient.user, viewport=PHONE).new_page()
    page.goto(f"/patients/{patient.pk}/")
    page.locator("main").get_by_role("link", name="Rating scales", exact=True).first.click()
    assert "Rate TWSTRS" not in page.locator("main").inner_text()
    _check_page(page, "scales list (patient, phone)")
    page.screenshot(full_page=True, path=str(artifacts / "scales-index-phone.png"))
    page.get_by_role("link", name="Answer CDIP-58").click()
    _check_page(page, "CDIP-58 form (phone)")

    answers = {item.id: 1 + index % 5 for index, item in enumerate(cdip.items)}
    first_half = dict(list(answers.items())[:20])
    for item_id, value in first_half.items():
        _answer(page, item_id, value)
    partial = scales.score_draft("cdip58", first_half)
    expect(page.locator("[data-running-bar] [data-score-answered]")).to_have_text("20")
    expect(page.locator("[data-running-bar] [data-score-total]")).to_have_text(f"{round(partial.total, 2):g}")
    assert page.locator("[data-running-bar]").is_visible()  # the running score stays on screen
    page.screenshot(full_page=False, path=str(artifacts / "scales-cdip58-running-phone.png"))
    page.get_by_role("button", name="Keep as draft").click()
    page.wait_for_url("**/scales/results/*/edit/")
    assert "kept as a draft" in page.locator(".messages").inner_text()
    draft = ScaleAdministration.objects.get(patient=patient)
    assert draft.status == "draft" and draft.answers == first_half

    # Saving with items left shows each one; nothing changes.
    page.get_by_role("button", name="Save CDIP-58").click()
    assert "Nothing was saved." in page.locator(".form-errors").inner_text()
    assert page.locator("fieldset.has-error").count() == 38
    assert page.evaluate("document.activeElement.name") == f"item_{cdip.items[20].id}"
    _check_page(page, "CDIP-58 with errors (phone)")
    draft.refresh_from_db()
    assert draft.status == "draft"

    for item_id, value in list(answers.items())[20:]:
        _answer(page, item_id, value)
    page.get_by_role("button", name="Save CDIP-58").click()
    page.wait_for_url("**/scales/cdip58/")
    expected = scales.score("cdip58", answers)
    draft.refresh_from_db()
    assert draft.status == "final" and draft.total == pytest.approx(expected.total)
    assert page.locator("figure.chart-figure svg.chart").is_visible()
    _check_page(page, "CDIP-58 history (phone)")
    page.screenshot(full_page=True, path=str(artifacts / "scales-cdip58-history-phone.png"))
    page.locator("table a").first.click()
    _check_page(page, "CDIP-58 result (phone)")
    page.screenshot(full_page=True, path=str(artifacts / "scales-cdip58-result-phone.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_scale_page_passes_axe_for_both_raters(context_factory, today, scheme):
    """Each page of the scales, with a saved TWSTRS from video and a CDIP-58 draft, for each person who uses it."""
    patient = factories.make_patient("robin")
    doctor = factories.make_clinician("dr-ames")
    factories.grant(patient, doctor, can_edit=True)
    recording = factories.head_recording(patient, yaw_deg=40, roll_deg=20, pitch_deg=5, lateral=0.2)
    record = factories.fill_record(patient, today=today)
    twstrs = scales.get_scale("twstrs")
    answers = {item.id: item.allowed[1] for item in twstrs.items}
    clinician_page = context_factory(doctor.user, color_scheme=scheme).new_page()
    clinician_page.goto(f"/patients/{patient.pk}/scales/twstrs/new/?recording={recording.pk}")
    for item_id, value in answers.items():
        _answer(clinician_page, item_id, value)
    clinician_page.get_by_label("I examined the patient").check()
    clinician_page.get_by_role("button", name="Save TWSTRS").click()
    clinician_page.wait_for_url("**/scales/twstrs/")
    saved = ScaleAdministration.objects.get(scale="twstrs")
    base = f"/patients/{patient.pk}/scales/"
    pages = {
        doctor.user: [base, base + "twstrs/", base + "twstrs/new/", base + "udrs/new/", base + "bfmdrs/new/",
                      base + f"results/{saved.pk}/", base + f"results/{saved.pk}/delete/", base + "cdip58/"],
        patient.user: [base, base + "cdip58/new/", base + "bsdi/new/", base + "vhi30/new/", base + "twstrs/",
                       base + f"results/{record['administration_id']}/",
                       base + f"results/{record['administration_id']}/edit/", f"/patients/{patient.pk}/"],
    }
    problems = []
    for user, urls in pages.items():
        page = clinician_page if user == doctor.user else context_factory(user, color_scheme=scheme).new_page()
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            violations = run_axe(page, COLOUR_RULES if scheme == "dark" else None)  # dark changes only colours
            if violations:
                problems.append(f"{url}:\n{describe_violations(violations)}")
            small = small_targets(page)
            if small:
                problems.append(f"{url}: targets smaller than 44x44 px: {small}")
    assert not problems, "\n".join(problems)
