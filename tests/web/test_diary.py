from __future__ import annotations

import json
import uuid
from datetime import time, timedelta

import pytest

from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.records.models import DiaryEntry, DiaryRevision
from torsion.web.records.services import daily_series, diary_day_of

pytestmark = pytest.mark.django_db


def _day_url(patient, day):
    return f"/patients/{patient.pk}/diary/{day.isoformat()}/"


def test_check_in_saves_one_check_in_with_its_part_of_the_day(patient_client, patient, today):
    response = patient_client.post(_day_url(patient, today), {
        "period": "morning", "severity_neck": 6, "severity_upper_face": 2, "pain": 4, "triggers": ["stress", "heat"],
        "note": "long drive"})
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=patient, date=today)
    assert entry.period == "morning" and entry.time is None
    assert entry.severity == {"neck": 6, "upper_face": 2}
    assert entry.pain == 4 and entry.limitation is None
    assert entry.triggers == ["stress", "heat"] and entry.note == "long drive"
    assert entry.mean_severity == 4.0


def test_a_time_gives_the_part_of_the_day(patient_client, patient, today):
    patient_client.post(_day_url(patient, today), {"period": "morning", "time": "19:40", "severity_neck": 6,
                                                   "severity_upper_face": 2})
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.time == time(19, 40) and entry.period == "evening" and entry.when_label == "Evening, 19:40"


def test_part_of_the_day_or_a_time_is_needed(patient_client, patient, today):
    response = patient_client.post(_day_url(patient, today), {"severity_neck": 6, "severity_upper_face": 2})
    assert response.status_code == 200
    assert "Choose the part of the day, or type the time." in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_second_check_in_adds_and_says_what_saving_does(patient_client, patient, today):
    url = _day_url(patient, today)
    patient_client.post(url, {"period": "morning", "severity_neck": 2, "severity_upper_face": 2, "pain": 1})
    page = patient_client.get(url).content.decode()
    assert "You already checked in today" in page
    assert "Saving this form <strong>adds</strong> a check-in to this day; the one above stays as it is." in page
    assert "with the mean of its\n    2 check-ins" in page
    response = patient_client.post(url, {"period": "evening", "severity_neck": 8, "severity_upper_face": 6,
                                         "pain": 5}, follow=True)
    assert DiaryEntry.objects.filter(patient=patient, date=today).count() == 2
    assert not DiaryRevision.objects.exists()  # nothing was replaced
    said = response.content.decode()
    assert "Saved your evening check-in for" in said
    assert "That day now has 2 check-ins; its summary is their mean (severity 4.5 of 10)." in said


def test_several_check_ins_feed_the_days_mean(patient, today):
    yesterday = today - timedelta(days=1)
    for period, neck, face, pain in (("morning", 2, 4, 1), ("afternoon", 5, None, None), ("evening", 8, 6, 7)):
        severity = {"neck": neck, **({"upper_face": face} if face is not None else {})}
        DiaryEntry.objects.create(patient=patient, date=yesterday, period=period, severity=severity, pain=pain)
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 3}, limitation=2)
    # Each check-in's mean severity: 3, 5, 7 -> the day 5. Pain: (1 + 7) / 2; neck (2 + 5 + 8) / 3.
    assert daily_series(patient) == [(yesterday, 5.0), (today, 3.0)]
    assert daily_series(patient, "pain") == [(yesterday, 4.0)]
    assert daily_series(patient, "neck") == [(yesterday, 5.0), (today, 3.0)]
    assert daily_series(patient, "upper_face") == [(yesterday, 5.0)]
    assert daily_series(patient, "limitation") == [(today, 2.0)]
    day = diary_day_of(patient, yesterday)
    assert [e.period for e in day.checkins] == ["morning", "afternoon", "evening"]
    assert day.mean_severity == 5.0 and day.pain == 4.0 and day.limitation is None
    assert day.severity == {"neck": 5.0, "upper_face": 5.0}


