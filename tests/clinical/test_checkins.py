"""Several check-ins a day: the part of the day of a clock time, their order, and the day's mean."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from torsion.clinical.checkins import (
    PERIODS,
    WHOLE_DAY,
    daily_means,
    mean_of_scores,
    period_of_time,
    sort_key,
)

DAY = date(2024, 5, 6)


@pytest.mark.parametrize("moment, period", [
    (time(0, 0), "morning"),
    (time(6, 30), "morning"),
    (time(11, 59), "morning"),
    (time(12, 0), "afternoon"),
    (time(17, 59), "afternoon"),
    (time(18, 0), "evening"),
    (time(23, 59), "evening"),
])
def test_period_of_time(moment, period):
    assert period_of_time(moment) == period


def test_check_ins_are_ordered_through_the_day():
    shuffled = [("evening", None), ("morning", time(9, 15)), (WHOLE_DAY, None), ("afternoon", time(13, 0)),
                ("morning", None), ("morning", time(7, 0))]
    ordered = sorted(shuffled, key=lambda item: sort_key(*item))
    assert ordered == [(WHOLE_DAY, None), ("morning", None), ("morning", time(7, 0)), ("morning", time(9, 15)),
                       ("afternoon", time(13, 0)), ("evening", None)]
    assert [code for code, _ in PERIODS] == ["morning", "afternoon", "evening"]


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="unknown part of the day 'night'"):
        sort_key("night", None)


def test_mean_of_scores_leaves_out_what_was_not_scored():
    assert mean_of_scores({"neck": 6, "jaw": 2, "hand": None}) == 4.0
    assert mean_of_scores({}) is None
    assert mean_of_scores({"neck": None}) is None


def test_daily_means_known_answer():
    # Morning 2, afternoon 5, evening 8 on one day: wearing off through the day, mean 5.
    # The next day only one check-in has a value (pain left blank in the other): its value stands alone.
    # The day after has check-ins without any value: the day is left out, not counted as zero.
    values = [
        (DAY, 8.0), (DAY, 2.0), (DAY, 5.0),
        (DAY + timedelta(days=1), None), (DAY + timedelta(days=1), 3.0),
        (DAY + timedelta(days=2), None),
        (DAY - timedelta(days=1), 7.0),
    ]
    assert daily_means(values) == [(DAY - timedelta(days=1), 7.0), (DAY, 5.0), (DAY + timedelta(days=1), 3.0)]
    assert daily_means([]) == []


def test_each_check_in_weighs_the_same_whatever_it_scored():
    # The morning scored one body part (2), the evening three (8, 8, 8): the day is (2 + 8) / 2, not 6.5.
    morning, evening = {"neck": 2}, {"neck": 8, "jaw": 8, "hand": 8}
    assert daily_means([(DAY, mean_of_scores(morning)), (DAY, mean_of_scores(evening))]) == [(DAY, 5.0)]


readings = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30).map(lambda n: DAY + timedelta(days=n)),
              st.one_of(st.none(), st.integers(min_value=0, max_value=10).map(float))),
    max_size=60,
)


@given(readings, st.randoms())
def test_daily_means_properties(values, random):
    result = daily_means(values)
    days = [day for day, _ in result]
    assert days == sorted(set(days))  # one value per day, oldest first
    assert set(days) == {day for day, value in values if value is not None}
    for day, mean in result:
        own = [value for d, value in values if d == day and value is not None]
        assert min(own) - 1e-9 <= mean <= max(own) + 1e-9
        assert mean == pytest.approx(sum(own) / len(own))
    shuffled = list(values)
    random.shuffle(shuffled)
    again = daily_means(shuffled)  # the order of the check-ins does not matter
    assert [day for day, _ in again] == days
    assert [mean for _, mean in again] == pytest.approx([mean for _, mean in result])
