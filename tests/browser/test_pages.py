"""What a person does in the browser: every page is accessible, usable on a phone, and works by keyboard."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import factories
from tests.browser.conftest import COLOUR_RULES, DESKTOP, PHONE, describe_violations, run_axe, small_targets
from tests.urlwalk import fill, keywords, walk
from torsion.web.accounts.tokens import create_token
from torsion.web.learn import content
from torsion.web.records.models import DiaryEntry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Routes that are not pages a person reads: the admin (Django's own), the API, form-only endpoints.
SKIP_PREFIXES = ("admin/", "api/")
SKIP_ROUTES = {"accounts/logout/", "theme/"}
# Pages that only make sense signed out (they redirect a signed-in person elsewhere).
ANONYMOUS_ONLY = {"accounts/login/", "accounts/signup/"}


def every_page(patient, clinician, today):
    """Addresses of every page, with sample values, and who should look at it (None = signed out)."""
    values = {"patient_id": patient.pk}
    values.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in factories.fill_record(patient, today=today).items()})
    values["uidb64"] = urlsafe_base64_encode(force_bytes(patient.user.pk))
    values["token"] = default_token_generator.make_token(patient.user)
    values["token_id"] = create_token(patient.user, "sample")[0].pk
    pages = []
    for route, _ in walk():
        if route.startswith(SKIP_PREFIXES) or route in SKIP_ROUTES:
            continue
        if "slug" in keywords(route):
            pages += [(fill(route, {"slug": page.slug}), None) for page in content.all_pages()]
            continue
        if route in ANONYMOUS_ONLY or route.startswith(("accounts/password/reset", "learn/")) or route == "":
            who = None
        elif route.startswith("clinic/"):
            who = clinician.user
        else:
            who = patient.user
        pages.append((fill(route, values), who))
    return pages


def _post_only(url: str, user) -> bool:
    """Not a page: actions such as "save" (GET answers 405) and downloads (a file, not HTML)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    return response.status_code == 405 or (
        response.status_code == 200 and not response.get("Content-Type", "").startswith("text/html"))


@pytest.fixture
def patient(db):
    return factories.make_patient("pat", regions=("neck", "upper_face"))


def test_every_page_passes_axe_and_has_large_targets(context_factory, patient, today):
    clinician = factories.make_clinician("doc")
    factories.grant(patient, clinician)
    pages = every_page(patient, clinician, today)
    assert len(pages) >= 12
    browsers = {user: context_factory(user).new_page() for user in {who for _, who in pages}}
    problems = []
    for url, who in pages:
        if _post_only(url, who):
            continue
        page = browsers[who]
        response = page.goto(url)
        assert response.status < 400, f"{url}: HTTP {response.status}"
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a file such as a recording's video, not a page
        violations = run_axe(page)
        if violations:
            problems.append(f"{url}:\n{describe_violations(violations)}")
        small = small_targets(page)
        if small:
            problems.append(f"{url}: targets smaller than 44x44 px: {small}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/", "/learn/", "/accounts/login/"])
def test_dark_theme_passes_axe(context_factory, path):
    page = context_factory(None, color_scheme="dark").new_page()
    page.goto(path)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 20, 22)"
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_dark_dashboard_passes_axe(context_factory, patient, today):
    factories.fill_record(patient, today=today)
    page = context_factory(patient.user, color_scheme="dark").new_page()
    page.goto(f"/patients/{patient.pk}/")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def _distinct_colours(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((160, 160))
    return len(set(image.tobytes()[i:i + 3] for i in range(0, 160 * 160 * 3, 3)))


@pytest.mark.parametrize("viewport_name, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_home_and_dashboard(context_factory, patient, today, artifacts, viewport_name, viewport):
    factories.fill_record(patient, today=today)
    page = context_factory(patient.user, viewport=viewport).new_page()
    for name, path in (("home", "/"), ("dashboard", f"/patients/{patient.pk}/")):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on {viewport_name}"
        assert page.locator("h1").first.is_visible()
        png = page.screenshot(full_page=True, path=str(artifacts / f"{name}-{viewport_name}.png"))
        assert _distinct_colours(png) > 20, f"{name} on {viewport_name} looks blank"
    if viewport_name == "phone":
        # The menu folds away on a phone and opens with its button.
        assert not page.locator("#site-nav").is_visible()
        page.get_by_role("button", name="Menu").click()
        assert page.get_by_role("link", name="My dashboard").is_visible()


def test_demo_patient_logs_in_through_the_form_and_sees_the_dashboard(context_factory, db):
    from torsion.web.core.demo import DEMO_PASSWORD, DEMO_PATIENT, create_demo

    create_demo(years=2.1)
    page = context_factory(None).new_page()
    page.goto("/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill(DEMO_PATIENT)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/patients/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex (demo)"
    # The last 90 days, and the trends of the demo's example spirals and voices.
    assert page.locator("svg.chart").count() >= 3
    assert page.get_by_role("heading", name="Last 90 days").is_visible()
    assert "Last injection" in page.locator("main").inner_text()


def test_check_in_with_the_keyboard_only(context_factory, patient, today):
    page = context_factory(patient.user).new_page()
    page.goto(f"/patients/{patient.pk}/diary/{today.isoformat()}/")
    page.locator("#id_severity_neck_0").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # radio groups move and select with the arrow keys
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.locator("main button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/patients/{patient.pk}/")
    entry = DiaryEntry.objects.get(patient=patient, date=today)
    assert entry.severity == {"neck": 4, "upper_face": 2}


def test_first_field_with_an_error_gets_focus(context_factory, patient, today):
    page = context_factory(patient.user).new_page()
    page.goto(f"/patients/{patient.pk}/diary/{today.isoformat()}/")
    page.locator("#id_severity_upper_face_3").check()
    page.locator("main button[type=submit]").click()
    assert page.locator("#id_severity_neck_error").inner_text() == "This field is required."
    assert page.evaluate("document.activeElement.id") == "id_severity_neck_0"
    assert not DiaryEntry.objects.exists()


def test_skip_link_and_theme_switch(context_factory):
    page = context_factory(None, color_scheme="light").new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(246, 245, 241)"
    page.locator("[data-theme-cycle]").click()  # system -> dark
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 20, 22)"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert "Dark" in page.locator("[data-theme-cycle]").inner_text()


def test_the_accessibility_check_can_fail(context_factory):
    """Guard against a silently broken checker: a page with known faults must produce violations."""
    page = context_factory(None).new_page()
    page.set_content('<html><head><title>x</title></head><body><main><img src="a.png">'
                     '<a href="#"></a><p style="color:#777;background:#888">faint</p></main></body></html>')
    found = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "link-name", "color-contrast", "html-has-lang"} <= found
    assert {v["id"] for v in run_axe(page, COLOUR_RULES)} == {"color-contrast"}  # the colour rules alone
    page.set_content('<html lang="en"><body><main><a href="#" style="font-size:10px">x</a></main></body></html>')
    small = small_targets(page)
    assert len(small) == 1 and small[0].startswith('a "x"')
