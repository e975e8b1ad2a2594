"""Invariants of every scale on generated answers (hypothesis).

* A total never leaves the scale's range, and each section stays within its own.
* The total and the sections equal the scale's rule written out by hand (``oracles.py``).
* A draft holding every answer scores exactly like the complete set; a partial draft never raises
  and its sum-based sections count exactly the items answered.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.clinical.scales.oracles import ORACLES
from torsion.clinical import scales
from torsion.clinical.scales import ScaleDefinition

SCALE_IDS = sorted(ORACLES)


def answer_values(item):
    values = list(item.allowed)
    if item.not_applicable:
        values.append("na")
    return st.sampled_from(values)


def complete_answers(definition: ScaleDefinition):
    return st.fixed_dictionaries({item.id: answer_values(item) for item in definition.items})


def partial_answers(definition: ScaleDefinition):
    return st.fixed_dictionaries({}, optional={item.id: answer_values(item) for item in definition.items})


def applies(definition: ScaleDefinition, answers) -> bool:
    rule = definition.not_applicable
    return rule is None or sum(value != "na" for value in answers.values()) >= rule.min_applicable


@pytest.mark.parametrize("scale_id", SCALE_IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_total_stays_in_range_and_follows_the_rule(scale_id, data):
    definition = scales.get_scale(scale_id)
    answers = data.draw(complete_answers(definition))
    assume(applies(definition, answers))
    result = scales.score(definition, answers)
    expected_total, expected_sections = ORACLES[scale_id](answers)

    assert definition.min_total <= result.total <= definition.max_total
    assert Fraction(result.total) == pytest.approx(expected_total, abs=1e-9)
    assert result.total == float(expected_total)
    for section in definition.sections:
        assert section.low <= Fraction(result.sections[section.id]) <= section.high
        assert result.sections[section.id] == float(expected_sections[section.id])


@pytest.mark.parametrize("scale_id", SCALE_IDS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_full_draft_scores_like_the_complete_answers(scale_id, data):
    definition = scales.get_scale(scale_id)
    answers = data.draw(complete_answers(definition))
    assume(applies(definition, answers))
    draft = scales.score_draft(definition, answers)
    assert draft == scales.score(definition, answers)
    assert draft.complete is True


@pytest.mark.parametrize("scale_id", SCALE_IDS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_partial_draft_counts_only_what_is_answered(scale_id, data):
    definition = scales.get_scale(scale_id)
    answers = data.draw(partial_answers(definition))
    draft = scales.score_draft(definition, answers)

    assert draft.complete == (len(answers) == len(definition.items))
    assert set(draft.missing) == {item.id for item in definition.items} - set(answers)
    assert set(draft.items) == set(answers)
    for section in definition.sections:
        value = draft.sections[section.id]
        answered = [item for item in definition.section_items(section.id) if item.id in answers]
        if not answered:
            assert value is None
        elif section.rule.kind == "sum" and set(section.rule.inputs) == {
            i.id for i in definition.section_items(section.id)
        }:
            # A sum over the section's own items adds exactly the answered ones ("na" adds nothing).
            expected = sum(
                (
                    Fraction(str(answers[item.id])) * item.weight
                    for item in answered
                    if answers[item.id] != "na"
                ),
                Fraction(0),
            )
            assert value == float(expected)
