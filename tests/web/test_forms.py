"""Bad input on every form: a clear message next to the field, and nothing changed in the database.

Each case names the form's address, who sends it, the bad data, the field that must carry the
message and words of that message. Forms added later get a row here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.learn.diagnosis import save_diagnosis


def _upload(value):
    """Stand-in files for upload forms: a text file, or the first bytes of a WebM video."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if value == "TEXTFILE":
        return SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain")
    if value == "WEBM":
        return SimpleUploadedFile("a.webm", b"\x1a\x45\xdf\xa3" + b"\0" * 60, content_type="video/webm")
    return value

pytestmark = pytest.mark.django_db


def _cases(today):
    tomorrow = (today + timedelta(days=1)).isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()
    return [
        # (id, url template, user, data, field, message)
        ("signup-mismatch", "/accounts/signup/", None,
         {"username": "newbie", "role": "patient", "password1": "violet-Harbour-1987", "password2": "other-Harbour-1987"},
         "password2", "didn’t match"),
        ("signup-short-password", "/accounts/signup/", None,
         {"username": "newbie", "role": "patient", "password1": "short", "password2": "short"},
         "password2", "too short"),
        ("signup-taken-name", "/accounts/signup/", None,
         {"username": "pat", "role": "patient", "password1": "violet-Harbour-1987", "password2": "violet-Harbour-1987"},
         "username", "already exists"),
        ("signup-bad-role", "/accounts/signup/", None,
         {"username": "newbie", "role": "admin", "password1": "violet-Harbour-1987", "password2": "violet-Harbour-1987"},
         "role", "Select a valid choice"),
        ("signup-bad-email", "/accounts/signup/", None,
         {"username": "newbie", "role": "patient", "email": "not-an-address", "password1": "violet-Harbour-1987",
          "password2": "violet-Harbour-1987"},
         "email", "valid email"),
        ("login-empty", "/accounts/login/", None, {"username": "", "password": ""}, "username", "required"),
        ("profile-bad-email", "/accounts/profile/", "patient", {"display_name": "x", "email": "nope"}, "email",
         "valid email"),
        ("password-change-wrong-old", "/accounts/password/change/", "patient",
         {"old_password": "wrong", "new_password1": "violet-Harbour-1987", "new_password2": "violet-Harbour-1987"},
         "old_password", "incorrect"),
        ("password-reset-bad-email", "/accounts/password/reset/", None, {"email": "nope"}, "email", "valid email"),
        ("diary-missing-severity", "/patients/{pid}/diary/{yesterday}/", "patient",
         {"severity_upper_face": 3, "pain": 2}, "severity_neck", "required"),
        ("diary-out-of-range", "/patients/{pid}/diary/{yesterday}/", "patient",
         {"severity_neck": 11, "severity_upper_face": 3}, "severity_neck", "Select a valid choice"),
        ("diary-bad-pain", "/patients/{pid}/diary/{yesterday}/", "patient",
         {"severity_neck": 4, "severity_upper_face": 3, "pain": "-1"}, "pain", "Select a valid choice"),
        ("diary-unknown-trigger", "/patients/{pid}/diary/{yesterday}/", "patient",
         {"severity_neck": 4, "severity_upper_face": 3, "triggers": ["moon"]}, "triggers", "Select a valid choice"),
        ("diary-note-too-long", "/patients/{pid}/diary/{yesterday}/", "patient",
         {"severity_neck": 4, "severity_upper_face": 3, "note": "x" * 2001}, "note", "at most 2000"),
        ("regions-none", "/patients/{pid}/diary/regions/", "patient", {}, "regions", "at least one"),
        ("regions-unknown", "/patients/{pid}/diary/regions/", "patient", {"regions": ["tail"]}, "regions",
         "Select a valid choice"),
        ("diary-day-future", "/patients/{pid}/diary/?date={tomorrow}", "patient", None, "date",
         "has not happened yet"),
        ("classify-no-regions", "/learn/classify/", None, {"onset_age": "30"}, "regions", "at least one part"),
        ("classify-age-too-high", "/learn/classify/", None, {"regions": ["neck"], "onset_age": "130"}, "onset_age",
         "less than or equal to 120"),
        ("classify-unknown-region", "/learn/classify/", None, {"regions": ["tail"], "onset_age": "30"}, "regions",
         "Select a valid choice"),
        ("classify-writing-without-arm", "/learn/classify/", None,
         {"regions": ["neck"], "onset_age": "30", "task_specific": "writing"}, "regions", "needs an arm"),
        ("classify-cause-contradiction", "/learn/classify/", None,
         {"regions": ["neck"], "onset_age": "30", "cause_type": "acquired", "inheritance": "autosomal_dominant"},
         "inheritance", "only fits an inherited cause"),
        ("classify-signs-missing", "/learn/classify/", None,
         {"regions": ["neck"], "onset_age": "30", "associated_status": "some"}, "associated", "Choose the other signs"),
        ("diagnosis-correct-bad-age", "/patients/{pid}/diagnosis/{summary}/correct/", "patient",
         {"regions": ["neck"], "onset_age": "-3", "confirm_save": "1"}, "onset_age", "greater than or equal to 0"),
        ("recording-upload-not-video", "/patients/{pid}/recordings/new/head/", "patient",
         {"task": "rest", "video": "TEXTFILE"}, "video", "not a video file"),
        ("recording-upload-no-file", "/patients/{pid}/recordings/new/head/", "patient", {"task": "rest"}, "video",
         "required"),
        ("recording-upload-bad-task", "/patients/{pid}/recordings/new/head/", "patient",
         {"task": "dance", "video": "WEBM"}, "task", "Select a valid choice"),
        ("api-key-no-name", "/accounts/profile/keys/", "patient", {"name": ""}, "name", "required"),
        ("diary-day-not-a-date", "/patients/{pid}/diary/?date=31-31-2020", "patient", None, "date", "valid date"),
        ("injection-in-the-future", "/patients/{pid}/treatments/injections/new/", "patient",
         {"date": tomorrow, "product": "onabotulinumtoxinA", "guidance": "emg", "lines-TOTAL_FORMS": "1",
          "lines-INITIAL_FORMS": "0", "lines-0-muscle": "trapezius", "lines-0-side": "left", "lines-0-units": "40",
          "lines-0-sites": "1"}, "date", "a plan, not a record"),
        ("injection-line-no-units", "/patients/{pid}/treatments/injections/new/", "patient",
         {"date": yesterday, "product": "onabotulinumtoxinA", "guidance": "emg", "lines-TOTAL_FORMS": "1",
          "lines-INITIAL_FORMS": "0", "lines-0-muscle": "trapezius", "lines-0-side": "left", "lines-0-units": "0",
          "lines-0-sites": "1"}, "lines-0-units", "greater than or equal to 0.01"),
        ("injection-other-product-unnamed", "/patients/{pid}/treatments/injections/new/", "patient",
         {"date": yesterday, "product": "other", "guidance": "none", "lines-TOTAL_FORMS": "1",
          "lines-INITIAL_FORMS": "0", "lines-0-muscle": "masseter", "lines-0-side": "right", "lines-0-units": "25",
          "lines-0-sites": "1"}, "product_other", "Give the product"),
        ("medication-stop-before-start", "/patients/{pid}/treatments/medications/new/", "patient",
         {"drug": "baclofen", "dose_amount": "5", "dose_unit": "mg", "times_per_day": "3", "start": yesterday,
          "stop": "2020-01-01"}, "stop", "cannot be before the start date"),
        ("medication-no-dose", "/patients/{pid}/treatments/medications/new/", "patient",
         {"drug": "baclofen", "dose_unit": "mg", "times_per_day": "3", "start": yesterday}, "dose_amount", "required"),
        ("implant-in-the-future", "/patients/{pid}/treatments/dbs/new/", "patient",
         {"implant_date": tomorrow, "target": "gpi", "side": "bilateral"}, "implant_date", "has not happened yet"),
        ("implant-other-target-unnamed", "/patients/{pid}/treatments/dbs/new/", "patient",
         {"implant_date": yesterday, "target": "other", "side": "left"}, "target_other", "Give the target"),
        ("procedure-other-without-details", "/patients/{pid}/treatments/procedures/new/", "patient",
         {"date": yesterday, "kind": "other"}, "details", "Say which procedure"),
        ("therapy-too-long", "/patients/{pid}/treatments/therapy/new/", "patient",
         {"date": yesterday, "kind": "physical", "duration_min": "601"}, "duration_min", "less than or equal to 600"),
        ("side-effect-link-not-in-record", "/patients/{pid}/treatments/side-effects/new/", "patient",
         {"onset": yesterday, "kind": "dysphagia", "severity": "mild", "treatment": "injection:999999"}, "treatment",
         "Choose one of the treatments in this record"),
        ("side-effect-other-undescribed", "/patients/{pid}/treatments/side-effects/new/", "patient",
         {"onset": yesterday, "kind": "other", "severity": "severe"}, "description", "Describe the side effect"),
        ("diary-import-not-text", "/patients/{pid}/diary/import/", "patient", {"file": "WEBM"}, "file",
         "not a text file"),
        ("diary-import-one-column", "/patients/{pid}/diary/import/", "patient", {"file": "TEXTFILE"}, "file",
         "only one column"),
        ("diary-import-no-file", "/patients/{pid}/diary/import/", "patient", {}, "file", "Choose the CSV file"),
        ("cycles-unknown-series", "/patients/{pid}/cycles/?metric=tail", "patient", None, "metric",
         "Select a valid choice"),
    ], {"tomorrow": tomorrow, "yesterday": yesterday}


