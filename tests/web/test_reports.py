"""The visit report: its period, its contents in the PDF and on the page, and who may see it."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from PIL import Image

from tests import factories
from tests.web.conftest import logged_in
from torsion.reports.visit import render_pdf
from torsion.web.core.demo import DEMO_PATIENT, create_demo
from torsion.web.records.models import ToxinInjection
from torsion.web.records.services import cycle_report
from torsion.web.reports.builder import build_visit_report, default_period
from torsion.web.reports.models import VisitQuestion

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
                                   reason="Debian's poppler-utils (pdftoppm, pdftotext) is not installed")


@pytest.fixture
def demo(db, today):
    create_demo(today=today)
    from torsion.web.accounts.models import Patient

    return Patient.objects.get(user__username=DEMO_PATIENT)


def test_the_default_period_starts_at_the_injection_before_the_last(demo, today):
    days = list(ToxinInjection.objects.filter(patient=demo, date__lte=today).order_by("-date")
                .values_list("date", flat=True))
    period = default_period(demo, today)
    assert period.start == days[1] and period.end == today


@needs_poppler
def test_the_demo_report_renders_to_non_blank_pages_holding_the_cycle_figures_and_doses(demo, tmp_path, today):
    VisitQuestion.objects.create(patient=demo, text="Is the gap between injections too long?")
    path = tmp_path / "report.pdf"
    render_pdf(build_visit_report(demo), path)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 1 <= len(pages) <= 3
    for page in pages:
        pixels = Image.open(page).convert("L")
        dark = sum(pixels.histogram()[:128])
        assert dark > 0.001 * pixels.width * pixels.height, f"{page.name} is blank"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    analysed = [c for c in cycle_report(demo).report.cycles if c.status == "ok"][-1]
    cycle_row = next(line.split() for line in text.splitlines()
                     if line.split()[:4] == [str(analysed.number), str(analysed.start.day),
                                             f"{analysed.start:%b}", f"{analysed.start:%Y}"])
    assert cycle_row[4:7] == [str(analysed.onset_day), str(analysed.peak_day), f"{analysed.peak_improvement:.1f}"]
    last = ToxinInjection.objects.filter(patient=demo).order_by("-date").first()
    for line in last.lines.all():
        row = next(r for r in text.splitlines() if r.strip().startswith(line.muscle_name))
        assert f"{line.units.normalize():f}" in row.split()
    assert "Benefit typically wears off" in text and "Is the gap between injections too long?" in text
    assert "G24.3" in text
    from torsion.web.assessments.services import daily_totals

    day, total = daily_totals(demo, "twstrs")[-1]
    scale_row = next(line.split() for line in text.splitlines() if line.strip().startswith("TWSTRS"))
    assert (f"{total:g}" if float(total).is_integer() else f"{total:.1f}") in scale_row and f"{day.day}" in scale_row


def test_phone_charts_keep_text_at_least_12_css_pixels():
    from torsion.reports import visit

    drawn_px = visit.PHONE_WIDTH_IN * visit.PHONE_DPI
    smallest_pt = visit.SMALL_PT * visit.PHONE_TEXT_SCALE - 1  # the injection labels
    # The content column is 328 CSS px on a 360 px phone and 358 on a 390 px one: at least 320.
    assert smallest_pt * visit.PHONE_DPI / 72 * 320 / drawn_px >= 12


def test_the_page_shows_the_report_with_chart_images_and_the_pdf_downloads(demo):
    client = logged_in(demo.user)
    page = client.get(f"/patients/{demo.pk}/report/")
    html = page.content.decode()
    assert page.status_code == 200 and "Last injection protocol" in html and 'src="data:image/png;base64,' in html
    period = default_period(demo)  # the fields show the period the report covers
    assert f'name="start" value="{period.start.isoformat()}"' in html and f'name="end" value="{period.end.isoformat()}"' in html
    # Each chart also comes drawn for a phone's width, chosen by the browser below 40rem.
    phones = re.findall(r'<source media="screen and \(max-width: 40rem\)" srcset="data:image/png;base64,([^"]+)">', html)
    assert phones and len(phones) == html.count('class="report-chart"')
    assert {Image.open(io.BytesIO(base64.b64decode(png))).width for png in phones} == {340}
    pdf = client.get(f"/patients/{demo.pk}/report/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_bad_period_is_refused_with_a_message(demo, today):
    client = logged_in(demo.user)
    future = (today + timedelta(days=3)).isoformat()
    response = client.get(f"/patients/{demo.pk}/report/?end={future}")
    assert response.status_code == 400 and "cannot end in the future" in response.content.decode()
    backwards = client.get(f"/patients/{demo.pk}/report/?start={today}&end={today - timedelta(days=9)}")
    assert backwards.status_code == 400 and "start before it ends" in backwards.content.decode()


def test_a_clinician_with_access_reads_the_report_and_the_view_is_audited(patient, clinician, today):
    factories.fill_record(patient, today=today)
    response = logged_in(clinician.user).get(f"/patients/{patient.pk}/report/pdf/")
    assert response.status_code == 200
    from torsion.web.audit.models import AccessEvent

    event = AccessEvent.objects.get(patient=patient)
    assert event.channel == "export" and "Visit report" in event.what


def test_points_for_the_next_visit_are_the_patients(patient, clinician):
    owner = logged_in(patient.user)
    assert owner.post(f"/patients/{patient.pk}/visit/questions/", {"text": "Neck pain at night"}).status_code == 302
    question = VisitQuestion.objects.get(patient=patient)
    assert owner.post(f"/patients/{patient.pk}/visit/questions/", {"text": ""}).status_code == 400
    assert logged_in(clinician.user).get(f"/patients/{patient.pk}/visit/questions/").status_code == 404
    owner.post(f"/patients/{patient.pk}/visit/questions/{question.pk}/done/")
    question.refresh_from_db()
    assert question.discussed_at is not None
    assert "Neck pain at night" not in "".join(
        p for s in build_visit_report(patient).sections for p in s.paragraphs)


def test_render_pdf_writes_to_a_file_object(demo):
    buffer = io.BytesIO()
    render_pdf(build_visit_report(demo), buffer)
    assert buffer.getvalue().startswith(b"%PDF")
