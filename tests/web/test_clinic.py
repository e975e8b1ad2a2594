"""The clinician's patient list: what each row says, sorting, searching, and keeping the summaries fresh."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.web.conftest import logged_in
from torsion.web.clinic.models import PatientSummary
from torsion.web.core.demo import add_simulated_history
from torsion.web.learn.diagnosis import save_diagnosis
from torsion.web.recordings.models import Recording
from torsion.web.records import models as records


def _rows(html: str) -> list[str]:
    """The patients' names in the order the list shows them."""
    return re.findall(r'<th scope="row" data-label="Patient"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def practice(db, today):
    """A clinician with three patients: long intervals (benefit wears off early), short ones, and none."""
    doctor = factories.make_clinician("dr-lee")
    early = factories.make_patient("early")
    early.date_of_birth = date(today.year - 50, 1, 1)
    early.save()
    add_simulated_history(early, {"neck": 6.5}, start=today - timedelta(days=3 * 365), end=today, seed=3,
                          interval_days=(84, 98))
    save_diagnosis(early, {"regions": ["neck"], "onset_age": 41}, by=early.user)
    lasting = factories.make_patient("lasting")
    lasting.date_of_birth = date(today.year - 30, 1, 1)
    lasting.save()
    add_simulated_history(lasting, {"neck": 6.5}, start=today - timedelta(days=3 * 365), end=today, seed=3,
                          interval_days=(50, 55))
    new = factories.make_patient("newcomer")
    for person, can_edit in ((early, True), (lasting, False), (new, False)):
        factories.grant(person, doctor, can_edit=can_edit)
    return doctor, early, lasting, new


def test_each_row_shows_age_diagnosis_last_injection_wearing_off_and_access(practice, today):
    doctor, early, lasting, new = practice
    html = logged_in(doctor.user).get("/clinic/").content.decode()
    assert _rows(html) == ["early", "lasting", "newcomer"]
    row = html[html.index(">early<"):html.index(">lasting<")]
    last = records.ToxinInjection.objects.filter(patient=early).order_by("-date").first()
    assert ">50<" in row and "Cervical dystonia" in row
    assert last.date.strftime("%-d %b %Y") in row and f"{(today - last.date).days} day" in row
    assert "<strong>Yes</strong>" in row and "May record" in row
    other = html[html.index(">lasting<"):html.index(">newcomer<")]
    assert "<strong>Yes</strong>" not in other and "Read only" in other
    assert "not enough cycles" in html[html.index(">newcomer<"):]


def test_sorting_by_each_heading_and_direction(practice):
    doctor, *_ = practice
    client = logged_in(doctor.user)
    assert _rows(client.get("/clinic/?sort=age").content.decode()) == ["lasting", "early", "newcomer"]
    assert _rows(client.get("/clinic/?sort=age&dir=desc").content.decode())[0] == "newcomer"
    assert _rows(client.get("/clinic/?sort=wearing").content.decode())[0] == "early"
    assert _rows(client.get("/clinic/?sort=access").content.decode())[0] == "early"
    html = client.get("/clinic/?sort=name&dir=desc").content.decode()
    assert _rows(html) == ["newcomer", "lasting", "early"]
    assert 'aria-sort="descending"' in html
    assert _rows(client.get("/clinic/?sort=nonsense").content.decode()) == ["early", "lasting", "newcomer"]


def test_search_by_name_and_diagnosis(practice):
    doctor, *_ = practice
    client = logged_in(doctor.user)
    assert _rows(client.get("/clinic/?q=LAST").content.decode()) == ["lasting"]
    assert _rows(client.get("/clinic/?q=cervical").content.decode()) == ["early"]
    assert "No patient matches" in client.get("/clinic/?q=zzz").content.decode()


def test_a_summary_is_rebuilt_when_the_record_changes(practice, today):
    doctor, early, lasting, new = practice
    client = logged_in(doctor.user)
    client.get("/clinic/")
    assert PatientSummary.objects.get(patient=new).last_injection is None
    session = records.ToxinInjection.objects.create(patient=new, date=today - timedelta(days=3),
                                                    product="incobotulinumtoxinA")
    assert PatientSummary.objects.get(patient=new).stale
    html = client.get("/clinic/").content.decode()
    assert "3 days ago" in html[html.index(">newcomer<"):]
    session.delete()
    assert "none" in client.get("/clinic/").content.decode().split(">newcomer<")[1][:2000]


def test_latest_measurement_change_is_shown(practice, today):
    doctor, early, *_ = practice
    for days_ago, yaw in ((40, 18.0), (5, 9.5)):
        Recording.objects.create(patient=early, kind="head", task="rest", content_type="video/webm", size_bytes=1,
                                 status="done", metrics={"yaw_median_deg": yaw},
                                 recorded_at=f"{(today - timedelta(days=days_ago)).isoformat()}T10:00:00Z")
    html = logged_in(doctor.user).get("/clinic/").content.decode()
    assert "Rotation (median): 18.0° → 9.5°" in html.replace("&gt;", ">").replace("&#x27;", "'")


def test_only_patients_sharing_with_this_clinician_are_listed(practice, other_patient):
    doctor, early, lasting, new = practice
    early.grants.get(clinician=doctor).revoke()
    names = _rows(logged_in(doctor.user).get("/clinic/").content.decode())
    assert names == ["lasting", "newcomer"] and "other" not in names


def test_the_list_is_for_clinicians_only(patient):
    assert logged_in(patient.user).get("/clinic/").status_code == 404


def test_line_changes_mark_the_summary_stale(practice, today):
    doctor, early, *_ = practice
    logged_in(doctor.user).get("/clinic/")
    session = records.ToxinInjection.objects.filter(patient=early).first()
    records.InjectionLine.objects.create(injection=session, muscle="trapezius", side="left", units=Decimal(20))
    assert PatientSummary.objects.get(patient=early).stale


@pytest.mark.parametrize("value, unit, shown", [(54.0, "", "54"), (2.5, "", "2.5"), (18.0, "°", "18.0°"),
                                                (0.62, "%", "0.6%"), (12.0, "blinks/min", "12.0 blinks/min")])
def test_measures_in_the_list_are_written_as_people_write_them(value, unit, shown):
    from torsion.web.clinic.summary import _number

    assert _number(value, unit) == shown


@pytest.mark.parametrize("page, current", [
    ("", "Overview"), ("diary/", "Diary"), ("treatments/", "Treatments"), ("history/", "History"),
    ("cycles/", "Toxin cycles"), ("scales/", "Rating scales"), ("recordings/", "Measurements"),
    ("drawings/", "Drawings"), ("diagnosis/", "Diagnosis"), ("report/", "Visit report"),
    ("export/", "Import and export"),
])
def test_every_section_of_the_record_shows_the_record_tabs_with_itself_current(patient, clinician, page, current):
    html = logged_in(clinician.user).get(f"/patients/{patient.pk}/{page}").content.decode()
    nav = html[html.index('<nav class="record-nav"'):]
    nav = nav[:nav.index("</nav>")]
    assert nav.count("<li>") == 11 and nav.count('aria-current="page"') == 1
    assert f'aria-current="page">{current}</a>' in nav
    # the patient's name in the banner leads back to the overview
    assert f'The record of <a href="/patients/{patient.pk}/"><strong>{patient}</strong></a>' in html
