"""The treatment log: injections with muscle lines and per-product totals, medicines, DBS, side effects."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    DBSProgramming,
    DiaryEntry,
    InjectionLine,
    MedicationCourse,
    ToxinInjection,
)
from torsion.web.records.treatments import product_key, record_totals

pytestmark = pytest.mark.django_db


def field_error(response, field: str) -> str:
    """The text of the error list tied to ``field`` on a rendered form page."""
    page = response.content.decode()
    marker = f'id="id_{field}_error"'
    assert marker in page, f"no error list for {field}"
    block = page[page.index(marker):]
    return html.unescape(re.sub(r"<[^>]+>", " ", block[block.index(">") + 1: block.index("</ul>")]))


def injection_data(day, lines, **fields):
    """POST data of the injection form: the session's fields and its muscle lines (no extra rows)."""
    data = {"date": day.isoformat(), "product": "onabotulinumtoxinA", "guidance": "emg",
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000", **fields}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{key}": value for key, value in {"sites": 1, **line}.items()})
    return data


NECK = {"muscle": "sternocleidomastoid", "side": "left", "units": "40", "sites": "2"}
SPLENIUS = {"muscle": "splenius_capitis", "side": "right", "units": "60.5", "sites": "3"}


def make_injection(patient, day, product="onabotulinumtoxinA", lines=((("trapezius", "right", 50),)), other=""):
    injection = ToxinInjection.objects.create(patient=patient, date=day, product=product, product_other=other)
    for muscle, side, units in lines:
        InjectionLine.objects.create(injection=injection, muscle=muscle, side=side, units=Decimal(str(units)))
    return injection


# --- injections through the page -------------------------------------------------------------------------

def test_add_injection_with_two_muscle_lines(patient_client, patient, today):
    url = f"/patients/{patient.pk}/treatments/injections/new/"
    response = patient_client.post(url, injection_data(today, [NECK, SPLENIUS], lot_number="C123",
                                                       dilution_units_per_ml="50", injector="Dr Lee"))
    injection = ToxinInjection.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/treatments/injections/{injection.pk}/"
    assert [(l.muscle, l.side, l.units, l.sites) for l in injection.lines.all()] == [
        ("sternocleidomastoid", "left", Decimal("40"), 2), ("splenius_capitis", "right", Decimal("60.5"), 3)]
    assert injection.lot_number == "C123" and injection.dilution_units_per_ml == Decimal(50)
    page = patient_client.get(response["Location"]).content.decode()
    assert "<strong>100.5 units</strong> of onabotulinumtoxinA (Botox)" in page
    assert 'Total, onabotulinumtoxinA (Botox)</th><td class="num" data-label="Units">100.5</td>' in page
    assert "check for a typing mistake" not in page.lower()


def test_new_injection_form_works_without_javascript(patient_client, patient, today):
    """Three empty lines are offered; unchanged ones (their number of sites still at 1) are ignored."""
    page = patient_client.get(f"/patients/{patient.pk}/treatments/injections/new/").content.decode()
    assert 'name="lines-TOTAL_FORMS" value="3"' in page and 'name="lines-2-muscle"' in page
    assert '<optgroup label="Neck and shoulder">' in page and '<optgroup label="Eyelids and brow">' in page
    data = injection_data(today, [NECK])
    data.update({"lines-TOTAL_FORMS": "3", "lines-1-sites": "1", "lines-2-sites": "1"})
    assert patient_client.post(f"/patients/{patient.pk}/treatments/injections/new/", data).status_code == 302
    assert InjectionLine.objects.count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"date": "FUTURE"}, "date", "An injection in the future is a plan, not a record"),
    ({"product": "other"}, "product_other", "Give the product's name."),
    ({"lines-0-muscle": "other"}, "lines-0-muscle_other", "Give the muscle's name."),
    ({"lines-0-units": "0"}, "lines-0-units", "greater than or equal to 0.01"),
    ({"lines-0-sites": "51"}, "lines-0-sites", "less than or equal to 50"),
    ({"lines-0-side": "up"}, "lines-0-side", "Select a valid choice"),
    ({"lines-0-muscle": "heart"}, "lines-0-muscle", "Select a valid choice"),
])
def test_injection_form_explains_bad_input_and_saves_nothing(patient_client, patient, today, change, field, message):
    data = injection_data(today, [NECK])
    data.update({k: (today + timedelta(days=1)).isoformat() if v == "FUTURE" else v for k, v in change.items()})
    before = database_state()
    response = patient_client.post(f"/patients/{patient.pk}/treatments/injections/new/", data)
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert database_state() == before


