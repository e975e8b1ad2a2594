"""The audit trail: every access by someone other than the patient is kept, and nothing can change it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests import factories
from tests.urlwalk import walk
from tests.web.conftest import logged_in
from torsion.web.accounts.permissions import Access
from torsion.web.audit import labels
from torsion.web.audit.models import AccessEvent, AppendOnlyError


@pytest.fixture
def record(patient, today):
    return factories.fill_record(patient, today=today)


def _events(patient):
    return list(AccessEvent.objects.filter(patient=patient).order_by("pk"))


def test_a_page_view_is_recorded_with_who_what_when_and_read(patient, clinician, record):
    client = logged_in(clinician.user)
    assert client.get(f"/patients/{patient.pk}/treatments/injections/{record['injection_id']}/").status_code == 200
    [event] = _events(patient)
    assert (event.actor_id, event.action, event.channel, event.status) == (clinician.user.pk, "read", "page", 200)
    assert event.route == "records:injection_detail" and event.object_type == "ToxinInjection"
    assert event.object_id == str(record["injection_id"])
    assert "Injection session" in event.what and "clinician" in event.actor_name


def test_one_row_per_request_however_often_the_record_is_read(patient, clinician, record):
    logged_in(clinician.user).get(f"/patients/{patient.pk}/")
    assert len(_events(patient)) == 1


def test_api_reads_and_writes_are_recorded(patient, clinician, record):
    client = logged_in(clinician.user)
    assert client.get(f"/api/patients/{patient.pk}/diary").status_code == 200
    response = client.post(f"/api/patients/{patient.pk}/medications",
                           data={"drug": "baclofen", "dose_amount": 5, "start": "2026-01-05"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    read, write = _events(patient)
    assert (read.channel, read.action) == ("api", "read")
    assert (write.channel, write.action, write.method, write.status) == ("api", "write", "POST", 201)


def test_an_export_and_a_recording_file_are_recorded_as_such(patient, clinician, record):
    client = logged_in(clinician.user)
    assert client.get(f"/patients/{patient.pk}/export/?file=diary").status_code == 200
    assert client.get(f"/patients/{patient.pk}/recordings/{record['recording_id']}/video/").status_code == 200
    export, video = _events(patient)
    assert export.channel == "export" and "diary" in export.what
    assert video.channel == "file" and video.object_type == "Recording"


def test_the_patients_own_use_is_not_recorded(patient, record):
    client = logged_in(patient.user)
    client.get(f"/patients/{patient.pk}/")
    client.get(f"/api/patients/{patient.pk}/diary")
    assert _events(patient) == []


def test_a_refused_request_leaves_no_row(patient, stranger_clinician, record):
    client = logged_in(stranger_clinician.user)
    assert client.get(f"/patients/{patient.pk}/").status_code == 404
    assert _events(patient) == []  # no access, nothing reached


def test_rows_stay_after_the_grant_is_revoked_and_the_patient_sees_them(patient, clinician, record):
    logged_in(clinician.user).get(f"/patients/{patient.pk}/history/")
    patient.grants.get(clinician=clinician).revoke()
    assert len(_events(patient)) == 1
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/access-log/")
    assert page.status_code == 200
    html = page.content.decode()
    assert clinician.user.shown_name in html and "History and charts" in html


def test_the_access_log_filters_by_person(patient, clinician, stranger_clinician, record):
    factories.grant(patient, stranger_clinician)
    logged_in(clinician.user).get(f"/patients/{patient.pk}/history/")
    logged_in(stranger_clinician.user).get(f"/patients/{patient.pk}/cycles/")
    html = logged_in(patient.user).get(f"/patients/{patient.pk}/access-log/?person={stranger_clinician.user.pk}") \
        .content.decode()
    assert "Injection cycles" in html and "History and charts" not in html


def test_the_clinician_sees_their_own_trail(patient, clinician, other_patient, record):
    factories.grant(other_patient, clinician)
    client = logged_in(clinician.user)
    client.get(f"/patients/{patient.pk}/history/")
    client.get(f"/patients/{other_patient.pk}/")
    html = client.get("/clinic/activity/").content.decode()
    assert str(patient) in html and str(other_patient) in html
    only = client.get(f"/clinic/activity/?patient={other_patient.pk}").content.decode()
    assert "History and charts" not in only and "Overview" in only


def test_rows_cannot_be_changed_or_deleted_through_the_models(patient, clinician, record):
    logged_in(clinician.user).get(f"/patients/{patient.pk}/")
    event = _events(patient)[0]
    event.what = "nothing"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(patient=patient).update(what="nothing")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(patient=patient).delete()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_update_whatever_the_code(patient, clinician, record):
    logged_in(clinician.user).get(f"/patients/{patient.pk}/")
    event = _events(patient)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET what = %s WHERE id = %s", ["forged", event.pk])
    assert AccessEvent.objects.get(pk=event.pk).what == event.what


def test_no_route_writes_to_the_audit_trail_but_by_recording(patient, clinician, record):
    """The audit pages answer only GET; a POST, PUT or DELETE to them changes nothing."""
    logged_in(clinician.user).get(f"/patients/{patient.pk}/")
    before = [(e.pk, e.what) for e in _events(patient)]
    owner = logged_in(patient.user)
    for url in (f"/patients/{patient.pk}/access-log/", "/clinic/activity/"):
        for method in ("post", "put", "delete", "patch"):
            assert getattr(owner, method)(url).status_code in (404, 405), (method, url)
    assert [(e.pk, e.what) for e in _events(patient)] == before


def test_the_patient_list_records_a_summary_view_of_each_patient_shown(patient, clinician, other_patient):
    factories.grant(other_patient, clinician)
    logged_in(clinician.user).get("/clinic/")
    for person in (patient, other_patient):
        [event] = _events(person)
        assert event.what == "Patient list: summary" and event.channel == "page"


def test_every_patient_page_has_a_label():
    unnamed = []
    for route, entry in walk():
        if "<int:patient_id>" not in route or entry.callback.patient_access is Access.OWNER:
            continue
        name = f"{_namespace(route, entry)}:{entry.name}"
        if name not in labels.PAGE_LABELS and not any(entry.name.endswith(s) for s in labels.KIND_SUFFIXES):
            unnamed.append(name)
    assert unnamed == []


def _namespace(route: str, entry) -> str:
    from django.urls import resolve

    from tests.urlwalk import fill, keywords

    return resolve(fill(route, {k: 1 if k != "day" and k != "kind" else ("2026-01-01" if k == "day" else "head")
                                for k in keywords(route)})).namespace


def test_repeated_identical_events_show_once_with_their_count_and_all_are_kept(patient, clinician, other_patient):
    factories.grant(other_patient, clinician)
    client = logged_in(clinician.user)
    for sort in ("name", "-name", "age"):
        client.get(f"/clinic/?sort={sort}")
    client.get(f"/patients/{patient.pk}/")
    client.get("/clinic/")
    assert len(_events(patient)) == 5  # every view is in the trail
    page = logged_in(patient.user).get(f"/patients/{patient.pk}/access-log/").content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 3  # the list once, the overview, the list three times in a row
    assert page.count("3 times since") == 1


def test_a_deletion_page_opened_is_not_named_a_deletion(patient, clinician, record):
    client = logged_in(clinician.user)
    path = f"/patients/{patient.pk}/treatments/injections/{record['injection_id']}/delete/"
    assert client.get(path).status_code == 200
    [opened] = _events(patient)
    assert "page asking to confirm a deletion" in opened.what and "(deleted)" not in opened.what
    client.post(path)
    deleted = _events(patient)[-1]
    assert deleted.action == "write" and "Injection session (deleted)" in deleted.what
