from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.records.models import DiaryEntry, DiaryRevision

pytestmark = pytest.mark.django_db


def test_check_in_saves_one_entry_per_day(patient_client, patient, today):
    url = f"/patients/{patient.pk}/diary/{today.isoformat()}/"
    response = patient_client.post(url, {"severity_neck": 6, "severity_upper_face": 2, "pain": 4,
                                         "triggers": ["stress", "heat"], "note": "long drive"})
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=patient, date=today)
    assert entry.severity == {"neck": 6, "upper_face": 2}
    assert entry.pain == 4 and entry.limitation is None
    assert entry.triggers == ["stress", "heat"] and entry.note == "long drive"
    assert entry.mean_severity == 4.0


def test_correcting_a_day_keeps_the_earlier_version(patient_client, patient, today):
    url = f"/patients/{patient.pk}/diary/{today.isoformat()}/"
    patient_client.post(url, {"severity_neck": 6, "severity_upper_face": 2})
    patient_client.post(url, {"severity_neck": 3, "severity_upper_face": 2, "note": "corrected"})
    entry = DiaryEntry.objects.get(patient=patient, date=today)
    assert entry.severity["neck"] == 3 and DiaryEntry.objects.filter(patient=patient).count() == 1
    revision = DiaryRevision.objects.get(entry=entry)
    assert revision.data["severity"]["neck"] == 6 and revision.saved_by == patient.user
    page = patient_client.get(url).content.decode()
    assert "Earlier versions of this day (1)" in page


def test_saving_the_same_values_adds_no_revision(patient_client, patient, today):
    url = f"/patients/{patient.pk}/diary/{today.isoformat()}/"
    for _ in range(2):
        patient_client.post(url, {"severity_neck": 6, "severity_upper_face": 2})
    assert DiaryRevision.objects.count() == 0


def test_region_no_longer_tracked_is_kept_when_editing(patient_client, patient, today):
    day = today - timedelta(days=3)
    DiaryEntry.objects.create(patient=patient, date=day, severity={"neck": 5, "jaw": 4})
    url = f"/patients/{patient.pk}/diary/{day.isoformat()}/"
    page = patient_client.get(url).content.decode()
    assert 'name="severity_jaw"' in page
    patient_client.post(url, {"severity_neck": 5, "severity_upper_face": 1, "severity_jaw": 2})
    assert DiaryEntry.objects.get(patient=patient, date=day).severity == {"neck": 5, "jaw": 2, "upper_face": 1}


def test_future_day_is_redirected_to_today(patient_client, patient, today):
    url = f"/patients/{patient.pk}/diary/{(today + timedelta(days=2)).isoformat()}/"
    response = patient_client.post(url, {"severity_neck": 1, "severity_upper_face": 1})
    assert response.status_code == 302 and today.isoformat() in response["Location"]
    assert not DiaryEntry.objects.exists()


def test_not_a_date_in_the_address_is_not_found(patient_client, patient):
    assert patient_client.get(f"/patients/{patient.pk}/diary/2026-02-30/").status_code == 404


def test_no_regions_yet_asks_for_them_first(db, today):
    from tests import factories

    fresh = factories.make_patient("fresh", regions=())
    client = logged_in(fresh.user)
    response = client.get(f"/patients/{fresh.pk}/diary/{today.isoformat()}/")
    assert response.status_code == 302 and "/diary/regions/" in response["Location"]
    back = client.post(response["Location"], {"regions": ["jaw", "neck"]})
    assert back["Location"] == f"/patients/{fresh.pk}/diary/{today.isoformat()}/"
    fresh.refresh_from_db()
    assert fresh.diary_regions == ["jaw", "neck"]


def test_read_only_clinician_sees_the_diary_but_cannot_check_in(patient, stranger_clinician, today):
    from tests import factories

    factories.grant(patient, stranger_clinician, can_edit=False)
    DiaryEntry.objects.create(patient=patient, date=today, severity={"neck": 5})
    client = logged_in(stranger_clinician.user)
    page = client.get(f"/patients/{patient.pk}/diary/").content.decode()
    assert "Check in for today" not in page and "Neck 5" in page
    assert client.post(f"/patients/{patient.pk}/diary/{today.isoformat()}/", {"severity_neck": 1}).status_code == 404


def test_dashboard_shows_summary_and_chart(patient_client, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=1), severity={"neck": 7})
    html = patient_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "1 check-in in the last 30 days" in html
    assert '<svg class="chart"' in html and "Daily severity, last 90 days" in html


# --- API -------------------------------------------------------------------------------------------

def _put(client, patient, day, body):
    return client.put(f"/api/patients/{patient.pk}/diary/{day}", json.dumps(body), content_type="application/json")


def test_api_round_trip(patient_client, patient, today):
    response = _put(patient_client, patient, today.isoformat(), {"severity": {"neck": 4}, "pain": 2,
                                                                  "triggers": ["stress"]})
    assert response.status_code == 200, response.content
    assert response.json()["mean_severity"] == 4.0
    listed = patient_client.get(f"/api/patients/{patient.pk}/diary").json()
    assert [e["date"] for e in listed] == [today.isoformat()]
    assert patient_client.get("/api/me").json()["patient_id"] == patient.pk


@pytest.mark.parametrize("body, message", [
    ({"severity": {}}, "score at least one body region"),
    ({"severity": {"tail": 3}}, "unknown body region tail"),
    ({"severity": {"neck": 11}}, "severity must be 0 to 10"),
    ({"severity": {"neck": 3}, "pain": 12}, "less than or equal to 10"),
    ({"severity": {"neck": 3}, "triggers": ["moon"]}, "unknown trigger moon"),
    ({"pain": 3}, "Field required"),
])
def test_api_rejects_bad_input_and_changes_nothing(patient_client, patient, today, body, message):
    before = database_state()
    response = _put(patient_client, patient, today.isoformat(), body)
    assert response.status_code == 422
    assert message in json.dumps(response.json())
    assert database_state() == before


def test_api_rejects_future_day(patient_client, patient, today):
    response = _put(patient_client, patient, (today + timedelta(days=1)).isoformat(), {"severity": {"neck": 1}})
    assert response.status_code == 422 and "not happened yet" in response.json()["detail"]


def test_alcohol_is_listed_as_reported_not_suggested(patient_client, patient, today):
    from torsion.clinical import catalogue

    labels = dict(catalogue.RELIEVERS)
    assert labels["alcohol"] == "Alcohol (not a treatment)"
    assert list(labels)[-1] == "alcohol"  # last, after everything that is a treatment or self-care
    assert not any(mark in label for label in labels.values() for mark in ",;")  # the export separates with these
    page = patient_client.get(f"/patients/{patient.pk}/diary/{today.isoformat()}/").content.decode()
    assert "Alcohol (not a treatment)" in page
    assert "not a list of suggestions" in page and "it is not a treatment." in page