def test_the_same_form_sent_twice_is_saved_once(patient_client, patient, today):
    key = str(uuid.uuid4())
    form = {"period": "afternoon", "severity_neck": 6, "severity_upper_face": 2, "key": key}
    patient_client.post(_day_url(patient, today), form)
    second = patient_client.post(_day_url(patient, today), form, follow=True)
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert str(DiaryEntry.objects.get().client_key) == key
    assert "This check-in was already saved" in second.content.decode()


def test_each_blank_form_has_its_own_key(patient_client, patient, today):
    pages = [patient_client.get(f"/patients/{patient.pk}/check-in/").content.decode() for _ in range(2)]
    keys = [page.split('name="key" value="')[1].split('"')[0] for page in pages]
    assert keys[0] != keys[1] and all(uuid.UUID(k) for k in keys)


def test_check_in_address_is_today(patient_client, patient, today):
    response = patient_client.post(f"/patients/{patient.pk}/check-in/", {"period": "evening", "severity_neck": 3,
                                                                         "severity_upper_face": 1})
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).date == today
    page = patient_client.get(f"/patients/{patient.pk}/check-in/").content.decode()
    assert "Today's check-in" in page and f'action="/patients/{patient.pk}/check-in/"' in page


def test_correcting_a_check_in_keeps_the_earlier_version(patient_client, patient, today):
    morning = DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 6})
    evening = DiaryEntry.objects.create(patient=patient, date=today, period="evening", severity={"neck": 7})
    url = f"{_day_url(patient, today)}{morning.pk}/"
    response = patient_client.post(url, {"period": "morning", "severity_neck": 3, "severity_upper_face": 2,
                                         "note": "corrected"})
    assert response.status_code == 302
    morning.refresh_from_db()
    assert morning.severity == {"neck": 3, "upper_face": 2} and morning.note == "corrected"
    revision = DiaryRevision.objects.get(entry=morning)
    assert revision.data["severity"] == {"neck": 6} and revision.saved_by == patient.user
    evening.refresh_from_db()
    assert evening.severity == {"neck": 7} and not evening.revisions.exists()
    page = patient_client.get(url).content.decode()
    assert "Earlier versions of this check-in (1)" in page


def test_a_check_in_is_corrected_only_under_its_own_day(patient_client, patient, today):
    entry = DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 6})
    wrong = f"{_day_url(patient, today - timedelta(days=1))}{entry.pk}/"
    assert patient_client.get(wrong).status_code == 404


def test_saving_the_same_values_adds_no_revision(patient_client, patient, today):
    entry = DiaryEntry.objects.create(patient=patient, date=today, period="morning",
                                      severity={"neck": 6, "upper_face": 2})
    for _ in range(2):
        patient_client.post(f"{_day_url(patient, today)}{entry.pk}/",
                            {"period": "morning", "severity_neck": 6, "severity_upper_face": 2})
    assert DiaryRevision.objects.count() == 0


def test_an_old_whole_day_check_in_may_stay_about_the_whole_day(patient_client, patient, today):
    day = today - timedelta(days=3)
    entry = DiaryEntry.objects.create(patient=patient, date=day, severity={"neck": 5, "jaw": 4})
    url = f"{_day_url(patient, day)}{entry.pk}/"
    page = patient_client.get(url).content.decode()
    assert 'name="severity_jaw"' in page  # a region no longer tracked stays editable
    assert 'value="day"' in page and "The whole day" in page
    patient_client.post(url, {"period": "day", "severity_neck": 5, "severity_upper_face": 1, "severity_jaw": 2})
    entry.refresh_from_db()
    assert entry.severity == {"neck": 5, "jaw": 2, "upper_face": 1} and entry.period == "day"
    # A new check-in cannot be about the whole day.
    patient_client.post(_day_url(patient, day), {"period": "day", "severity_neck": 5, "severity_upper_face": 1})
    assert DiaryEntry.objects.count() == 1


