"""The treatment log, the diary import and the record's charts, as a person uses them in Chromium."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.browser.conftest import COLOUR_RULES, PHONE, describe_violations, run_axe
from tests.urlwalk import fill, walk
from torsion.web.records.models import DiaryEntry, DiaryImport, InjectionLine, ToxinInjection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def patient(db):
    return factories.make_patient("pat", regions=("neck", "upper_face"))


def test_add_an_injection_with_two_muscle_lines_and_see_its_totals(context_factory, patient, today):
    page = context_factory(patient.user).new_page()
    page.goto(f"/patients/{patient.pk}/treatments/")
    page.get_by_role("link", name="Add an injection").click()
    page.get_by_label("Day of the injection").fill(today.isoformat())
    page.locator("#id_product").select_option("incobotulinumtoxinA")
    page.locator("label").filter(has_text="Ultrasound").click()
    page.locator("#id_lines-0-muscle").select_option("sternocleidomastoid")
    page.locator("#id_lines-0-side").select_option("left")
    page.locator("#id_lines-0-units").fill("40")
    page.locator("#id_lines-0-sites").fill("2")
    # A fourth line, added by the page's script, is used for the second muscle.
    page.get_by_role("button", name="Add another muscle").click()
    assert page.locator("fieldset.injection-line").count() == 4
    assert page.evaluate("document.activeElement.id") == "id_lines-3-muscle"
    page.locator("#id_lines-3-muscle").select_option("splenius_capitis")
    page.locator("#id_lines-3-side").select_option("right")
    page.locator("#id_lines-3-units").fill("60")
    page.get_by_role("button", name="Save injection").click()
    page.wait_for_url(f"**/patients/{patient.pk}/treatments/injections/*/")
    facts = page.locator("dl.facts").inner_text()
    assert "100 units of incobotulinumtoxinA (Xeomin)" in facts
    assert page.locator("tfoot").inner_text().split() [-1] == "100"
    injection = ToxinInjection.objects.get(patient=patient)
    assert sorted((l.muscle, l.side, l.units, l.sites) for l in injection.lines.all()) == [
        ("splenius_capitis", "right", Decimal(60), 1), ("sternocleidomastoid", "left", Decimal(40), 2)]
    page.get_by_role("link", name="Treatments").click()
    totals = page.locator("table.totals").inner_text()
    assert "incobotulinumtoxinA (Xeomin)\t1\t100" in totals


def test_import_a_small_diary_through_the_preview(context_factory, patient, today, tmp_path):
    days = [today - timedelta(days=n) for n in (3, 2, 1)]
    csv_file = tmp_path / "kept-elsewhere.csv"
    csv_file.write_text("Day;Neck;Pain;Note\n" + "".join(
        f"{d:%d/%m/%Y};{5 + i};{i};{'=' if i == 0 else ''}note {i}\n" for i, d in enumerate(days)), encoding="utf-8")
    page = context_factory(patient.user).new_page()
    page.goto(f"/patients/{patient.pk}/diary/")
    page.get_by_role("link", name="Import and export").click()
    page.get_by_role("link", name="Import a diary file").click()
    page.get_by_label("Diary file (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/diary/import/*/")
    assert page.locator("#id_column_0").input_value() == "date"  # suggested from the header, shown to check
    assert page.locator("#id_column_1").input_value() == "severity:neck"
    assert not page.get_by_role("button", name="Import 3 check-ins").is_visible()  # the date order is not guessed
    page.locator("label").filter(has_text="DD/MM/YYYY, day first").click()
    page.get_by_role("button", name="Check the rows").click()
    preview = page.locator("table.import-preview").inner_text()
    assert f"{days[0]:%a} {days[0].day} {days[0]:%b %Y}" in preview and "New check-in" in preview
    assert not DiaryEntry.objects.filter(patient=patient).exists()
    page.get_by_role("button", name="Import 3 check-ins").click()
    page.wait_for_url(f"**/patients/{patient.pk}/diary/")
    assert "Imported 3 check-ins from kept-elsewhere.csv: 3 new, 0 corrected." in page.locator(".messages").inner_text()
    entries = DiaryEntry.objects.filter(patient=patient).order_by("date")
    assert [(e.date, e.severity, e.pain, e.note) for e in entries] == [
        (days[0], {"neck": 5}, 0, "=note 0"), (days[1], {"neck": 6}, 1, "note 1"), (days[2], {"neck": 7}, 2, "note 2")]
    assert not DiaryImport.objects.exists()


def record_pages(patient, today) -> list[str]:
    values = {"patient_id": patient.pk}
    record = factories.fill_record(patient, today=today)
    values.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in record.items()})
    routes = [route for route, entry in walk() if entry.callback.__module__.startswith("torsion.web.records")
              and not route.startswith("api/") and not route.endswith("/cancel/")]
    return [fill(route, values) for route in routes]


def test_record_pages_pass_axe_in_the_dark_theme(context_factory, patient, today):
    """Every page of the record, filled with one of everything, in the dark theme: the rules about colour (the
    suite's walks check every rule in the light theme)."""
    urls = record_pages(patient, today)
    assert len(urls) >= 30
    page = context_factory(patient.user, color_scheme="dark").new_page()
    problems = []
    for url in urls:
        response = page.goto(url)
        assert response.status < 400, url
        violations = run_axe(page, COLOUR_RULES)  # the theme changes only colours
        if violations:
            problems.append(f"{url}:\n{describe_violations(violations)}")
    assert not problems, "\n".join(problems)


def test_demo_history_and_cycles_on_a_phone(context_factory, artifacts, today):
    from torsion.web.accounts.models import Patient
    from torsion.web.core.demo import create_demo

    create_demo(today=today, years=2.5)
    patient = Patient.objects.get(user__username="demo-patient")
    for viewport_name, viewport in (("phone", PHONE), ("desktop", {"width": 1280, "height": 900})):
        page = context_factory(patient.user, viewport=viewport).new_page()
        for name in ("history", "cycles", "treatments"):
            page.goto(f"/patients/{patient.pk}/{name}/")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on {viewport_name}"
            page.screenshot(full_page=True, path=str(artifacts / f"records-{name}-{viewport_name}.png"))
        page.goto(f"/patients/{patient.pk}/cycles/")
        assert page.locator("svg.chart polyline.latest-cycle").count() == 1
        page.locator("label").filter(has_text="Severity: Neck").click()
        page.get_by_role("button", name="Show this score").click()
        assert page.get_by_role("heading", name="Severity: Neck: improvement after each injection").is_visible()
    assert InjectionLine.objects.filter(injection__patient=patient).exists()
