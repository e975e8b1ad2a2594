"""Score answers against a scale definition: check each answer, then compute derived scores, sections, total.

Answers are a mapping of item id to value: a number from the item's allowed answers, or ``"na"`` on
items that allow "not applicable". A value of ``None`` (JSON ``null``) counts as not answered.

:func:`score` wants a complete set and refuses anything else; :func:`score_draft` scores what has been
answered so far (the running score of a form kept as a draft) and lists what is missing, but still
refuses answers that are wrong. Either way every problem is reported at once, each naming its item,
in a :class:`ScaleAnswerError`.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from torsion.clinical.scales.definition import NOT_APPLICABLE, Item, ScaleDefinition, number
from torsion.clinical.scales.formula import Interval, exact
from torsion.clinical.scales.rules import NA, Value, evaluate

__all__ = ["AnswerProblem", "ScaleAnswerError", "ScaleScore", "score", "score_draft"]

Number = int | float


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with a set of answers.

    Attributes
    ----------
    item : str or None
        The item at fault (None for a problem with the answers as a whole).
    kind : str
        ``missing``, ``wrong_type``, ``not_allowed``, ``not_applicable_not_allowed``,
        ``unknown_item``, ``too_few_applicable`` or ``not_a_mapping``.
    message : str
        A sentence saying what is wrong, naming the item's id and label.
    """

    item: str | None
    kind: str
    message: str


class ScaleAnswerError(ValueError):
    """Answers that cannot be scored.

    ``problems`` lists every problem, one per item at fault. The message joins their sentences, with
    the items that have no answer gathered into one sentence when there are several.
    """

    def __init__(self, scale: str, problems: list[AnswerProblem]) -> None:
        self.scale = scale
        self.problems = tuple(problems)
        missing = [problem for problem in self.problems if problem.kind == "missing"]
        sentences = [problem.message for problem in self.problems if problem.kind != "missing"]
        if len(missing) == 1:
            sentences.append(missing[0].message)
        elif missing:
            sentences.append(
                f"{len(missing)} items have no answer: {', '.join(str(p.item) for p in missing)}."
            )
        super().__init__(" ".join(sentences))


@dataclass(frozen=True)
class ScaleScore:
    """The result of scoring one administration of a scale.

    Attributes
    ----------
    scale, version : str
        The scale's id and the version of the scale the score was computed for (store it with the
        score: scales change between versions).
    revision : int
        Revision of Torsion's definition file that computed it.
    total : int or float or None
        The total (None only for a draft whose answers do not allow one yet).
    min_total, max_total : int or float
        The range of the total.
    sections, derived : dict of str to int or float or None
        Each section's and each derived score's value, in definition order.
    items : dict of str to int or float or str
        The validated answers (numbers as the definition writes them, ``"na"`` for not applicable);
        for a draft, only the items answered.
    complete : bool
        True when every item is answered (always True from :func:`score`).
    missing : tuple of str
        Items not answered yet (drafts only).
    not_applicable : tuple of str
        Items answered "not applicable".
    interpretation : str or None
        The scale's words for the total, where it has them.
    """

    scale: str
    version: str
    revision: int
    total: Number | None
    min_total: Number
    max_total: Number
    sections: dict[str, Number | None]
    derived: dict[str, Number | None]
    items: dict[str, Number | str]
    complete: bool
    missing: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    interpretation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "version": self.version,
            "revision": self.revision,
            "total": self.total,
            "min_total": self.min_total,
            "max_total": self.max_total,
            "sections": dict(self.sections),
            "derived": dict(self.derived),
            "items": dict(self.items),
            "complete": self.complete,
            "missing": list(self.missing),
            "not_applicable": list(self.not_applicable),
            "interpretation": self.interpretation,
        }


def score(definition: ScaleDefinition, answers: Mapping[str, Any]) -> ScaleScore:
    """Score a complete set of answers.

    Raises
    ------
    ScaleAnswerError
        When an item is missing, an answer has the wrong type or is not allowed, an id is not an item
        of the scale, or too few items apply.
    """
    return _score(definition, answers, draft=False)


def score_draft(definition: ScaleDefinition, answers: Mapping[str, Any]) -> ScaleScore:
    """Score the items answered so far; sections and total count only those items.

    A sum counts the items answered; a product or formula is None until all its inputs are
    answered; a section or total with nothing answered is None.

    Raises
    ------
    ScaleAnswerError
        When an answer given is wrong (type, value, unknown id); missing answers are not an error.
    """
    return _score(definition, answers, draft=True)


