"""Invalid and contradictory input: every problem is reported, each in a sentence saying what is wrong."""

from __future__ import annotations

import re

import pytest

from torsion.clinical.classification import (
    Cause,
    ClassificationInput,
    ClassificationInputError,
    age_at_onset_band,
    body_distribution,
    classify,
)

VALID_REGIONS = (
    "upper_face, lower_face, jaw, tongue, larynx, neck, trunk, left_arm, right_arm, left_leg, right_leg"
)
NO_REGION = "No body region was given: choose at least one region where the dystonia is."
CAUSE_PARTS = (
    "type, pathology, inheritance, gene, disease, disease_code, acquired_kind, drug_timing, idiopathic_kind"
)
INPUTS = "regions, face_sides, onset_age, course, variability, associated, cause, task_specific"


def problems_of(data) -> tuple[str, ...]:
    with pytest.raises(ClassificationInputError) as caught:
        classify(data)
    assert str(caught.value) == " ".join(caught.value.problems)
    return caught.value.problems


def test_error_is_a_value_error():
    assert issubclass(ClassificationInputError, ValueError)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"onset_age": 30}, NO_REGION),
        ({"regions": None, "onset_age": 30}, NO_REGION),
        ({"regions": [], "onset_age": 30}, NO_REGION),
        (
            {"regions": "neck", "onset_age": 30},
            'The regions must be a list of region names, such as ["neck"] (got "neck").',
        ),
        (
            {"regions": ["elbow"], "onset_age": 30},
            f'"elbow" is not a body region Torsion knows; the regions are: {VALID_REGIONS}.',
        ),
        (
            {"regions": [3], "onset_age": 30},
            f"3 is not a body region Torsion knows; the regions are: {VALID_REGIONS}.",
        ),
        (
            {"regions": ["neck"]},
            "The age at onset is missing: give the age in years when the dystonia first appeared.",
        ),
        ({"regions": ["neck"], "onset_age": -1}, "The age at onset cannot be below 0 years (got -1)."),
        ({"regions": ["neck"], "onset_age": -0.5}, "The age at onset cannot be below 0 years (got -0.5)."),
        ({"regions": ["neck"], "onset_age": 121}, "The age at onset cannot be above 120 years (got 121)."),
        ({"regions": ["neck"], "onset_age": 120.5}, "The age at onset cannot be above 120 years (got 120.5)."),
        ({"regions": ["neck"], "onset_age": "ten"}, 'The age at onset must be a number of years (got "ten").'),
        ({"regions": ["neck"], "onset_age": "30"}, 'The age at onset must be a number of years (got "30").'),
        ({"regions": ["neck"], "onset_age": True}, "The age at onset must be a number of years (got true)."),
        ({"regions": ["neck"], "onset_age": [30]}, "The age at onset must be a number of years (got [30])."),
        (
            {"regions": ["neck"], "onset_age": float("inf")},
            "The age at onset must be a finite number of years (got inf).",
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "course": "sometimes"},
            '"sometimes" is not a known course; use one of: static, progressive.',
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "variability": "weekly"},
            '"weekly" is not a known variability; use one of: persistent, action_specific, diurnal, paroxysmal.',
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "variability": 2},
            "2 is not a known variability; use one of: persistent, action_specific, diurnal, paroxysmal.",
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "associated": "tremor"},
            'The associated features must be a list, empty when there are none, such as ["tremor"] '
            '(got "tremor").',
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "associated": ["hiccups"]},
            '"hiccups" is not a known associated feature; use one of: tremor, myoclonus, parkinsonism, chorea, '
            "ataxia, tics, other_movement_disorder, pyramidal_signs, cognitive_impairment, seizures, "
            "neuropathy, eye_movement_abnormality, psychiatric_features, other_neurological, systemic_features.",
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "task_specific": "knitting"},
            '"knitting" is not a known task for a task-specific dystonia; use one of: writing, typing, '
            "playing_instrument, running, other.",
        ),
        (
            {"regions": ["neck"], "onset_age": 30, "onset": 30},
            f'"onset" is not an input Torsion knows; the inputs are: {INPUTS}.',
        ),
    ],
)
def test_each_invalid_field_is_named(data, problem):
    assert problems_of(data) == (problem,)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            {"regions": ["neck"], "onset_age": 30, "task_specific": "writing"},
            "A dystonia specific to writing needs an arm (left_arm or right_arm) among the regions, but none is "
            "given.",
        ),
        (
            {"regions": ["left_leg", "neck"], "onset_age": 30, "task_specific": "typing"},
            "A dystonia specific to typing needs an arm (left_arm or right_arm) among the regions, but none is "
            "given.",
        ),
        (
            {"regions": ["larynx"], "onset_age": 30, "task_specific": "playing_instrument"},
            "A dystonia specific to playing a musical instrument needs an arm, the lower face, the jaw or the "
            "tongue among the regions, but none is given.",
        ),
        (
            {"regions": ["right_arm"], "onset_age": 30, "task_specific": "running"},
            "A dystonia specific to running needs a leg (left_leg or right_leg) among the regions, but none is "
            "given.",
        ),
        (
            {"regions": ["right_arm"], "onset_age": 30, "task_specific": "writing", "variability": "persistent"},
            'A task-specific dystonia is action-specific by definition, so its variability cannot be '
            '"persistent".',
        ),
        (
            {"regions": ["right_arm"], "onset_age": 30, "task_specific": "other", "variability": "paroxysmal"},
            'A task-specific dystonia is action-specific by definition, so its variability cannot be '
            '"paroxysmal".',
        ),
    ],
)
def test_contradictions_between_fields(data, problem):
    assert problems_of(data) == (problem,)


