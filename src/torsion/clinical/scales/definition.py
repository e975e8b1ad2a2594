"""What a rating scale is, once its definition file has been read and checked.

The types here are plain frozen dataclasses; :mod:`torsion.clinical.scales.loader` builds them from a
YAML file and :mod:`torsion.clinical.scales.scoring` scores answers against them. Numbers that take
part in scoring (answer values, weights, bounds) are :class:`fractions.Fraction`, so totals are exact;
the public views (:attr:`Item.allowed`, :meth:`ScaleDefinition.describe`) give plain ints and floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from torsion.clinical.scales.formula import Formula

if TYPE_CHECKING:
    from torsion.clinical.scales.scoring import ScaleScore

__all__ = [
    "ELECTRONIC_USE",
    "NOT_APPLICABLE",
    "NOT_APPLICABLE_RULES",
    "RATERS",
    "RULE_KINDS",
    "Answer",
    "Interpretation",
    "Item",
    "Licence",
    "NotApplicableRule",
    "Rule",
    "ScaleDefinition",
    "Score",
    "number",
]

#: The answer that marks an item as not applicable, on the scales that allow it.
NOT_APPLICABLE = "na"

#: Who fills a scale in.
RATERS = ("clinician", "patient")

#: How a derived score, a section or the total is computed from its inputs.
RULE_KINDS = ("sum", "product", "mean", "percent", "formula")

#: What is known about using the scale electronically.
ELECTRONIC_USE = ("approval_required", "not_established")

#: What "not applicable" does to a sum: ``omit`` adds nothing for the item; ``prorate`` counts it as
#: the mean of the applicable items in the same sum.
NOT_APPLICABLE_RULES = ("omit", "prorate")


def number(value: Fraction) -> int | float:
    """A Fraction as the plain number shown to people and written to JSON: an int when whole."""
    return int(value) if value.denominator == 1 else float(value)


@dataclass(frozen=True)
class Answer:
    """One allowed answer of an item: its value and, when the definition gives one, a short label."""

    value: Fraction
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": number(self.value), "label": self.label}


@dataclass(frozen=True)
class Item:
    """One question or rating of a scale.

    Attributes
    ----------
    id : str
        Unique within the scale; the key of the item in an answers object.
    section : str
        Id of the section the item belongs to.
    label : str
        Short description in Torsion's own words (never the published item text).
    answers : tuple of Answer
        The allowed answers, lowest value first.
    weight : Fraction
        The item counts as ``value * weight`` wherever it is used in a score.
    not_applicable : bool
        Whether ``"na"`` is an allowed answer.
    """

    id: str
    section: str
    label: str
    answers: tuple[Answer, ...]
    weight: Fraction = Fraction(1)
    not_applicable: bool = False

    @property
    def allowed(self) -> tuple[int | float, ...]:
        """Allowed numeric answers, lowest first (``"na"`` not included)."""
        return tuple(number(answer.value) for answer in self.answers)

    @property
    def lowest(self) -> Fraction:
        return self.answers[0].value

    @property
    def highest(self) -> Fraction:
        return self.answers[-1].value

    @property
    def points_range(self) -> tuple[Fraction, Fraction]:
        """Lowest and highest ``value * weight``."""
        ends = (self.lowest * self.weight, self.highest * self.weight)
        return min(ends), max(ends)

    def to_dict(self) -> dict[str, Any]:
        allowed: list[int | float | str] = list(self.allowed)
        if self.not_applicable:
            allowed.append(NOT_APPLICABLE)
        return {
            "id": self.id,
            "section": self.section,
            "label": self.label,
            "allowed": allowed,
            "answers": [answer.to_dict() for answer in self.answers],
            "weight": number(self.weight),
            "not_applicable": self.not_applicable,
        }


@dataclass(frozen=True)
class Rule:
    """How one score is computed from its inputs (ids of items or of scores computed before it).

    ``sum``: the sum of the inputs; ``product``: their product; ``mean``: their mean; ``percent``: the
    sum of the inputs placed on 0-100 between its lowest and highest possible values; ``formula``: the
    arithmetic of :attr:`formula`. Except for ``formula``, the result is multiplied by :attr:`weight`.
    """

    kind: str
    inputs: tuple[str, ...]
    weight: Fraction = Fraction(1)
    formula: Formula | None = None

    def describe(self) -> str:
        """The rule in a few words, e.g. ``sum of a, b`` or ``0.5 x product of a, b``."""
        if self.formula is not None:
            return self.formula.text.strip()
        text = f"{self.kind} of {', '.join(self.inputs)}"
        return text if self.weight == 1 else f"{number(self.weight)} x {text}"


@dataclass(frozen=True)
class Score:
    """A derived score, a section or the total, with the range its rule allows."""

    id: str
    name: str
    rule: Rule
    low: Fraction
    high: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "rule": self.rule.describe(),
            "min": number(self.low),
            "max": number(self.high),
        }


@dataclass(frozen=True)
class Licence:
    """Who manages a scale and what electronic use requires, with the notice to show beside it."""

    electronic_use: str
    notice: str
    holder: str | None = None

    @property
    def approval_required(self) -> bool:
        return self.electronic_use == "approval_required"

    def to_dict(self) -> dict[str, Any]:
        return {
            "electronic_use": self.electronic_use,
            "approval_required": self.approval_required,
            "holder": self.holder,
            "notice": self.notice,
        }


@dataclass(frozen=True)
class NotApplicableRule:
    """The scale's rule for items answered ``"na"``.

    Attributes
    ----------
    rule : str
        ``omit`` or ``prorate`` (see :data:`NOT_APPLICABLE_RULES`).
    min_applicable : int
        Fewest items that must be answered with a value (not ``"na"``) for a complete score.
    note : str
        The rule in a sentence, for people.
    """

    rule: str
    min_applicable: int
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": NOT_APPLICABLE,
            "rule": self.rule,
            "min_applicable": self.min_applicable,
            "note": self.note,
        }


@dataclass(frozen=True)
class Interpretation:
    """Words for a total: the label of the highest threshold it exceeds, else :attr:`below`."""

    below: str
    thresholds: tuple[tuple[Fraction, str], ...]

    def of(self, total: Fraction) -> str:
        label = self.below
        for above, text in self.thresholds:
            if total > above:
                label = text
        return label

    def to_dict(self) -> dict[str, Any]:
        return {
            "below": self.below,
            "thresholds": [{"above": number(above), "label": text} for above, text in self.thresholds],
        }


@dataclass(frozen=True)
class ScaleDefinition:
    """One rating scale: its items, how they are scored, and what is known of its use.

    Build with :func:`torsion.clinical.scales.load_definition`; score with :meth:`score` and
    :meth:`score_draft`. Derived scores are computed first (each from items and earlier derived
    scores), then the sections, then the total.
    """

    id: str
    name: str
    abbreviation: str
    version: str
    revision: int
    rated_by: str
    higher_is_worse: bool
    source: str
    description: str
    licence: Licence
    notes: tuple[str, ...]
    items: tuple[Item, ...]
    derived: tuple[Score, ...]
    sections: tuple[Score, ...]
    total: Score
    not_applicable: NotApplicableRule | None = None
    interpretation: Interpretation | None = None
    unit: str | None = None
    path: Path | None = None
    _items_by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_items_by_id", {item.id: item for item in self.items})

    @property
    def min_total(self) -> int | float:
        return number(self.total.low)

    @property
    def max_total(self) -> int | float:
        return number(self.total.high)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if there is none)."""
        return self._items_by_id[item_id]

    def section_items(self, section_id: str) -> tuple[Item, ...]:
        """The items of one section, in definition order."""
        return tuple(item for item in self.items if item.section == section_id)

    def score(self, answers: Mapping[str, Any]) -> ScaleScore:
        """Score a complete set of answers; see :func:`torsion.clinical.scales.scoring.score`."""
        from torsion.clinical.scales.scoring import score

        return score(self, answers)

    def score_draft(self, answers: Mapping[str, Any]) -> ScaleScore:
        """Score what has been answered so far; see :func:`torsion.clinical.scales.scoring.score_draft`."""
        from torsion.clinical.scales.scoring import score_draft

        return score_draft(self, answers)

    def summary(self) -> dict[str, Any]:
        """The short description used by ``torsion score --list``."""
        return {
            "id": self.id,
            "name": self.name,
            "abbreviation": self.abbreviation,
            "rated_by": self.rated_by,
            "min_total": self.min_total,
            "max_total": self.max_total,
            "version": self.version,
            "approval_required": self.licence.approval_required,
        }

    def describe(self) -> dict[str, Any]:
        """Everything a form needs, as plain JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "abbreviation": self.abbreviation,
            "version": self.version,
            "revision": self.revision,
            "rated_by": self.rated_by,
            "higher_is_worse": self.higher_is_worse,
            "description": self.description,
            "source": self.source,
            "unit": self.unit,
            "min_total": self.min_total,
            "max_total": self.max_total,
            "total": self.total.to_dict(),
            "licence": self.licence.to_dict(),
            "notes": list(self.notes),
            "not_applicable": self.not_applicable.to_dict() if self.not_applicable else None,
            "interpretation": self.interpretation.to_dict() if self.interpretation else None,
            "sections": [section.to_dict() for section in self.sections],
            "derived": [score.to_dict() for score in self.derived],
            "items": [item.to_dict() for item in self.items],
        }