def test_future_day_is_redirected_to_today(patient_client, patient, today):
    url = _day_url(patient, today + timedelta(days=2))
    response = patient_client.post(url, {"period": "morning", "severity_neck": 1, "severity_upper_face": 1})
    assert response.status_code == 302 and today.isoformat() in response["Location"]
    assert not DiaryEntry.objects.exists()


def test_not_a_date_in_the_address_is_not_found(patient_client, patient):
    assert patient_client.get(f"/patients/{patient.pk}/diary/2026-02-30/").status_code == 404


def test_no_regions_yet_asks_for_them_first(db, today):
    from tests import factories

    fresh = factories.make_patient("fresh", regions=())
    client = logged_in(fresh.user)
    response = client.get(f"/patients/{fresh.pk}/check-in/")
    assert response.status_code == 302 and "/diary/regions/" in response["Location"]
    back = client.post(response["Location"], {"regions": ["jaw", "neck"]})
    assert back["Location"] == f"/patients/{fresh.pk}/check-in/"
    fresh.refresh_from_db()
    assert fresh.diary_regions == ["jaw", "neck"]


def test_read_only_clinician_sees_the_diary_but_cannot_check_in(patient, stranger_clinician, today):
    from tests import factories

    factories.grant(patient, stranger_clinician, can_edit=False)
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 5})
    DiaryEntry.objects.create(patient=patient, date=today, period="evening", severity={"neck": 8}, pain=3)
    client = logged_in(stranger_clinician.user)
    page = client.get(f"/patients/{patient.pk}/diary/").content.decode()
    assert "Check in now" not in page
    assert "Mean of 2 check-ins: severity 6.5, pain 3" in page
    assert "<strong>Morning:</strong>\n        Neck 5" in page and "<strong>Evening:</strong>\n        Neck 8; pain 3" in page
    for url in (f"/patients/{patient.pk}/check-in/", _day_url(patient, today)):
        assert client.post(url, {"period": "morning", "severity_neck": 1}).status_code == 404


def test_diary_pages_by_day(patient_client, patient, today):
    for offset in range(40):
        for period in ("morning", "evening"):
            DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=offset), period=period,
                                      severity={"neck": 4})
    first = patient_client.get(f"/patients/{patient.pk}/diary/").content.decode()
    assert first.count('class="diary-day"') == 31 and "Page 1 of 2" in first
    second = patient_client.get(f"/patients/{patient.pk}/diary/?page=2").content.decode()
    assert second.count('class="diary-day"') == 9


def test_dashboard_shows_summary_and_chart(patient_client, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=1), period="morning", severity={"neck": 7})
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=1), period="evening", severity={"neck": 4})
    html = patient_client.get(f"/patients/{patient.pk}/").content.decode()
    assert "2 check-ins on 1 day in the last 30 days" in html
    assert "(severity 5.5 of 10, the mean of 2 check-ins)" in html
    assert '<svg class="chart"' in html and "Daily severity, last 90 days" in html


# --- API -------------------------------------------------------------------------------------------

def _put(client, patient, day, body):
    return client.put(f"/api/patients/{patient.pk}/diary/{day}", json.dumps(body), content_type="application/json")


def _post(client, patient, body):
    return client.post(f"/api/patients/{patient.pk}/diary", json.dumps(body), content_type="application/json")


def test_api_round_trip(patient_client, patient, today):
    response = _put(patient_client, patient, today.isoformat(), {"severity": {"neck": 4}, "pain": 2,
                                                                  "triggers": ["stress"]})
    assert response.status_code == 200, response.content
    assert response.json()["mean_severity"] == 4.0 and response.json()["period"] == "day"
    listed = patient_client.get(f"/api/patients/{patient.pk}/diary").json()
    assert [e["date"] for e in listed] == [today.isoformat()]
    assert patient_client.get("/api/me").json()["patient_id"] == patient.pk