@pytest.mark.parametrize(
    ("face_sides", "problem"),
    [
        (
            "right",
            'The face sides must be an object such as {"lower_face": "right"} (got "right").',
        ),
        (
            ["jaw", "right"],
            'The face sides must be an object such as {"lower_face": "right"} (got ["jaw", "right"]).',
        ),
        (
            {"neck": "left"},
            '"neck" cannot be given a side; only the face regions can: upper_face, lower_face, jaw, tongue.',
        ),
        (
            {"larynx": "left"},
            '"larynx" cannot be given a side; only the face regions can: upper_face, lower_face, jaw, tongue.',
        ),
        ({"jaw": "up"}, '"up" is not a known side for jaw; use one of: left, right.'),
        ({"jaw": "midline"}, '"midline" is not a known side for jaw; use one of: left, right.'),
        ({"jaw": None}, "null is not a known side for jaw; use one of: left, right."),
        ({"tongue": "left"}, 'A side is given for "tongue", but "tongue" is not among the regions.'),
    ],
)
def test_face_side_problems(face_sides, problem):
    assert problems_of({"regions": ["jaw", "neck"], "onset_age": 30, "face_sides": face_sides}) == (problem,)


def test_face_sides_are_checked_when_built_directly_and_by_body_distribution():
    with pytest.raises(ClassificationInputError, match=re.escape('"neck" cannot be given a side')):
        ClassificationInput(regions=("neck",), onset_age_years=30, face_sides={"neck": "left"})
    with pytest.raises(ClassificationInputError, match=re.escape("The face sides must be an object")):
        ClassificationInput(regions=("jaw",), onset_age_years=30, face_sides=3)  # type: ignore[arg-type]
    with pytest.raises(ClassificationInputError, match=re.escape('"jaw" is not among the regions')):
        body_distribution(["neck"], {"jaw": "left"})


@pytest.mark.parametrize(
    ("cause", "problem"),
    [
        ("inherited", 'The cause must be an object such as {"type": "idiopathic"} (got "inherited").'),
        (
            {"mode": "autosomal_dominant"},
            f'"mode" is not a part of the cause Torsion knows; the parts are: {CAUSE_PARTS}.',
        ),
        (
            {"type": "genetic"},
            '"genetic" is not a known type of cause; use one of: inherited, acquired, idiopathic.',
        ),
        (
            {"pathology": "tumour"},
            '"tumour" is not a known nervous-system pathology; use one of: degeneration, structural_lesion, none.',
        ),
        (
            {"type": "inherited", "inheritance": "y_linked"},
            '"y_linked" is not a known mode of inheritance; use one of: autosomal_dominant, '
            "autosomal_recessive, x_linked_recessive, mitochondrial.",
        ),
        (
            {"type": "acquired", "acquired_kind": "stress"},
            '"stress" is not a known kind of acquired cause; use one of: perinatal_brain_injury, infection, '
            "drug, toxic, vascular, neoplastic, other_brain_injury, psychogenic.",
        ),
        (
            {"type": "acquired", "acquired_kind": "drug", "drug_timing": "chronic"},
            '"chronic" is not a known drug timing; use one of: acute, tardive.',
        ),
        (
            {"type": "idiopathic", "idiopathic_kind": "unknown"},
            '"unknown" is not a known kind of idiopathic dystonia; use one of: sporadic, familial.',
        ),
        ({"type": "inherited", "gene": ""}, 'The gene must be a name such as "DYT-TOR1A" (got "").'),
        ({"type": "inherited", "gene": 1}, 'The gene must be a name such as "DYT-TOR1A" (got 1).'),
        (
            {"type": "inherited", "disease": " "},
            'The disease must be a name such as "Wilson\'s disease" (got " ").',
        ),
        (
            {"type": "inherited", "disease": "Wilson's disease", "disease_code": "Wilson"},
            'The disease code must be an ICD-10-CM code such as "E83.01" (got "Wilson").',
        ),
        (
            {"type": "inherited", "disease": "Wilson's disease", "disease_code": 83.01},
            'The disease code must be an ICD-10-CM code such as "E83.01" (got 83.01).',
        ),
        (
            {"type": "inherited", "disease": "Wilson's disease", "disease_code": "g24.8"},
            'The disease code must be the code of the disease itself, not a dystonia code (got "G24.8"); '
            "Torsion adds the dystonia code.",
        ),
        (
            {"type": "inherited", "disease_code": "E83.01"},
            'A disease code is given without the disease; name it in "disease".',
        ),
        (
            {"type": "acquired", "disease": "Wilson's disease"},
            'The cause has type "acquired", but "disease" only fits an inherited cause.',
        ),
        (
            {"disease": "Wilson's disease"},
            'The cause gives "disease" but not its type; set "type" to "inherited".',
        ),
        (
            {"inheritance": "autosomal_dominant"},
            'The cause gives "inheritance" but not its type; set "type" to "inherited".',
        ),
        (
            {"drug_timing": "acute", "type": None},
            'The cause gives "drug_timing" but not its type; set "type" to "acquired".',
        ),
        (
            {"type": "acquired", "gene": "DYT-TOR1A"},
            'The cause has type "acquired", but "gene" only fits an inherited cause.',
        ),
        (
            {"type": "inherited", "acquired_kind": "drug"},
            'The cause has type "inherited", but "acquired_kind" only fits an acquired cause.',
        ),
        (
            {"type": "acquired", "acquired_kind": "toxic", "idiopathic_kind": "sporadic"},
            'The cause has type "acquired", but "idiopathic_kind" only fits an idiopathic cause.',
        ),
        (
            {"type": "acquired", "drug_timing": "tardive"},
            '"drug_timing" only fits a cause that is a medicine; set "acquired_kind" to "drug".',
        ),
        (
            {"type": "acquired", "acquired_kind": "vascular", "drug_timing": "tardive"},
            '"drug_timing" only fits a cause that is a medicine, but "acquired_kind" is "vascular".',
        ),
    ],
)
def test_cause_problems(cause, problem):
    assert problems_of({"regions": ["neck"], "onset_age": 30, "cause": cause}) == (problem,)