@pytest.mark.parametrize("lines, message", [
    ([], "Add at least one muscle with its units."),
    ([NECK, {**NECK, "units": "10"}], "Sternocleidomastoid (left) is listed twice"),
])
def test_injection_lines_checked_together(patient_client, patient, today, lines, message):
    response = patient_client.post(f"/patients/{patient.pk}/treatments/injections/new/", injection_data(today, lines))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ToxinInjection.objects.exists()


def test_today_is_a_valid_injection_day(patient_client, patient, today):
    patient_client.post(f"/patients/{patient.pk}/treatments/injections/new/", injection_data(today, [NECK]))
    assert ToxinInjection.objects.get().date == today


def test_correcting_an_injection_removes_and_changes_lines(patient_client, patient, today):
    injection = make_injection(patient, today - timedelta(days=3),
                               lines=[("sternocleidomastoid", "left", 40), ("trapezius", "right", 30)])
    first, second = injection.lines.all()
    url = f"/patients/{patient.pk}/treatments/injections/{injection.pk}/edit/"
    page = patient_client.get(url).content.decode()
    assert 'name="lines-INITIAL_FORMS" value="2"' in page and "Remove this muscle" in page
    data = {"date": injection.date.isoformat(), "product": "onabotulinumtoxinA", "guidance": "none",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "2", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-id": first.pk, "lines-0-muscle": "sternocleidomastoid", "lines-0-side": "left",
            "lines-0-units": "45", "lines-0-sites": "2",
            "lines-1-id": second.pk, "lines-1-muscle": "trapezius", "lines-1-side": "right", "lines-1-units": "30",
            "lines-1-sites": "1", "lines-1-DELETE": "on"}
    assert patient_client.post(url, data).status_code == 302
    assert [(l.pk, l.units) for l in injection.lines.all()] == [(first.pk, Decimal(45))]


# --- totals ------------------------------------------------------------------------------------------

def test_totals_are_per_product_and_never_added_across_products(patient_client, patient, today):
    make_injection(patient, today - timedelta(days=200), lines=[("trapezius", "right", 100), ("scalenes", "left", 50)])
    make_injection(patient, today - timedelta(days=100), lines=[("trapezius", "right", 150)])
    make_injection(patient, today - timedelta(days=90), "abobotulinumtoxinA", lines=[("trapezius", "right", 500)])
    make_injection(patient, today - timedelta(days=80), "other", lines=[("trapezius", "right", 70)], other="Relatox")
    make_injection(patient, today - timedelta(days=70), "other", lines=[("trapezius", "right", 30)], other=" relatox ")
    make_injection(patient, today - timedelta(days=60), "other", lines=[("masseter", "left", 20)], other="Hutox")
    totals = {t.label: (t.units, t.sessions) for t in record_totals(patient)}
    assert totals == {"onabotulinumtoxinA (Botox)": (Decimal(300), 2),
                      "abobotulinumtoxinA (Dysport)": (Decimal(500), 1),
                      "Relatox": (Decimal(100), 2), "Hutox": (Decimal(20), 1)}
    page = patient_client.get(f"/patients/{patient.pk}/treatments/").content.decode()
    totals_table = page[page.index('<table class="totals stack">'):page.index("</table>")]
    cells = '<td class="num" data-label="Sessions">{}</td><td class="num" data-label="Total units">{}</td>'
    assert '<th scope="row">onabotulinumtoxinA (Botox)</th>' + cells.format(2, 300) in totals_table
    assert '<th scope="row">Hutox</th>' + cells.format(1, 20) in totals_table
    assert "920" not in totals_table  # the sum over products is never shown


def test_totals_until_a_day(patient, today):
    make_injection(patient, today - timedelta(days=100), lines=[("trapezius", "right", 100)])
    make_injection(patient, today - timedelta(days=10), lines=[("trapezius", "right", 40)])
    assert [t.units for t in record_totals(patient, until=today - timedelta(days=50))] == [Decimal(100)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["onabotulinumtoxinA", "abobotulinumtoxinA", "other:a", "other:b"]),
                          st.integers(min_value=1, max_value=2000)), min_size=1, max_size=8))
def test_record_totals_equal_each_products_own_sum(patient, today, sessions):
    ToxinInjection.objects.filter(patient=patient).delete()
    for index, (product, units) in enumerate(sessions):
        code, _, name = product.partition(":")
        make_injection(patient, today - timedelta(days=index), code, lines=[("trapezius", "left", units)], other=name)
    totals = {t.key: t.units for t in record_totals(patient)}
    expected: dict[str, Decimal] = {}
    for product, units in sessions:
        key = product_key(*product.split(":")) if ":" in product else product
        expected[key] = expected.get(key, Decimal(0)) + units
    assert totals == expected


