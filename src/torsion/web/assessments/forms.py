"""The form of one scale, built from its definition, checked and scored by the scale engine.

There is no Django form class per scale: every scale's items, answers and sections come from its
definition file, and every answer is checked by :mod:`torsion.clinical.scales` (the one authority on
what an answer may be and what it scores). This module turns posted text into answers, the
engine's problems into a message beside each item, and the definition into what the template draws:
sections of items, each a group of large buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from torsion.clinical import scales
from torsion.clinical.scales import NOT_APPLICABLE, ScaleAnswerError, ScaleDefinition, ScaleScore
from torsion.clinical.scales.definition import Item, number

#: Posted answers are named ``item_<item id>``, apart from the form's other fields.
FIELD_PREFIX = "item_"

#: Answer labels longer than this put an item's buttons one under another, full width.
LONG_LABEL = 18


def field_name(item_id: str) -> str:
    return FIELD_PREFIX + item_id


def parse_answer(raw: str) -> Any:
    """Posted text as an answer for the engine: ``"na"``, an exact number, or the text itself.

    Text that is not a number is passed on unchanged so that the engine names the item and says what
    is wrong with it.
    """
    raw = raw.strip()
    if raw == NOT_APPLICABLE:
        return raw
    try:
        return Decimal(raw)
    except InvalidOperation:
        return raw


def read_answers(definition: ScaleDefinition, data: Mapping[str, str]) -> dict[str, Any]:
    """The answers posted for ``definition``'s items (unanswered items left out; other fields ignored)."""
    answers = {}
    for item in definition.items:
        raw = data.get(field_name(item.id), "")
        if raw.strip():
            answers[item.id] = parse_answer(raw)
    return answers


def answer_key(value: Any) -> str:
    """An answer written the way the form's buttons write it: ``2`` and ``2.0`` are both ``"2"``."""
    if value == NOT_APPLICABLE:
        return NOT_APPLICABLE
    try:
        return str(number(Fraction(str(value))))
    except (ValueError, ZeroDivisionError):
        return str(value)