def test_every_problem_is_collected_not_just_the_first():
    problems = problems_of(
        {
            "regions": ["elbow", "neck", "knee"],
            "onset_age": 121,
            "course": "up",
            "associated": ["hiccups"],
            "task_specific": "writing",
            "variability": "diurnal",
            "cause": {"type": "idiopathic", "gene": "DYT1"},
            "extra": 1,
        }
    )
    assert problems == (
        f'"extra" is not an input Torsion knows; the inputs are: {INPUTS}.',
        'The cause has type "idiopathic", but "gene" only fits an inherited cause.',
        f'"elbow" is not a body region Torsion knows; the regions are: {VALID_REGIONS}.',
        f'"knee" is not a body region Torsion knows; the regions are: {VALID_REGIONS}.',
        "The age at onset cannot be above 120 years (got 121).",
        '"up" is not a known course; use one of: static, progressive.',
        '"hiccups" is not a known associated feature; use one of: tremor, myoclonus, parkinsonism, chorea, '
        "ataxia, tics, other_movement_disorder, pyramidal_signs, cognitive_impairment, seizures, neuropathy, "
        "eye_movement_abnormality, psychiatric_features, other_neurological, systemic_features.",
        "A dystonia specific to writing needs an arm (left_arm or right_arm) among the regions, but none is "
        "given.",
        'A task-specific dystonia is action-specific by definition, so its variability cannot be "diurnal".',
    )


def test_a_repeated_unknown_region_is_reported_once():
    assert problems_of({"regions": ["elbow", "elbow"], "onset_age": 30}) == (
        f'"elbow" is not a body region Torsion knows; the regions are: {VALID_REGIONS}.',
    )


def test_input_that_is_not_an_object():
    assert problems_of(["neck"]) == (
        'The input must be an object with at least "regions" and "onset_age" (got ["neck"]).',
    )


def test_direct_construction_is_checked_too():
    with pytest.raises(ClassificationInputError, match=re.escape(NO_REGION)):
        ClassificationInput(regions=(), onset_age_years=30)
    with pytest.raises(ClassificationInputError, match=re.escape("cannot be below 0 years (got -1)")):
        ClassificationInput(regions=("neck",), onset_age_years=-1)
    with pytest.raises(ClassificationInputError, match=re.escape('The cause must be a Cause (got {"type": "x"})')):
        ClassificationInput(regions=("neck",), onset_age_years=3, cause={"type": "x"})  # type: ignore[arg-type]
    with pytest.raises(ClassificationInputError, match=re.escape('"gene" only fits an inherited cause')):
        Cause(type="idiopathic", gene="DYT-TOR1A")
    with pytest.raises(ClassificationInputError, match=re.escape('"Static" is not a known course')):
        ClassificationInput(regions=("neck",), onset_age_years=3, course="Static")


def test_helpers_raise_the_same_errors():
    with pytest.raises(ClassificationInputError, match=re.escape("cannot be above 120 years (got 121)")):
        age_at_onset_band(121)
    with pytest.raises(ClassificationInputError, match=re.escape('"elbow" is not a body region')):
        body_distribution(["neck", "elbow"])
    with pytest.raises(ClassificationInputError, match=re.escape(NO_REGION)):
        body_distribution([])