# --- deleting --------------------------------------------------------------------------------------------

def test_deleting_an_injection_asks_first_keeps_diary_and_side_effects(patient_client, patient, today):
    injection = make_injection(patient, today - timedelta(days=20))
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=19), severity={"neck": 4})
    event = AdverseEvent.objects.create(patient=patient, onset=today - timedelta(days=15), kind="dysphagia",
                                        severity="mild", injection=injection)
    url = f"/patients/{patient.pk}/treatments/injections/{injection.pk}/delete/"
    page = patient_client.get(url).content.decode()
    assert "Delete this entry?" in page and "Its 1 muscle line will be deleted with it." in page
    assert "The 1 side effect linked to it will be kept, no longer linked." in page
    assert "The diary is not changed." in page
    assert ToxinInjection.objects.exists()  # looking at the question deletes nothing
    response = patient_client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("/treatments/#injections")
    assert not ToxinInjection.objects.exists() and not InjectionLine.objects.exists()
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    event.refresh_from_db()
    assert event.injection is None


def test_deleting_an_implant_deletes_its_programming_only(patient_client, patient, today):
    implant = DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=300), target="gpi")
    DBSProgramming.objects.create(implant=implant, date=today - timedelta(days=200), settings={})
    event = AdverseEvent.objects.create(patient=patient, onset=today - timedelta(days=290), kind="confusion",
                                        severity="moderate", dbs_implant=implant)
    url = f"/patients/{patient.pk}/treatments/dbs/{implant.pk}/delete/"
    assert "Its 1 programming session will be deleted with it." in patient_client.get(url).content.decode()
    patient_client.post(url)
    assert not DBSProgramming.objects.exists()
    event.refresh_from_db()
    assert event.dbs_implant is None


def test_read_only_clinician_sees_but_cannot_change(patient, stranger_clinician, today):
    factories.grant(patient, stranger_clinician, can_edit=False)
    injection = make_injection(patient, today - timedelta(days=5))
    client = logged_in(stranger_clinician.user)
    page = client.get(f"/patients/{patient.pk}/treatments/").content.decode()
    assert "onabotulinumtoxinA (Botox)" in page and "Add an injection" not in page and "/delete/" not in page
    detail = client.get(f"/patients/{patient.pk}/treatments/injections/{injection.pk}/").content.decode()
    assert "Correct this injection" not in detail
    before = database_state()
    for url in (f"/patients/{patient.pk}/treatments/injections/new/",
                f"/patients/{patient.pk}/treatments/injections/{injection.pk}/delete/",
                f"/patients/{patient.pk}/treatments/medications/new/"):
        assert client.get(url).status_code == 404
        assert client.post(url, injection_data(today, [NECK])).status_code == 404
    assert database_state() == before


def test_objects_of_another_patient_are_not_reachable_through_my_address(patient_client, patient, other_patient,
                                                                        today):
    theirs = make_injection(other_patient, today - timedelta(days=5))
    implant = DBSImplant.objects.create(patient=other_patient, implant_date=today - timedelta(days=30), target="stn")
    programming = DBSProgramming.objects.create(implant=implant, date=today, settings={})
    mine = DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=30), target="gpi")
    for url in (f"/patients/{patient.pk}/treatments/injections/{theirs.pk}/",
                f"/patients/{patient.pk}/treatments/dbs/{implant.pk}/",
                f"/patients/{patient.pk}/treatments/dbs/{mine.pk}/programming/{programming.pk}/edit/"):
        assert patient_client.get(url).status_code == 404, url


# --- medicines, DBS, procedures, side effects ----------------------------------------------------------

def test_medicine_course_saved_and_listed(patient_client, patient, today):
    url = f"/patients/{patient.pk}/treatments/medications/new/"
    response = patient_client.post(url, {"drug": "trihexyphenidyl", "dose_amount": "2", "dose_unit": "mg",
                                         "times_per_day": "3", "start": (today - timedelta(days=90)).isoformat(),
                                         "stop": (today - timedelta(days=10)).isoformat(),
                                         "stop_reason": "Dry mouth", "side_effects": "Blurred vision"})
    assert response.status_code == 302 and response["Location"].endswith("#medicines")
    course = MedicationCourse.objects.get()
    assert (course.drug, course.dose_amount, course.stop_reason) == ("trihexyphenidyl", Decimal(2), "Dry mouth")
    page = patient_client.get(f"/patients/{patient.pk}/treatments/").content.decode()
    assert "2 mg, 3× a day" in page and ": Dry mouth" in page


