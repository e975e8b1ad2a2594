"""Read a scale definition file (YAML) into a checked :class:`~.definition.ScaleDefinition`.

Every mistake in a definition is a developer's mistake, so it fails at load, loudly, with the file
and the field: ``twstrs.yaml: items[3].answers: ...``. Besides the shape of each field, the loader
checks that ids are unique and usable in formulas, that every item belongs to a declared section and
every section has items, that each rule names only things computed before it, that items allowing
"not applicable" never feed a product or a formula, and that each declared range (``range: [min,
max]``) is exactly the range the rule can reach. The file format is described in ``docs/scales.md``.
"""

from __future__ import annotations

import itertools
import keyword
import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

import yaml

from torsion.clinical.scales.definition import (
    ELECTRONIC_USE,
    NOT_APPLICABLE_RULES,
    RATERS,
    RULE_KINDS,
    Answer,
    Interpretation,
    Item,
    Licence,
    NotApplicableRule,
    Rule,
    ScaleDefinition,
    Score,
    number,
)
from torsion.clinical.scales.formula import Formula, FormulaError, Interval, exact
from torsion.clinical.scales.rules import bounds

__all__ = ["ScaleDefinitionError", "load_definition", "parse_definition"]

_ID = re.compile(r"[a-z][a-z0-9_]*")
_TOP_KEYS = {
    "id",
    "name",
    "abbreviation",
    "version",
    "revision",
    "rated_by",
    "higher_is_worse",
    "source",
    "description",
    "unit",
    "licence",
    "notes",
    "not_applicable",
    "answer_sets",
    "items",
    "derived",
    "sections",
    "total",
}
_TOP_REQUIRED = {
    "id", "name", "abbreviation", "version", "revision", "rated_by", "source", "licence", "items", "sections",
    "total",
}  # fmt: skip
_ITEM_KEYS = {"id", "section", "label", "answers", "weight", "not_applicable"}
_RULE_KEYS = {"type", "of", "formula", "weight", "range"}
_SCORE_KEYS = {"id", "name"} | _RULE_KEYS
_TOTAL_KEYS = _RULE_KEYS | {"interpretation"}
_RANGE_KEYS = {"min", "max", "step", "labels"}


