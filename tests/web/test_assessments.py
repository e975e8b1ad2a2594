"""Rating scales in the app: who fills which scale, drafts and saving, errors by item, video estimates, history."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests import factories
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.clinical import scales
from torsion.web.assessments import services
from torsion.web.assessments.models import EstimatedItem, ScaleAdministration
from torsion.web.records.models import ToxinInjection

TWSTRS = scales.get_scale("twstrs")
CDIP = scales.get_scale("cdip58")


def lowest(definition) -> dict:
    return {item.id: item.allowed[0] for item in definition.items}


def posted(answers: dict, **fields) -> dict:
    data = {f"item_{item}": str(value) for item, value in answers.items()}
    data.update({key: str(value) for key, value in fields.items()})
    return data


def url(patient, tail: str) -> str:
    return f"/patients/{patient.pk}/scales/{tail}"


# --- who fills which scale -----------------------------------------------------------------------------

def test_each_person_is_offered_the_scales_they_rate(patient, clinician, stranger_clinician):
    mine = logged_in(patient.user).get(url(patient, "")).content.decode()
    assert "Answer CDIP-58" in mine and "Answer VHI-10" in mine and "Rate TWSTRS" not in mine
    theirs = logged_in(clinician.user).get(url(patient, "")).content.decode()
    assert "Rate TWSTRS" in theirs and "Rate UDRS" in theirs and "Answer CDIP-58" not in theirs
    factories.grant(patient, stranger_clinician, can_edit=False)
    read_only = logged_in(stranger_clinician.user).get(url(patient, "")).content.decode()
    assert "Rate TWSTRS" not in read_only and "Answer CDIP-58" not in read_only and "read only" in read_only


@pytest.mark.parametrize("who, scale, answers", [("patient", "twstrs", lowest(TWSTRS)),
                                                 ("clinician", "cdip58", lowest(CDIP))])
def test_the_wrong_rater_is_sent_back_and_nothing_is_saved(request, patient, clinician, who, scale, answers):
    client = logged_in(request.getfixturevalue(who).user)
    before = database_state(exclude=("audit_accessevent",))
    for response in (client.get(url(patient, f"{scale}/new/")),
                     client.post(url(patient, f"{scale}/new/"), posted(answers, action="final",
                                                                          administered_on="2026-01-05"))):
        assert response.status_code == 302 and response["Location"] == url(patient, "")
    assert database_state(exclude=("audit_accessevent",)) == before
    page = client.get(url(patient, "")).content.decode()
    assert ("rated by your clinician" if who == "patient" else "answered by the patient") in page


def test_read_only_clinicians_and_strangers_cannot_rate(patient, stranger_clinician, other_patient):
    factories.grant(patient, stranger_clinician, can_edit=False)
    clients = [logged_in(stranger_clinician.user), logged_in(other_patient.user)]
    before = database_state(exclude=("audit_accessevent",))
    for client in clients:
        assert client.get(url(patient, "twstrs/new/")).status_code == 404
        data = posted(lowest(TWSTRS), action="final", administered_on="2026-01-05")
        assert client.post(url(patient, "twstrs/new/"), data).status_code == 404
    assert database_state(exclude=("audit_accessevent",)) == before


def test_a_draft_is_continued_only_by_the_person_who_started_it(patient, clinician, today):
    draft = ScaleAdministration.objects.create(patient=patient, scale="cdip58", scale_version="v", scale_revision=1,
                                               administered_on=today, entered_by=patient.user)
    response = logged_in(clinician.user).get(url(patient, f"results/{draft.pk}/edit/"))
    assert response.status_code == 302 and response["Location"] == url(patient, f"results/{draft.pk}/")
    assert logged_in(clinician.user).post(url(patient, f"results/{draft.pk}/delete/")).status_code == 302
    assert ScaleAdministration.objects.filter(pk=draft.pk).exists()
    assert logged_in(patient.user).get(url(patient, f"results/{draft.pk}/edit/")).status_code == 200


# --- drafts and saving ---------------------------------------------------------------------------------

def test_patient_keeps_a_draft_then_saves_it_and_the_engine_scores_both(patient, today):
    client = logged_in(patient.user)
    some = {"hn_head_pulls": 4, "hn_head_still": 2, "pain_neck": 5}
    response = client.post(url(patient, "cdip58/new/"), posted(some, action="draft", administered_on=today))
    draft = ScaleAdministration.objects.get(patient=patient)
    assert response.status_code == 302 and response["Location"] == url(patient, f"results/{draft.pk}/edit/")
    expected = scales.score_draft("cdip58", some)
    assert (draft.status, draft.complete, draft.entered_by) == ("draft", False, patient.user)
    assert draft.total == pytest.approx(expected.total) and draft.sections == expected.sections
    assert draft.answers == some and draft.scale_version == CDIP.version

    page = client.get(url(patient, f"results/{draft.pk}/edit/")).content.decode()
    assert re.search(r'name="item_hn_head_pulls" value="4" checked', page)
    assert "3</span> of 58 answered" in page
    assert "does not count" not in client.get(url(patient, f"cdip58/")).content.decode()

    everything = {**lowest(CDIP), **some, "sleep_staying": 3}
    response = client.post(url(patient, f"results/{draft.pk}/edit/"), posted(everything, action="final",
                                                                             administered_on=today))
    assert response.status_code == 302 and response["Location"] == url(patient, "cdip58/")
    saved = ScaleAdministration.objects.get(patient=patient)
    result = scales.score("cdip58", everything)
    assert (saved.pk, saved.status, saved.complete) == (draft.pk, "final", True)
    assert saved.total == pytest.approx(result.total) and saved.derived == result.derived
    assert saved.finalised_at is not None
    # A saved administration is no longer a draft anyone may change.
    assert client.get(url(patient, f"results/{saved.pk}/edit/")).status_code == 302


def test_saving_with_missing_items_names_each_and_saves_nothing(patient, today):
    client = logged_in(patient.user)
    answers = lowest(CDIP)
    del answers["walk_stairs"], answers["mood_hopeless"]
    before = database_state(exclude=("audit_accessevent",))
    response = client.post(url(patient, "cdip58/new/"), posted(answers, action="final", administered_on=today))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved." in html
    missing = sorted(set(lowest(CDIP)) - set(answers))
    for item_id in missing:
        block = re.search(rf'<fieldset[^>]*id="q-{item_id}".*?</fieldset>', html, re.S).group(0)
        assert "has-error" in block and "Choose an answer." in block
        assert f'href="#q-{item_id}"' in html
    assert html.count('class="errorlist"') == len(missing)
    assert database_state(exclude=("audit_accessevent",)) == before


@pytest.mark.parametrize("values, kind", [({"rotation": "7"}, "not one of the choices (0, 1, 2, 3, 4)"),
                                          ({"rotation": "two"}, "not one of the choices"),
                                          ({"rotation": "na"}, "“Does not apply” is not an answer")])
def test_a_wrong_answer_is_shown_at_its_item_even_in_a_draft(patient, clinician, today, values, kind):
    client = logged_in(clinician.user)
    before = database_state(exclude=("audit_accessevent",))
    response = client.post(url(patient, "twstrs/new/"), posted({"duration": 2, **values}, action="draft",
                                                               administered_on=today))
    assert response.status_code == 400
    block = re.search(r'<fieldset[^>]*id="q-rotation".*?</fieldset>', response.content.decode(), re.S).group(0)
    assert kind in block
    duration = re.search(r'<fieldset[^>]*id="q-duration".*?</fieldset>', response.content.decode(), re.S).group(0)
    assert "has-error" not in duration and 'value="2" checked' in duration
    assert database_state(exclude=("audit_accessevent",)) == before


def test_a_future_date_is_refused(patient, today):
    response = logged_in(patient.user).post(url(patient, "vhi10/new/"), posted(
        lowest(scales.get_scale("vhi10")), action="final", administered_on=today + timedelta(days=1)))
    assert response.status_code == 400 and "This date has not come yet." in response.content.decode()
    assert not ScaleAdministration.objects.exists()


def test_not_applicable_answers_follow_the_scales_rule(patient, today):
    answers = {"driving": "na", "reading": 3, "television": 1, "shopping": "na", "walking": 0,
               "everyday_activities": 2}
    client = logged_in(patient.user)
    page = client.get(url(patient, "bsdi/new/")).content.decode()
    assert "I do not do this for other reasons" in page
    client.post(url(patient, "bsdi/new/"), posted(answers, action="final", administered_on=today))
    saved = ScaleAdministration.objects.get(patient=patient, scale="bsdi")
    assert saved.total == scales.score("bsdi", answers).total == 6
    assert saved.answers["driving"] == "na"


# --- video estimates -----------------------------------------------------------------------------------

def test_twstrs_starts_from_a_recordings_estimates_marked_as_estimates(patient, clinician):
    recording = factories.head_recording(patient, yaw_deg=30.4, roll_deg=10, pitch_deg=-2, lateral=0.03)
    factories.head_recording(patient, yaw_deg=60, roll_deg=0, pitch_deg=0, lateral=0, task="turn")  # never offered
    client = logged_in(clinician.user)
    page = client.get(url(patient, "twstrs/new/")).content.decode()
    assert "Start the severity items from a recording" in page
    assert page.count('name="recording"') == 1 and "rotation 2, laterocollis 1" in page
    page = client.get(url(patient, f"twstrs/new/?recording={recording.pk}")).content.decode()
    rotation = re.search(r'<fieldset[^>]*id="q-rotation".*?</fieldset>', page, re.S).group(0)
    assert 'data-estimate="2"' in rotation and "Video estimate" in rotation
    assert "30° chin to the right" in rotation and re.search(r'value="2" checked>.*?estimate', rotation, re.S)
    tilt = re.search(r'<fieldset[^>]*id="q-laterocollis".*?</fieldset>', page, re.S).group(0)
    assert "10° tilted towards the right shoulder" in tilt and 'value="1" checked' in tilt
    sagittal = re.search(r'<fieldset[^>]*id="q-sagittal_shift".*?</fieldset>', page, re.S).group(0)
    assert "Video estimate" not in sagittal and "checked" not in sagittal  # not measured: left to the clinician
    assert "Score so far</span>\n  <strong data-score-total>3</strong>" in page  # 2 + 1 + 0 + 0


def test_the_stored_administration_keeps_which_items_came_from_video_and_which_changed(patient, clinician, today):
    recording = factories.head_recording(patient, yaw_deg=30, roll_deg=20, pitch_deg=0, lateral=0.0)
    client = logged_in(clinician.user)
    answers = {**lowest(TWSTRS), "rotation": 3, "laterocollis": 2, "sagittal_shift": 1, "duration": 2}
    data = posted(answers, recording=recording.pk, action="final", administered_on=today)
    # Saving with estimates needs the clinician's statement that each was checked.
    response = client.post(url(patient, "twstrs/new/"), data)
    assert response.status_code == 400 and "Tick this once you have checked" in response.content.decode()
    assert not ScaleAdministration.objects.exists()

    response = client.post(url(patient, "twstrs/new/"), {**data, "confirm_estimates": "1"})
    assert response.status_code == 302
    saved = ScaleAdministration.objects.get(patient=patient)
    assert (saved.recording, saved.entered_by, saved.status) == (recording, clinician.user, "final")
    assert saved.total == scales.score("twstrs", answers).total == 3 + 2 + 1 + 4
    rows = {row.item: (row.estimated_score, row.confirmed_score, row.changed) for row in saved.estimates.all()}
    assert rows == {"rotation": (2, 3.0, True), "laterocollis": (2, 2.0, False),
                    "antero_retrocollis": (0, 0.0, False), "lateral_shift": (0, 0.0, False)}
    rotation = saved.estimates.get(item="rotation")
    assert rotation.excursion == pytest.approx(30) and rotation.unit == "deg" and rotation.direction == "right"
    detail = client.get(url(patient, f"results/{saved.pk}/")).content.decode()
    assert "video estimate 2 (30° chin to the right), <strong>changed</strong>" in detail
    assert "entered by hand" in detail  # the sagittal shift, not measured on video


def test_a_draft_from_video_keeps_its_estimates_when_continued(patient, clinician, today):
    recording = factories.head_recording(patient, yaw_deg=50, roll_deg=0, pitch_deg=20, lateral=0.0)
    client = logged_in(clinician.user)
    client.post(url(patient, "twstrs/new/"), posted({"rotation": 3, "antero_retrocollis": 2}, recording=recording.pk,
                                                    action="draft", administered_on=today))
    draft = ScaleAdministration.objects.get(patient=patient)
    assert {r.item: (r.estimated_score, r.confirmed_score, r.changed) for r in draft.estimates.all()} == {
        "rotation": (3, 3.0, False), "laterocollis": (0, None, False), "antero_retrocollis": (2, 2.0, False),
        "lateral_shift": (0, None, False)}
    recording.delete()  # the estimates stay with the administration
    page = client.get(url(patient, f"results/{draft.pk}/edit/")).content.decode()
    assert 'data-estimate="3"' in page and "since deleted" in page
    answers = {**lowest(TWSTRS), "rotation": 4, "antero_retrocollis": 2}
    client.post(url(patient, f"results/{draft.pk}/edit/"), posted(answers, action="final", administered_on=today,
                                                                 confirm_estimates="1"))
    draft.refresh_from_db()
    assert draft.status == "final" and draft.recording is None
    assert EstimatedItem.objects.get(administration=draft, item="rotation").changed
    assert not EstimatedItem.objects.get(administration=draft, item="laterocollis").changed


def test_another_patients_recording_cannot_start_the_form(patient, other_patient, clinician):
    theirs = factories.head_recording(other_patient, yaw_deg=30, roll_deg=0, pitch_deg=0, lateral=0)
    client = logged_in(clinician.user)
    assert client.get(url(patient, f"twstrs/new/?recording={theirs.pk}")).status_code == 404
    assert client.get(url(patient, "twstrs/new/?recording=x1")).status_code == 404


def test_history_shows_agreement_between_estimates_and_confirmed_items(patient, clinician, today):
    client = logged_in(clinician.user)
    for days_ago, rotation in ((60, 2), (30, 3)):  # the estimate is 2 both times; changed the second time
        recording = factories.head_recording(patient, yaw_deg=30, roll_deg=0, pitch_deg=0, lateral=0)
        answers = {**lowest(TWSTRS), "rotation": rotation}
        response = client.post(url(patient, "twstrs/new/"), posted(
            answers, recording=recording.pk, action="final", confirm_estimates="1",
            administered_on=today - timedelta(days=days_ago)))
        assert response.status_code == 302
    html = client.get(url(patient, "twstrs/")).content.decode()
    table = re.search(r"Video estimates and the confirmed ratings.*?</table>", html, re.S).group(0)
    row = re.search(r"Head turned to one side.*?</tr>", table, re.S).group(0)
    assert re.findall(r'class="num">([^<]+)<', row) == ["2", "1 (50%)", "1", "0", "2"]
    row = re.search(r"Head tilted towards a shoulder.*?</tr>", table, re.S).group(0)
    assert re.findall(r'class="num">([^<]+)<', row) == ["2", "2 (100%)", "0", "0", "2"]


# --- history, cycles and the live score ----------------------------------------------------------------

def test_history_chart_marks_injections_and_leaves_drafts_out(patient, clinician, today):
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=45), product="onabotulinumtoxinA")
    client = logged_in(clinician.user)
    for days_ago, duration in ((70, 4), (20, 1)):
        client.post(url(patient, "twstrs/new/"), posted({**lowest(TWSTRS), "duration": duration}, action="final",
                                                        administered_on=today - timedelta(days=days_ago)))
    client.post(url(patient, "twstrs/new/"), posted({"duration": 5}, action="draft", administered_on=today))
    html = logged_in(patient.user).get(url(patient, "twstrs/")).content.decode()
    chart = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert chart.count('class="dot s1"') == 2 and chart.count('class="marker injection"') == 1
    assert "TWSTRS total of 2 saved administrations" in chart
    rows = re.findall(r'data-label="Total" class="num"><strong>([^<]+)</strong>', html)
    assert rows == ["2", "8"]  # newest first: duration 1 and 4, counted twice


def test_the_cycle_page_follows_a_scales_totals(patient, clinician, today):
    first, second = today - timedelta(days=200), today - timedelta(days=100)
    for day in (first, second):
        ToxinInjection.objects.create(patient=patient, date=day, product="onabotulinumtoxinA")
    client = logged_in(clinician.user)
    for day, duration in ((first - timedelta(days=3), 5), (first + timedelta(days=30), 1),
                          (second + timedelta(days=28), 2)):
        client.post(url(patient, "twstrs/new/"), posted({**lowest(TWSTRS), "duration": duration}, action="final",
                                                        administered_on=day))
    html = client.get(f"/patients/{patient.pk}/cycles/?metric=scale:twstrs").content.decode()
    assert 'value="scale:twstrs"' in html and "TWSTRS total in each cycle" in html
    assert "improvement is in points of the TWSTRS total (0 to 85)" in html
    assert "day 30: <strong>2</strong>" in html and "day 28: <strong>4</strong>" in html
    assert "10 <span class=\"muted\">(" in html  # the rating three days before the first injection
    api = client.get(f"/api/patients/{patient.pk}/cycles?metric=scale:twstrs").json()
    assert api["label"] == "TWSTRS total" and api["values"] == 3 and api["higher_is_worse"] is True


def test_the_live_score_is_the_engines_and_stores_nothing(patient):
    client = logged_in(patient.user)
    answers = {"hn_head_pulls": 5, "hn_head_still": 1, "pain_neck": 3}
    before = database_state()
    data = client.get("/scales/cdip58/score/", posted(answers)).json()
    draft = scales.score_draft("cdip58", answers)
    assert data["total"] == draft.total and data["answered"] == 3 and data["items"] == 58
    assert {s["id"]: s["text"] for s in data["sections"]}["head_neck"] == "50"
    bad = client.get("/scales/cdip58/score/", {"item_hn_head_pulls": "9"})
    assert bad.status_code == 400 and bad.json()["problems"][0]["item"] == "hn_head_pulls"
    assert client.get("/scales/nothing/score/").status_code == 404
    assert database_state() == before
    from django.test import Client

    assert Client().get("/scales/cdip58/score/").status_code == 302  # signed-in people only


def test_the_licence_notice_shows_where_electronic_use_needs_approval(patient, clinician):
    client = logged_in(clinician.user)
    udrs = client.get(url(patient, "udrs/new/")).content.decode()
    assert "Electronic use needs approval." in udrs and "International Parkinson and Movement Disorder Society" in udrs
    twstrs = client.get(url(patient, "twstrs/new/")).content.decode()
    assert "Electronic use needs approval." not in twstrs and "was not established" in twstrs


def test_words_for_the_patient_and_for_the_clinician(patient, clinician):
    mine = logged_in(patient.user).get(url(patient, "")).content.decode()
    assert "Questionnaires you answer" in mine and "The record of" not in mine
    theirs = logged_in(clinician.user).get(url(patient, "")).content.decode()
    assert "examine the patient" in theirs and "The record of" in theirs and "Questionnaires for you" not in theirs
    form = logged_in(clinician.user).get(url(patient, "twstrs/new/")).content.decode()
    assert "Date of the examination" in form
    assert "Date of your answers" in logged_in(patient.user).get(url(patient, "cdip58/new/")).content.decode()


def test_the_dashboard_links_the_scales_and_shows_the_latest(patient, today):
    client = logged_in(patient.user)
    answers = {**lowest(scales.get_scale("vhi10")), "hard_to_hear": 4, "noisy_room": 3}
    client.post(url(patient, "vhi10/new/"), posted(answers, action="final", administered_on=today))
    html = client.get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="/patients/{patient.pk}/scales/"' in html and "VHI-10: 7 of 40" in html


def test_the_demo_patient_has_ratings_scored_by_the_engine(db, today):
    from torsion.web.accounts.models import Patient
    from torsion.web.core.demo import create_demo

    create_demo(today=today, years=1.5)
    patient = Patient.objects.get(user__username="demo-patient")
    saved = ScaleAdministration.objects.filter(patient=patient)
    injections = ToxinInjection.objects.filter(patient=patient, date__lte=today).count()
    # One at each visit, and reviews five weeks after the last two injections where that day has come.
    assert injections + 1 <= saved.filter(scale="twstrs").count() <= injections + 2
    assert saved.filter(scale="cdip58").exists()
    for record in saved:
        assert record.total == pytest.approx(scales.score(record.scale, record.answers).total)
        assert record.status == "final" and record.complete
    html = logged_in(patient.user).get(f"/patients/{patient.pk}/cycles/?metric=scale:twstrs").content.decode()
    assert "TWSTRS total in each cycle" in html and "day 35:" in html


def test_saved_scales_are_exported_with_the_source_of_each_item(patient, clinician, today):
    import csv
    import io

    recording = factories.head_recording(patient, yaw_deg=30, roll_deg=0, pitch_deg=0, lateral=0)
    client = logged_in(clinician.user)
    answers = {**lowest(TWSTRS), "rotation": 3, "pain_usual": 5}
    client.post(url(patient, "twstrs/new/"), posted(answers, recording=recording.pk, action="final",
                                                    confirm_estimates="1", administered_on=today))
    client.post(url(patient, "twstrs/new/"), posted({"rotation": 1}, action="draft", administered_on=today))
    response = logged_in(patient.user).get(f"/patients/{patient.pk}/export/?file=rating-scales")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert rows[0][:9] == ["Date", "Scale", "Version", "Total", "Section", "Item", "Label", "Answer", "From"]
    assert len(rows) == 1 + len(TWSTRS.items)  # the draft is left out
    by_item = {row[5]: row for row in rows[1:]}
    assert by_item["rotation"][3] == "5.5" == f"{scales.score('twstrs', answers).total:g}"  # 3 + (2 x 5) / 4
    assert by_item["rotation"][7:12] == [
        "3", "video estimate", "2", "30.0 deg right", "yes"]
    assert by_item["laterocollis"][8:12] == ["video estimate", "0", "0.0 deg", "no"]
    assert by_item["pain_usual"][7:10] == ["5", "entered", ""]
    assert by_item["rotation"][12] == "doc"


def test_the_audit_trail_names_a_scale_result_with_its_date(patient, clinician, today):
    from torsion.web.audit.models import AccessEvent

    draft = ScaleAdministration.objects.create(patient=patient, scale="cdip58", scale_version="v", scale_revision=1,
                                               administered_on=today - timedelta(days=3), entered_by=patient.user)
    assert logged_in(clinician.user).get(url(patient, f"results/{draft.pk}/")).status_code == 200
    event = AccessEvent.objects.get(patient=patient)
    day = draft.administered_on
    assert event.what == f"Rating scale result: rating scale of {day.day} {day:%b %Y}"
    assert (event.action, event.object_type) == ("read", "ScaleAdministration")


# --- correcting a saved administration ------------------------------------------------------------------

def _saved_twstrs(client, patient, today, **changes):
    answers = {**lowest(TWSTRS), "rotation": 2, "duration": 2, **changes}
    assert client.post(url(patient, "twstrs/new/"), posted(answers, action="final", administered_on=today)).status_code == 302
    return ScaleAdministration.objects.get(patient=patient), answers


def test_a_clinician_corrects_a_saved_rating_and_the_earlier_one_is_kept(patient, clinician, today):
    client = logged_in(clinician.user)
    saved, answers = _saved_twstrs(client, patient, today)
    first_saved, total_before = saved.finalised_at, saved.total
    page = client.get(url(patient, f"results/{saved.pk}/")).content.decode()
    assert f'href="{url(patient, f"results/{saved.pk}/correct/")}"' in page

    form = client.get(url(patient, f"results/{saved.pk}/correct/")).content.decode()
    assert "You are correcting the rating" in form and 'name="reason"' in form and "Keep as draft" not in form
    assert re.search(r'name="item_rotation" value="2" checked', form)

    corrected = {**answers, "rotation": 3}
    response = client.post(url(patient, f"results/{saved.pk}/correct/"),
                           posted(corrected, action="final", administered_on=today,
                                  reason="rotation entered as 2, rated 3"))
    assert response.status_code == 302 and response["Location"] == url(patient, f"results/{saved.pk}/")
    saved.refresh_from_db()
    assert saved.total == scales.score("twstrs", corrected).total == total_before + 1
    assert saved.answers["rotation"] == 3 and saved.finalised_at == first_saved
    assert saved.entered_by == clinician.user and ScaleAdministration.objects.count() == 1
    correction = saved.corrections.get()
    assert (correction.corrected_by, correction.reason) == (clinician.user, "rotation entered as 2, rated 3")
    assert correction.previous["total"] == total_before and correction.previous["answers"]["rotation"] == 2
    assert correction.previous["administered_on"] == today.isoformat()

    detail = client.get(url(patient, f"results/{saved.pk}/")).content.decode()
    rotation = next(item.label for item in TWSTRS.items if item.id == "rotation")
    assert "rotation entered as 2, rated 3" in detail
    assert f"Before it: total {total_before:g}; different answers to {rotation}." in detail
    # The history counts the corrected total, once.
    assert [total for _, total in services.daily_totals(patient, "twstrs")] == [saved.total]


def test_a_correction_needs_a_reason_and_valid_answers_and_changes_nothing_without(patient, clinician, today):
    client = logged_in(clinician.user)
    saved, answers = _saved_twstrs(client, patient, today)
    before = database_state(exclude=("audit_accessevent",))
    no_reason = client.post(url(patient, f"results/{saved.pk}/correct/"),
                            posted({**answers, "rotation": 3}, action="final", administered_on=today, reason="  "))
    assert no_reason.status_code == 400 and "Say in a few words what was wrong" in no_reason.content.decode()
    bad_answer = client.post(url(patient, f"results/{saved.pk}/correct/"),
                             posted({**answers, "rotation": 9}, action="final", administered_on=today, reason="typo"))
    assert bad_answer.status_code == 400 and "Nothing was saved" in bad_answer.content.decode()
    missing = {k: v for k, v in answers.items() if k != "duration"}
    incomplete = client.post(url(patient, f"results/{saved.pk}/correct/"),
                             posted(missing, action="final", administered_on=today, reason="typo"))
    assert incomplete.status_code == 400
    assert database_state(exclude=("audit_accessevent",)) == before


def test_only_the_person_who_entered_a_rating_corrects_it(patient, clinician, stranger_clinician, today):
    saved, answers = _saved_twstrs(logged_in(clinician.user), patient, today)
    colleague = factories.make_clinician("colleague")
    factories.grant(patient, colleague, can_edit=True)
    reader = factories.make_clinician("reader")
    factories.grant(patient, reader, can_edit=False)
    clients = {name: logged_in(user) for name, user in (("colleague", colleague.user), ("patient", patient.user),
                                                          ("reader", reader.user), ("stranger", stranger_clinician.user))}
    before = database_state(exclude=("audit_accessevent",))
    data = posted({**answers, "rotation": 4}, action="final", administered_on=today, reason="mine now")
    correct = url(patient, f"results/{saved.pk}/correct/")
    assert clients["colleague"].post(correct, data).status_code == 302
    assert clients["patient"].post(correct, data).status_code == 302
    assert clients["reader"].post(correct, data).status_code in (403, 404)
    assert clients["stranger"].post(correct, data).status_code in (403, 404)
    assert database_state(exclude=("audit_accessevent",)) == before
    assert "/correct/" not in clients["colleague"].get(url(patient, f"results/{saved.pk}/")).content.decode()


def test_a_patient_corrects_their_own_questionnaire(patient, today):
    client = logged_in(patient.user)
    answers = lowest(CDIP)
    client.post(url(patient, "cdip58/new/"), posted(answers, action="final", administered_on=today))
    saved = ScaleAdministration.objects.get(patient=patient)
    form = client.get(url(patient, f"results/{saved.pk}/correct/")).content.decode()
    assert "You are correcting your answers" in form and "I tapped the wrong answer" in form
    earlier = today - timedelta(days=2)
    response = client.post(url(patient, f"results/{saved.pk}/correct/"),
                           posted({**answers, "pain_neck": 5}, action="final", administered_on=earlier,
                                  reason="I filled it in two days ago"))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.administered_on == earlier and saved.answers["pain_neck"] == 5
    detail = client.get(url(patient, f"results/{saved.pk}/")).content.decode()
    assert "by you: I filled it in two days ago." in detail and "dated " in detail


def test_a_draft_is_not_corrected_but_continued(patient, today):
    draft = ScaleAdministration.objects.create(patient=patient, scale="cdip58", scale_version="v", scale_revision=1,
                                               administered_on=today, entered_by=patient.user)
    response = logged_in(patient.user).get(url(patient, f"results/{draft.pk}/correct/"))
    assert response.status_code == 302 and response["Location"] == url(patient, f"results/{draft.pk}/edit/")


def test_corrections_travel_with_the_export_and_fhir_says_amended(patient, clinician, today):
    from torsion.web.exchange.document import build_document
    from torsion.web.exchange.services import bundle_for

    client = logged_in(clinician.user)
    saved, answers = _saved_twstrs(client, patient, today)
    client.post(url(patient, f"results/{saved.pk}/correct/"),
                posted({**answers, "rotation": 3}, action="final", administered_on=today, reason="rotation was 3"))
    document = build_document(patient)
    rows = document["tables"]["assessments.scalecorrection"]
    assert [(row["administration"], row["reason"]) for row in rows] == [(saved.pk, "rotation was 3")]
    assert rows[0]["previous"]["answers"]["rotation"] == 2
    bundle = bundle_for(patient)
    responses = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert [r["status"] for r in responses] == ["amended"]
