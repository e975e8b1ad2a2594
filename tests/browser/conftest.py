"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live test server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = os.environ.get("TORSION_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls the tests make
# there are ordinary synchronous calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's 'chromium' package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context_factory(browser, live_server):
    contexts = []

    def make(user=None, *, viewport=DESKTOP, color_scheme="light", **kwargs):
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, base_url=live_server.url,
                                      **kwargs)
        context.set_default_timeout(15000)
        if user is not None:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


#: The axe-core rules whose outcome depends on the colours alone: all that a second colour theme of a
#: page already checked with every rule can change.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def run_axe(page, rules: tuple[str, ...] | None = None) -> list[dict]:
    """axe-core's WCAG 2.x A/AA and best-practice rules on the page (or only ``rules``); returns the violations."""
    from axe_playwright_python.sync_playwright import Axe

    only = ({"type": "rule", "values": list(rules)} if rules else
            {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]})
    return Axe().run(page, options={"runOnly": only}).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


SMALL_TARGETS_JS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, '
                 + 'textarea, summary, label:has(> input[type=radio]), label:has(> input[type=checkbox])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // Links inside running text are exempt (WCAG 2.5.8 inline exception); so is the skip link off screen.
    if (el.matches('p a, td a, dd a, li p a, .prose li a, .muted a') || el.classList.contains('skip-link')) continue;
    if (box.width < 44 - 0.5 || box.height < 44 - 0.5) {
      small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


def small_targets(page) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS)
