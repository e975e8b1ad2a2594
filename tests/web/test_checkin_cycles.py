"""Several check-ins a day feed the toxin-cycle analytics with the day's mean.

A synthetic person with known toxin cycles (``tests/clinical/cycle_truth.py``, whole diary points)
checks in two or three times a day: the morning one point better than the day's value, the evening
one point worse, on some days an afternoon check-in at the value itself. The mean of each day is the
synthetic series exactly, so the web app's analysis must equal the library's analysis of that
series, cycle by cycle; the morning check-ins alone, or all check-ins taken as separate values,
must not be what is analysed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tests.clinical.cycle_truth import simulate_patient
from torsion.clinical.cycles import CycleInputError, analyse_cycles
from torsion.web.records.models import DiaryEntry, ToxinInjection
from torsion.web.records.services import cycle_report, daily_series

pytestmark = pytest.mark.django_db


def _check_ins(patient, series, today):
    """Two or three check-ins per day whose mean is the day's value; returns the days moved to end before today."""
    shift = today - timedelta(days=1) - series[-1][0]
    rows = []
    for index, (day, value) in enumerate(series):
        value = int(value)
        low, high = (value - 1, value + 1) if 1 <= value <= 9 else (value, value)
        when = day + shift
        rows.append(DiaryEntry(patient=patient, date=when, period="morning", severity={"neck": low}, pain=low))
        rows.append(DiaryEntry(patient=patient, date=when, period="evening", severity={"neck": high}))
        if index % 3 == 0:
            rows.append(DiaryEntry(patient=patient, date=when, period="afternoon", severity={"neck": value}))
    DiaryEntry.objects.bulk_create(rows)
    return shift


@pytest.mark.parametrize("seed", [3, 11])
def test_cycle_analytics_use_the_mean_of_each_days_check_ins(patient, today, seed):
    synthetic = simulate_patient(seed, rounded=True, noise_sd=0.3, missing_fraction=0.1)
    shift = _check_ins(patient, synthetic.series, today)
    injections = [day + shift for day in synthetic.injections]
    for day in injections:
        ToxinInjection.objects.create(patient=patient, date=day, product="onabotulinumtoxinA")
    expected_series = [(day + shift, float(value)) for day, value in synthetic.series]

    assert DiaryEntry.objects.filter(patient=patient).count() > 2 * len(expected_series)
    assert daily_series(patient) == expected_series
    analysis = cycle_report(patient)
    expected = analyse_cycles(injections, expected_series)
    assert analysis.values == len(expected_series)
    assert analysis.report.to_dict() == expected.to_dict()
    assert len(analysis.analysed) >= 2  # the known cycles are found, not refused for want of data

    # Morning check-ins alone give another series (and another analysis); all check-ins as separate values
    # cannot be analysed at all (a day may have only one value).
    mornings = sorted((e.date, float(e.severity["neck"])) for e in DiaryEntry.objects.filter(period="morning"))
    assert analyse_cycles(injections, mornings).to_dict() != expected.to_dict()
    every = [(e.date, float(e.severity["neck"])) for e in DiaryEntry.objects.all()]
    with pytest.raises(CycleInputError):
        analyse_cycles(injections, every)

    # Pain was given in the morning check-ins only: the day's pain is that one value.
    assert cycle_report(patient, "pain").values == len(expected_series)
    assert daily_series(patient, "pain") == mornings


def test_cycle_page_says_days_count_with_their_mean(patient_client, patient, today):
    synthetic = simulate_patient(5, rounded=True, noise_sd=0.3, missing_fraction=0.1)
    shift = _check_ins(patient, synthetic.series, today)
    for day in synthetic.injections:
        ToxinInjection.objects.create(patient=patient, date=day + shift, product="onabotulinumtoxinA")
    page = patient_client.get(f"/patients/{patient.pk}/cycles/").content.decode()
    assert "a day with several check-ins counts with their mean" in page
    rows = page[page.index("<tbody>"):page.index("</tbody>")]
    for cycle in cycle_report(patient).analysed:
        assert f">{cycle.start.day} {cycle.start:%b %Y}<" in rows and f">{cycle.onset_day}<" in rows
    assert '<td class="num" data-label="Days to the next">– (latest)</td>' in rows
    assert ">latest<" not in rows


def test_demo_checks_in_morning_and_evening_without_changing_its_days(today):
    from torsion.clinical.simulation import simulate_history
    from torsion.web.accounts.models import Patient
    from torsion.web.core.demo import create_demo

    create_demo(today=today, years=1, now=datetime.combine(today, time(21, 0)))
    patient = Patient.objects.get(user__username="demo-patient")
    recent = DiaryEntry.objects.filter(patient=patient, date__gte=today - timedelta(days=13))
    days = {e.date for e in recent}
    assert recent.count() == 2 * len(days) and set(recent.values_list("period", flat=True)) == {"morning", "evening"}
    history = simulate_history(today - timedelta(days=365), today, {"neck": 6.5, "upper_face": 3.0}, seed=7)
    for region in ("neck", "upper_face"):
        assert daily_series(patient, region) == [(d.date, float(d.severity[region])) for d in history.days]
    truth = {d.date: d.severity["neck"] for d in history.days}
    for entry in recent:
        value = truth[entry.date]
        step = (-1 if entry.period == "morning" else 1) if 1 <= value <= 9 else 0
        assert entry.severity["neck"] == value + step


@pytest.mark.parametrize("clock, periods", [(time(6, 15), [("morning", time(6, 15))]),
                                            (time(16, 0), [("morning", time(8, 0))]),
                                            (time(21, 0), [("morning", time(8, 0)), ("evening", time(20, 30))])])
def test_the_demo_has_only_the_check_ins_of_today_whose_time_has_come(today, clock, periods):
    from torsion.web.accounts.models import Patient
    from torsion.web.core.demo import create_demo

    create_demo(today=today, years=1, now=datetime.combine(today, clock))
    patient = Patient.objects.get(user__username="demo-patient")
    todays = DiaryEntry.objects.filter(patient=patient, date=today).order_by("time")
    assert [(e.period, e.time) for e in todays] == periods
    from torsion.clinical.simulation import simulate_history

    history = simulate_history(today - timedelta(days=365), today, {"neck": 6.5, "upper_face": 3.0}, seed=7)
    assert daily_series(patient, "neck")[-1] == (today, float(history.days[-1].severity["neck"]))  # day kept