@pytest.mark.parametrize("note, shown", [("At bedtime", "1× a day, at bedtime"), ("with meals", "1× a day, with meals"),
                                         ("PRN", "1× a day, PRN")])
def test_the_schedule_follows_the_dose_after_a_comma(patient_client, patient, today, note, shown):
    MedicationCourse.objects.create(patient=patient, drug="clonazepam", dose_amount=1, schedule_note=note,
                                    start=today - timedelta(days=50))
    page = patient_client.get(f"/patients/{patient.pk}/treatments/").content.decode()
    assert shown in page and f"({note})" not in page


@pytest.mark.parametrize("change, field, message", [
    ({"stop": -100}, "stop", "The stop date cannot be before the start date"),
    ({"stop_reason": "Tired"}, "stop", "Give the day it was stopped, or leave the reason empty."),
    ({"start": 1}, "start", "This day has not happened yet."),
    ({"drug": "other"}, "drug_other", "Give the medicine's name."),
    ({"dose_amount": "0"}, "dose_amount", "greater than or equal to 0.001"),
    ({"times_per_day": "13"}, "times_per_day", "less than or equal to 12"),
])
def test_medicine_rules(patient_client, patient, today, change, field, message):
    data = {"drug": "baclofen", "dose_amount": "10", "dose_unit": "mg", "times_per_day": "3",
            "start": (today - timedelta(days=30)).isoformat()}
    data.update({k: (today + timedelta(days=v)).isoformat() if isinstance(v, int) else v for k, v in change.items()})
    response = patient_client.post(f"/patients/{patient.pk}/treatments/medications/new/", data)
    assert message in field_error(response, field)
    assert not MedicationCourse.objects.exists()


def test_other_medicine_name_is_dropped_when_a_catalogue_drug_is_chosen(patient_client, patient, today):
    patient_client.post(f"/patients/{patient.pk}/treatments/medications/new/", {
        "drug": "baclofen", "drug_other": "typed by mistake", "dose_amount": "5", "dose_unit": "mg",
        "times_per_day": "1", "start": today.isoformat()})
    assert MedicationCourse.objects.get().drug_other == ""


def _programming(**sides):
    data = {"date": None}
    for side, values in sides.items():
        data.update({f"{side}_{key}": value for key, value in values.items()})
    return data


LEFT = {"contacts": "1-, C+", "amplitude": "2.5", "amplitude_unit": "mA", "pulse_width_us": "90", "frequency_hz": "130"}


def test_programming_settings_are_stored_per_side(patient_client, patient, today):
    implant = DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=60), target="gpi")
    url = f"/patients/{patient.pk}/treatments/dbs/{implant.pk}/programming/new/"
    data = _programming(left=LEFT, right={**LEFT, "contacts": "9-10-,  C+", "amplitude": "3.1", "amplitude_unit": "V",
                                          "frequency_hz": "60"})
    data["date"] = (today - timedelta(days=30)).isoformat()
    assert patient_client.post(url, data).status_code == 302
    assert DBSProgramming.objects.get().settings == {
        "left": {"contacts": "1-, C+", "amplitude": 2.5, "amplitude_unit": "mA", "pulse_width_us": 90,
                 "frequency_hz": 130},
        "right": {"contacts": "9-10-, C+", "amplitude": 3.1, "amplitude_unit": "V", "pulse_width_us": 90,
                  "frequency_hz": 60},
    }
    page = patient_client.get(f"/patients/{patient.pk}/treatments/dbs/{implant.pk}/").content.decode()
    assert "3.1 V" in page and "9-10-, C+" in page


