"""The arithmetic of the five rule kinds: a score's value from its inputs, and the range it can take.

Inputs are the values computed so far, by id: a :class:`~fractions.Fraction` (an item's ``value *
weight``, or a score), :data:`NA` for an item answered "not applicable", or ``None`` for an item not
answered yet (drafts only). Not applicable and missing inputs are handled the same way by every
rule, so that complete scores and running scores of drafts agree:

* ``sum`` adds the inputs that have a value. Not applicable items add nothing under the ``omit``
  rule; under ``prorate`` the sum is scaled up as if each of them had the mean of the others.
* ``mean`` is the mean of the inputs that have a value.
* ``percent`` places the sum of the inputs that have a value on 0-100 between the lowest and highest
  sums those same inputs could give.
* ``product`` and ``formula`` need every input (a definition may not feed them an item that allows
  "not applicable").

A rule with no input that has a value gives ``None`` (nothing to show yet), except a ``sum`` whose
inputs were all answered "not applicable" under ``omit``, which is 0.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Final

from torsion.clinical.scales.definition import NotApplicableRule, Rule
from torsion.clinical.scales.formula import Interval


class _NotApplicable:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NA"


#: Marks an input answered "not applicable".
NA: Final = _NotApplicable()

Value = Fraction | _NotApplicable | None


def evaluate(
    rule: Rule,
    values: Mapping[str, Value],
    ranges: Mapping[str, Interval],
    not_applicable: NotApplicableRule | None,
) -> Fraction | None:
    """The value of ``rule`` given the values of its inputs.

    ``ranges`` gives each input's own lowest and highest value (used by ``percent``).
    """
    inputs = [values[name] for name in rule.inputs]
    if rule.kind == "formula":
        assert rule.formula is not None
        if any(not isinstance(value, Fraction) for value in inputs):
            return None
        return rule.formula.evaluate({name: values[name] for name in rule.inputs})  # type: ignore[misc]
    present = [value for value in inputs if isinstance(value, Fraction)]
    skipped = sum(value is NA for value in inputs)
    if rule.kind == "product":
        if len(present) < len(inputs):
            return None
        return math.prod(present, start=Fraction(1)) * rule.weight
    if rule.kind == "sum":
        if not present:
            if skipped and not_applicable is not None and not_applicable.rule == "omit":
                return Fraction(0)
            return None
        total = sum(present, Fraction(0))
        if skipped and not_applicable is not None and not_applicable.rule == "prorate":
            total = total * (len(present) + skipped) / len(present)
        return total * rule.weight
    if not present:
        return None
    if rule.kind == "mean":
        return sum(present, Fraction(0)) / len(present) * rule.weight
    assert rule.kind == "percent"
    names = [name for name, value in zip(rule.inputs, inputs, strict=True) if isinstance(value, Fraction)]
    low = sum((ranges[name][0] for name in names), Fraction(0))
    high = sum((ranges[name][1] for name in names), Fraction(0))
    return (sum(present, Fraction(0)) - low) / (high - low) * 100 * rule.weight


def bounds(
    rule: Rule,
    ranges: Mapping[str, Interval],
    may_be_not_applicable: Collection[str],
    not_applicable: NotApplicableRule | None,
) -> Interval:
    """Lowest and highest value ``rule`` can take over complete answers (interval arithmetic).

    ``may_be_not_applicable`` holds the ids of inputs that may be answered "not applicable".

    Raises
    ------
    FormulaError
        When a formula may divide by zero.
    ValueError
        When a ``percent`` rule's inputs can only take one value.
    """
    if rule.kind == "formula":
        assert rule.formula is not None
        return rule.formula.bounds({name: ranges[name] for name in rule.inputs})
    intervals = [ranges[name] for name in rule.inputs]
    optional = [name in may_be_not_applicable for name in rule.inputs]
    if rule.kind == "sum":
        if any(optional) and not_applicable is not None and not_applicable.rule == "omit":
            # An omitted item adds nothing, as if it had been 0.
            intervals = [
                (min(low, Fraction(0)), max(high, Fraction(0))) if skip else (low, high)
                for (low, high), skip in zip(intervals, optional, strict=True)
            ]
        low, high = _sum(intervals)
    elif rule.kind == "product":
        low, high = intervals[0]
        for other in intervals[1:]:
            low, high = _product((low, high), other)
    elif rule.kind == "mean":
        if any(optional):
            # The mean of any subset lies between the lowest and the highest input.
            low, high = min(low for low, _ in intervals), max(high for _, high in intervals)
        else:
            low, high = _sum(intervals)
            low, high = low / len(intervals), high / len(intervals)
    else:
        assert rule.kind == "percent"
        if _sum(intervals)[0] == _sum(intervals)[1]:
            raise ValueError("a percent needs inputs that can take more than one value")
        low, high = Fraction(0), Fraction(100)
    return _product((low, high), (rule.weight, rule.weight))


def _sum(intervals: Sequence[Interval]) -> Interval:
    return sum((low for low, _ in intervals), Fraction(0)), sum((high for _, high in intervals), Fraction(0))


def _product(first: Interval, second: Interval) -> Interval:
    corners = [a * b for a in first for b in second]
    return min(corners), max(corners)
