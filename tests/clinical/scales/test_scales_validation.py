"""Every validation error, for every scale: each names the item at fault in a sentence."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from tests.clinical.scales.test_scales_examples import PUBLISHED_RANGES, fill
from torsion.clinical import scales
from torsion.clinical.scales import ScaleAnswerError

SCALE_IDS = sorted(PUBLISHED_RANGES)


def problems_of(scale_id, answers, *, draft=False):
    with pytest.raises(ScaleAnswerError) as caught:
        (scales.score_draft if draft else scales.score)(scale_id, answers)
    assert caught.value.scale == scale_id
    return caught.value.problems


def only_problem(scale_id, answers, *, draft=False):
    problems = problems_of(scale_id, answers, draft=draft)
    assert len(problems) == 1, problems
    return problems[0]


def test_error_is_a_value_error():
    assert issubclass(ScaleAnswerError, ValueError)


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_missing_item(scale_id):
    definition = scales.get_scale(scale_id)
    item = definition.items[-1]
    answers = fill(scale_id, "lowest")
    del answers[item.id]
    problem = only_problem(scale_id, answers)
    assert (problem.item, problem.kind) == (item.id, "missing")
    assert problem.message == f'Item {item.id}, "{item.label}", has no answer.'


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_null_counts_as_missing(scale_id):
    item = scales.get_scale(scale_id).items[0]
    problem = only_problem(scale_id, fill(scale_id, "lowest") | {item.id: None})
    assert (problem.item, problem.kind) == (item.id, "missing")


@pytest.mark.parametrize("scale_id", SCALE_IDS)
@pytest.mark.parametrize("where", ["above", "below", "between"])
def test_value_out_of_range(scale_id, where):
    item = scales.get_scale(scale_id).items[0]
    value = {"above": item.allowed[-1] + 1, "below": item.allowed[0] - 1, "between": item.allowed[0] + 0.25}[
        where
    ]
    problem = only_problem(scale_id, fill(scale_id, "lowest") | {item.id: value})
    assert (problem.item, problem.kind) == (item.id, "not_allowed")
    assert problem.message.startswith(
        f'Item {item.id}, "{item.label}": {value} is not an allowed answer; the answers are '
    )


@pytest.mark.parametrize("scale_id", SCALE_IDS)
@pytest.mark.parametrize(
    ("value", "shown"),
    [("2", '"2" (text)'), (True, "true (true/false)"), ([1], "a list"), ({"value": 1}, "an object")],
)
def test_wrong_type(scale_id, value, shown):
    item = scales.get_scale(scale_id).items[0]
    problem = only_problem(scale_id, fill(scale_id, "lowest") | {item.id: value})
    assert (problem.item, problem.kind) == (item.id, "wrong_type")
    expected = 'a number or "na"' if item.not_applicable else "a number"
    assert problem.message == f'Item {item.id}, "{item.label}": the answer must be {expected}, not {shown}.'


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, Decimal("NaN")])
def test_non_finite_numbers_are_not_allowed(value):
    problem = only_problem("jrs", {"spasm_severity": value, "spasm_frequency": 0})
    assert (problem.item, problem.kind) == ("spasm_severity", "not_allowed")


@pytest.mark.parametrize("value", [2, 2.0, Decimal("2"), Decimal("2.0")])
def test_any_number_equal_to_an_allowed_answer_is_accepted(value):
    assert scales.score("jrs", {"spasm_severity": value, "spasm_frequency": 0}).total == 2


@pytest.mark.parametrize("scale_id", sorted(set(SCALE_IDS) - {"bsdi"}))
def test_not_applicable_where_the_scale_does_not_allow_it(scale_id):
    item = scales.get_scale(scale_id).items[0]
    problem = only_problem(scale_id, fill(scale_id, "lowest") | {item.id: "na"})
    assert (problem.item, problem.kind) == (item.id, "not_applicable_not_allowed")
    assert problem.message.startswith(f'Item {item.id}, "{item.label}" cannot be answered "not applicable"')


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_unknown_item(scale_id):
    definition = scales.get_scale(scale_id)
    problem = only_problem(scale_id, fill(scale_id, "lowest") | {"rotaton": 1})
    assert (problem.item, problem.kind) == ("rotaton", "unknown_item")
    assert problem.message == f'"rotaton" is not an item of {definition.abbreviation}.'


@pytest.mark.parametrize("scale_id", SCALE_IDS)
@pytest.mark.parametrize("answers", [None, [1, 2], "rotation=1", 3])
def test_answers_must_be_a_mapping(scale_id, answers):
    problem = only_problem(scale_id, answers)
    assert (problem.item, problem.kind) == (None, "not_a_mapping")


def test_bsdi_needs_one_applicable_item():
    problem = only_problem("bsdi", fill("bsdi", "na"))
    assert (problem.item, problem.kind) == (None, "too_few_applicable")
    assert problem.message == (
        'BSDI needs at least 1 item answered with a value rather than "not applicable" (got 0).'
    )
    # A draft does not insist on it.
    assert scales.score_draft("bsdi", fill("bsdi", "na")).total == 0


def test_bsdi_out_of_range_message_mentions_not_applicable():
    problem = only_problem("bsdi", fill("bsdi", 0, reading=5))
    assert problem.message == (
        'Item reading, "Reading": 5 is not an allowed answer; '
        'the answers are 0, 1, 2, 3 or 4, or "na" when it does not apply.'
    )


def test_long_ranges_are_described_as_ranges():
    problem = only_problem("gdrs", fill("gdrs", 0, neck=11))
    assert problem.message.endswith("the answers are 0 to 10 in whole numbers.")
    problem = only_problem("udrs", fill("udrs", 0, neck_duration=0.75))
    assert problem.message.endswith("the answers are 0 to 4 in steps of 0.5.")


def test_every_problem_is_reported_at_once():
    answers = fill("twstrs", 0) | {"rotation": 5, "duration": "3", "driving": "na", "extra": 1}
    del answers["work"], answers["reading"]
    problems = problems_of("twstrs", answers)
    assert [(p.item, p.kind) for p in problems] == [
        ("rotation", "not_allowed"),
        ("duration", "wrong_type"),
        ("work", "missing"),
        ("driving", "not_applicable_not_allowed"),
        ("reading", "missing"),
        ("extra", "unknown_item"),
    ]


def test_the_message_gathers_missing_items():
    answers = fill("twstrs", 0) | {"rotation": 5}
    del answers["work"], answers["reading"]
    with pytest.raises(ScaleAnswerError) as caught:
        scales.score("twstrs", answers)
    assert str(caught.value) == (
        'Item rotation, "Head turned to one side (rotation), at its widest": 5 is not an allowed answer; '
        "the answers are 0, 1, 2, 3 or 4. 2 items have no answer: work, reading."
    )


@pytest.mark.parametrize("scale_id", SCALE_IDS)
def test_a_draft_still_refuses_wrong_answers(scale_id):
    item = scales.get_scale(scale_id).items[0]
    problems = problems_of(scale_id, {item.id: item.allowed[-1] + 1, "nonsense": 1}, draft=True)
    assert [(p.item, p.kind) for p in problems] == [(item.id, "not_allowed"), ("nonsense", "unknown_item")]


def test_unknown_scale():
    with pytest.raises(
        scales.UnknownScaleError, match=r"No scale is called 'twstr'; the scales are: adds, bfmdrs, "
    ):
        scales.get_scale("twstr")
    with pytest.raises(LookupError):
        scales.score("twstr", {})
