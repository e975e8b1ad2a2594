"""Injection charting through the pages and the API: repeating a session, the checks before saving, the dose
grid and the head posture beside the form."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile

from tests import factories
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.web.recordings.models import Recording
from torsion.web.records.models import InjectionLine, ToxinInjection

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """What a browser would send for the injection form as shown (the <template> row is not part of it)."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.in_template = 0
        self.action = None
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "charting-form" in (a.get("class") or "").split():
            self.in_form, self.action = True, a.get("action")
            return
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self.values[self._select], self._select_chosen = a.get("value", ""), True
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "template" and self.in_form:
            self.in_template -= 1
        elif tag == "form" and self.in_form and not self.in_template:
            self.in_form = False
        elif tag == "select" and self._select:
            if not self._select_chosen:
                self.values[self._select] = self._select_first or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.in_form and not self.in_template:
            self.values[self._textarea] += data.removeprefix("\n") if not self.values[self._textarea] else data


def read_form(page: str) -> FormReader:
    reader = FormReader()
    reader.feed(page)
    return reader


def injection_data(day, lines, **fields):
    data = {"date": day.isoformat(), "product": "onabotulinumtoxinA", "guidance": "emg",
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000", **fields}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{key}": value for key, value in {"sites": 1, **line}.items()})
    return data


def make_injection(patient, day, product="onabotulinumtoxinA", lines=(("trapezius", "right", 50),), **fields):
    injection = ToxinInjection.objects.create(patient=patient, date=day, product=product, **fields)
    for muscle, side, units, *rest in lines:
        InjectionLine.objects.create(injection=injection, muscle=muscle, side=side, units=Decimal(str(units)),
                                     sites=rest[0] if rest else 1)
    return injection


def fingerprint(page: str) -> str:
    match = re.search(r'name="confirm_checks" value="([0-9a-f]+)"', page)
    assert match, "no confirmation offered"
    return match.group(1)


def lines_of(injection) -> list[tuple]:
    return [(l.muscle, l.muscle_other, l.side, l.units, l.sites) for l in injection.lines.order_by("pk")]


def new_url(patient) -> str:
    return f"/patients/{patient.pk}/treatments/injections/new/"


# --- repeat the last session ------------------------------------------------------------------------------

PREVIOUS_LINES = [("sternocleidomastoid", "left", "40", 2), ("splenius_capitis", "right", "60.5", 3),
                  ("orbicularis_oculi_pretarsal", "bilateral", "10", 4)]