def _score(definition: ScaleDefinition, answers: Mapping[str, Any], *, draft: bool) -> ScaleScore:
    values, problems = _validate(definition, answers, draft=draft)
    if problems:
        raise ScaleAnswerError(definition.id, problems)
    env: dict[str, Value] = {}
    ranges: dict[str, Interval] = {}
    shown: dict[str, Number | str] = {}
    for item in definition.items:
        value = values.get(item.id)
        ranges[item.id] = item.points_range
        if value is None:
            env[item.id] = None
        elif value is NA:
            env[item.id] = NA
            shown[item.id] = NOT_APPLICABLE
        else:
            assert isinstance(value, Fraction)
            env[item.id] = value * item.weight
            shown[item.id] = number(value)
    not_applicable = definition.not_applicable
    computed: dict[str, Fraction | None] = {}
    for entry in (*definition.derived, *definition.sections, definition.total):
        result = evaluate(entry.rule, env, ranges, not_applicable)
        env[entry.id] = result
        ranges[entry.id] = (entry.low, entry.high)
        computed[entry.id] = result
    total = computed["total"]
    if total is None and not draft:
        raise ScaleAnswerError(
            definition.id,
            [
                AnswerProblem(
                    None,
                    "too_few_applicable",
                    f"{definition.abbreviation}: too few items apply to compute a total.",
                )
            ],
        )
    return ScaleScore(
        scale=definition.id,
        version=definition.version,
        revision=definition.revision,
        total=_shown(total),
        min_total=definition.min_total,
        max_total=definition.max_total,
        sections={section.id: _shown(computed[section.id]) for section in definition.sections},
        derived={entry.id: _shown(computed[entry.id]) for entry in definition.derived},
        items=shown,
        complete=all(item.id in values for item in definition.items),
        missing=tuple(item.id for item in definition.items if item.id not in values),
        not_applicable=tuple(item.id for item in definition.items if values.get(item.id) is NA),
        interpretation=definition.interpretation.of(total)
        if definition.interpretation and total is not None
        else None,
    )


def _shown(value: Fraction | None) -> Number | None:
    return None if value is None else number(value)


def _validate(
    definition: ScaleDefinition, answers: Any, *, draft: bool
) -> tuple[dict[str, Fraction | object], list[AnswerProblem]]:
    """The answers as exact values (or NA), by item id, and every problem found."""
    name = definition.abbreviation
    if not isinstance(answers, Mapping):
        message = (
            f"The answers to {name} must be an object mapping item ids to values, not {_describe(answers)}."
        )
        return {}, [AnswerProblem(None, "not_a_mapping", message)]
    values: dict[str, Fraction | object] = {}
    problems: list[AnswerProblem] = []
    for item in definition.items:
        raw = answers.get(item.id)
        if raw is None:
            if not draft:
                problems.append(AnswerProblem(item.id, "missing", f"{_name(item)}, has no answer."))
            continue
        value, problem = _check_answer(item, raw)
        if problem is not None:
            problems.append(problem)
        else:
            values[item.id] = value
    known = {item.id for item in definition.items}
    for key in answers:
        if key not in known:
            problems.append(AnswerProblem(str(key), "unknown_item", f"{_key(key)} is not an item of {name}."))
    rule = definition.not_applicable
    if not draft and not problems and rule is not None:
        applicable = sum(value is not NA for value in values.values())
        if applicable < rule.min_applicable:
            plural = "item" if rule.min_applicable == 1 else "items"
            problems.append(
                AnswerProblem(
                    None,
                    "too_few_applicable",
                    f"{name} needs at least {rule.min_applicable} {plural}"
                    f' answered with a value rather than "not applicable" (got {applicable}).',
                )
            )
    return values, problems


def _check_answer(item: Item, raw: Any) -> tuple[Fraction | object, AnswerProblem | None]:
    if raw == NOT_APPLICABLE and isinstance(raw, str):
        if item.not_applicable:
            return NA, None
        return None, AnswerProblem(
            item.id,
            "not_applicable_not_allowed",
            f'{_name(item)} cannot be answered "not applicable"; the answers are {_allowed_text(item)}.',
        )
    if isinstance(raw, bool) or not isinstance(raw, (numbers.Real, Decimal)):
        expected = 'a number or "na"' if item.not_applicable else "a number"
        return None, AnswerProblem(
            item.id, "wrong_type", f"{_name(item)}: the answer must be {expected}, not {_describe(raw)}."
        )
    value = _exact(raw)
    if value is None or value not in {answer.value for answer in item.answers}:
        return None, AnswerProblem(
            item.id,
            "not_allowed",
            f"{_name(item)}: {_describe(raw)} is not an allowed answer;"
            f" the answers are {_allowed_text(item)}.",
        )
    return value, None


def _exact(raw: numbers.Real | Decimal) -> Fraction | None:
    """The exact value of a number, or None for NaN and infinities."""
    if isinstance(raw, float):
        return exact(raw) if raw == raw and abs(raw) != float("inf") else None
    if isinstance(raw, Decimal):
        return Fraction(raw) if raw.is_finite() else None
    return Fraction(raw)  # type: ignore[arg-type]


def _name(item: Item) -> str:
    return f'Item {item.id}, "{item.label}"'


def _allowed_text(item: Item) -> str:
    """The allowed answers in words: a list when short, a range with its step when long and even."""
    values = [answer.value for answer in item.answers]
    steps = {b - a for a, b in itertools.pairwise(values)}
    if len(values) > 6 and len(steps) == 1:
        step = steps.pop()
        text = f"{number(values[0])} to {number(values[-1])}"
        text += " in whole numbers" if step == 1 else f" in steps of {number(step)}"
    else:
        text = ", ".join(str(number(value)) for value in values[:-1]) + f" or {number(values[-1])}"
    if item.not_applicable:
        text += ', or "na" when it does not apply'
    return text


def _key(key: Any) -> str:
    return f'"{key}"' if isinstance(key, str) else _describe(key)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}" (text)'
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (dict, Mapping)):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
