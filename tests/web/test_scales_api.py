"""Rating scales through the JSON API: the same raters, the engine's scores and the same refusals as the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.clinical import scales
from torsion.web.assessments import services
from torsion.web.assessments.forms import ScaleForm
from torsion.web.assessments.models import ScaleAdministration

pytestmark = pytest.mark.django_db

TWSTRS = scales.get_scale("twstrs")
BSDI = scales.get_scale("bsdi")
UNCHANGED = ("audit_accessevent",)  # reading is audited; nothing else may change


def call(client, method, url, body=None):
    response = client.generic(method, url, data=None if body is None else json.dumps(body),
                              content_type="application/json")
    return response, (response.json() if response.content else None)


def highest(definition) -> dict:
    return {item.id: item.allowed[-1] for item in definition.items}


def test_the_patient_saves_a_result_the_engine_scores_and_reads_it_back(patient, today):
    client = logged_in(patient.user)
    answers = {**highest(BSDI), BSDI.items[0].id: "na"}
    body = {"scale": "bsdi", "administered_on": (today - timedelta(days=1)).isoformat(), "answers": answers,
            "note": "  after a long drive  "}
    response, saved = call(client, "POST", f"/api/patients/{patient.pk}/scales", body)
    assert response.status_code == 201, saved
    expected = scales.score(BSDI, answers)
    assert saved["total"] == expected.total == 20  # five activities at 4, one does not apply
    assert (saved["min_total"], saved["max_total"]) == (BSDI.min_total, BSDI.max_total)
    assert saved["answers"] == answers and saved["status"] == "final" and saved["entered_by_patient"]
    assert saved["note"] == "after a long drive" and saved["corrections"] == []
    assert saved["page_url"] == f"/patients/{patient.pk}/scales/results/{saved['id']}/"
    assert client.get(saved["page_url"]).status_code == 200
    assert call(client, "GET", f"/api/patients/{patient.pk}/scales/{saved['id']}")[1] == saved
    assert call(client, "GET", f"/api/patients/{patient.pk}/scales")[1] == [saved]
    assert call(client, "GET", f"/api/patients/{patient.pk}/scales?scale=twstrs")[1] == []


def test_a_clinician_who_may_record_rates_a_clinician_scale(patient, clinician, today):
    client = logged_in(clinician.user)
    body = {"scale": "twstrs", "administered_on": today.isoformat(), "answers": highest(TWSTRS)}
    response, saved = call(client, "POST", f"/api/patients/{patient.pk}/scales", body)
    assert response.status_code == 201, saved
    assert saved["total"] == scales.score(TWSTRS, highest(TWSTRS)).total == TWSTRS.max_total
    assert saved["sections"] == scales.score(TWSTRS, highest(TWSTRS)).sections
    assert not saved["entered_by_patient"]
    patient_view = call(logged_in(patient.user), "GET", f"/api/patients/{patient.pk}/scales")[1]
    assert [r["id"] for r in patient_view] == [saved["id"]]


@pytest.mark.parametrize("who, scale, message", [
    ("patient", "twstrs", "TWSTRS is answered by a clinician whose access allows recording."),
    ("clinician", "bsdi", "BSDI is answered by the patient."),
])
def test_the_wrong_rater_is_refused_and_nothing_is_saved(request, patient, clinician, today, who, scale, message):
    client = logged_in(request.getfixturevalue(who).user)
    body = {"scale": scale, "administered_on": today.isoformat(), "answers": highest(scales.get_scale(scale))}
    before = database_state(exclude=UNCHANGED)
    response, refused = call(client, "POST", f"/api/patients/{patient.pk}/scales", body)
    assert response.status_code == 403 and refused == {"detail": message}
    assert database_state(exclude=UNCHANGED) == before


def test_a_read_only_clinician_may_read_but_not_rate(patient, stranger_clinician, today):
    from tests import factories

    factories.grant(patient, stranger_clinician, can_edit=False)
    client = logged_in(stranger_clinician.user)
    assert call(client, "GET", f"/api/patients/{patient.pk}/scales")[0].status_code == 200
    body = {"scale": "twstrs", "administered_on": today.isoformat(), "answers": highest(TWSTRS)}
    before = database_state(exclude=UNCHANGED)
    assert call(client, "POST", f"/api/patients/{patient.pk}/scales", body)[0].status_code == 404
    assert database_state(exclude=UNCHANGED) == before


def _bad(answers=None, **changes):
    return {"scale": "bsdi", "administered_on": "2026-01-05", "answers": answers or highest(BSDI), **changes}


FIRST, SECOND = BSDI.items[0], BSDI.items[1]


@pytest.mark.parametrize("body, expected", [
    (_bad({k: v for k, v in highest(BSDI).items() if k != FIRST.id}),
     [(["answers", FIRST.id], "no answer")]),
    (_bad({**highest(BSDI), SECOND.id: 7}), [(["answers", SECOND.id], "7")]),
    (_bad({**highest(BSDI), "shoe_size": 2}), [(["answers", "shoe_size"], "shoe_size")]),
    (_bad({item.id: "na" for item in BSDI.items}), [(["answers"], "at least 1")]),
    (_bad(administered_on="2999-01-01"), [(["administered_on"], "has not come yet")]),
    (_bad(scale="bsdx"), [(["scale"], "There is no scale 'bsdx'; use one of")]),
])
def test_answers_the_engine_refuses_are_reported_by_item_and_nothing_is_saved(patient, body, expected):
    client = logged_in(patient.user)
    before = database_state(exclude=UNCHANGED)
    response, refused = call(client, "POST", f"/api/patients/{patient.pk}/scales", body)
    assert response.status_code == 422, refused
    found = [(error["loc"][2:], error["msg"]) for error in refused["detail"]]
    assert len(found) == len(expected), found
    for (loc, msg), (want_loc, words) in zip(found, expected, strict=True):
        assert loc == want_loc and words in msg, (loc, msg)
    assert database_state(exclude=UNCHANGED) == before


def test_a_correction_is_listed_with_what_it_replaced(patient, today):
    client = logged_in(patient.user)
    body = {"scale": "bsdi", "administered_on": today.isoformat(), "answers": highest(BSDI)}
    saved = call(client, "POST", f"/api/patients/{patient.pk}/scales", body)[1]
    record = ScaleAdministration.objects.get(pk=saved["id"])
    form = ScaleForm(BSDI, {**highest(BSDI), FIRST.id: 0}, today)
    assert form.check(final=True, today=today)
    services.correct_administration(form, record, user=patient.user, reason="first item entered as 4, was 0")
    read = call(client, "GET", f"/api/patients/{patient.pk}/scales/{saved['id']}")[1]
    assert read["total"] == saved["total"] - 4
    [correction] = read["corrections"]
    assert correction["reason"] == "first item entered as 4, was 0"
    assert correction["previous_total"] == saved["total"] and correction["previous"]["answers"] == highest(BSDI)


def test_drafts_are_listed_only_to_the_person_who_started_them(patient, clinician, today):
    draft = scales.score_draft("twstrs", {TWSTRS.items[0].id: TWSTRS.items[0].allowed[0]})
    ScaleAdministration.objects.create(
        patient=patient, scale="twstrs", scale_version=draft.version, scale_revision=draft.revision,
        administered_on=today, answers=draft.items, total=draft.total, sections=draft.sections,
        derived=draft.derived, entered_by=clinician.user)
    mine = call(logged_in(clinician.user), "GET", f"/api/patients/{patient.pk}/scales")[1]
    assert [(r["scale"], r["status"], r["complete"]) for r in mine] == [("twstrs", "draft", False)]
    assert call(logged_in(patient.user), "GET", f"/api/patients/{patient.pk}/scales")[1] == []