CASE_IDS = [case[0] for case in _cases(date(2026, 1, 1))[0]]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_bad_input_is_explained_next_to_its_field_and_changes_nothing(case_id, patient, client, today):
    cases, dates = _cases(today)
    _, template, who, data, field, message = next(c for c in cases if c[0] == case_id)
    if "{summary}" in template:
        dates["summary"] = save_diagnosis(patient, {"regions": ["neck"], "onset_age": 40}, by=patient.user).pk
    url = template.format(pid=patient.pk, **dates)
    data = {key: _upload(value) for key, value in data.items()} if data else data
    http = logged_in(patient.user) if who == "patient" else client
    before = database_state()
    response = http.post(url, data) if data is not None else http.get(url)
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    error_id = f'id="id_{field}_error"'
    assert error_id in html, f"no error list for {field}"
    error_block = html[html.index(error_id):]
    error_block = error_block[: error_block.index("</ul>")]
    assert message.lower() in error_block.lower(), error_block
    assert 'aria-invalid="true"' in html
    assert "Please correct" in html or "form-errors" in html
    assert database_state() == before


def test_a_select_with_no_choice_made_says_choose_not_dashes(patient_client, patient):
    page = patient_client.get(f"/patients/{patient.pk}/treatments/injections/new/").content.decode()
    assert '<option value="" selected>Choose…</option>' in page and "---------" not in page
