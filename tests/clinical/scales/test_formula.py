"""Formulas in definitions: exact evaluation, the constructs refused, and interval bounds."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from torsion.clinical.scales.formula import Formula, FormulaError, exact

KNOWN = {"worst": None, "best": None, "usual": None, "activities": None, "awareness": None, "x": None}


def test_exact_keeps_decimals_as_written():
    assert exact(0.1) == Fraction(1, 10)
    assert exact(0.5) == Fraction(1, 2)
    assert exact(3) == Fraction(3)


def test_pain_severity_is_exact():
    formula = Formula.parse("(worst + best + 2 * usual) / 4", KNOWN)
    assert formula.names == ("worst", "best", "usual")
    values = {"worst": Fraction(6), "best": Fraction(1), "usual": Fraction(3)}
    assert formula.evaluate(values) == Fraction(13, 4)
    ten = (Fraction(0), Fraction(10))
    assert formula.bounds({"worst": ten, "best": ten, "usual": ten}) == (0, 10)


@pytest.mark.parametrize(
    ("activities", "awareness", "expected"), [(0, 0, 100), (0, 1, 95), (0, 2, 90), (7, 2, 60), (21, 0, 0)]
)
def test_a_conditional(activities, awareness, expected):
    formula = Formula.parse("90 - 90 * activities / 21 if activities > 0 else 100 - 5 * awareness", KNOWN)
    assert (
        formula.evaluate({"activities": Fraction(activities), "awareness": Fraction(awareness)}) == expected
    )
    bounds = formula.bounds(
        {"activities": (Fraction(0), Fraction(21)), "awareness": (Fraction(0), Fraction(2))}
    )
    assert bounds == (0, 100)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("x ** 2", "only + - * / are allowed"),
        ("x // 2", "only + - * / are allowed"),
        ("x % 2", "only + - * / are allowed"),
        ("not x", "only a leading minus or plus sign"),
        ("x and 1", "BoolOp is not allowed"),
        ("abs(x)", "Call is not allowed"),
        ("x[0]", "Subscript is not allowed"),
        ("[x]", "List is not allowed"),
        ("lambda: x", "Lambda is not allowed"),
        ("True + x", "True is not a number"),
        ("__import__", '"__import__" is not an item or score'),
        ("x if x else 0", "a condition must be one comparison"),
        ("x if x in (1, 2) else 0", "a condition must be one comparison"),
        ("x = 1", "is not a valid formula"),
        ("", "a formula must be a non-empty text"),
    ],
)
def test_refused_constructs(text, problem):
    with pytest.raises(
        FormulaError, match=problem.replace("(", r"\(").replace("*", r"\*").replace("+", r"\+")
    ):
        Formula.parse(text, KNOWN)


def test_division_by_an_interval_holding_zero_is_refused():
    formula = Formula.parse("1 / x", KNOWN)
    with pytest.raises(FormulaError, match="a divisor in the formula can be zero"):
        formula.bounds({"x": (Fraction(-1), Fraction(1))})
    assert formula.bounds({"x": (Fraction(1), Fraction(4))}) == (Fraction(1, 4), 1)


small = st.fractions(min_value=-20, max_value=20, max_denominator=4)


@given(a=small, b=small, c=small, d=small, e=small, f=small)
def test_bounds_contain_every_value(a, b, c, d, e, f):
    (xl, xh), (yl, yh), (zl, zh) = sorted((a, b)), sorted((c, d)), sorted((e, f))
    formula = Formula.parse("2 * x - y * z + (x - 3) * -y if z >= 0 else x / 5 - y", {"x": 0, "y": 0, "z": 0})
    low, high = formula.bounds({"x": (xl, xh), "y": (yl, yh), "z": (zl, zh)})
    for x in (xl, xh, (xl + xh) / 2):
        for y in (yl, yh, (yl + yh) / 2):
            for z in (zl, zh, (zl + zh) / 2):
                assert low <= formula.evaluate({"x": x, "y": y, "z": z}) <= high
