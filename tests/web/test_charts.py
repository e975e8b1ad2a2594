"""Charts drawn on the server: text never scaled, x labels thinned to fit a phone, legends that keep each key with
its name, trend charts that do not make one recording look like a trend, and the history's periods."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from torsion.web.core.charts import (
    CHAR_PX,
    LABEL_GAP_PX,
    NARROW_PLOT_PX,
    WIDE_PLOT_PX,
    XWIDE_PLOT_PX,
    Chart,
    Marker,
    Series,
    date_ticks,
    day_number,
    place_x_labels,
)
from torsion.web.recordings.plots import METRIC_MIN_HALF_SPAN, MIN_HALF_SPAN, trend_axis, trend_chart
from torsion.web.recordings.plots_drawing import TreatmentDates, hands_trend_chart
from torsion.web.records.models import DiaryEntry, MedicationCourse, ToxinInjection
from torsion.web.records.timeline import build_timeline, periods


def _chart(**extra) -> Chart:
    return Chart(title="Test", description="A test chart.", x_min=0, x_max=100, y_min=0, y_max=10,
                 series=[Series("One", [(0, 1.0), (50, None), (60, 2.0), (100, 3.0)], "s1", dots=True),
                         Series("Two", [(0, 5.0), (100, 6.0)], "s2")],
                 x_ticks=[(x, f"{x} s") for x in range(0, 101, 10)], y_ticks=[(0, "0"), (5, "5"), (10, "10")],
                 **extra)


def test_text_is_drawn_at_its_own_size_and_only_the_lines_stretch():
    svg = str(_chart(y_label="Degrees").render())
    outer = re.match(r'<div class="chart-box"><svg ([^>]*)>', svg).group(1)
    assert "viewBox" not in outer and 'height="260"' in outer  # no scaling of the whole drawing
    drawings = re.findall(r'<svg class="drawing" viewBox="0 0 1000 \d+" preserveAspectRatio="none"[^>]*>(.*?)</svg>',
                          svg, re.S)
    assert drawings and all("<text" not in d for d in drawings)  # no text inside a stretched drawing
    assert svg.count('class="line s1"') == 1 and svg.count('class="point s1"') == 1  # the gap splits the line
    assert svg.count('class="dot s1"') == 3 and 'class="axis-label"' in svg


def test_legend_keeps_each_key_with_its_name():
    chart = _chart(markers=[Marker(30, "Injection 1 Jan 2026", "marker injection")])
    legend = str(chart.render_legend())
    items = re.findall(r"<li>(.*?)</li>", legend)
    assert items == ['<span class="key s1" aria-hidden="true"></span>One',
                     '<span class="key s2" aria-hidden="true"></span>Two',
                     '<span class="key injection" aria-hidden="true"></span>Injection']
    lone = Chart(title="Only", description="d", series=[Series("Only", [(0, 1.0)])], x_min=0, x_max=1, y_min=0,
                 y_max=1)
    assert str(lone.render_legend()) == ""  # the caption already names the only line
    assert "<figcaption>Test</figcaption>" in str(chart.render_figure())


labels = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["0", "14", "Mar", "Sep 2025", "2024", "12.5 Hz", "day 0"])),
                  max_size=30)


def _spans(placed, plot_px):
    spans = []
    for label in placed:
        centre, width = label.fraction * plot_px, len(label.text) * CHAR_PX
        anchor = (label.xwide_anchor or label.anchor) if plot_px == XWIDE_PLOT_PX else label.anchor
        left = {"start": centre, "end": centre - width, "middle": centre - width / 2}[anchor]
        spans.append((left, left + width))
    return sorted(spans)


@given(labels)
def test_x_labels_never_overlap_on_a_phone_or_on_a_wide_chart(row):
    placed = place_x_labels(row)
    always = [p for p in placed if p.always]
    wide = [p for p in placed if not p.extra_wide]
    for plot_px, shown in ((NARROW_PLOT_PX, always), (WIDE_PLOT_PX, wide), (XWIDE_PLOT_PX, placed)):
        spans = _spans(shown, plot_px)
        for (_, right), (left, _) in zip(spans, spans[1:]):
            assert left >= right + LABEL_GAP_PX - 1e-6
    for left, right in _spans(always, NARROW_PLOT_PX):
        assert -1e-6 <= left and right <= NARROW_PLOT_PX + 1e-6  # inside the plot's edges on a phone
    if row:
        assert always  # a phone always gets at least one label


def test_a_label_with_the_year_is_kept_before_month_labels():
    row = [(i / 12, "Jan 2025" if i == 5 else "Mar") for i in range(12)]
    assert any(p.text == "Jan 2025" and p.always for p in place_x_labels(row))


def test_every_month_of_a_year_is_named_on_a_desktop_wide_chart():
    ticks = date_ticks(date(2025, 12, 2), date(2026, 12, 2), max_ticks=12)
    start = day_number(date(2025, 12, 2))
    placed = place_x_labels([((v - start) / 366, t) for v, t in ticks])
    assert [p.text for p in placed] == [t for _, t in ticks]  # Dec, Feb, Mar... are no longer dropped
    assert any(p.extra_wide for p in placed) and all(not (p.always and p.extra_wide) for p in placed)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 11, 3), date(2026, 11, 3), ["3 Nov 2026"]),
    (date(2026, 11, 3), date(2026, 11, 20), ["3 Nov 2026", "20 Nov 2026"]),
    (date(2026, 11, 3), date(2026, 12, 20), ["Dec 2026"]),
])
def test_date_ticks_name_the_days_when_no_month_starts_between(start, end, expected):
    assert [label for _, label in date_ticks(start, end)] == expected


def test_date_ticks_name_the_year_at_january_and_at_the_first_tick():
    ticks = date_ticks(date(2025, 8, 10), date(2026, 6, 1))
    texts = [t for _, t in ticks]
    assert texts[0].endswith("2025") and "Jan 2026" in texts and len(ticks) <= 8
    assert [t for _, t in date_ticks(date(2021, 3, 1), date(2026, 6, 1))] == ["2022", "2023", "2024", "2025", "2026"]


# --- trend charts ---------------------------------------------------------------------------------------------

def test_one_recording_is_a_dated_point_on_a_fixed_axis():
    chart = trend_chart("Rotation (median), head at rest", "°", [(date(2026, 11, 29), 0.7)], [])
    assert chart.y_min <= 0.7 - 10 and chart.y_max >= 0.7 + 10  # not zoomed to 0.65-0.80
    assert [p.text for p in chart.point_labels] == ["29 Nov 2026: 0.7°"]
    assert chart.note.startswith("One recording so far: a trend needs at least 3.")
    assert chart.note.endswith("Repeat this recording every week or two, and around injections.")
    for_clinician = trend_chart("Rotation", "°", [(date(2026, 11, 29), 0.7)], [], for_patient=False)
    assert for_clinician.note.endswith("Recordings every week or two, and around injections, make a trend.")
    assert not chart.series[0].line and chart.series[0].dots
    svg = str(chart.render_figure())
    assert "29 Nov 2026: 0.7°" in svg and 'class="line' not in svg and 'class="dot s1"' in svg


def test_three_recordings_make_a_trend_line_without_the_note():
    points = [(date(2026, 9, 1), 20.0), (date(2026, 10, 1), 14.0), (date(2026, 11, 1), 18.0)]
    chart = trend_chart("Rotation", "°", points, [date(2026, 9, 20)])
    assert chart.series[0].line and not chart.point_labels and not chart.note
    assert "marker injection" in str(chart.render())


@given(st.lists(st.floats(-90, 90), min_size=1, max_size=6), st.sampled_from(["°", "%", "/min", ""]))
def test_trend_axis_holds_the_values_and_is_never_too_short(values, unit):
    if unit in ("%", "/min", ""):
        values = [min(abs(v), 100.0) for v in values]
    bottom, top, ticks = trend_axis(values, unit)
    assert bottom <= min(values) + 1e-9 and max(values) <= top + 1e-9
    assert top - bottom >= min(2 * MIN_HALF_SPAN[unit], 100.0) - 1e-9
    assert ticks and bottom <= ticks[0] and ticks[-1] <= top + 1e-9
    if unit == "%":
        assert 0 <= bottom and top <= 100


def test_jitter_around_half_a_per_cent_is_not_flattened_on_a_twenty_per_cent_axis():
    points = [(date(2026, 9, 1), 0.55), (date(2026, 10, 1), 0.62), (date(2026, 11, 1), 0.9)]
    chart = trend_chart("Jitter, held vowel", "%", points, [], METRIC_MIN_HALF_SPAN["jitter_percent"])
    assert 0 <= chart.y_min <= 0.55 and 0.9 <= chart.y_max <= 2.0
    assert chart.y_ticks[-1][0] >= 0.9 and len(chart.y_ticks) >= 3
    # a share of time in per cent keeps its wide axis
    wide = trend_chart("Time with eyes closed", "%", points, [])
    assert wide.y_max - wide.y_min >= 2 * MIN_HALF_SPAN["%"]


@given(st.lists(st.floats(0, 1), min_size=1, max_size=6), st.floats(0.001, 100))
def test_trend_axis_with_a_small_least_span_holds_the_values(fractions, scale):
    values = [f * scale for f in fractions]
    bottom, top, ticks = trend_axis(values, "%", min_half_span=0.5)
    assert bottom <= min(values) + 1e-9 and max(values) <= top + 1e-9 and top - bottom >= 1.0 - 1e-9
    assert ticks[0] == pytest.approx(bottom) and ticks[-1] == pytest.approx(top)


@pytest.mark.parametrize("highest", [0.902, 0.226, 3.14, 34.8])
def test_drawing_trend_axis_ends_on_a_tick_above_the_highest_point(highest):
    right = [(date(2026, 9, 1), highest * 0.4), (date(2026, 10, 1), highest), (date(2026, 11, 1), highest * 0.7)]
    chart = hands_trend_chart("Spirals: tremor amplitude", "mm", {"right": right}, TreatmentDates([], []))
    assert chart.y_ticks[-1][0] >= highest and chart.y_max == pytest.approx(chart.y_ticks[-1][0])


@given(st.dictionaries(st.sampled_from(["right", "left"]),
                       st.lists(st.one_of(st.just(0.0), st.floats(0.001, 500)), min_size=1, max_size=6),
                       min_size=1))
def test_every_drawing_trend_point_lies_within_the_labelled_axis(values_by_hand):
    points = {hand: [(date(2026, 1, 1) + timedelta(days=14 * i), v) for i, v in enumerate(values)]
              for hand, values in values_by_hand.items()}
    chart = hands_trend_chart("Spirals: tremor amplitude", "mm", points, TreatmentDates([], []))
    ticks = [v for v, _ in chart.y_ticks]
    for series in chart.series:
        for _, v in series.points:
            assert chart.y_min - 1e-9 <= v <= chart.y_max + 1e-9
            assert ticks[0] - 1e-9 <= v <= ticks[-1] + 1e-9


# --- the history's periods ------------------------------------------------------------------------------------

def test_periods_open_on_the_last_twelve_months_then_years_then_everything():
    today = date(2026, 12, 2)
    choices = periods(date(2024, 3, 5), today)
    assert [p.key for p in choices] == ["recent", "2026", "2025", "2024", "all"]
    assert (choices[0].start, choices[0].end) == (today - timedelta(days=365), today)
    assert (choices[2].start, choices[2].end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert choices[-1].start is None
    assert [p.key for p in periods(None, today)] == ["recent", "all"]


def test_history_opens_on_the_most_recent_year_and_cuts_bars_at_its_edges(patient, patient_client, today):
    for days_ago in range(700, 0, -7):
        DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=days_ago), severity={"neck": 5})
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=500), product="onabotulinumtoxinA")
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=40), product="onabotulinumtoxinA")
    MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=10, start=today - timedelta(days=600))
    whole = build_timeline(patient, today)
    recent = whole.window(today - timedelta(days=365), today)
    assert recent.start == today - timedelta(days=365) and recent.injection_days == [today - timedelta(days=40)]
    assert recent.lanes[[lane.key for lane in recent.lanes].index("medicines")].marks[0].start == recent.start
    page = patient_client.get(f"/patients/{patient.pk}/history/").content.decode()
    assert 'aria-current="page">Last 12 months</a>' in page
    assert page.count('class="event injections"') == 1 and "<caption>Everything in this period" in page
    everything = patient_client.get(f"/patients/{patient.pk}/history/?period=all").content.decode()
    assert everything.count('class="event injections"') == 2
    year = patient_client.get(f"/patients/{patient.pk}/history/?period={today.year - 1}").content.decode()
    assert f"{today.year - 1}: 1 Jan {today.year - 1} to 31 Dec {today.year - 1}" in year
    unknown = patient_client.get(f"/patients/{patient.pk}/history/?period=1850").content.decode()
    assert 'aria-current="page">Last 12 months</a>' in unknown


def test_history_key_shows_each_kind_of_dot_in_the_colour_it_is_drawn(patient, patient_client, today):
    ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=40), product="onabotulinumtoxinA")
    MedicationCourse.objects.create(patient=patient, drug="baclofen", dose_amount=10, start=today - timedelta(days=60))
    page = patient_client.get(f"/patients/{patient.pk}/history/").content.decode()
    assert 'class="event injections"' in page
    assert '<span class="key dot injections" aria-hidden="true"></span>One-day event' in page
    assert '<span class="key dot"' not in page  # no dot in a colour that nothing on the chart has


def test_day_numbers_are_ordinals():
    assert day_number(date(2026, 1, 2)) - day_number(date(2026, 1, 1)) == 1


def test_a_hand_with_few_drawings_is_dated_points_with_a_note():
    right = [(date(2026, 9, 1), 0.9), (date(2026, 10, 1), 0.5), (date(2026, 11, 1), 0.2)]
    left = [(date(2026, 11, 2), 0.4)]
    chart = hands_trend_chart("Spirals: tremor amplitude", "mm", {"right": right, "left": left},
                              TreatmentDates([], []))
    lines = {s.label: s.line for s in chart.series}
    assert lines == {"Right hand": True, "Left hand": False}
    assert [p.text for p in chart.point_labels] == ["Left hand, 2 Nov 2026: 0.4"]
    assert chart.note.startswith("Too few drawings with the left hand for a trend: it needs at least 3.")
    assert chart.note.endswith("Draw every week or two, and around injections.")
    for_clinician = hands_trend_chart("Spirals: tremor amplitude", "mm", {"right": right, "left": left},
                                      TreatmentDates([], []), for_patient=False)
    assert for_clinician.note.endswith("Drawings every week or two, and around injections, make a trend.")


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 180), st.sampled_from(["above", "below"]),
                          st.sampled_from(["2 Dec 2026: 0.7°", "29 Nov 2026: 0.902", "1 Jan 2025: 12 /min",
                                           "Right hand, 29 Nov 2026: 0.902"])),
                max_size=4))
def test_point_labels_never_overlap_and_stay_in_the_plot(points):
    from torsion.web.core.charts import LINE_PX, place_point_labels

    placed = place_point_labels(points, 180)
    assert len(placed) == len(points)
    boxes = []
    for fraction, baseline, anchor, text in placed:
        centre, width = fraction * NARROW_PLOT_PX, len(text) * CHAR_PX
        left = {"start": centre, "end": centre - width, "middle": centre - width / 2}[anchor]
        assert 13 <= baseline <= 180
        assert -1e-6 <= left and left + width <= NARROW_PLOT_PX + 1e-6  # inside the plot on a phone
        for b_left, b_right, b_y in boxes:
            assert left + width + 4 <= b_left or left >= b_right + 4 or abs(baseline - b_y) >= LINE_PX
        boxes.append((left, left + width, baseline))