def test_api_check_ins_are_stored_once_per_key(patient_client, patient, today):
    key = str(uuid.uuid4())
    body = {"date": today.isoformat(), "period": "morning", "severity": {"neck": 2}, "pain": 1, "key": key}
    first = _post(patient_client, patient, body)
    assert first.status_code == 201, first.content
    again = _post(patient_client, patient, {**body, "severity": {"neck": 9}})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["severity"] == {"neck": 2}  # the check-in stored first stands
    evening = _post(patient_client, patient, {"date": today.isoformat(), "time": "20:15", "severity": {"neck": 6},
                                              "pain": 5})
    assert evening.status_code == 201 and evening.json()["period"] == "evening" and evening.json()["time"] == "20:15:00"
    assert DiaryEntry.objects.filter(patient=patient).count() == 2
    day = patient_client.get(f"/api/patients/{patient.pk}/diary/{today.isoformat()}").json()
    assert day["check_ins"] == 2 and day["mean_severity"] == 4.0 and day["pain"] == 3.0
    assert [e["period"] for e in day["entries"]] == ["morning", "evening"]
    days = patient_client.get(f"/api/patients/{patient.pk}/diary/days").json()
    assert days == [{"date": today.isoformat(), "check_ins": 2, "mean_severity": 4.0, "severity": {"neck": 4.0},
                     "pain": 3.0, "limitation": None}]


def test_api_put_on_a_day_with_several_check_ins_is_refused(patient_client, patient, today):
    for period in ("morning", "evening"):
        DiaryEntry.objects.create(patient=patient, date=today, period=period, severity={"neck": 5})
    before = database_state()
    response = _put(patient_client, patient, today.isoformat(), {"severity": {"neck": 1}})
    assert response.status_code == 409 and "That day has 2 check-ins" in response.json()["detail"]
    assert database_state() == before


def test_api_corrects_one_check_in(patient_client, patient, today):
    entry = DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 5})
    response = patient_client.put(f"/api/patients/{patient.pk}/diary/check-ins/{entry.pk}",
                                  json.dumps({"severity": {"neck": 2}, "time": "13:05"}),
                                  content_type="application/json")
    assert response.status_code == 200, response.content
    entry.refresh_from_db()
    assert entry.severity == {"neck": 2} and entry.period == "afternoon" and entry.time == time(13, 5)
    assert entry.revisions.get().data["severity"] == {"neck": 5}


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
    posted = _post(patient_client, patient, {"date": today.isoformat(), "period": "morning", **body})
    assert posted.status_code == 422 and message in json.dumps(posted.json())
    assert database_state() == before


@pytest.mark.parametrize("body, message", [
    ({"period": "night"}, "Input should be 'morning', 'afternoon' or 'evening'"),
    ({}, "Give the part of the day (period) or the time."),
    ({"period": "morning", "key": "not-a-key"}, "Input should be a valid UUID"),
])
def test_api_new_check_in_needs_a_part_of_the_day(patient_client, patient, today, body, message):
    response = _post(patient_client, patient, {"date": today.isoformat(), "severity": {"neck": 3}, **body})
    assert response.status_code == 422 and message in json.dumps(response.json())
    assert not DiaryEntry.objects.exists()


def test_api_rejects_future_day(patient_client, patient, today):
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = _put(patient_client, patient, tomorrow, {"severity": {"neck": 1}})
    assert response.status_code == 422 and "not happened yet" in response.json()["detail"]
    posted = _post(patient_client, patient, {"date": tomorrow, "period": "morning", "severity": {"neck": 1}})
    assert posted.status_code == 422 and "not happened yet" in posted.json()["detail"]


def test_alcohol_is_listed_as_reported_not_suggested(patient_client, patient, today):
    from torsion.clinical import catalogue

    labels = dict(catalogue.RELIEVERS)
    assert labels["alcohol"] == "Alcohol (not a treatment)"
    assert list(labels)[-1] == "alcohol"  # last, after everything that is a treatment or self-care
    assert not any(mark in label for label in labels.values() for mark in ",;")  # the export separates with these
    page = patient_client.get(f"/patients/{patient.pk}/check-in/").content.decode()
    assert "Alcohol (not a treatment)" in page
    assert "not a list of suggestions" in page and "it is not a treatment." in page
