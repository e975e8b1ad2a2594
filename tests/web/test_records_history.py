"""The history timeline and the toxin-cycle page, on the demo patient's simulated years and on edge cases."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.web.conftest import logged_in
from torsion.clinical.cycles import analyse_cycles
from torsion.web.accounts.models import Patient
from torsion.web.core.demo import create_demo
from torsion.web.records.models import (
    AdverseEvent,
    DiaryEntry,
    MedicationCourse,
    ToxinInjection,
)
from torsion.web.records.services import UnknownMetric, cycle_report
from torsion.web.records.timeline import Lane, Mark, build_timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(today):
    create_demo(today=today, years=2.5)
    patient = Patient.objects.get(user__username="demo-patient")
    return patient, logged_in(patient.user)


def independent_report(patient, region=None):
    """The analysis computed straight from the rows, without the web app's services.

    A check-in's value is its mean over the regions (or the one region); a day's value the mean of its check-ins.
    """
    by_day: dict[date, list[float]] = {}
    for entry in DiaryEntry.objects.filter(patient=patient):
        values = [entry.severity[region]] if region else list(entry.severity.values())
        by_day.setdefault(entry.date, []).append(sum(values) / len(values))
    series = [(day, sum(values) / len(values)) for day, values in sorted(by_day.items())]
    injections = sorted({i.date for i in ToxinInjection.objects.filter(patient=patient)})
    return analyse_cycles(injections, series)


def table_rows(page: str) -> list[list[str]]:
    table = page[page.index('<table class="cycles stack">'):]
    table = table[table.index("<tbody>"): table.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


# --- toxin cycles ---------------------------------------------------------------------------------------

def test_demo_cycle_page_shows_the_numbers_of_the_analysis(demo):
    patient, client = demo
    page = client.get(f"/patients/{patient.pk}/cycles/").content.decode()
    expected = independent_report(patient)
    ok = [c for c in expected.cycles if c.status == "ok" and c.responded]
    assert len(expected.cycles) >= 9 and len(ok) >= 6  # years of simulated cycles, most of them analysable
    rows = table_rows(page)
    assert len(rows) == len(expected.cycles)
    latest = [c for c in expected.cycles if c.status == "ok"][-1]
    for row, cycle in zip(rows, expected.cycles):
        # The cycle highlighted on the chart is marked in the table too.
        number = f"{cycle.number} highlighted" if cycle is latest else str(cycle.number)
        assert row[:2] == [number, f"{cycle.start.day} {cycle.start:%b %Y}"]
        if cycle.status != "ok":
            assert row[3].startswith("Not enough data.") and cycle.reason in row[3]
            assert not re.search(r"\d", row[3].replace(cycle.reason, ""))  # no number stands in for missing data
        elif cycle.responded:
            assert row[3] == f"{cycle.baseline:.1f}"
            assert row[4:7] == [str(cycle.onset_day), str(cycle.peak_day), f"{cycle.peak_improvement:.1f}"]
            lasted = f"at least {cycle.benefit_days} days" if cycle.censored else f"{cycle.benefit_days} days"
            assert row[8] == lasted
    assert html.escape(expected.comparison.trend.statement, quote=True) in page
    assert html.escape(expected.comparison.interval.statement, quote=True) in page
    # The chart: one smoothed curve per analysed cycle, the latest highlighted.
    curves = [c for c in expected.cycles if c.status == "ok"
              and any(v is not None for v in c.response.smoothed_improvement)]
    assert page.count('class="line earlier-cycle"') + page.count('class="line s2 latest-cycle"') >= len(curves)
    assert page.count('class="line s2 latest-cycle"') >= 1
    assert f"{len(curves)} cycles overlaid from their injection day" in page
    # Each curve names itself on hover and keyboard focus; the typical cycle is the median of all of them.
    assert page.count('tabindex="0" role="img" aria-label="') == len(curves) + 1  # and the typical cycle
    for cycle in curves:
        latest = " (latest)" if cycle is curves[-1] else ""
        assert f'aria-label="Cycle {cycle.number}{latest}, injected {cycle.start.day} {cycle.start:%b %Y}: ' in page
    assert page.count('class="line s1 typical-cycle"') >= 1
    assert f"Typical cycle (median of {len(curves)})" in page


def test_cycle_page_analyses_the_chosen_series(demo):
    patient, client = demo
    page = client.get(f"/patients/{patient.pk}/cycles/?metric=neck").content.decode()
    assert "Severity: Neck: improvement after each injection" in page
    assert 'value="neck" class="choice-buttons" required id="id_metric_2" checked' in page
    expected = independent_report(patient, "neck")
    ok = next(c for c in expected.cycles if c.status == "ok" and c.responded)
    row = table_rows(page)[ok.number - 1]
    assert row[4:7] == [str(ok.onset_day), str(ok.peak_day), f"{ok.peak_improvement:.1f}"]


def test_unknown_series_is_explained_and_mean_is_shown(demo):
    patient, client = demo
    response = client.get(f"/patients/{patient.pk}/cycles/?metric=tail")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_metric_error"' in page and "Select a valid choice" in page
    assert "Mean severity: improvement after each injection" in page


def test_cycle_report_service(demo):
    patient, _ = demo
    analysis = cycle_report(patient, "pain")
    assert analysis.metrics == [("mean", "Mean severity"), ("upper_face", "Severity: Eyelids and brow"),
                                ("neck", "Severity: Neck"), ("pain", "Pain"), ("limitation", "Limitation"),
                                ("scale:cdip58", "CDIP-58 total"), ("scale:twstrs", "TWSTRS total")]
    days_with_pain = DiaryEntry.objects.filter(patient=patient, pain__isnull=False).order_by().values("date").distinct()
    assert analysis.values == days_with_pain.count()
    assert analysis.latest is analysis.analysed[-1] and analysis.latest.status == "ok"
    with pytest.raises(UnknownMetric, match="There is no diary series “jaw”"):
        cycle_report(patient, "jaw")


def test_planned_injections_are_left_out_of_the_analysis(patient, today):
    ToxinInjection.objects.create(patient=patient, date=today + timedelta(days=30), product="onabotulinumtoxinA")
    assert cycle_report(patient).report.cycles == []


def test_cycle_page_without_injections(patient_client, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today, severity={"neck": 4})
    page = patient_client.get(f"/patients/{patient.pk}/cycles/").content.decode()
    assert "No cycles to show yet" in page and "<svg" not in page


def test_cycle_with_too_little_data_says_so(patient_client, patient, today):
    start = today - timedelta(days=60)
    ToxinInjection.objects.create(patient=patient, date=start, product="onabotulinumtoxinA")
    DiaryEntry.objects.create(patient=patient, date=start + timedelta(days=3), severity={"neck": 5})
    page = patient_client.get(f"/patients/{patient.pk}/cycles/").content.decode()
    row = table_rows(page)[0]
    assert row[3] == ("Not enough data. There are values for 0 of the 7 days before the injection; at least 4 are "
                      "needed to know how things were before it.")
    assert "No cycle has enough diary data to draw its course" in page


def test_cycles_api_matches_the_page(demo):
    patient, client = demo
    payload = client.get(f"/api/patients/{patient.pk}/cycles?metric=mean").json()
    expected = independent_report(patient).to_dict()
    assert payload["metric"] == "mean" and payload["label"] == "Mean severity" and payload["higher_is_worse"]
    assert payload["cycles"] == expected["cycles"] and payload["comparison"] == expected["comparison"]
    assert payload["metrics"]["neck"] == "Severity: Neck"
    bad = client.get(f"/api/patients/{patient.pk}/cycles?metric=tail")
    assert bad.status_code == 422 and "There is no diary series “tail”" in bad.json()["detail"]


def test_pages_query_the_database_a_fixed_number_of_times(demo, django_assert_max_num_queries):
    patient, client = demo
    for url in ("cycles/", "history/", "treatments/"):
        with django_assert_max_num_queries(16):
            assert client.get(f"/patients/{patient.pk}/{url}").status_code == 200


# --- history timeline -----------------------------------------------------------------------------------

def test_demo_history_shows_everything_on_one_axis(demo, today):
    patient, client = demo
    page = client.get(f"/patients/{patient.pk}/history/?period=all").content.decode()
    svg = page[page.index('<svg class="chart timeline"'): page.index("</svg></svg></div>")]
    injections = ToxinInjection.objects.filter(patient=patient).count()
    assert svg.count('class="event injections"') == injections
    assert svg.count('class="marker injection"') == injections
    assert svg.count('class="span medicines"') == 2
    assert svg.count('class="event therapy"') == 8
    assert svg.count('class="event side_effects"') + svg.count('class="span side_effects"') == 1
    assert '<title id="timeline-t">' in svg
    days = DiaryEntry.objects.filter(patient=patient).order_by().values("date").distinct().count()
    assert f"{days} days of diary check-ins" in svg
    assert 'class="line s1 diary-line"' in svg
    # The table beside it lists the same events.
    events = page[page.index('aria-label="Table of treatments and side effects"'):]
    events = events[: events.index("</table>")]
    assert events.count("<tr><th scope=\"row\">") == injections + 2 + 8 + 1
    assert "Clonazepam (benzodiazepine) (0.5 mg 1× a day), still taken" in html.unescape(events)
    first_month = DiaryEntry.objects.filter(patient=patient).order_by("date").first().date
    assert f"{first_month:%B %Y}</th>" in page


def test_history_of_an_empty_record(patient_client, patient):
    page = patient_client.get(f"/patients/{patient.pk}/history/").content.decode()
    assert "Nothing recorded yet." in page and "<svg" not in page


def test_diary_line_breaks_at_gaps_longer_than_a_week(patient, today):
    for offset in (40, 39, 38, 20, 19, 11, 10):  # gaps of 18 and 8 days
        DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=offset), severity={"neck": 5})
    svg = build_timeline(patient, today).render()
    assert svg.count('class="line s1 diary-line"') == 3


def test_bars_that_overlap_are_stacked():
    lane = Lane("medicines", "Medicines", [
        Mark(date(2024, 1, 1), "A", date(2024, 6, 1)), Mark(date(2024, 3, 1), "B", date(2024, 4, 1)),
        Mark(date(2024, 5, 1), "C", date(2024, 7, 1)), Mark(date(2024, 6, 2), "D", date(2024, 8, 1))])
    assert [[m.label for m in row] for row in lane.rows()] == [["A", "D"], ["B", "C"]]


def test_side_effect_with_duration_is_a_bar_and_open_courses_end_today(patient, today):
    course = MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=Decimal(10),
                                             start=today - timedelta(days=100))
    AdverseEvent.objects.create(patient=patient, onset=today - timedelta(days=50), kind="drowsiness",
                                severity="mild", duration_days=20, medication=course)
    timeline = build_timeline(patient, today)
    marks = {lane.key: lane.marks for lane in timeline.lanes}
    assert marks["medicines"][0].end == today
    assert (marks["side_effects"][0].start, marks["side_effects"][0].end) == (today - timedelta(days=50),
                                                                             today - timedelta(days=31))
    assert "Drowsiness (mild), after: Baclofen, from" in timeline.events[0].text


def test_cycle_chart_axis_holds_every_curve(demo):
    from torsion.web.records.services import cycle_chart

    patient, _ = demo
    analysis = cycle_report(patient)
    chart = cycle_chart(analysis)
    values = [v for series in chart.series for _, v in series.points if v is not None]
    assert chart.y_min <= min(values) and max(values) <= chart.y_max and chart.y_min <= 0 <= chart.y_max
    assert chart.y_ticks[0][0] >= chart.y_min and chart.y_ticks[-1][0] <= chart.y_max
    assert [s.css_class for s in chart.series].count("s2 latest-cycle") == 1
    assert chart.series[-1].label.startswith(f"Latest: cycle {analysis.latest.number}, injected ")
