"""The daily-use pages on a phone (390 x 844) and a desktop, light and dark: several check-ins a day,
correcting one, reminders, the dashboard's reminder lines and the offline page. Each page is checked
with axe, must not scroll sideways, and is kept as a screenshot in the test artefacts."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, describe_violations, run_axe, small_targets
from torsion.web.records.models import DiaryEntry, ReminderSettings, ToxinInjection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest('.table-wrap, .timeline-wrap')) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.right)}px`);
    }
  }
  return {page: document.documentElement.scrollWidth > width, wide: wide.slice(0, 5)};
}"""


@pytest.fixture
def patient(db, today):
    patient = factories.make_patient("pat", regions=("neck", "upper_face"))
    for offset in range(1, 6):
        day = today - timedelta(days=offset)
        DiaryEntry.objects.create(patient=patient, date=day, period="morning", time=time(8, 15),
                                  severity={"neck": 3, "upper_face": 2}, pain=2)
        DiaryEntry.objects.create(patient=patient, date=day, period="evening", severity={"neck": 7, "upper_face": 5},
                                  pain=6, note="worse after a long day at the computer, as usual near the end of the cycle")
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 4, "upper_face": 2})
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=80), product="onabotulinumtoxinA")
    ReminderSettings.objects.create(patient=patient, check_in_time=time(20, 0), injection_days_before=7)
    return patient


def _pages(patient, today):
    morning = DiaryEntry.objects.filter(patient=patient, date=today).get()
    return {
        "dashboard": f"/patients/{patient.pk}/",
        "check-in-second": f"/patients/{patient.pk}/check-in/",
        "diary": f"/patients/{patient.pk}/diary/",
        "diary-day": f"/patients/{patient.pk}/diary/{(today - timedelta(days=1)).isoformat()}/",
        "check-in-correct": f"/patients/{patient.pk}/diary/{today.isoformat()}/{morning.pk}/",
        "reminders": f"/patients/{patient.pk}/reminders/",
        "offline": "/offline/",
    }


@pytest.mark.parametrize("size_name, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_daily_use_pages_read_well(context_factory, patient, today, artifacts, size_name, viewport, scheme):
    page = context_factory(patient.user, viewport=viewport, color_scheme=scheme).new_page()
    problems = []
    for name, url in _pages(patient, today).items():
        response = page.goto(url)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        page.screenshot(path=str(artifacts / f"daily-{name}-{size_name}-{scheme}.png"), full_page=True)
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["page"] or overflow["wide"]:
            problems.append(f"{name}: wider than the screen: {overflow['wide']}")
        violations = run_axe(page)
        if violations:
            problems.append(f"{name}:\n{describe_violations(violations)}")
        small = small_targets(page)
        if small:
            problems.append(f"{name}: targets smaller than 44x44 px: {small}")
    assert not problems, "\n".join(problems)