@pytest.mark.parametrize("right, field, message", [
    ({**LEFT, "amplitude": "30"}, "right_amplitude", "30 mA is more than a stimulator can deliver (at most 25.5 mA)"),
    ({**LEFT, "amplitude": "12", "amplitude_unit": "V"}, "right_amplitude", "at most 10.5 V"),
    ({**LEFT, "pulse_width_us": "600"}, "right_pulse_width_us", "less than or equal to 500"),
    ({**LEFT, "frequency_hz": "1"}, "right_frequency_hz", "greater than or equal to 2"),
    ({**LEFT, "contacts": "first"}, "right_contacts", "Write the active contacts with their polarity"),
    ({**LEFT, "amplitude_unit": "W"}, "right_amplitude_unit", "Select a valid choice"),
    ({"contacts": "1-"}, "right_amplitude", "Give this too, or leave every right setting empty."),
    ({}, "left_contacts", "Enter the settings of at least one side."),
])
def test_programming_settings_are_checked(patient_client, patient, today, right, field, message):
    implant = DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=60), target="gpi")
    data = _programming(right=right)
    data["date"] = today.isoformat()
    response = patient_client.post(f"/patients/{patient.pk}/treatments/dbs/{implant.pk}/programming/new/", data)
    assert message in field_error(response, field)
    assert not DBSProgramming.objects.exists()


def test_programming_before_the_implant_is_refused(patient_client, patient, today):
    implant = DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=10), target="stn",
                                        side="left")
    url = f"/patients/{patient.pk}/treatments/dbs/{implant.pk}/programming/new/"
    page = patient_client.get(url).content.decode()
    assert 'name="left_contacts"' in page and 'name="right_contacts"' not in page
    data = _programming(left=LEFT)
    data["date"] = (today - timedelta(days=11)).isoformat()
    assert "This is before the implant" in patient_client.post(url, data).content.decode()


def test_procedure_and_therapy_are_saved(patient_client, patient, today):
    base = f"/patients/{patient.pk}/treatments"
    assert patient_client.post(f"{base}/procedures/new/", {"date": today.isoformat(), "kind": "myectomy",
                                                           "details": "Orbicularis oculi"}).status_code == 302
    assert patient_client.post(f"{base}/therapy/new/", {"date": today.isoformat(), "kind": "speech",
                                                        "duration_min": "40"}).status_code == 302
    other = patient_client.post(f"{base}/procedures/new/", {"date": today.isoformat(), "kind": "other"})
    assert "Say which procedure it was." in other.content.decode()
    page = patient_client.get(f"{base}/").content.decode()
    assert "Myectomy" in page and "Orbicularis oculi" in page and "Speech and voice therapy" in page


def test_side_effect_picker_offers_only_this_patients_treatments(patient_client, patient, other_patient, today):
    mine = make_injection(patient, today - timedelta(days=20))
    theirs = make_injection(other_patient, today - timedelta(days=20))
    course = MedicationCourse.objects.create(patient=patient, drug="clonazepam", dose_amount=1,
                                             start=today - timedelta(days=50))
    url = f"/patients/{patient.pk}/treatments/side-effects/new/"
    page = patient_client.get(url).content.decode()
    assert f'value="injection:{mine.pk}"' in page and f'value="medication:{course.pk}"' in page
    assert f'value="injection:{theirs.pk}"' not in page
    data = {"onset": (today - timedelta(days=14)).isoformat(), "kind": "dysphagia", "severity": "moderate",
            "duration_days": "10"}
    refused = patient_client.post(url, {**data, "treatment": f"injection:{theirs.pk}"}).content.decode()
    assert "Choose one of the treatments in this record, or none." in refused
    assert not AdverseEvent.objects.exists()
    assert patient_client.post(url, {**data, "treatment": f"injection:{mine.pk}"}).status_code == 302
    event = AdverseEvent.objects.get()
    assert (event.injection, event.medication, event.duration_days) == (mine, None, 10)
    # Relinking to the medicine clears the injection link.
    edit = f"/patients/{patient.pk}/treatments/side-effects/{event.pk}/edit/"
    assert f'value="injection:{mine.pk}" selected' in patient_client.get(edit).content.decode()
    patient_client.post(edit, {**data, "treatment": f"medication:{course.pk}"})
    event.refresh_from_db()
    assert (event.injection, event.medication) == (None, course)


def test_side_effect_before_its_treatment_is_refused(patient_client, patient, today):
    injection = make_injection(patient, today - timedelta(days=5))
    response = patient_client.post(f"/patients/{patient.pk}/treatments/side-effects/new/", {
        "onset": (today - timedelta(days=6)).isoformat(), "kind": "ptosis", "severity": "mild",
        "treatment": f"injection:{injection.pk}"})
    assert "This is before the treatment it is linked to" in response.content.decode()


def test_add_side_effect_link_from_an_injection_preselects_it(patient_client, patient, today):
    injection = make_injection(patient, today - timedelta(days=5))
    page = patient_client.get(f"/patients/{patient.pk}/treatments/side-effects/new/?treatment=injection:"
                              f"{injection.pk}").content.decode()
    assert f'value="injection:{injection.pk}" selected' in page
