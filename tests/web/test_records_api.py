"""The treatment log and the cycle analysis through the JSON API: same rules and messages as the pages."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.core.dates import short_date
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    DBSProgramming,
    DiaryEntry,
    InjectionLine,
    MedicationCourse,
    ToxinInjection,
)

pytestmark = pytest.mark.django_db


def call(client, method, url, body=None):
    response = client.generic(method, url, data=None if body is None else json.dumps(body),
                              content_type="application/json")
    return response, (response.json() if response.content else None)


def messages(payload) -> list[tuple[list, str]]:
    return [(error["loc"], error["msg"]) for error in payload["detail"]]


def injection_body(day, **changes):
    return {"date": day.isoformat(), "product": "onabotulinumtoxinA", "guidance": "emg",
            "lines": [{"muscle": "sternocleidomastoid", "side": "left", "units": 40, "sites": 2},
                      {"muscle": "splenius_capitis", "side": "right", "units": 80.5, "sites": 3}], **changes}


def test_injection_add_read_correct_delete(patient_client, patient, today):
    base = f"/api/patients/{patient.pk}/injections"
    response, created = call(patient_client, "POST", base, injection_body(today - timedelta(days=2)))
    assert response.status_code == 201, created
    assert created["total_units"] == 120.5 and created["confirmed_checks"] == []
    assert [(line["muscle_name"], line["units"]) for line in created["lines"]] == [
        ("Sternocleidomastoid", 40.0), ("Splenius capitis", 80.5)]
    url = f"{base}/{created['id']}"
    assert call(patient_client, "GET", url)[1] == created
    body = injection_body(today - timedelta(days=2), lines=[{"muscle": "trapezius", "side": "bilateral",
                                                             "units": 700}])
    before = database_state()
    response, refused = call(patient_client, "PUT", url, body)  # unusual: refused until confirmed
    assert response.status_code == 422 and database_state() == before
    expected_checks = [
        "Trapezius (both sides): 700 units of onabotulinumtoxinA (Botox) is more than the 5 to 400 units usually "
        "recorded for a large neck or shoulder muscle on both sides with this product.",
        "700 units of onabotulinumtoxinA (Botox) in this session is more than the label maximum of 400 units in any "
        "12 weeks (the US label, all uses together)."]
    assert [(e["loc"], e["msg"], e["type"]) for e in refused["detail"]] == [
        (["body", "payload", "lines", 0, "units"], expected_checks[0], "dose_check"),
        (["body", "payload"], expected_checks[1], "dose_check")]
    response, corrected = call(patient_client, "PUT", url, {**body, "confirm": True})
    assert response.status_code == 200
    assert [line["muscle"] for line in corrected["lines"]] == ["trapezius"] and InjectionLine.objects.count() == 1
    assert corrected["confirmed_checks"] == expected_checks
    assert call(patient_client, "PUT", url, body)[0].status_code == 200  # the same values are not checked twice
    DiaryEntry.objects.create(patient=patient, date=today, severity={"neck": 3})
    assert call(patient_client, "DELETE", url)[0].status_code == 204
    assert not ToxinInjection.objects.exists() and DiaryEntry.objects.count() == 1


def test_injection_totals_keep_products_apart(patient_client, patient, today):
    base = f"/api/patients/{patient.pk}/injections"
    call(patient_client, "POST", base, injection_body(today - timedelta(days=100)))
    call(patient_client, "POST", base, injection_body(today - timedelta(days=10), product="abobotulinumtoxinA"))
    call(patient_client, "POST", base, injection_body(today - timedelta(days=5), product="other",
                                                      product_other="Relatox", confirm=True))  # 5 days later
    totals = call(patient_client, "GET", f"/api/patients/{patient.pk}/injection-totals")[1]
    assert sorted((t["product"], t["sessions"], t["total_units"]) for t in totals) == [
        ("abobotulinumtoxinA", 1, 120.5), ("onabotulinumtoxinA", 1, 120.5), ("other:relatox", 1, 120.5)]


@pytest.mark.parametrize("changes, loc, message", [
    ({"date": "TOMORROW"}, ["body", "payload", "date"], "An injection in the future is a plan, not a record"),
    ({"product": "botox"}, ["body", "payload", "product"], "Select a valid choice"),
    ({"product": "other"}, ["body", "payload", "product_other"], "Give the product's name."),
    ({"lines": []}, ["body", "payload", "lines"], "Add at least one muscle with its units."),
    ({"lines": [{"muscle": "trapezius", "side": "left", "units": 0}]}, ["body", "payload", "lines", 0, "units"],
     "greater than or equal to 0.01"),
    ({"lines": [{"muscle": "trapezius", "side": "left", "units": 5}, {"muscle": "trapezius", "side": "left",
                                                                      "units": 7}]},
     ["body", "payload", "lines"], "Trapezius (left) is listed twice"),
])
def test_injection_rules_give_422_and_change_nothing(patient_client, patient, today, changes, loc, message):
    if changes.get("date") == "TOMORROW":
        changes["date"] = (today + timedelta(days=1)).isoformat()
    before = database_state()
    response, payload = call(patient_client, "POST", f"/api/patients/{patient.pk}/injections",
                             injection_body(today, **changes))
    assert response.status_code == 422
    assert any(where == loc and message in text for where, text in messages(payload)), payload
    assert database_state() == before


def test_malformed_body_is_422_too(patient_client, patient, today):
    response, payload = call(patient_client, "POST", f"/api/patients/{patient.pk}/injections",
                             {"date": "yesterday", "product": "onabotulinumtoxinA", "lines": []})
    assert response.status_code == 422 and payload["detail"][0]["loc"][-1] == "date"


def test_medication_rules(patient_client, patient, today):
    body = {"drug": "baclofen", "dose_amount": 10, "start": (today - timedelta(days=5)).isoformat(),
            "stop": (today - timedelta(days=9)).isoformat()}
    response, payload = call(patient_client, "POST", f"/api/patients/{patient.pk}/medications", body)
    assert response.status_code == 422
    assert messages(payload) == [(["body", "payload", "stop"], "The stop date cannot be before the start date "
                                                              f"({short_date(today - timedelta(days=5))}).")]
    body["stop"] = None
    response, created = call(patient_client, "POST", f"/api/patients/{patient.pk}/medications", body)
    assert response.status_code == 201 and created["name"] == "Baclofen" and created["dose_amount"] == 10.0
    assert MedicationCourse.objects.get().stop is None


def test_programming_through_the_api(patient_client, patient, today):
    implant = DBSImplant.objects.create(patient=patient, implant_date=today - timedelta(days=40), target="gpi",
                                        side="left")
    url = f"/api/patients/{patient.pk}/dbs-implants/{implant.pk}/programming"
    left = {"contacts": "2-, C+", "amplitude": 3.2, "amplitude_unit": "V", "pulse_width_us": 60, "frequency_hz": 130}
    response, payload = call(patient_client, "POST", url, {"date": today.isoformat(),
                                                           "settings": {"left": left, "right": left}})
    assert response.status_code == 422
    assert messages(payload) == [(["body", "payload", "settings", "right"],
                                  "This implant has no right side; give left.")]
    response, payload = call(patient_client, "POST", url, {"date": today.isoformat(),
                                                           "settings": {"left": {**left, "amplitude": 11}}})
    assert messages(payload) == [(["body", "payload", "settings", "left", "amplitude"],
                                  "11 V is more than a stimulator can deliver (at most 10.5 V); check the number "
                                  "and the unit (mA or V).")]
    response, created = call(patient_client, "POST", url, {"date": today.isoformat(), "settings": {"left": left}})
    assert response.status_code == 201
    assert DBSProgramming.objects.get().settings == {"left": {**left, "amplitude": 3.2}}
    assert call(patient_client, "GET", f"{url}/{created['id']}")[1]["settings"]["left"]["contacts"] == "2-, C+"


def test_side_effect_links_only_this_patients_treatments(patient_client, patient, other_patient, today):
    theirs = ToxinInjection.objects.create(patient=other_patient, date=today - timedelta(days=9),
                                           product="onabotulinumtoxinA")
    mine = ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=9), product="onabotulinumtoxinA")
    course = MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=Decimal(5),
                                             start=today - timedelta(days=90))
    url = f"/api/patients/{patient.pk}/adverse-events"
    body = {"onset": (today - timedelta(days=3)).isoformat(), "kind": "dysphagia", "severity": "mild"}
    response, payload = call(patient_client, "POST", url, {**body, "injection_id": theirs.pk})
    assert messages(payload) == [(["body", "payload", "injection_id"],
                                  "Choose one of the treatments in this record, or none.")]
    response, payload = call(patient_client, "POST", url, {**body, "injection_id": mine.pk,
                                                           "medication_id": course.pk})
    assert messages(payload) == [(["body", "payload"], "Link a side effect to one treatment at most.")]
    response, created = call(patient_client, "POST", url, {**body, "injection_id": mine.pk})
    assert response.status_code == 201 and created["injection_id"] == mine.pk
    assert AdverseEvent.objects.get().injection == mine


def test_read_only_clinician_can_read_but_not_write(patient, stranger_clinician, today):
    from tests import factories

    factories.grant(patient, stranger_clinician, can_edit=False)
    client = logged_in(stranger_clinician.user)
    assert call(client, "GET", f"/api/patients/{patient.pk}/injections")[0].status_code == 200
    response, _ = call(client, "POST", f"/api/patients/{patient.pk}/injections", injection_body(today))
    assert response.status_code == 404 and not ToxinInjection.objects.exists()
