"""Definition files: invalid ones fail at load naming the file and the field; the shipped ones are sound."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from torsion.clinical import scales
from torsion.clinical.scales import ScaleDefinitionError, load_definition
from torsion.measures.twstrs import ITEMS as TWSTRS_ESTIMATES

BASE = {
    "id": "demo",
    "name": "Demo scale",
    "abbreviation": "DEMO",
    "version": "1",
    "revision": 1,
    "rated_by": "patient",
    "source": "A test.",
    "licence": {"electronic_use": "not_established", "notice": "Terms unknown."},
    "answer_sets": {"zero_to_two": {0: "none", 1: "some", 2: "much"}},
    "sections": [
        {"id": "part_a", "name": "Part A"},
        {"id": "part_b", "name": "Part B", "type": "product", "of": ["b1", "b2"]},
    ],
    "items": [
        {"id": "a1", "section": "part_a", "label": "First", "answers": "zero_to_two"},
        {"id": "a2", "section": "part_a", "label": "Second", "answers": "zero_to_two", "weight": 2},
        {"id": "b1", "section": "part_b", "label": "Third", "answers": {0: "no", 1: "yes"}},
        {"id": "b2", "section": "part_b", "label": "Fourth", "answers": {"min": 1, "max": 3}},
    ],
    "derived": [{"id": "a_mean", "name": "Mean of part A", "type": "mean", "of": ["a1", "a2"]}],
    # part A: a1 0-2 + 2 x a2 0-4 = 0-6; part B: b1 0-1 x b2 1-3 = 0-3
    "total": {"range": [0, 9]},
}


@pytest.fixture
def write(tmp_path):
    def write(doc, name="demo.yaml"):
        path = tmp_path / name
        path.write_text(
            doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False), encoding="utf-8"
        )
        return path

    return write


def base():
    return copy.deepcopy(BASE)


def load_error(write, doc, name="demo.yaml") -> ScaleDefinitionError:
    with pytest.raises(ScaleDefinitionError) as caught:
        load_definition(write(doc, name))
    error = caught.value
    assert error.file == name
    assert (
        str(error) == f"{name}: {error.field}: {error.problem}" if error.field else f"{name}: {error.problem}"
    )
    return error


def test_the_base_definition_loads_and_scores(write):
    definition = load_definition(write(base()))
    assert (definition.min_total, definition.max_total) == (0, 9)
    assert definition.item("b2").allowed == (1, 2, 3)
    result = definition.score({"a1": 2, "a2": 1, "b1": 1, "b2": 3})
    # part A 2 + 2 x 1 = 4; part B 1 x 3 = 3
    assert (result.total, result.sections, result.derived) == (7, {"part_a": 4, "part_b": 3}, {"a_mean": 2})


def mutate(change):
    doc = base()
    change(doc)
    return doc


INVALID = {
    "range with an unknown field": (
        lambda d: d["items"][3].update(answers={"min": 1, "max": 3, "stride": 1}),
        "items[3].answers.stride",
        "unknown field (allowed: labels, max, min, step)",
    ),
    "unknown type": (
        lambda d: d["sections"][1].update(type="median"),
        "sections[1].type",
        "unknown type 'median' (types: sum, product, mean, percent, formula)",
    ),
    "weight without items": (
        lambda d: d["derived"].append({"id": "w", "name": "W", "type": "sum", "weight": 2}),
        "derived[1].of",
        "a weight without items: list the items it weighs in 'of'",
    ),
    "rule without items": (
        lambda d: d["derived"].append({"id": "w", "name": "W", "type": "sum", "of": []}),
        "derived[1].of",
        "lists no items",
    ),
    "section naming a missing item": (
        lambda d: d["sections"][1].update(of=["b1", "b3"]),
        "sections[1].of[1]",
        "'b3' is not an item or score defined before this one",
    ),
    "derived score naming a later one": (
        lambda d: d["derived"].insert(0, {"id": "early", "name": "E", "type": "sum", "of": ["a_mean"]}),
        "derived[0].of[0]",
        "'a_mean' is not an item or score defined before this one",
    ),
    "input named twice": (
        lambda d: d["sections"][1].update(of=["b1", "b1"]),
        "sections[1].of",
        "names the same input twice",
    ),
    "item in an unknown section": (
        lambda d: d["items"][0].update(section="part_c"),
        "items[0].section",
        "'part_c' is not a section of this scale (sections: part_a, part_b)",
    ),
    "section without items": (
        lambda d: d["sections"].append({"id": "part_c", "name": "Part C"}),
        "sections[2].id",
        'section "part_c" has no items',
    ),
    "duplicate item id": (
        lambda d: d["items"][1].update(id="a1"),
        "items[1].id",
        '"a1" is already used (items[0].id)',
    ),
    "item id equal to a section id": (
        lambda d: d["items"][1].update(id="part_a"),
        "items[1].id",
        '"part_a" is already used (sections[0].id)',
    ),
    "derived id equal to a section id": (
        lambda d: d["derived"][0].update(id="part_b"),
        "derived[0].id",
        '"part_b" is already used (sections[1].id)',
    ),
    "duplicate section id": (
        lambda d: d["sections"][1].update(id="part_a"),
        "sections[1].id",
        '"part_a" is used twice',
    ),
    "id that is not an identifier": (
        lambda d: d["items"][0].update(id="First item"),
        "items[0].id",
        "'First item' is not a valid id (lower-case letters, digits and _, starting with a letter)",
    ),
    "id that is a Python keyword": (
        lambda d: d["items"][0].update(id="if"),
        "items[0].id",
        "'if' is not a valid id (lower-case letters, digits and _, starting with a letter)",
    ),
    "declared range differs from the rule": (
        lambda d: d["total"].update(range=[0, 10]),
        "total.range",
        "declared 0-10, but the rule gives 0-9",
    ),
    "declared section range differs": (
        lambda d: d["sections"][0].update(range=[0, 4]),
        "sections[0].range",
        "declared 0-4, but the rule gives 0-6",
    ),
    "range that is not a pair": (
        lambda d: d["total"].update(range=[0, 9, 10]),
        "total.range",
        "must be [min, max]",
    ),
    "total without a range": (
        lambda d: d["total"].pop("range"),
        "total.range",
        "is missing",
    ),
    "formula with an unknown name": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "a1 + zz"}),
        "derived[1].formula",
        '"zz" is not an item or score defined before this formula (known: a1, a2, b1, b2, a_mean)',
    ),
    "formula with a power": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "a1 ** 2"}),
        "derived[1].formula",
        "only + - * / are allowed in formulas",
    ),
    "formula calling a function": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "max(a1, a2)"}),
        "derived[1].formula",
        "Call is not allowed in a formula (use numbers, ids and + - * /)",
    ),
    "formula reading an attribute": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "a1.real"}),
        "derived[1].formula",
        "Attribute is not allowed in a formula (use numbers, ids and + - * /)",
    ),
    "formula with text": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "a1 + 'x'"}),
        "derived[1].formula",
        "'x' is not a number; formulas hold numbers and ids only",
    ),
    "formula with two comparisons": (
        lambda d: d["derived"].append(
            {"id": "f", "name": "F", "type": "formula", "formula": "1 if 0 < a1 < 2 else 0"}
        ),
        "derived[1].formula",
        "a condition must be one comparison, such as 'x > 0'",
    ),
    "formula that may divide by zero": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "a1 / b1"}),
        "derived[1].formula",
        "a divisor in the formula can be zero",
    ),
    "formula that does not parse": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula", "formula": "a1 +"}),
        "derived[1].formula",
        "'a1 +' is not a valid formula (invalid syntax)",
    ),
    "formula type without a formula": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "formula"}),
        "derived[1].formula",
        "is missing",
    ),
    "formula type with inputs": (
        lambda d: d["derived"].append(
            {"id": "f", "name": "F", "type": "formula", "formula": "a1", "of": ["a1"]}
        ),
        "derived[1].of",
        "does not go with type formula (write the arithmetic in the formula)",
    ),
    "formula on another type": (
        lambda d: d["derived"].append({"id": "f", "name": "F", "type": "sum", "of": ["a1"], "formula": "a1"}),
        "derived[1].formula",
        "only goes with type formula, not sum",
    ),
    "derived score without a type": (
        lambda d: d["derived"][0].pop("type"),
        "derived[0].type",
        "is missing",
    ),
    "not applicable item in a product": (
        lambda d: (
            d["items"][2].update(not_applicable=True),
            d.update(not_applicable={"rule": "omit", "note": "Skipped."}),
        ),
        "sections[1].of",
        '"b1" may be not applicable, which a product cannot use',
    ),
    "not applicable item without a rule": (
        lambda d: d["items"][0].update(not_applicable=True),
        "not_applicable",
        "is missing, but items allow not applicable (a1)",
    ),
    "rule without not applicable items": (
        lambda d: d.update(not_applicable={"rule": "omit", "note": "Skipped."}),
        "not_applicable",
        "is given, but no item allows not applicable",
    ),
    "unknown not applicable rule": (
        lambda d: (
            d["items"][0].update(not_applicable=True),
            d.update(not_applicable={"rule": "ignore", "note": "Skipped."}),
        ),
        "not_applicable.rule",
        "'ignore' is not one of: omit, prorate",
    ),
    "unknown answer set": (
        lambda d: d["items"][0].update(answers="zero_to_nine"),
        "items[0].answers",
        "no answer set is called 'zero_to_nine' (defined: zero_to_two)",
    ),
    "step that does not divide the range": (
        lambda d: d["items"][3].update(answers={"min": 0, "max": 1, "step": 0.3}),
        "items[3].answers.step",
        "does not divide the range 0-1 evenly",
    ),
    "range upside down": (
        lambda d: d["items"][3].update(answers={"min": 3, "max": 1}),
        "items[3].answers.max",
        "must be above min",
    ),
    "label for a value outside the range": (
        lambda d: d["items"][3].update(answers={"min": 1, "max": 3, "labels": {4: "too far"}}),
        "items[3].answers.labels.4",
        "is not one of the allowed values",
    ),
    "item with a single answer": (
        lambda d: d["items"][2].update(answers={0: "only"}),
        "items[2].answers",
        "an item needs at least two possible answers",
    ),
    "answer label that is not text": (
        lambda d: d["items"][2].update(answers={0: "none", 1: False}),
        "items[2].answers.1",
        "must be a non-empty text, not false (true/false)",
    ),
    "answer value that is not a number": (
        lambda d: d["items"][2].update(answers={0: "none", "x": "some"}),
        "items[2].answers.x",
        "'x' is not a number; answers map values to labels",
    ),
    "weight of zero": (
        lambda d: d["items"][0].update(weight=0),
        "items[0].weight",
        "must not be 0",
    ),
    "weight that is not a number": (
        lambda d: d["items"][0].update(weight="double"),
        "items[0].weight",
        "must be a number, not 'double' (str)",
    ),
    "unknown field": (
        lambda d: d["items"][0].update(lable="First"),
        "items[0].lable",
        "unknown field (allowed: answers, id, label, not_applicable, section, weight)",
    ),
    "unknown top-level field": (
        lambda d: d.update(scoring="sum"),
        "scoring",
        "unknown field (allowed: abbreviation, answer_sets, derived, description, higher_is_worse, id, items,"
        " licence, name, not_applicable, notes, rated_by, revision, sections, source, total, unit, version)",
    ),
    "missing licence": (lambda d: d.pop("licence"), "licence", "is missing"),
    "missing items": (lambda d: d.pop("items"), "items", "is missing"),
    "empty items": (lambda d: d.update(items=[]), "items", "must not be empty"),
    "unknown rater": (
        lambda d: d.update(rated_by="nurse"),
        "rated_by",
        "'nurse' is not one of: clinician, patient",
    ),
    "approval without a holder": (
        lambda d: d["licence"].update(electronic_use="approval_required"),
        "licence.holder",
        "is needed when electronic use requires approval: who approves it?",
    ),
    "unknown electronic use": (
        lambda d: d["licence"].update(electronic_use="free"),
        "licence.electronic_use",
        "'free' is not one of: approval_required, not_established",
    ),
    "revision of zero": (
        lambda d: d.update(revision=0),
        "revision",
        "must be a whole number of at least 1, not 0 (int)",
    ),
    "higher_is_worse that is not true or false": (
        lambda d: d.update(higher_is_worse="yes please"),
        "higher_is_worse",
        "must be true or false, not 'yes please' (str)",
    ),
    "empty label": (
        lambda d: d["items"][0].update(label="  "),
        "items[0].label",
        "must be a non-empty text, not '  ' (str)",
    ),
    "threshold outside the range": (
        lambda d: d["total"].update(
            interpretation={"below": "low", "thresholds": [{"above": 9, "label": "high"}]}
        ),
        "total.interpretation.thresholds[0].above",
        "must lie within the total's range 0-9",
    ),
    "thresholds that do not rise": (
        lambda d: d["total"].update(
            interpretation={
                "below": "low",
                "thresholds": [{"above": 5, "label": "high"}, {"above": 3, "label": "x"}],
            }
        ),
        "total.interpretation.thresholds[1].above",
        "thresholds must rise",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_definition(write, case):
    change, field, problem = INVALID[case]
    error = load_error(write, mutate(change))
    assert (error.field, error.problem) == (field, problem)


def test_id_must_match_the_file_name(write):
    error = load_error(write, base(), name="other.yaml")
    assert (error.field, error.problem) == ("id", "'demo' must match the file name ('other')")


def test_a_key_written_twice_is_refused(write):
    text = yaml.safe_dump(base(), sort_keys=False).replace("revision: 1\n", "revision: 1\nrevision: 2\n")
    error = load_error(write, text)
    assert error.field == ""
    assert error.problem.startswith("is not valid YAML (")
    assert "the key 'revision' is written twice" in error.problem


def test_broken_yaml(write):
    error = load_error(write, "id: demo\nitems: [unclosed\n")
    assert error.field == ""
    assert error.problem.startswith("is not valid YAML (")


def test_a_document_that_is_not_a_mapping(write):
    error = load_error(write, "- id: demo\n")
    assert (error.field, error.problem) == ("", "must be a mapping, not a list")


def test_a_missing_file(tmp_path):
    with pytest.raises(ScaleDefinitionError, match=r"^absent.yaml: cannot be read"):
        load_definition(tmp_path / "absent.yaml")


def test_a_broken_file_stops_loading_a_directory(write, tmp_path):
    write(base())
    write(
        mutate(lambda d: (d.update(id="second"), d["sections"][1].update(type="median"))), name="second.yaml"
    )
    with pytest.raises(ScaleDefinitionError, match=r"^second.yaml: sections\[1\].type: unknown type"):
        scales.load_definitions(tmp_path)


# Rules that the shipped scales do not use, checked on small definitions.


def with_not_applicable(rule, section_type="sum"):
    def change(d):
        for item in d["items"][:2]:
            item["not_applicable"] = True
        d["sections"][0]["type"] = section_type
        d["not_applicable"] = {"rule": rule, "note": "As the test says."}
        if section_type != "sum":
            d["total"]["range"] = {"mean": [0, 7], "percent": [0, 103]}[section_type]

    return mutate(change)


def test_prorate_counts_a_not_applicable_item_as_the_mean_of_the_others(write):
    definition = load_definition(write(with_not_applicable("prorate")))
    # a1 not applicable, a2 = 2 counts 4: part A = 4 x 2 items / 1 applicable = 8
    assert definition.score({"a1": "na", "a2": 2, "b1": 1, "b2": 1}).sections["part_a"] == 8
    assert definition.score({"a1": 1, "a2": 2, "b1": 1, "b2": 1}).sections["part_a"] == 5


def test_omit_adds_nothing_for_a_not_applicable_item(write):
    definition = load_definition(write(with_not_applicable("omit")))
    assert definition.score({"a1": "na", "a2": 2, "b1": 1, "b2": 1}).sections["part_a"] == 4
    assert definition.score({"a1": "na", "a2": "na", "b1": 1, "b2": 1}).sections["part_a"] == 0


def test_a_mean_leaves_not_applicable_items_out(write):
    definition = load_definition(write(with_not_applicable("omit", "mean")))
    # part A is now the mean of a1 (0-2) and 2 x a2 (0-4): a lone a2 = 2 gives 4
    assert definition.score({"a1": "na", "a2": 2, "b1": 0, "b2": 1}).sections["part_a"] == 4
    assert definition.score({"a1": 1, "a2": 2, "b1": 0, "b2": 1}).sections["part_a"] == 2.5


def test_a_percent_uses_the_range_of_the_applicable_items(write):
    definition = load_definition(write(with_not_applicable("omit", "percent")))
    # a1 alone: 1 of 0-2 = 50%; a1 = 1 and a2 = 1 (counts 2): 3 of 0-6 = 50%
    assert definition.score({"a1": 1, "a2": "na", "b1": 0, "b2": 1}).sections["part_a"] == 50
    assert definition.score({"a1": 1, "a2": 1, "b1": 0, "b2": 1}).sections["part_a"] == 50
    assert definition.score({"a1": 2, "a2": 4 // 2, "b1": 1, "b2": 3}).total == 103


# The shipped definitions.


@pytest.mark.parametrize("definition", scales.list_scales(), ids=lambda d: d.id)
def test_shipped_definition_describes_itself_as_json(definition):
    described = json.loads(json.dumps(definition.describe()))
    assert described["id"] == definition.id
    assert described["version"] == definition.version
    assert described["max_total"] == definition.max_total
    assert [item["id"] for item in described["items"]] == [item.id for item in definition.items]
    for item in described["items"]:
        assert set(item) >= {"id", "section", "label", "allowed"}
        assert item["label"].strip()
    assert described["licence"]["notice"]


def test_shipped_definitions_load_from_their_directory():
    assert list(scales.load_definitions(scales.DEFINITIONS_DIR)) == [d.id for d in scales.list_scales()]


def test_who_rates_each_scale():
    by_rater = {}
    for definition in scales.list_scales():
        by_rater.setdefault(definition.rated_by, []).append(definition.id)
    assert by_rater == {
        "clinician": ["adds", "bfmdrs", "gdrs", "jrs", "tsui", "twstrs", "udrs", "wcrs"],
        "patient": ["bsdi", "cdip58", "vhi10", "vhi30"],
    }


def test_electronic_use_approval_is_recorded_where_the_society_requires_it():
    approval = [d.id for d in scales.list_scales() if d.licence.approval_required]
    assert approval == ["udrs"]
    udrs = scales.get_scale("udrs")
    assert udrs.licence.holder == "International Parkinson and Movement Disorder Society (MDS)"
    assert "approval" in udrs.licence.notice


def test_twstrs_items_match_the_video_estimates():
    twstrs = scales.get_scale("twstrs")
    for name, estimate in TWSTRS_ESTIMATES.items():
        item = twstrs.item(name)
        assert item.section == "severity"
        assert item.allowed == tuple(range(estimate.max_score + 1))


def test_twstrs_duration_counts_double():
    twstrs = scales.get_scale("twstrs")
    assert twstrs.item("duration").weight == 2
    assert [item.id for item in twstrs.items if item.weight != 1] == ["duration"]


def test_cdip58_subscale_sizes():
    cdip = scales.get_scale("cdip58")
    sizes = {section.id: len(cdip.section_items(section.id)) for section in cdip.sections}
    assert sizes == {
        "head_neck": 6,
        "pain_discomfort": 5,
        "upper_limb": 9,
        "walking": 10,
        "sleep": 4,
        "annoyance": 8,
        "mood": 6,
        "psychosocial": 10,
    }
    assert all(item.allowed == (1, 2, 3, 4, 5) for item in cdip.items)


def test_vhi_item_counts():
    vhi30, vhi10 = scales.get_scale("vhi30"), scales.get_scale("vhi10")
    assert {s.id: len(vhi30.section_items(s.id)) for s in vhi30.sections} == {
        "functional": 10,
        "physical": 10,
        "emotional": 10,
    }
    assert len(vhi10.items) == 10
    # The short form's items are items of the full form, with the same labels.
    for item in vhi10.items:
        assert vhi30.item(item.id).label == item.label