class ScaleDefinitionError(ValueError):
    """A definition file that cannot be used.

    Attributes
    ----------
    file : str
        The file's name.
    field : str
        Where in the file, e.g. ``items[3].answers`` (empty for the file as a whole).
    problem : str
        What is wrong.
    """

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: {field}: {problem}" if field else f"{file}: {problem}")


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice in one mapping (YAML would keep the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is written twice", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_definition(path: str | Path) -> ScaleDefinition:
    """Read and check one definition file.

    Raises
    ------
    ScaleDefinitionError
        Naming the file and the field at fault.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaleDefinitionError(path.name, "", f"cannot be read ({exc})") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506  (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise ScaleDefinitionError(path.name, "", f"is not valid YAML ({_one_line(exc)})") from None
    return parse_definition(data, file=path.name, path=path, expected_id=path.stem)


def parse_definition(
    data: Any, *, file: str = "<definition>", path: Path | None = None, expected_id: str | None = None
) -> ScaleDefinition:
    """Check an already-parsed definition document (a mapping) and build the definition.

    ``expected_id``, when given, is the id the document must declare (the file name without suffix).
    """
    return _Reader(file).definition(data, path, expected_id)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


class _Reader:
    """Reads one document, raising :class:`ScaleDefinitionError` with the file and field at fault."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, field: str, problem: str) -> NoReturn:
        raise ScaleDefinitionError(self.file, field, problem)

    # Small typed readers -----------------------------------------------------------------------

    def mapping(
        self, value: Any, field: str, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
    ) -> dict[Any, Any]:
        if not isinstance(value, dict):
            self.fail(field, f"must be a mapping, not {_kind(value)}")
        for key in value:
            if key not in allowed:
                self.fail(_join(field, str(key)), f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required):
            if key not in value:
                self.fail(_join(field, key), "is missing")
        return value

    def text(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(field, f"must be a non-empty text, not {_kind(value)}")
        return " ".join(value.split())

    def identifier(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value) or keyword.iskeyword(value):
            self.fail(
                field,
                f"{value!r} is not a valid id (lower-case letters, digits and _, starting with a letter)",
            )
        return value

    def number(self, value: Any, field: str) -> Fraction:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or value != value
            or abs(value) == float("inf")
        ):
            self.fail(field, f"must be a number, not {_kind(value)}")
        return exact(value)

    def sequence(self, value: Any, field: str, *, empty: bool = False) -> list[Any]:
        if not isinstance(value, list):
            self.fail(field, f"must be a list, not {_kind(value)}")
        if not value and not empty:
            self.fail(field, "must not be empty")
        return value

    def choice(self, value: Any, field: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(field, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    # The document ------------------------------------------------------------------------------

    def definition(self, data: Any, path: Path | None, expected_id: str | None) -> ScaleDefinition:
        doc = self.mapping(data, "", _TOP_KEYS, _TOP_REQUIRED)
        scale_id = self.identifier(doc["id"], "id")
        if expected_id is not None and scale_id != expected_id:
            self.fail("id", f"{scale_id!r} must match the file name ({expected_id!r})")
        revision = doc["revision"]
        if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
            self.fail("revision", f"must be a whole number of at least 1, not {_kind(revision)}")
        higher_is_worse = doc.get("higher_is_worse", True)
        if not isinstance(higher_is_worse, bool):
            self.fail("higher_is_worse", f"must be true or false, not {_kind(higher_is_worse)}")
        notes = tuple(
            self.text(note, f"notes[{i}]")
            for i, note in enumerate(self.sequence(doc.get("notes", []), "notes", empty=True))
        )
        answer_sets = self.answer_sets(doc.get("answer_sets", {}))
        section_docs = self.sequence(doc["sections"], "sections")
        section_ids = [
            self.identifier(
                self.mapping(s, f"sections[{i}]", _SCORE_KEYS, {"id", "name"})["id"], f"sections[{i}].id"
            )
            for i, s in enumerate(section_docs)
        ]
        items = self.items(doc["items"], answer_sets, section_ids)
        not_applicable = self.not_applicable_rule(doc.get("not_applicable"), items)

        # Scores: derived (from items and earlier derived), sections (from items and derived), total.
        ranges: dict[str, Interval] = {item.id: item.points_range for item in items}
        optional = {item.id for item in items if item.not_applicable}
        taken = {item.id: f"items[{i}].id" for i, item in enumerate(items)}
        taken.update({section: f"sections[{i}].id" for i, section in enumerate(section_ids)})
        derived = []
        for i, entry in enumerate(self.sequence(doc.get("derived", []), "derived", empty=True)):
            field = f"derived[{i}]"
            entry = self.mapping(entry, field, _SCORE_KEYS, {"id", "name", "type"})
            score = self.score(entry, field, ranges, optional, not_applicable, taken, default_inputs=None)
            derived.append(score)
        sections = []
        for i, entry in enumerate(section_docs):
            field = f"sections[{i}]"
            own = [item.id for item in items if item.section == entry["id"]]
            if not own:
                self.fail(f"{field}.id", f'section "{entry["id"]}" has no items')
            sections.append(
                self.score(entry, field, ranges, optional, not_applicable, taken, default_inputs=own)
            )
        total_doc = self.mapping(doc["total"], "total", _TOTAL_KEYS, {"range"})
        total_entry = {
            "id": "total",
            "name": "Total",
            **{k: v for k, v in total_doc.items() if k != "interpretation"},
        }
        total = self.score(
            total_entry,
            "total",
            ranges,
            optional,
            not_applicable,
            taken,
            default_inputs=[s.id for s in sections],
        )
        interpretation = self.interpretation(total_doc.get("interpretation"), total)

        return ScaleDefinition(
            id=scale_id,
            name=self.text(doc["name"], "name"),
            abbreviation=self.text(doc["abbreviation"], "abbreviation"),
            version=self.text(
                str(doc["version"]) if isinstance(doc["version"], (int, float)) else doc["version"], "version"
            ),
            revision=revision,
            rated_by=self.choice(doc["rated_by"], "rated_by", RATERS),
            higher_is_worse=higher_is_worse,
            source=self.text(doc["source"], "source"),
            description=self.text(doc.get("description", doc["name"]), "description"),
            licence=self.licence(doc["licence"]),
            notes=notes,
            items=tuple(items),
            derived=tuple(derived),
            sections=tuple(sections),
            total=total,
            not_applicable=not_applicable,
            interpretation=interpretation,
            unit=self.text(doc["unit"], "unit") if "unit" in doc else None,
            path=path,
        )

    def licence(self, value: Any) -> Licence:
        doc = self.mapping(
            value, "licence", {"electronic_use", "holder", "notice"}, {"electronic_use", "notice"}
        )
        electronic_use = self.choice(doc["electronic_use"], "licence.electronic_use", ELECTRONIC_USE)
        holder = self.text(doc["holder"], "licence.holder") if doc.get("holder") is not None else None
        if electronic_use == "approval_required" and holder is None:
            self.fail("licence.holder", "is needed when electronic use requires approval: who approves it?")
        return Licence(
            electronic_use=electronic_use, notice=self.text(doc["notice"], "licence.notice"), holder=holder
        )

    def answer_sets(self, value: Any) -> dict[str, tuple[Answer, ...]]:
        if not isinstance(value, dict):
            self.fail("answer_sets", f"must be a mapping of names to answers, not {_kind(value)}")
        return {
            self.identifier(name, f"answer_sets.{name}"): self.answers(spec, f"answer_sets.{name}", {})
            for name, spec in value.items()
        }

    def answers(
        self, spec: Any, field: str, answer_sets: Mapping[str, tuple[Answer, ...]]
    ) -> tuple[Answer, ...]:
        """Answers written as a set's name, as ``{value: label}``, or as ``{min, max, step, labels}``."""
        if isinstance(spec, str):
            if spec not in answer_sets:
                self.fail(
                    field, f"no answer set is called {spec!r} (defined: {', '.join(answer_sets) or 'none'})"
                )
            return answer_sets[spec]
        if not isinstance(spec, dict) or not spec:
            self.fail(field, f"must name an answer set or map values to labels, not {_kind(spec)}")
        if all(isinstance(key, str) for key in spec):
            doc = self.mapping(spec, field, _RANGE_KEYS, {"min", "max"})
            low, high = self.number(doc["min"], f"{field}.min"), self.number(doc["max"], f"{field}.max")
            step = self.number(doc.get("step", 1), f"{field}.step")
            if step <= 0:
                self.fail(f"{field}.step", "must be above 0")
            if high <= low:
                self.fail(f"{field}.max", "must be above min")
            count = (high - low) / step
            if count.denominator != 1:
                self.fail(f"{field}.step", f"does not divide the range {number(low)}-{number(high)} evenly")
            labels = doc.get("labels", {})
            if not isinstance(labels, dict):
                self.fail(f"{field}.labels", f"must map values to labels, not {_kind(labels)}")
            values = [low + k * step for k in range(int(count) + 1)]
            named = {
                self.number(key, f"{field}.labels"): self.text(text, f"{field}.labels.{key}")
                for key, text in labels.items()
            }
            for key in named:
                if key not in values:
                    self.fail(f"{field}.labels.{number(key)}", "is not one of the allowed values")
            return tuple(Answer(value, named.get(value)) for value in values)
        for key in spec:
            if isinstance(key, bool) or not isinstance(key, (int, float)):
                self.fail(f"{field}.{key}", f"{key!r} is not a number; answers map values to labels")
        answers = sorted(
            (
                Answer(self.number(key, field), self.text(label, f"{field}.{key}"))
                for key, label in spec.items()
            ),
            key=lambda answer: answer.value,
        )
        for first, second in itertools.pairwise(answers):
            if first.value == second.value:
                self.fail(f"{field}.{number(first.value)}", "the same value is listed twice")
        if len(answers) < 2:
            self.fail(field, "an item needs at least two possible answers")
        return tuple(answers)

    def items(
        self, value: Any, answer_sets: Mapping[str, tuple[Answer, ...]], section_ids: list[str]
    ) -> list[Item]:
        items: list[Item] = []
        seen: dict[str, str] = {section: f"sections[{i}].id" for i, section in enumerate(section_ids)}
        if len(set(section_ids)) < len(section_ids):
            duplicate = next(s for s in section_ids if section_ids.count(s) > 1)
            self.fail(
                f"sections[{section_ids.index(duplicate, section_ids.index(duplicate) + 1)}].id",
                f'"{duplicate}" is used twice',
            )
        for i, entry in enumerate(self.sequence(value, "items")):
            field = f"items[{i}]"
            doc = self.mapping(entry, field, _ITEM_KEYS, {"id", "section", "label", "answers"})
            item_id = self.identifier(doc["id"], f"{field}.id")
            if item_id in seen or item_id == "total":
                self.fail(
                    f"{field}.id",
                    f'"{item_id}" is already used ({seen.get(item_id, "reserved for the total")})',
                )
            seen[item_id] = f"{field}.id"
            section = doc["section"]
            if section not in section_ids:
                self.fail(
                    f"{field}.section",
                    f"{section!r} is not a section of this scale (sections: {', '.join(section_ids)})",
                )
            weight = self.number(doc.get("weight", 1), f"{field}.weight")
            if weight == 0:
                self.fail(f"{field}.weight", "must not be 0")
            not_applicable = doc.get("not_applicable", False)
            if not isinstance(not_applicable, bool):
                self.fail(f"{field}.not_applicable", f"must be true or false, not {_kind(not_applicable)}")
            items.append(
                Item(
                    id=item_id,
                    section=section,
                    label=self.text(doc["label"], f"{field}.label"),
                    answers=self.answers(doc["answers"], f"{field}.answers", answer_sets),
                    weight=weight,
                    not_applicable=not_applicable,
                )
            )
        return items

    def not_applicable_rule(self, value: Any, items: list[Item]) -> NotApplicableRule | None:
        allowing = [item.id for item in items if item.not_applicable]
        if value is None:
            if allowing:
                self.fail(
                    "not_applicable", f"is missing, but items allow not applicable ({', '.join(allowing)})"
                )
            return None
        doc = self.mapping(value, "not_applicable", {"rule", "min_applicable", "note"}, {"rule", "note"})
        if not allowing:
            self.fail("not_applicable", "is given, but no item allows not applicable")
        minimum = doc.get("min_applicable", 1)
        if isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= len(items):
            self.fail("not_applicable.min_applicable", f"must be a whole number from 0 to {len(items)}")
        return NotApplicableRule(
            rule=self.choice(doc["rule"], "not_applicable.rule", NOT_APPLICABLE_RULES),
            min_applicable=minimum,
            note=self.text(doc["note"], "not_applicable.note"),
        )

    def score(
        self,
        doc: dict[str, Any],
        field: str,
        ranges: dict[str, Interval],
        optional: set[str],
        not_applicable: NotApplicableRule | None,
        taken: dict[str, str],
        default_inputs: list[str] | None,
    ) -> Score:
        """Read one rule (a derived score, a section or the total), check it, and record its range."""
        score_id = self.identifier(doc["id"], f"{field}.id")
        if (
            field != "total"
            and not field.startswith("sections")
            and (score_id in taken or score_id == "total")
        ):
            self.fail(
                f"{field}.id",
                f'"{score_id}" is already used ({taken.get(score_id, "reserved for the total")})',
            )
        kind = doc.get("type", "sum" if default_inputs is not None else None)
        if kind not in RULE_KINDS:
            self.fail(f"{field}.type", f"unknown type {kind!r} (types: {', '.join(RULE_KINDS)})")
        formula = None
        if kind == "formula":
            for key in ("of", "weight"):
                if key in doc:
                    self.fail(
                        f"{field}.{key}",
                        "does not go with type formula (write the arithmetic in the formula)",
                    )
            if "formula" not in doc:
                self.fail(f"{field}.formula", "is missing")
            try:
                formula = Formula.parse(doc["formula"], ranges)
            except FormulaError as exc:
                self.fail(f"{field}.formula", str(exc))
            inputs = list(formula.names)
        else:
            if "formula" in doc:
                self.fail(f"{field}.formula", f"only goes with type formula, not {kind}")
            if "of" in doc:
                inputs = self.sequence(doc["of"], f"{field}.of", empty=True)
            else:
                inputs = list(default_inputs or [])
            if not inputs:
                problem = (
                    "a weight without items: list the items it weighs in 'of'"
                    if "weight" in doc
                    else "lists no items"
                )
                self.fail(f"{field}.of", problem)
            for j, name in enumerate(inputs):
                if name not in ranges:
                    self.fail(f"{field}.of[{j}]", f"{name!r} is not an item or score defined before this one")
            if len(set(inputs)) < len(inputs):
                self.fail(f"{field}.of", "names the same input twice")
        weight = self.number(doc.get("weight", 1), f"{field}.weight")
        if weight == 0:
            self.fail(f"{field}.weight", "must not be 0")
        if kind in ("product", "formula"):
            for name in inputs:
                if name in optional:
                    self.fail(
                        f"{field}.{'formula' if formula else 'of'}",
                        f'"{name}" may be not applicable, which a {kind} cannot use',
                    )
        rule = Rule(kind=kind, inputs=tuple(inputs), weight=weight, formula=formula)
        try:
            low, high = bounds(rule, ranges, optional, not_applicable)
        except ValueError as exc:
            self.fail(f"{field}.{'formula' if formula else 'of'}", str(exc))
        if "range" in doc:
            declared = self.sequence(doc["range"], f"{field}.range")
            if len(declared) != 2:
                self.fail(f"{field}.range", "must be [min, max]")
            declared_low, declared_high = (self.number(v, f"{field}.range") for v in declared)
            if (declared_low, declared_high) != (low, high):
                self.fail(
                    f"{field}.range",
                    f"declared {number(declared_low)}-{number(declared_high)}, "
                    f"but the rule gives {number(low)}-{number(high)}",
                )
        ranges[score_id] = (low, high)
        taken[score_id] = f"{field}.id"
        return Score(id=score_id, name=self.text(doc["name"], f"{field}.name"), rule=rule, low=low, high=high)

    def interpretation(self, value: Any, total: Score) -> Interpretation | None:
        if value is None:
            return None
        doc = self.mapping(value, "total.interpretation", {"below", "thresholds"}, {"below", "thresholds"})
        thresholds = []
        for i, entry in enumerate(self.sequence(doc["thresholds"], "total.interpretation.thresholds")):
            field = f"total.interpretation.thresholds[{i}]"
            entry = self.mapping(entry, field, {"above", "label"}, {"above", "label"})
            above = self.number(entry["above"], f"{field}.above")
            if not total.low <= above < total.high:
                self.fail(
                    f"{field}.above",
                    f"must lie within the total's range {number(total.low)}-{number(total.high)}",
                )
            if thresholds and above <= thresholds[-1][0]:
                self.fail(f"{field}.above", "thresholds must rise")
            thresholds.append((above, self.text(entry["label"], f"{field}.label")))
        return Interpretation(
            below=self.text(doc["below"], "total.interpretation.below"), thresholds=tuple(thresholds)
        )


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return f"{value!r} ({type(value).__name__})"
