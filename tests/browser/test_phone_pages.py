"""Every page of the demo patient and the demo clinician on a 390 x 844 phone, in the light and the dark theme,
and on a desktop.

On each page: no sideways scroll of the page itself, every text of a chart drawn at least 12 px
high on the screen, no caption, heading, paragraph or table cell past the edge of the screen, no
target smaller than 44 x 44 px, and no axe-core violation (every rule in the light theme; in the
dark theme, which changes only colours, the rules about colour). The URL patterns are walked (as the
permission tests walk them), so a page added later is covered without changing this file; a new
URL keyword needs a sample value in :func:`tests.factories.fill_record`. A screenshot of each page
at phone and at desktop size goes to ``tests/_artifacts/pages/``.
"""

from __future__ import annotations

import itertools
import re
import shutil

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.browser.conftest import COLOUR_RULES, DESKTOP, PHONE, describe_violations, run_axe, small_targets
from tests.browser.demo_record import complete_demo
from tests.browser.layout import layout_problems, measure_layout
from tests.urlwalk import fill, keywords, walk
from torsion.web.accounts.tokens import create_token
from torsion.web.learn import content
from torsion.web.recordings.protocols import KINDS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Routes that are not pages a person reads: the admin (Django's own), the API and its documentation,
# and actions without a page.
SKIP_PREFIXES = ("admin/", "api/")
SKIP_ROUTES = {"accounts/logout/", "theme/"}
# Pages for someone signed out (they send a signed-in person elsewhere).
ANONYMOUS_ONLY = ("accounts/login/", "accounts/signup/", "accounts/password/reset")
# Pages anyone may read, which also change for a signed-in person.
PUBLIC = ("", "learn/", "learn/classify/")
# Other states of a page worth seeing on a phone, as query strings.
MORE_STATES = {"patients/<int:patient_id>/history/": ["?period=all"],
               "patients/<int:patient_id>/cycles/": ["?metric=neck"]}


def _values(today) -> tuple[object, object, dict[str, list]]:
    patient, clinician, sample = complete_demo(today)
    values = {key: value if isinstance(value, list) else [value] for key, value in sample.items()}
    values["recording_id"] = [sample["recording_id"], *sample["done_recordings"]]
    values["kind"] = list(KINDS)
    values["slug"] = [page.slug for page in content.all_pages()]
    values["uidb64"] = [urlsafe_base64_encode(force_bytes(patient.user.pk))]
    values["token"] = [default_token_generator.make_token(patient.user)]
    values["token_id"] = [create_token(patient.user, "sample")[0].pk]
    return patient, clinician, values


def demo_pages(patient, clinician, values: dict[str, list]) -> list[tuple[str, str]]:
    """(address, who) for every page: "patient", "clinician" or "anonymous"."""
    pages = []
    for route, _ in walk():
        if route.startswith(SKIP_PREFIXES) or route in SKIP_ROUTES:
            continue
        names = keywords(route)
        for combination in itertools.product(*(values.get(name, [None]) for name in names)):
            sample = {name: value for name, value in zip(names, combination) if value is not None}
            url = fill(route, sample)
            if route.startswith(ANONYMOUS_ONLY) or route.startswith("learn/<slug"):
                viewers = ["anonymous"]
            elif route in PUBLIC:
                viewers = ["anonymous", "patient", "clinician"]
            elif route.startswith("clinic/"):
                viewers = ["clinician"]
            else:
                viewers = ["patient", "clinician"]
            for who in viewers:
                pages += [(url + query, who) for query in ["", *MORE_STATES.get(route, [])]]
    return pages


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def readable_pages(patient, clinician, values) -> list[tuple[str, str]]:
    """The pages each viewer may open that are HTML (not a POST-only action, a video, a download or a refusal)."""
    users = {"patient": patient.user, "clinician": clinician.user, "anonymous": None}
    clients = {who: _client(user) for who, user in users.items()}
    pages = []
    for url, who in demo_pages(patient, clinician, values):
        response = clients[who].get(url, follow=True)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((url, who))
    return pages


def _name(url: str, who: str) -> str:
    return f"{who}-" + (re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home")


def _walk(context_factory, users, pages, *, viewport, scheme="light"):
    """Open each (url, who) in one browser tab per viewer; yields (tab, url, who) once each page is loaded."""
    tabs = {}
    for url, who in pages:
        if who not in tabs:
            tabs[who] = context_factory(users[who], viewport=viewport, color_scheme=scheme).new_page()
        response = tabs[who].goto(url)
        assert response.status < 400, f"{who} {url}: HTTP {response.status}"
        yield tabs[who], url, who


def test_every_demo_page_on_a_phone_in_both_themes_and_on_a_desktop(context_factory, today, artifacts):
    """One walk per size and theme over the same demo record:

    - phone, light theme: the layout, the size of every target and every axe-core rule, and a screenshot;
    - phone, dark theme: the layout again and the rules that depend on colour (the rest cannot change);
    - desktop: a screenshot, chart text at its size and no sideways scroll.
    """
    patient, clinician, values = _values(today)
    pages = readable_pages(patient, clinician, values)
    by_viewer = {who: [url for url, w in pages if w == who] for who in ("patient", "clinician", "anonymous")}
    assert len(by_viewer["patient"]) >= 40 and len(by_viewer["clinician"]) >= 30, by_viewer
    users = {"patient": patient.user, "clinician": clinician.user, "anonymous": None}
    folder = artifacts / "pages"
    shutil.rmtree(folder, ignore_errors=True)  # only this run's pages
    folder.mkdir()

    def screenshot(tab, url, who, size):
        name = _name(url.replace(f"/patients/{patient.pk}/", "/patients/demo/"), who)
        tab.screenshot(full_page=True, path=str(folder / f"{name}-{size}.png"))

    problems = []
    for tab, url, who in _walk(context_factory, users, pages, viewport=PHONE):
        where = f"{who} {url} (phone)"
        problems += layout_problems(tab, where)
        problems += [f"{where}: target smaller than 44x44 px: {item}" for item in small_targets(tab)]
        violations = run_axe(tab)
        if violations:
            problems.append(f"{where}:\n{describe_violations(violations)}")
        screenshot(tab, url, who, "phone")
    for tab, url, who in _walk(context_factory, users, pages, viewport=PHONE, scheme="dark"):
        where = f"{who} {url} (phone, dark theme)"
        problems += layout_problems(tab, where)
        violations = run_axe(tab, COLOUR_RULES)
        if violations:
            problems.append(f"{where}:\n{describe_violations(violations)}")
    for tab, url, who in _walk(context_factory, users, pages, viewport=DESKTOP):
        found = measure_layout(tab)  # the desktop layout keeps chart text at its size too
        if found["sidewaysScroll"] > 0 or found["smallText"]:
            problems.append(f"{who} {url} (desktop): {found}")
        screenshot(tab, url, who, "desktop")
    assert not problems, "\n".join(problems)
    assert len(list(folder.glob("*-phone.png"))) == len(list(folder.glob("*-desktop.png"))) >= len(pages) // 2


def test_the_layout_check_can_fail(context_factory):
    """Guard against a silently broken check: a page with each fault must report it."""
    page = context_factory(None, viewport=PHONE).new_page()
    page.set_content('<html lang="en"><body style="margin:0">'
                     '<svg viewBox="0 0 720 100" width="360"><text x="0" y="50" font-size="12">tiny</text></svg>'
                     '<div style="overflow-x:auto"><table><caption style="width:600px">Wide caption</caption>'
                     '<tr><td>x</td></tr></table></div>'
                     '<p style="width:500px">A paragraph wider than the phone.</p></body></html>')
    found = measure_layout(page)
    assert found["sidewaysScroll"] > 0
    assert len(found["smallText"]) == 1 and "6.0px" in found["smallText"][0]
    assert any(item.startswith('caption "Wide caption"') for item in found["offScreen"])
    assert any(item.startswith('p "A paragraph wider') for item in found["offScreen"])


def _demo_patient(today):
    from torsion.web.accounts.models import Patient
    from torsion.web.core.demo import DEMO_PATIENT, create_demo

    create_demo(today=today, years=2.1)
    return Patient.objects.get(user__username=DEMO_PATIENT)


def test_cycle_lines_name_themselves_on_keyboard_focus_and_history_opens_on_this_year(context_factory, today):
    patient = _demo_patient(today)
    page = context_factory(patient.user, viewport=PHONE).new_page()
    page.goto(f"/patients/{patient.pk}/cycles/")
    label = page.locator("svg.chart g.focusable .focus-label").first
    assert label.evaluate("e => getComputedStyle(e).opacity") == "0"
    page.locator("svg.chart g.focusable").first.focus()
    assert label.evaluate("e => getComputedStyle(e).opacity") == "1"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Cycle ")
    box, screen = label.bounding_box(), page.viewport_size
    assert 0 <= box["x"] and box["x"] + box["width"] <= screen["width"]  # the name is readable on the phone
    page.goto(f"/patients/{patient.pk}/history/")
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("Last 12 months:")
    assert page.locator('.period-nav a[aria-current="page"]').inner_text() == "Last 12 months"
    last_tick = page.locator("svg.timeline text.tick").last.bounding_box()
    assert last_tick["x"] + last_tick["width"] <= screen["width"]


def test_charts_print_in_the_light_colours_at_their_size(context_factory, today):
    patient = _demo_patient(today)
    page = context_factory(patient.user, viewport={"width": 800, "height": 1000}, color_scheme="dark").new_page()
    page.goto(f"/patients/{patient.pk}/cycles/")
    assert page.evaluate("getComputedStyle(document.querySelector('svg.chart .plot-bg')).fill") != "rgb(255, 255, 255)"
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('svg.chart .plot-bg')).fill") == "rgb(255, 255, 255)"
    assert not measure_layout(page)["smallText"]
