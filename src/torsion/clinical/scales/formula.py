"""Arithmetic formulas in scale definitions: parsed once at load, evaluated exactly, bounded by intervals.

A formula is one Python-syntax expression over item, derived-score and section ids, e.g.
``(pain_worst + pain_best + 2 * pain_usual) / 4``. Only numbers, names, ``+ - * /``, unary minus,
parentheses and a conditional ``A if X > 0 else B`` (with one of ``> >= < <= == !=``) are accepted;
anything else (calls, attributes, ``**``, boolean operators) is refused at load. Evaluation uses
:class:`fractions.Fraction`, so ``(5 + 6 + 2 * 7) / 4`` is exactly ``25/4`` and sums never drift.

:meth:`Formula.bounds` gives the lowest and highest value a formula can take when each name lies in a
given interval (interval arithmetic; both branches of a conditional count). The engine compares these
bounds with the ranges a definition declares, so a formula that cannot reach its published maximum,
or could exceed it, fails at load.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Formula", "FormulaError", "Interval", "exact"]

#: A closed interval ``(low, high)``.
Interval = tuple[Fraction, Fraction]

_ARITHMETIC: dict[type[ast.operator], Callable[[Fraction, Fraction], Fraction]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARISONS: dict[type[ast.cmpop], Callable[[Fraction, Fraction], bool]] = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class FormulaError(ValueError):
    """A formula that cannot be accepted: bad syntax, a forbidden construct, or an unknown name."""


def exact(number: int | float) -> Fraction:
    """The exact value a number was written as: ``0.1`` is ``1/10``, not the nearest binary float."""
    if isinstance(number, int):
        return Fraction(number)
    return Fraction(repr(number))


@dataclass(frozen=True)
class Formula:
    """A parsed formula.

    Attributes
    ----------
    text : str
        The formula as written in the definition.
    names : tuple of str
        Every id the formula reads, in order of first use.
    """

    text: str
    names: tuple[str, ...]
    _tree: ast.expr

    @classmethod
    def parse(cls, text: str, known: Mapping[str, object]) -> Formula:
        """Parse ``text``; every name must be a key of ``known``.

        Raises
        ------
        FormulaError
            With a sentence naming the construct or name that is not accepted.
        """
        if not isinstance(text, str) or not text.strip():
            raise FormulaError("a formula must be a non-empty text")
        try:
            tree = ast.parse(text.strip(), mode="eval").body
        except SyntaxError as exc:
            raise FormulaError(f"{text!r} is not a valid formula ({exc.msg})") from None
        names: list[str] = []
        _check(tree, known, names)
        return cls(text=text, names=tuple(names), _tree=tree)

    def evaluate(self, values: Mapping[str, Fraction]) -> Fraction:
        """The formula's value, given a value for each of :attr:`names`.

        Raises
        ------
        ZeroDivisionError
            When a divisor is zero (the load-time bounds exclude this for the definitions shipped).
        """
        return _evaluate(self._tree, values)

    def bounds(self, intervals: Mapping[str, Interval]) -> Interval:
        """Lowest and highest possible value when each name lies in its interval.

        Raises
        ------
        FormulaError
            When a divisor's interval contains zero.
        """
        return _bounds(self._tree, intervals)


def _check(node: ast.expr, known: Mapping[str, object], names: list[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"{node.value!r} is not a number; formulas hold numbers and ids only")
    elif isinstance(node, ast.Name):
        if node.id not in known:
            raise FormulaError(
                f'"{node.id}" is not an item or score defined before this formula '
                f"(known: {', '.join(known) or 'none'})"
            )
        if node.id not in names:
            names.append(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITHMETIC:
            raise FormulaError("only + - * / are allowed in formulas")
        _check(node.left, known, names)
        _check(node.right, known, names)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise FormulaError("only a leading minus or plus sign is allowed before a value")
        _check(node.operand, known, names)
    elif isinstance(node, ast.IfExp):
        test = node.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _COMPARISONS):
            raise FormulaError("a condition must be one comparison, such as 'x > 0'")
        _check(test.left, known, names)
        _check(test.comparators[0], known, names)
        _check(node.body, known, names)
        _check(node.orelse, known, names)
    else:
        raise FormulaError(
            f"{type(node).__name__} is not allowed in a formula (use numbers, ids and + - * /)"
        )


def _evaluate(node: ast.expr, values: Mapping[str, Fraction]) -> Fraction:
    if isinstance(node, ast.Constant):
        return exact(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        return _ARITHMETIC[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, values)
        return -value if isinstance(node.op, ast.USub) else value
    assert isinstance(node, ast.IfExp)
    test = node.test
    assert isinstance(test, ast.Compare)
    holds = _COMPARISONS[type(test.ops[0])](
        _evaluate(test.left, values), _evaluate(test.comparators[0], values)
    )
    return _evaluate(node.body if holds else node.orelse, values)


def _bounds(node: ast.expr, intervals: Mapping[str, Interval]) -> Interval:
    if isinstance(node, ast.Constant):
        value = exact(node.value)
        return value, value
    if isinstance(node, ast.Name):
        return intervals[node.id]
    if isinstance(node, ast.UnaryOp):
        low, high = _bounds(node.operand, intervals)
        return (-high, -low) if isinstance(node.op, ast.USub) else (low, high)
    if isinstance(node, ast.IfExp):
        body, orelse = _bounds(node.body, intervals), _bounds(node.orelse, intervals)
        return min(body[0], orelse[0]), max(body[1], orelse[1])
    assert isinstance(node, ast.BinOp)
    (a, b), (c, d) = _bounds(node.left, intervals), _bounds(node.right, intervals)
    if isinstance(node.op, ast.Add):
        return a + c, b + d
    if isinstance(node.op, ast.Sub):
        return a - d, b - c
    if isinstance(node.op, ast.Div):
        if c <= 0 <= d:
            raise FormulaError("a divisor in the formula can be zero")
        c, d = 1 / d, 1 / c
    corners = (a * c, a * d, b * c, b * d)
    return min(corners), max(corners)