def format_score(value: int | float | None) -> str:
    """A score as shown: whole numbers as they are, others to at most two decimals; nothing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def score_summary(definition: ScaleDefinition, result: ScaleScore | None) -> dict[str, Any]:
    """The running score as the page and the live update show it (JSON-ready)."""
    answered = len(result.items) if result else 0
    sections = {section.id: section for section in definition.sections}
    return {
        "total": result.total if result else None,
        "total_text": format_score(result.total if result else None),
        "max_text": format_score(definition.max_total),
        "min_text": format_score(definition.min_total),
        "unit": definition.unit or "",
        "answered": answered,
        "items": len(definition.items),
        "complete": bool(result and result.complete),
        "interpretation": result.interpretation if result and result.complete else None,
        "sections": [
            {"id": section_id, "name": sections[section_id].name, "text": format_score(value),
             "max_text": format_score(number(sections[section_id].high))}
            for section_id, value in (result.sections.items() if result else
                                      ((s.id, None) for s in definition.sections))
        ],
    }


@dataclass
class Option:
    value: str
    number_text: str
    label: str
    checked: bool
    estimated: bool = False


@dataclass
class ItemView:
    """One item as the template draws it."""

    item: Item
    name: str
    options: list[Option]
    layout: str  # "list": one full-width button per line; "grid": short labelled buttons; "row": numbers only
    value: str
    error: str | None
    estimate: Any = None  # a VideoEstimate, for items that started from video
    labels_text: str = ""  # for "row": the answers that have words, e.g. "0 no pain · 10 as bad as it could be"
    number: int = 0  # position in the whole scale, from 1

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def label(self) -> str:
        return self.item.label

    @property
    def chosen(self) -> Option | None:
        return next((option for option in self.options if option.checked), None)

    @property
    def changed_from_estimate(self) -> bool:
        return self.estimate is not None and self.value not in ("", str(self.estimate.score))


@dataclass
class SectionView:
    id: str
    name: str
    items: list[ItemView]


@dataclass
class ScaleForm:
    """The answers to one scale from a post (or from a stored draft), with every problem by item.

    Attributes
    ----------
    answers : dict
        Item id -> answer as posted (or as stored).
    errors : dict of str to str
        Item id -> what is wrong with its answer, in a sentence for the person filling the form.
    form_errors : list of str
        Problems of the form as a whole (the date, the confirmation of video estimates, too few items).
    result : ScaleScore or None
        The engine's score once :meth:`check` passed.
    """

    definition: ScaleDefinition
    answers: dict[str, Any]
    administered_on: date | None
    note: str = ""
    estimates: dict[str, Any] = field(default_factory=dict)
    estimates_confirmed: bool = False
    for_patient: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)
    date_error: str | None = None
    confirm_error: str | None = None
    result: ScaleScore | None = None

    @classmethod
    def from_post(cls, definition: ScaleDefinition, data: Mapping[str, str], **kwargs) -> ScaleForm:
        raw_date = data.get("administered_on", "").strip()
        try:
            when = date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            when = None
        form = cls(definition, read_answers(definition, data), when, note=data.get("note", "").strip()[:2000],
                   estimates_confirmed=bool(data.get("confirm_estimates")), **kwargs)
        if raw_date and when is None:
            form.date_error = "Write the date as year-month-day, for example 2026-03-01."
        return form

    # --- checking ---------------------------------------------------------------------------------

    def check(self, *, final: bool, today: date) -> bool:
        """Check everything; on success :attr:`result` holds the engine's score (a draft's when not final)."""
        if self.administered_on is None and self.date_error is None:
            self.date_error = "Give the date the scale was filled in."
        elif self.administered_on is not None and self.administered_on > today:
            self.date_error = "This date has not come yet."
        if final and self.estimates and not self.estimates_confirmed:
            self.confirm_error = ("Tick this once you have checked each value that came from the video "
                                  "against your own examination.")
        try:
            self.result = (scales.score if final else scales.score_draft)(self.definition, self.answers)
        except ScaleAnswerError as error:
            self.result = None
            for problem in error.problems:
                if problem.item is not None and problem.item in self._item_ids:
                    self.errors.setdefault(problem.item, self._message(problem.kind, problem.item))
                else:
                    self.form_errors.append(problem.message)
        return self.valid

    @property
    def valid(self) -> bool:
        return self.result is not None and not (self.errors or self.form_errors or self.date_error
                                                or self.confirm_error)

    @property
    def error_count(self) -> int:
        return len(self.errors) + len(self.form_errors) + bool(self.date_error) + bool(self.confirm_error)

    @property
    def _item_ids(self) -> set[str]:
        return {item.id for item in self.definition.items}

    def _message(self, kind: str, item_id: str) -> str:
        item = self.definition.item(item_id)
        if kind == "missing":
            return "Choose an answer." if self.for_patient else "This item has no answer yet."
        if kind == "not_applicable_not_allowed":
            return "“Does not apply” is not an answer to this question; choose one of the buttons."
        allowed = ", ".join(format_score(value) for value in item.allowed)
        return f"That answer is not one of the choices ({allowed}); choose one of the buttons."

    # --- drawing ----------------------------------------------------------------------------------

    def running_score(self) -> ScaleScore | None:
        """The draft score of the answers that are valid so far (for the running score on the page)."""
        valid = {key: value for key, value in self.answers.items() if key not in self.errors}
        try:
            return scales.score_draft(self.definition, valid)
        except ScaleAnswerError:
            return None

    def summary(self) -> dict[str, Any]:
        return score_summary(self.definition, self.running_score())

    def sections(self) -> list[SectionView]:
        numbers = {item.id: index for index, item in enumerate(self.definition.items, start=1)}
        return [SectionView(section.id, section.name,
                            [self._item_view(item, numbers[item.id])
                             for item in self.definition.section_items(section.id)])
                for section in self.definition.sections]

    def error_items(self) -> list[tuple[Item, str]]:
        """Items with a problem, in the order of the form, with their message."""
        return [(item, self.errors[item.id]) for item in self.definition.items if item.id in self.errors]

    def _item_view(self, item: Item, position: int = 0) -> ItemView:
        value = answer_key(self.answers[item.id]) if item.id in self.answers else ""
        estimate = self.estimates.get(item.id)
        options = [Option(answer_key(answer.value), format_score(number(answer.value)), answer.label or "",
                          checked=answer_key(answer.value) == value,
                          estimated=estimate is not None and answer_key(answer.value) == str(estimate.score))
                   for answer in item.answers]
        labels = [answer.label for answer in item.answers]
        if all(labels):
            layout = "list" if max(len(text) for text in labels) > LONG_LABEL else "grid"
            labels_text = ""
        else:
            layout = "row"
            labels_text = " · ".join(f"{format_score(number(a.value))} {a.label}" for a in item.answers if a.label)
        if item.not_applicable:
            options.append(Option(NOT_APPLICABLE, "", "I do not do this for other reasons" if self.for_patient
                                  else "Not applicable", checked=value == NOT_APPLICABLE))
        return ItemView(item, field_name(item.id), options, layout, value, self.errors.get(item.id), estimate,
                        labels_text, position)
