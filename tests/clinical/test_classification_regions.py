"""Body regions and the project's adjacency convention (clinical reference, section 2)."""

from __future__ import annotations

from itertools import combinations

import pytest

from torsion.clinical.regions import (
    CONTIGUOUS_PAIRS,
    FACE_REGIONS,
    OROMANDIBULAR_REGIONS,
    REGION_CODES,
    REGIONS,
    are_contiguous,
    describe,
    distribution_units,
    is_connected,
    ordered,
)

CRANIAL = ("upper_face", "lower_face", "jaw", "tongue", "larynx")

# The convention, written out pair by pair so that the table in the code is checked against it.
EXPECTED_PAIRS = (
    {frozenset(pair) for pair in combinations(CRANIAL, 2)}
    | {frozenset({cranial, "neck"}) for cranial in CRANIAL}
    | {frozenset({"neck", "trunk"}), frozenset({"neck", "left_arm"}), frozenset({"neck", "right_arm"})}
    | {frozenset({"left_arm", "right_arm"})}
    | {frozenset({"trunk", limb}) for limb in ("left_arm", "right_arm", "left_leg", "right_leg")}
    | {frozenset({"left_leg", "right_leg"})}
)


def test_region_codes_are_the_eleven_of_the_reference_head_to_toe():
    assert REGION_CODES == (
        "upper_face",
        "lower_face",
        "jaw",
        "tongue",
        "larynx",
        "neck",
        "trunk",
        "left_arm",
        "right_arm",
        "left_leg",
        "right_leg",
    )


@pytest.mark.parametrize(
    ("code", "side", "label"),
    [
        ("upper_face", "midline", "Eyelids and brow"),
        ("lower_face", "midline", "Lower face and lips"),
        ("jaw", "midline", "Jaw"),
        ("tongue", "midline", "Tongue"),
        ("larynx", "midline", "Voice box"),
        ("neck", "midline", "Neck"),
        ("trunk", "midline", "Trunk"),
        ("left_arm", "left", "Left arm and hand"),
        ("right_arm", "right", "Right arm and hand"),
        ("left_leg", "left", "Left leg and foot"),
        ("right_leg", "right", "Right leg and foot"),
    ],
)
def test_each_region_has_side_label_and_a_description_sentence(code, side, label):
    region = REGIONS[code]
    assert region.code == code
    assert region.side == side
    assert region.label == label
    assert region.description.endswith(".") and len(region.description) > 30


def test_hands_belong_to_the_arm_and_feet_to_the_leg():
    assert "hand" in REGIONS["left_arm"].description
    assert "foot" in REGIONS["right_leg"].description


def test_contiguous_pairs_are_exactly_the_convention():
    assert CONTIGUOUS_PAIRS == EXPECTED_PAIRS
    assert len(CONTIGUOUS_PAIRS) == 10 + 5 + 3 + 1 + 4 + 1


@pytest.mark.parametrize(("first", "second"), list(combinations(REGION_CODES, 2)))
def test_are_contiguous_matches_the_convention_and_is_symmetric(first, second):
    expected = frozenset({first, second}) in EXPECTED_PAIRS
    assert are_contiguous(first, second) is expected
    assert are_contiguous(second, first) is expected


@pytest.mark.parametrize(
    ("first", "second"),
    [("neck", "left_leg"), ("upper_face", "right_arm"), ("left_arm", "left_leg"), ("jaw", "trunk")],
)
def test_literature_examples_of_non_contiguous_regions(first, second):
    assert not are_contiguous(first, second)


def test_a_region_is_not_contiguous_with_itself():
    assert not are_contiguous("neck", "neck")


def test_unknown_region_is_a_programming_error():
    with pytest.raises(KeyError, match="unknown region code 'elbow'"):
        are_contiguous("neck", "elbow")
    with pytest.raises(KeyError, match="unknown region code 'elbow'"):
        is_connected(["elbow"])


@pytest.mark.parametrize(
    ("regions", "connected"),
    [
        ((), False),
        (("neck",), True),
        (("upper_face", "larynx"), True),
        (("left_arm", "right_arm"), True),
        (("left_leg", "right_leg"), True),
        (("upper_face", "neck", "left_arm"), True),
        (("left_arm", "trunk", "right_leg"), True),
        (("neck", "left_leg"), False),
        (("upper_face", "left_arm"), False),
        (("left_arm", "left_leg"), False),
        (("jaw", "neck", "left_leg", "right_leg"), False),
    ],
)
def test_is_connected(regions, connected):
    assert is_connected(regions) is connected


def test_ordered_and_describe_list_regions_head_to_toe_without_duplicates():
    assert ordered(["right_leg", "neck", "upper_face", "neck"]) == ("upper_face", "neck", "right_leg")
    assert describe(["trunk", "neck"]) == "the neck and the trunk"
    assert describe(["larynx"]) == "the voice box"
    assert describe(["left_leg", "jaw", "tongue"]) == "the jaw, the tongue and the left leg and foot"
    assert describe([]) == ""


def test_face_and_oromandibular_regions():
    assert OROMANDIBULAR_REGIONS == {"lower_face", "jaw", "tongue"}
    assert FACE_REGIONS == {"upper_face", "lower_face", "jaw", "tongue"}
    assert all(REGIONS[code].side == "midline" for code in FACE_REGIONS)


@pytest.mark.parametrize(
    ("regions", "units"),
    [
        (["jaw"], ("oromandibular",)),
        (["tongue", "jaw", "lower_face"], ("oromandibular",)),
        (["upper_face", "tongue"], ("upper_face", "oromandibular")),
        (["trunk", "jaw", "larynx", "tongue"], ("oromandibular", "larynx", "trunk")),
        (["right_leg", "neck", "neck"], ("neck", "right_leg")),
        ([], ()),
    ],
)
def test_distribution_units_count_the_oromandibular_regions_once(regions, units):
    assert distribution_units(regions) == units


def test_connectedness_is_the_same_over_regions_and_over_units():
    # Every oromandibular region touches the same regions, so grouping them cannot change segmental
    # versus multifocal.
    for code in REGION_CODES:
        if code in OROMANDIBULAR_REGIONS:
            continue
        touching = {are_contiguous(code, oral) for oral in OROMANDIBULAR_REGIONS}
        assert len(touching) == 1, code


def test_describe_names_the_side_of_a_face_region():
    assert describe(["jaw", "neck"], {"jaw": "left"}) == "the jaw (left side) and the neck"
    assert describe(["upper_face"], {}) == "the eyelids and brow"