@pytest.mark.parametrize("product, product_other", [("onabotulinumtoxinA", ""), ("other", "Relatox")])
def test_repeat_prefills_every_field_and_saves_only_when_saved(patient_client, patient, today, product, product_other):
    previous = make_injection(patient, today - timedelta(days=100), product, PREVIOUS_LINES,
                              product_other=product_other, lot_number="C4120A", dilution_units_per_ml=Decimal("25"),
                              guidance="ultrasound", injector="Dr Lee", notes="Neck and eyelids")
    InjectionLine.objects.create(injection=previous, muscle="other", muscle_other="Rectus capitis lateralis",
                                 side="left", units=Decimal("7.5"), sites=1)
    before = database_state()
    page = patient_client.get(f"/patients/{patient.pk}/treatments/injections/{previous.pk}/repeat/").content.decode()
    assert database_state() == before  # opening the pre-filled form saves nothing
    assert "Pre-filled from the session of" in page
    form = read_form(page)
    values = form.values
    assert form.action == new_url(patient)
    assert values["date"] == today.isoformat()
    assert (values["product"], values["product_other"], Decimal(values["dilution_units_per_ml"]), values["guidance"],
            values["injector"]) == (product, product_other, Decimal(25), "ultrasound", "Dr Lee")
    assert (values["lot_number"], values["notes"]) == ("", "")  # a new vial, a new note
    assert (values["lines-TOTAL_FORMS"], values["lines-INITIAL_FORMS"]) == ("5", "0")
    assert (values["dilution_units_per_ml"], values["lines-1-units"], values["lines-3-units"]) == ("25", "60.5", "7.5")
    shown = [(values[f"lines-{i}-muscle"], values[f"lines-{i}-muscle_other"], values[f"lines-{i}-side"],
              Decimal(values[f"lines-{i}-units"]), int(values[f"lines-{i}-sites"])) for i in range(4)]
    assert shown == lines_of(previous)
    assert (values["lines-4-muscle"], values["lines-4-units"], values["lines-4-sites"]) == ("", "", "1")

    values["lines-1-units"] = "70"  # one dose changed, everything else as offered
    response = patient_client.post(form.action, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    repeated = ToxinInjection.objects.exclude(pk=previous.pk).get()
    assert (repeated.date, repeated.product, repeated.product_other, repeated.dilution_units_per_ml,
            repeated.guidance, repeated.injector, repeated.lot_number, repeated.notes) == (
        today, product, product_other, Decimal(25), "ultrasound", "Dr Lee", "", "")
    expected = lines_of(previous)
    expected[1] = ("splenius_capitis", "", "right", Decimal(70), 3)
    assert lines_of(repeated) == expected


def test_repeat_links_on_the_treatments_page_the_form_and_the_detail_page(patient_client, patient, today):
    make_injection(patient, today - timedelta(days=200))
    latest = make_injection(patient, today - timedelta(days=100))
    repeat = f"/patients/{patient.pk}/treatments/injections/{latest.pk}/repeat/"
    treatments = patient_client.get(f"/patients/{patient.pk}/treatments/").content.decode()
    assert f'href="{repeat}">Repeat the last session</a>' in treatments
    form = patient_client.get(new_url(patient)).content.decode()
    assert f'href="{repeat}">Repeat the last session</a>' in form
    detail = patient_client.get(f"/patients/{patient.pk}/treatments/injections/{latest.pk}/").content.decode()
    assert f'href="{repeat}">Repeat this session</a>' in detail


def test_new_form_is_dated_today(patient_client, patient, today):
    assert read_form(patient_client.get(new_url(patient)).content.decode()).values["date"] == today.isoformat()


def test_read_only_clinician_cannot_repeat(patient, stranger_clinician, today):
    factories.grant(patient, stranger_clinician, can_edit=False)
    injection = make_injection(patient, today - timedelta(days=100))
    client = logged_in(stranger_clinician.user)
    assert client.get(f"/patients/{patient.pk}/treatments/injections/{injection.pk}/repeat/").status_code == 404
    for url in (f"/patients/{patient.pk}/treatments/", f"/patients/{patient.pk}/treatments/injections/grid/"):
        page = client.get(url).content.decode()
        assert "Repeat the last session" not in page and "/repeat/" not in page


# --- the checks before saving ------------------------------------------------------------------------------

SCM = {"muscle": "sternocleidomastoid", "side": "left", "units": "50", "sites": "2"}
SPLENIUS = {"muscle": "splenius_capitis", "side": "right", "units": "60", "sites": "3"}

CHECK_CASES = {
    "muscle dose": (None, [{**SCM, "units": "2500"}], {"product": "abobotulinumtoxinA"},
                    "Sternocleidomastoid (left): 2,500 units of abobotulinumtoxinA (Dysport) is more than the 15 to "
                    "600 units usually recorded for a large neck or shoulder muscle with this product."),
    "small muscle dose": (None, [{"muscle": "orbicularis_oculi_pretarsal", "side": "left", "units": "0.2"}], {},
                          "Orbicularis oculi, pretarsal (left): 0.2 units of onabotulinumtoxinA (Botox) is less than "
                          "the 0.5 to 25 units"),
    "session total": (None, [{**SCM, "units": "500"}, {**SPLENIUS, "units": "500"},
                             {"muscle": "trapezius", "side": "right", "units": "600"}],
                      {"product": "abobotulinumtoxinA"},
                      "The session's total, 1,600 units of abobotulinumtoxinA (Dysport), is more than the 50 to 1,500 "
                      "units usually recorded for one session with this product."),
    "label over 12 weeks": ((40, "onabotulinumtoxinA", [("gastrocnemius", "left", 300)]), [SCM, SPLENIUS], {},
                            "this makes 410 units of onabotulinumtoxinA (Botox) within 12 weeks, more than the label "
                            "maximum of 400 units in any 12 weeks"),
    "label in cervical dystonia": (None, [{**SPLENIUS, "side": "bilateral", "units": "260"}],
                                   {"product": "daxibotulinumtoxinA"},
                                   "260 units of daxibotulinumtoxinA (Daxxify) in one cervical dystonia session is "
                                   "more than the label maximum of 250 units per session"),
    "interval": ((18, "incobotulinumtoxinA", [("splenius_capitis", "left", 80)]), [SCM, SPLENIUS], {},
                 "18 days after the previous injection of the neck"),
}


@pytest.fixture(params=list(CHECK_CASES))
def check_case(request, patient, today):
    earlier, lines, fields, message = CHECK_CASES[request.param]
    if earlier:
        days, product, earlier_lines = earlier
        make_injection(patient, today - timedelta(days=days), product, earlier_lines)
    return injection_data(today, lines, **fields), message


def test_each_check_fires_before_saving_and_a_confirmed_session_is_saved_as_entered(patient_client, patient, today,
                                                                                    check_case):
    data, message = check_case
    before = database_state()
    response = patient_client.post(new_url(patient), data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Check before saving" in page and message in page
    assert "I have checked these doses: save as entered" in page
    assert "Repeat the last session" not in page  # it would leave the entry on the form
    assert database_state() == before  # nothing saved yet

    response = patient_client.post(new_url(patient), {**data, "confirm_checks": fingerprint(page)}, follow=True)
    saved = ToxinInjection.objects.filter(patient=patient).order_by("-pk").first()
    assert response.redirect_chain[-1][0] == f"/patients/{patient.pk}/treatments/injections/{saved.pk}/"
    assert (saved.date, saved.product, saved.guidance) == (today, data["product"], "emg")
    count = int(data["lines-TOTAL_FORMS"])
    assert lines_of(saved) == [(data[f"lines-{i}-muscle"], "", data[f"lines-{i}-side"],
                                Decimal(data[f"lines-{i}-units"]), int(data[f"lines-{i}-sites"])) for i in range(count)]
    assert any(message in check["message"] for check in saved.confirmed_checks)
    after = response.content.decode()
    assert "Check before saving" not in after and 'class="message warning"' not in after  # never after saving

    # Correcting the saved session without changing its doses does not ask again.
    edit = f"/patients/{patient.pk}/treatments/injections/{saved.pk}/edit/"
    values = read_form(patient_client.get(edit).content.decode()).values
    values["notes"] = "Checked twice on the vial."
    assert patient_client.post(edit, values).status_code == 302
    saved.refresh_from_db()
    assert saved.notes == "Checked twice on the vial." and lines_of(saved)[0][3] == Decimal(data["lines-0-units"])


def test_a_session_18_days_after_the_same_region_says_how_many_days(patient_client, patient, today):
    make_injection(patient, today - timedelta(days=18), lines=[("trapezius", "left", 40)])
    page = patient_client.post(new_url(patient), injection_data(today, [SCM])).content.decode()
    previous = today - timedelta(days=18)
    assert (f"18 days after the previous injection of the neck ({previous.day} {previous:%B %Y}): injections of the "
            f"same region are usually at least 12 weeks (84 days) apart.") in page
    assert ToxinInjection.objects.count() == 1


def test_changing_a_value_after_a_check_checks_again(patient_client, patient, today):
    data = injection_data(today, [{**SCM, "units": "2500"}], product="abobotulinumtoxinA")
    first = fingerprint(patient_client.post(new_url(patient), data).content.decode())

    changed = {**data, "lines-0-units": "2400", "confirm_checks": first}
    response = patient_client.post(new_url(patient), changed)
    page = response.content.decode()
    assert response.status_code == 200 and "2,400 units of abobotulinumtoxinA" in page
    assert not ToxinInjection.objects.exists()
    second = fingerprint(page)
    assert second != first

    moved = {**data, "date": (today - timedelta(days=1)).isoformat(), "confirm_checks": first}  # another value
    assert patient_client.post(new_url(patient), moved).status_code == 200
    forged = {**data, "confirm_checks": "0" * 40}
    assert patient_client.post(new_url(patient), forged).status_code == 200
    assert not ToxinInjection.objects.exists()

    assert patient_client.post(new_url(patient), {**changed, "confirm_checks": second}).status_code == 302
    assert ToxinInjection.objects.get().lines.get().units == Decimal(2400)


def test_correcting_to_a_usual_value_saves_without_asking(patient_client, patient, today):
    data = injection_data(today, [{**SCM, "units": "2500"}], product="abobotulinumtoxinA")
    stale = fingerprint(patient_client.post(new_url(patient), data).content.decode())
    response = patient_client.post(new_url(patient), {**data, "lines-0-units": "250", "confirm_checks": stale})
    assert response.status_code == 302
    assert ToxinInjection.objects.get().confirmed_checks == []


def test_each_muscle_line_with_a_check_is_marked_on_the_form(patient_client, patient, today):
    data = injection_data(today, [SCM, {**SPLENIUS, "units": "2500"}], product="abobotulinumtoxinA")
    page = patient_client.post(new_url(patient), data).content.decode()
    assert re.search(r'<li>Splenius capitis \(right\): 2,500 units [^<]+ <a href="#line-1">Go to muscle 2</a></li>', page)
    assert re.search(r'<fieldset class="injection-line has-check" id="line-1">\s*<legend>Muscle 2</legend>\s*'
                     r'<p class="line-check">Check this dose: Splenius capitis \(right\)', page)
    assert '<fieldset class="injection-line" id="line-0">' in page


@pytest.mark.parametrize("line, message", [
    ({"muscle": "procerus", "side": "left", "units": "5"}, "Procerus is a single muscle in the middle"),
    ({"muscle": "splenius_capitis", "side": "midline", "units": "50"}, "Splenius capitis is a muscle of each side"),
])
def test_sides_that_do_not_fit_the_muscle_are_refused(patient_client, patient, today, line, message):
    response = patient_client.post(new_url(patient), injection_data(today, [line]))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ToxinInjection.objects.exists()


# --- the API -------------------------------------------------------------------------------------------------

def api_call(client, method, url, body):
    response = client.generic(method, url, data=json.dumps(body), content_type="application/json")
    return response, response.json()


def test_api_refuses_unusual_values_with_422_until_confirmed(patient_client, patient, today):
    make_injection(patient, today - timedelta(days=18), lines=[("trapezius", "left", 40)])
    url = f"/api/patients/{patient.pk}/injections"
    body = {"date": today.isoformat(), "product": "abobotulinumtoxinA",
            "lines": [{"muscle": "splenius_capitis", "side": "right", "units": 200, "sites": 2},
                      {"muscle": "sternocleidomastoid", "side": "left", "units": 2500, "sites": 3}]}
    before = database_state()
    response, refused = api_call(patient_client, "POST", url, body)
    assert response.status_code == 422 and database_state() == before
    expected = [(["body", "payload", "lines", 1, "units"], "Sternocleidomastoid (left): 2,500 units of "
                                                           "abobotulinumtoxinA (Dysport) is more than"),
                (["body", "payload"], "The session's total, 2,700 units of abobotulinumtoxinA (Dysport), is more"),
                (["body", "payload"], "18 days after the previous injection of the neck (")]
    assert len(refused["detail"]) == len(expected)
    for error, (loc, start) in zip(refused["detail"], expected, strict=True):
        assert (error["loc"], error["type"]) == (loc, "dose_check") and error["msg"].startswith(start), error
    response, created = api_call(patient_client, "POST", url, {**body, "confirm": True})
    assert response.status_code == 201
    saved = ToxinInjection.objects.get(pk=created["id"])
    assert lines_of(saved) == [("splenius_capitis", "", "right", Decimal(200), 2),
                               ("sternocleidomastoid", "", "left", Decimal(2500), 3)]
    assert created["confirmed_checks"] == [e["msg"] for e in refused["detail"]]
    # The same values sent again as a correction are not checked twice; a changed dose is.
    assert api_call(patient_client, "PUT", f"{url}/{saved.pk}", body)[0].status_code == 200
    body["lines"][1]["units"] = 2600
    assert api_call(patient_client, "PUT", f"{url}/{saved.pk}", body)[0].status_code == 422


# --- the dose grid ---------------------------------------------------------------------------------------------

class TableReader(HTMLParser):
    """Rows of cell texts of the first table with class ``dose-grid``."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False
        self.cell: list[str] | None = None
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "dose-grid" in (a.get("class") or "").split() and not self.rows:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []
        elif self.inside and tag == "span" and ("visually-hidden" in (a.get("class") or "") or self.hidden):
            self.hidden += 1
        elif self.inside and tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.inside and tag == "span" and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def grid_rows(page: str) -> list[list[str]]:
    reader = TableReader()
    reader.feed(page)
    return reader.rows


def test_grid_sets_muscles_against_sessions_with_totals_per_session(patient_client, patient, today):
    make_injection(patient, today - timedelta(days=300), lines=[("sternocleidomastoid", "left", 40),
                                                                  ("splenius_capitis", "right", 60)])
    make_injection(patient, today - timedelta(days=200), "abobotulinumtoxinA",
                   [("sternocleidomastoid", "left", 150), ("splenius_capitis", "right", 250), ("trapezius", "right", 100)])
    make_injection(patient, today - timedelta(days=100), lines=[("sternocleidomastoid", "left", 50),
                                                                  ("splenius_capitis", "right", "70.5"),
                                                                  ("orbicularis_oculi_pretarsal", "bilateral", 10)])
    page = patient_client.get(f"/patients/{patient.pk}/treatments/injections/grid/").content.decode()
    days = [f"{d.day} {d:%b %Y}" for d in (today - timedelta(days=n) for n in (100, 200, 300))]
    assert grid_rows(page) == [
        ["Muscle", f"{days[0]} onaBoNT-A", f"{days[1]} aboBoNT-A", f"{days[2]} onaBoNT-A"],
        ["Neck and shoulder"],
        ["Sternocleidomastoid left", "50", "150", "40"],
        ["Splenius capitis right", "70.5", "250", "60"],
        ["Trapezius right", "–", "100", "–"],
        ["Eyelids and brow"],
        ["Orbicularis oculi, pretarsal both sides", "10", "–", "–"],
        ["Total", "130.5", "500", "100"],
    ]
    assert "730.5" not in page  # never a sum across sessions (and products)
    assert '<abbr title="abobotulinumtoxinA (Dysport)">aboBoNT-A</abbr>' in page
    assert "onaBoNT-A: onabotulinumtoxinA (Botox); aboBoNT-A: abobotulinumtoxinA (Dysport)." in page
    assert "Your last sessions" in page


def test_grid_shows_the_chosen_number_of_sessions(patient_client, patient, today):
    for n in range(5):
        make_injection(patient, today - timedelta(days=100 * (n + 1)), lines=[("trapezius", "left", 10 + n)])
    page = patient_client.get(f"/patients/{patient.pk}/treatments/injections/grid/?sessions=4").content.decode()
    rows = grid_rows(page)
    assert rows[-1] == ["Total", "10", "11", "12", "13"] and "1 earlier session not shown." in page
    page = patient_client.get(f"/patients/{patient.pk}/treatments/injections/grid/?sessions=zz").content.decode()
    assert grid_rows(page)[-1] == ["Total", "10", "11", "12", "13", "14"]
    form = patient_client.get(new_url(patient)).content.decode()
    compact = grid_rows(form)
    assert compact[0] == ["Muscle"] + [f"{d.day} {d:%b %Y} onaBoNT-A" for d in
                                       (today - timedelta(days=100 * n) for n in (1, 2, 3))]
    assert compact[-1] == ["Total", "10", "11", "12"]
    assert f'href="/patients/{patient.pk}/treatments/injections/grid/">The full dose grid</a>' in form


def test_grid_speaks_to_the_patient_or_about_them(patient, clinician, today):
    make_injection(patient, today - timedelta(days=100))
    url = f"/patients/{patient.pk}/treatments/injections/grid/"
    own = logged_in(patient.user).get(url).content.decode()
    assert "Your last sessions" in own and "The muscles of your last 1 botulinum-toxin session," in own
    theirs = logged_in(clinician.user).get(url).content.decode()
    assert "The patient's last sessions" in theirs and "Your last sessions" not in theirs
    assert "The muscles of the patient's last" in theirs and "<h1>Dose grid: pat</h1>" in theirs


# --- the head posture beside the form ---------------------------------------------------------------------------

def head_recording(patient, *, task="rest", status="done", metrics=None, neutral_s=None, days_ago=3):
    from django.utils import timezone

    recording = Recording(patient=patient, kind="head", task=task, content_type="video/webm", size_bytes=4,
                          status=status, metrics=metrics or {}, neutral_s=neutral_s,
                          recorded_at=timezone.now() - timedelta(days=days_ago))
    recording.video.save("rest.webm", ContentFile(b"\x1a\x45\xdf\xa3"), save=True)
    return recording


def test_posture_of_the_latest_head_recording_beside_the_form(patient_client, patient):
    head_recording(patient, metrics={"yaw_median_deg": 5.0, "roll_median_deg": 1.0, "pitch_median_deg": 1.0},
                   days_ago=30)
    latest = head_recording(patient, metrics={"yaw_median_deg": -23.4, "roll_median_deg": 12.2,
                                              "pitch_median_deg": 0.4}, neutral_s=5, days_ago=3)
    head_recording(patient, task="turn", metrics={"yaw_median_deg": 60.0}, days_ago=1)  # not a posture
    head_recording(patient, status="failed", days_ago=0)
    page = patient_client.get(new_url(patient)).content.decode()
    assert "Your head posture" in page
    assert "<dt>Rotation</dt><dd>23° to the left (chin toward the left shoulder)</dd>" in page
    assert "<dt>Tilt</dt><dd>12° to the right (right ear toward the right shoulder)</dd>" in page
    assert "<dt>Flexion or extension</dt><dd>about straight</dd>" in page
    assert "measured from the straight posture held at its start" in page
    assert f'href="/patients/{patient.pk}/recordings/{latest.pk}/">See this recording</a>' in page


def test_no_head_recording_says_so_and_links_to_recording_one(patient, clinician):
    own = logged_in(patient.user).get(new_url(patient)).content.decode()
    assert "You have no analysed head recording yet." in own
    assert f'href="/patients/{patient.pk}/recordings/new/head/">Record the head posture</a>' in own
    theirs = logged_in(clinician.user).get(new_url(patient)).content.decode()
    assert "The patient has no analysed head recording yet." in theirs and "You have no" not in theirs
    assert "The patient's head posture" in theirs


def test_no_posture_panel_without_cervical_dystonia(db, today):
    blepharospasm = factories.make_patient("eyes", regions=("upper_face",))
    client = logged_in(blepharospasm.user)
    assert "head posture" not in client.get(new_url(blepharospasm)).content.decode()
    previous = make_injection(blepharospasm, today - timedelta(days=100), lines=[("trapezius", "left", 30)])
    page = client.get(f"/patients/{blepharospasm.pk}/treatments/injections/{previous.pk}/repeat/").content.decode()
    assert "Your head posture" in page  # a neck muscle in the session
