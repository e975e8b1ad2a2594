"""Invariants of the classification, checked on generated input (hypothesis)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from torsion.clinical.classification import (
    ACQUIRED_KINDS,
    CAUSE_KEYS,
    INPUT_KEYS,
    ASSOCIATED_FEATURES,
    BODY_DISTRIBUTIONS,
    COURSES,
    ClassificationInputError,
    DRUG_TIMINGS,
    IDIOPATHIC_KINDS,
    INHERITANCE_MODES,
    PATHOLOGIES,
    TASKS,
    VARIABILITIES,
    body_distribution,
    classify,
)
from torsion.clinical.codes import ICD10_CM
from torsion.clinical.regions import FACE_REGIONS, REGION_CODES, distribution_units, is_connected

region_sets = st.sets(st.sampled_from(REGION_CODES), min_size=1)


@st.composite
def regions_with_face_sides(draw):
    """A set of regions and sides for some of its face regions."""
    regions = draw(region_sets)
    face = sorted(regions & FACE_REGIONS)
    sided = draw(st.lists(st.sampled_from(face), unique=True)) if face else []
    return regions, {code: draw(st.sampled_from(["left", "right"])) for code in sided}


def maybe(strategy):
    return st.none() | strategy


@st.composite
def causes(draw):
    pathology = draw(maybe(st.sampled_from(sorted(PATHOLOGIES))))
    cause_type = draw(maybe(st.sampled_from(["inherited", "acquired", "idiopathic"])))
    cause = {"pathology": pathology, "type": cause_type}
    if cause_type == "inherited":
        cause["inheritance"] = draw(maybe(st.sampled_from(sorted(INHERITANCE_MODES))))
        cause["gene"] = draw(maybe(st.sampled_from(["DYT1", "DYT-THAP1", "GCH1", "SGCE"])))
    elif cause_type == "acquired":
        cause["acquired_kind"] = draw(maybe(st.sampled_from(sorted(ACQUIRED_KINDS))))
        if cause["acquired_kind"] == "drug":
            cause["drug_timing"] = draw(maybe(st.sampled_from(sorted(DRUG_TIMINGS))))
    elif cause_type == "idiopathic":
        cause["idiopathic_kind"] = draw(maybe(st.sampled_from(sorted(IDIOPATHIC_KINDS))))
    return draw(st.sampled_from([None, cause]))


@st.composite
def valid_facts(draw):
    regions = draw(st.permutations(sorted(draw(region_sets))))
    fitting_tasks = sorted(code for code, task in TASKS.items() if set(regions) & task.regions)
    task = draw(maybe(st.sampled_from(fitting_tasks)))
    variabilities = ["action_specific"] if task else sorted(VARIABILITIES)
    face = [code for code in regions if code in FACE_REGIONS]
    sided = draw(st.lists(st.sampled_from(face), unique=True)) if face else []
    return {
        "regions": list(regions),
        "face_sides": draw(maybe(st.just({code: draw(st.sampled_from(["left", "right"])) for code in sided}))),
        "onset_age": draw(st.integers(0, 120) | st.floats(0, 120, allow_nan=False)),
        "course": draw(maybe(st.sampled_from(sorted(COURSES)))),
        "variability": draw(maybe(st.sampled_from(variabilities))),
        "associated": draw(maybe(st.lists(st.sampled_from(sorted(ASSOCIATED_FEATURES)), max_size=4))),
        "cause": draw(causes()),
        "task_specific": task,
    }


@given(region_sets, st.randoms(use_true_random=False))
def test_distribution_does_not_depend_on_the_order_of_regions(regions, rnd):
    shuffled = sorted(regions)
    rnd.shuffle(shuffled)
    assert body_distribution(shuffled) == body_distribution(sorted(regions))


@given(valid_facts(), st.randoms(use_true_random=False))
def test_whole_result_does_not_depend_on_the_order_of_lists(data, rnd):
    shuffled = dict(data)
    shuffled["regions"] = rnd.sample(data["regions"], len(data["regions"]))
    if data["associated"] is not None:
        shuffled["associated"] = rnd.sample(data["associated"], len(data["associated"]))
    assert classify(shuffled) == classify(data)


@given(region_sets, st.sampled_from(REGION_CODES))
def test_adding_a_region_never_makes_a_dystonia_focal_and_keeps_generalized_unless_one_sided(regions, extra):
    before = body_distribution(regions)
    after = body_distribution(regions | {extra})
    if len(distribution_units(regions | {extra})) > len(distribution_units(regions)):
        assert after != "focal"
    else:
        assert after == before  # another part of the oromandibular region changes nothing
    if before == "generalized":
        assert after in ("generalized", "hemidystonia")


@given(regions_with_face_sides())
def test_distribution_agrees_with_its_definitions(regions_and_sides):
    regions, sides = regions_and_sides
    distribution = body_distribution(regions, sides)
    units = distribution_units(regions)
    assert distribution in BODY_DISTRIBUTIONS
    assert (distribution == "focal") is (len(units) == 1)
    if distribution == "generalized":
        assert "trunk" in regions and len(units) >= 3
    if "trunk" in regions and len(units) >= 3:
        assert distribution in ("generalized", "hemidystonia")
    if distribution == "segmental":
        assert is_connected(regions)
    if distribution == "multifocal":
        assert not is_connected(regions)
    one_sided = [
        side
        for side, other in (("left", "right"), ("right", "left"))
        if {f"{side}_arm", f"{side}_leg"} <= regions
        and not regions & {f"{other}_arm", f"{other}_leg"}
        and other not in sides.values()
    ]
    assert (distribution == "hemidystonia") is bool(one_sided)


@given(regions_with_face_sides())
def test_sides_of_face_regions_can_only_undo_a_hemidystonia(regions_and_sides):
    regions, sides = regions_and_sides
    with_sides, without = body_distribution(regions, sides), body_distribution(regions)
    if with_sides != without:
        assert without == "hemidystonia"


@given(valid_facts())
def test_every_valid_input_classifies_and_says_what_it_could_not_tell(data):
    result = classify(data)
    out = result.to_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["body_distribution"] in BODY_DISTRIBUTIONS
    assert all(code in ICD10_CM for code in out["icd10"])
    assert all(sentence.endswith(".") and sentence[0].isupper() for sentence in out["explanation"])
    for name, value in [
        ("course", result.course),
        ("variability", result.variability),
        ("isolated", result.isolated),
        ("pathology", result.etiology.pathology),
        ("cause", result.etiology.type),
        ("legacy_term", result.legacy_term),
    ]:
        assert (name in result.undetermined) is (value is None)
    # Every affected region belongs to a named form.
    covered = {code for form in result.forms for code in form.regions}
    assert covered == set(result.regions)
    assert result.regions == tuple(code for code in REGION_CODES if code in data["regions"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from([*REGION_CODES, *COURSES, *VARIABILITIES, "writing", "drug", "inherited"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(CAUSE_KEYS), children),
    max_leaves=6,
)


@given(st.dictionaries(st.sampled_from([*INPUT_KEYS, "extra"]), json_values) | json_values)
def test_any_json_either_classifies_or_raises_the_input_error(data):
    try:
        result = classify(data)
    except ClassificationInputError as error:
        assert error.problems and all(problem.endswith(".") for problem in error.problems)
    else:
        assert result.body_distribution in BODY_DISTRIBUTIONS
