"""Rules of the 2013 consensus classification: age bands, body distribution, pattern, features, forms,
older terms and what is left undetermined. Codes are tested in ``test_codes.py``, errors in
``test_classification_errors.py``."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from torsion.clinical.classification import (
    Cause,
    ClassificationInput,
    age_at_onset_band,
    body_distribution,
    classify,
    current_gene_name,
)
from torsion.clinical.regions import REGION_CODES

SPORADIC = {"type": "idiopathic", "idiopathic_kind": "sporadic", "pathology": "none"}


def facts(regions, onset_age=30, **more):
    return {"regions": list(regions), "onset_age": onset_age, **more}


# --- Axis I: age at onset ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "infancy"),
        (0.5, "infancy"),
        (2, "infancy"),
        (2.99, "infancy"),
        (3, "childhood"),
        (12, "childhood"),
        (12.9, "childhood"),
        (13, "adolescence"),
        (20, "adolescence"),
        (20.5, "adolescence"),
        (21, "early_adulthood"),
        (40, "early_adulthood"),
        (40.5, "early_adulthood"),
        (40.999, "early_adulthood"),
        (41, "late_adulthood"),
        (120, "late_adulthood"),
    ],
)
def test_age_band_by_completed_years(age, band):
    assert age_at_onset_band(age) == band
    result = classify(facts(["neck"], onset_age=age))
    assert result.age_at_onset == band
    assert result.onset_completed_years == int(age)


def test_age_explanation_names_completed_years_for_a_fractional_age():
    result = classify(facts(["neck"], onset_age=40.5))
    assert result.explanation[0] == (
        "The dystonia began at age 40.5, that is 40 completed years, which is early adulthood (21 to 40 years)."
    )
    assert classify(facts(["neck"], onset_age=41)).explanation[0] == (
        "The dystonia began at age 41, which is late adulthood (over 40 years)."
    )


# --- Axis I: body distribution ----------------------------------------------------------------


@pytest.mark.parametrize("region", REGION_CODES)
def test_one_region_is_focal(region):
    assert body_distribution([region]) == "focal"
    result = classify(facts([region]))
    assert result.body_distribution == "focal"
    assert result.explanation[1].startswith("Only one body region is affected (")
    assert result.explanation[1].endswith("), so the distribution is focal.")


# Every distribution boundary is a row of DISTRIBUTION_CASES (classification_cases.py), run by
# test_classification_cases.py and, through the command, by test_cli_classify.py.


@pytest.mark.parametrize(
    ("regions", "sentence"),
    [
        (
            ["neck", "trunk", "left_leg"],
            "The trunk and at least two other regions are affected (the neck, the trunk and the left leg and "
            "foot), so the dystonia is generalized.",
        ),
        (
            ["left_leg", "left_arm"],
            "The arm and the leg of the left side are affected, with no arm or leg of the right side (the left "
            "arm and hand and the left leg and foot), so the distribution is hemidystonia (one side of the body).",
        ),
        (
            ["right_arm", "left_arm"],
            "The affected regions (the left arm and hand and the right arm and hand) all neighbour each other in "
            "one connected group, so the distribution is segmental.",
        ),
        (
            ["left_leg", "neck"],
            "The affected regions (the neck and the left leg and foot) do not all neighbour each other in one "
            "connected group, so the distribution is multifocal.",
        ),
    ],
)
def test_distribution_explanation(regions, sentence):
    assert classify(facts(regions)).explanation[1] == sentence


@pytest.mark.parametrize(
    ("regions", "face_sides", "sentences"),
    [
        (
            ["tongue", "jaw"],
            {},
            [
                "The jaw and the tongue count together as one region, the mouth and jaw (oromandibular) region, "
                "for the body distribution.",
                "Only one body region is affected (the jaw and the tongue), so the distribution is focal.",
            ],
        ),
        (
            ["lower_face", "jaw", "tongue", "trunk"],
            {},
            [
                "The lower face and lips, the jaw and the tongue count together as one region, the mouth and jaw "
                "(oromandibular) region, for the body distribution.",
                "The affected regions (the lower face and lips, the jaw, the tongue and the trunk) do not all "
                "neighbour each other in one connected group, so the distribution is multifocal.",
            ],
        ),
        (
            ["left_arm", "left_leg", "trunk", "neck"],
            {},
            [
                "The arm and the leg of the left side are affected, with no arm or leg of the right side (the neck, "
                "the trunk, the left arm and hand and the left leg and foot), so the distribution is hemidystonia "
                "(one side of the body).",
                "The trunk lies in the middle of the body, so its involvement does not make this dystonia "
                "generalized: it still keeps to one side.",
            ],
        ),
        (
            ["right_arm", "right_leg", "lower_face"],
            {"lower_face": "right"},
            [
                "The arm and the leg of the right side are affected, with no arm or leg of the left side and no face "
                "region on the left side (the lower face and lips (right side), the right arm and hand and the right "
                "leg and foot), so the distribution is hemidystonia (one side of the body).",
            ],
        ),
        (
            ["left_arm", "left_leg", "lower_face"],
            {"lower_face": "right"},
            [
                "The arm and the leg of the left side are affected, but so is the lower face and lips on the right "
                "side, so the dystonia does not keep to one side and is not hemidystonia.",
                "The affected regions (the lower face and lips (right side), the left arm and hand and the left leg "
                "and foot) do not all neighbour each other in one connected group, so the distribution is "
                "multifocal.",
            ],
        ),
    ],
)
def test_distribution_explanation_for_the_oromandibular_region_and_sides(regions, face_sides, sentences):
    explanation = classify(facts(regions, face_sides=face_sides)).explanation
    assert list(explanation[1 : 1 + len(sentences)]) == sentences


@pytest.mark.parametrize(
    ("regions", "legs", "sentence"),
    [
        (["trunk", "neck", "left_arm"], False, "The legs are not involved."),
        (["trunk", "neck", "right_leg"], True, "The legs are involved."),
    ],
)
def test_generalized_records_whether_the_legs_are_involved(regions, legs, sentence):
    result = classify(facts(regions))
    assert result.legs_involved is legs
    assert result.explanation[2] == sentence


def test_legs_involved_is_recorded_for_every_distribution():
    assert classify(facts(["left_leg"])).legs_involved is True
    assert classify(facts(["neck"])).legs_involved is False
    assert "The legs are" not in " ".join(classify(facts(["left_leg"])).explanation)


def test_duplicate_and_unordered_regions_are_stored_head_to_toe():
    result = classify(facts(["right_leg", "neck", "neck", "upper_face"]))
    assert result.regions == ("upper_face", "neck", "right_leg")


# --- Axis I: temporal pattern and associated features -----------------------------------------


@pytest.mark.parametrize("course", ["static", "progressive"])
@pytest.mark.parametrize("variability", ["persistent", "action_specific", "diurnal", "paroxysmal"])
def test_temporal_pattern_is_passed_through(course, variability):
    result = classify(facts(["neck"], course=course, variability=variability))
    assert (result.course, result.variability) == (course, variability)
    assert result.to_dict()["temporal_pattern"] == {"course": course, "variability": variability}
    assert "course" not in result.undetermined and "variability" not in result.undetermined


def test_choices_ignore_case_spaces_and_hyphens():
    result = classify(facts([" Left Arm"], course="Progressive", variability="action-specific"))
    assert result.regions == ("left_arm",)
    assert (result.course, result.variability) == ("progressive", "action_specific")


def test_task_specific_dystonia_is_action_specific_and_says_so():
    result = classify(facts(["right_arm"], task_specific="writing"))
    assert result.variability == "action_specific"
    assert "variability" not in result.undetermined
    assert "It appears only during writing, so its variability is action-specific." in result.explanation


@pytest.mark.parametrize(
    ("associated", "isolated", "combined_with", "sentence"),
    [
        ([], True, (), "No other sign comes with the dystonia, so it is isolated."),
        (["tremor"], True, (), "Tremor is the only other sign, and tremor alone keeps the dystonia isolated."),
        (
            ["tremor", "myoclonus"],
            False,
            ("myoclonus",),
            "The dystonia comes with myoclonus (brief jerks), so it is combined.",
        ),
        (
            ["seizures", "parkinsonism"],
            False,
            ("parkinsonism", "seizures"),
            "The dystonia comes with parkinsonism (slowness and stiffness) and seizures, so it is combined.",
        ),
        (
            None,
            None,
            (),
            "Whether other signs (such as another movement disorder) come with the dystonia was not given, so "
            "whether it is isolated or combined is left open.",
        ),
    ],
)
def test_isolated_or_combined(associated, isolated, combined_with, sentence):
    result = classify(facts(["neck"], associated=associated))
    assert result.isolated is isolated
    assert result.combined_with == combined_with
    assert sentence in result.explanation
    assert ("isolated" in result.undetermined) is (isolated is None)


# --- Axis II: etiology ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cause", "sentences", "undetermined"),
    [
        (
            {"type": "inherited", "inheritance": "autosomal_dominant", "gene": "DYT-THAP1", "pathology": "none"},
            [
                "The nervous system shows neither degeneration nor a structural lesion.",
                "The cause is inherited (autosomal dominant inheritance, gene DYT-THAP1).",
            ],
            [],
        ),
        (
            {"type": "inherited"},
            ["The cause is inherited.", "How it is inherited was not given, so it is left open."],
            ["pathology", "inheritance"],
        ),
        (
            {"type": "acquired", "acquired_kind": "vascular", "pathology": "structural_lesion"},
            [
                "The nervous system shows a structural lesion (a fixed area of damage, for example after a "
                "stroke or a brain injury at birth).",
                "The cause is acquired: a stroke or another problem of the blood vessels.",
            ],
            [],
        ),
        (
            {"type": "acquired"},
            ["The cause is acquired; what caused it was not given, so it is left open."],
            ["pathology", "acquired_kind"],
        ),
        (
            {"type": "acquired", "acquired_kind": "drug", "pathology": "none"},
            [
                "The cause is acquired: a medicine.",
                "Whether it was a sudden (acute) or a late (tardive) reaction was not given, so it is left open.",
            ],
            ["drug_timing"],
        ),
        (
            {"type": "acquired", "acquired_kind": "drug", "drug_timing": "acute", "pathology": "none"},
            ["It is a sudden (acute) reaction soon after a medicine was started or raised."],
            [],
        ),
        (
            {"type": "idiopathic", "idiopathic_kind": "familial", "pathology": "none"},
            ["No cause has been found (idiopathic), and it is familial (it runs in the family)."],
            [],
        ),
        (
            {"type": "idiopathic", "pathology": "degeneration"},
            [
                "The nervous system shows degeneration (nerve cells are being lost over time).",
                "No cause has been found (idiopathic); whether it runs in the family was not given, so it is "
                "left open.",
            ],
            ["idiopathic_kind"],
        ),
        (
            {"pathology": "none"},
            ["The cause was not given, so it is left open."],
            ["cause"],
        ),
    ],
)
def test_etiology_sentences_and_undetermined_details(cause, sentences, undetermined):
    result = classify(facts(["neck"], course="static", variability="persistent", associated=[], cause=cause))
    for sentence in sentences:
        assert sentence in result.explanation
    assert [name for name in result.undetermined if name != "legacy_term"] == undetermined


@pytest.mark.parametrize(
    ("given", "current", "renamed"),
    [
        ("DYT1", "DYT-TOR1A", True),
        ("tor1a", "DYT-TOR1A", True),
        ("dyt-tor1a", "DYT-TOR1A", False),
        ("DYT6", "DYT-THAP1", True),
        ("DYT/PARK-GCH1", "DYT/PARK-GCH1", False),
        ("dyt/park-gch1", "DYT/PARK-GCH1", False),
        ("DYT-PARK-GCH1", "DYT/PARK-GCH1", True),
        ("dyt5", "DYT/PARK-GCH1", True),
        ("DYT5a", "DYT/PARK-GCH1", True),
        ("GCH1", "DYT/PARK-GCH1", True),
        ("DYT-KMT2B", "DYT-KMT2B", False),
        (" SGCE ", "SGCE", False),
    ],
)
def test_gene_names_are_brought_up_to_date(given, current, renamed):
    assert current_gene_name(given) == current
    result = classify(facts(["neck"], cause={"type": "inherited", "gene": given}))
    assert result.etiology.gene == current
    sentence = f"The gene {given.strip()} is now called {current}."
    assert (sentence in result.explanation) is renamed
    assert sum("is now called" in line for line in result.explanation) == renamed


def test_functional_is_accepted_for_psychogenic():
    result = classify(facts(["neck"], cause={"type": "acquired", "acquired_kind": "Functional"}))
    assert result.etiology.acquired_kind == "psychogenic"
    assert "The cause is acquired: a functional (psychogenic) disorder." in result.explanation


# --- Forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regions", "task", "forms"),
    [
        (["neck"], None, ["cervical dystonia"]),
        (["upper_face"], None, ["blepharospasm"]),
        (["lower_face"], None, ["oromandibular dystonia"]),
        (["jaw"], None, ["oromandibular dystonia"]),
        (["tongue"], None, ["oromandibular dystonia"]),
        (["jaw", "tongue", "lower_face"], None, ["oromandibular dystonia"]),
        (["larynx"], None, ["laryngeal dystonia"]),
        (["trunk"], None, ["focal truncal dystonia"]),
        (["left_arm"], None, ["focal arm dystonia"]),
        (["right_arm"], "writing", ["writer's cramp"]),
        (["left_arm"], "typing", ["task-specific hand dystonia"]),
        (["right_arm"], "other", ["task-specific hand dystonia"]),
        (["right_arm"], "playing_instrument", ["musician's hand dystonia"]),
        (["lower_face", "jaw"], "playing_instrument", ["embouchure dystonia"]),
        (["right_leg"], None, ["focal leg dystonia"]),
        (["right_leg"], "running", ["runner's dystonia"]),
        (["left_leg"], "other", ["task-specific leg dystonia"]),
        (["upper_face", "lower_face"], None, ["Meige syndrome"]),
        (["upper_face", "jaw"], None, ["Meige syndrome"]),
        (["upper_face", "tongue", "jaw"], None, ["Meige syndrome"]),
        (["upper_face", "larynx"], None, ["cranial segmental dystonia", "blepharospasm", "laryngeal dystonia"]),
        (["jaw", "larynx"], None, ["cranial segmental dystonia", "oromandibular dystonia", "laryngeal dystonia"]),
        (
            ["upper_face", "jaw", "larynx"],
            None,
            ["cranial segmental dystonia", "Meige syndrome", "laryngeal dystonia"],
        ),
        (["upper_face", "neck"], None, ["craniocervical dystonia", "blepharospasm", "cervical dystonia"]),
        (
            ["upper_face", "jaw", "neck"],
            None,
            ["craniocervical dystonia", "Meige syndrome", "cervical dystonia"],
        ),
        (["larynx", "neck"], None, ["craniocervical dystonia", "laryngeal dystonia", "cervical dystonia"]),
        (["left_arm", "right_arm"], None, ["bibrachial dystonia"]),
        (["left_arm", "right_arm"], "writing", ["writer's cramp"]),
        (["left_leg", "right_leg"], None, ["dystonia of both legs"]),
        (["neck", "right_arm"], None, ["segmental dystonia", "cervical dystonia", "arm dystonia"]),
        (["neck", "right_arm"], "writing", ["segmental dystonia", "cervical dystonia", "writer's cramp"]),
        (["neck", "trunk"], None, ["segmental dystonia", "cervical dystonia", "truncal dystonia"]),
        (["neck", "left_leg"], None, ["multifocal dystonia", "cervical dystonia", "leg dystonia"]),
        (["upper_face", "left_arm"], None, ["multifocal dystonia", "blepharospasm", "arm dystonia"]),
        (
            ["jaw", "right_arm"],
            "playing_instrument",
            ["multifocal dystonia", "embouchure dystonia", "musician's hand dystonia"],
        ),
        (["trunk", "neck", "left_arm"], None, ["generalized dystonia"]),
        (["trunk", "neck", "left_arm"], "writing", ["generalized dystonia"]),
        (["left_arm", "left_leg"], None, ["left hemidystonia"]),
        (["right_arm", "right_leg", "neck"], None, ["right hemidystonia"]),
        (["right_arm", "right_leg", "trunk"], None, ["right hemidystonia"]),
    ],
)
def test_forms_are_named_from_regions_and_task(regions, task, forms):
    result = classify(facts(regions, task_specific=task))
    assert [form.name for form in result.forms] == forms
    assert result.to_dict()["forms"] == forms


@pytest.mark.parametrize(
    ("regions", "task", "sentence"),
    [
        (["neck"], None, "Dystonia of the neck is called cervical dystonia, also known as spasmodic torticollis."),
        (
            ["larynx"],
            None,
            "Dystonia of the voice box is called laryngeal dystonia, also known as spasmodic dysphonia.",
        ),
        (
            ["upper_face", "tongue"],
            None,
            "Dystonia of the eyelids and brow and the tongue is called Meige syndrome, also known as "
            "blepharospasm with oromandibular dystonia.",
        ),
        (
            ["right_arm"],
            "writing",
            "Dystonia of the right arm and hand that appears only during writing is called writer's cramp, also "
            "known as task-specific hand dystonia.",
        ),
        (["jaw"], None, "Dystonia of the jaw is called oromandibular dystonia."),
        (
            ["upper_face", "neck"],
            None,
            "Together, blepharospasm and cervical dystonia make up craniocervical dystonia.",
        ),
        (
            ["left_arm", "left_leg"],
            None,
            "Dystonia that keeps to the left side of the body is called left hemidystonia.",
        ),
    ],
)
def test_form_explanations(regions, task, sentence):
    assert sentence in classify(facts(regions, task_specific=task)).explanation


def test_form_details_list_regions_and_task_specificity():
    details = classify(facts(["neck", "right_arm"], task_specific="writing")).to_dict()["form_details"]
    assert details == [
        {"id": "segmental", "name": "segmental dystonia", "also_called": None,
         "regions": ["neck", "right_arm"], "task_specific": False},
        {"id": "cervical", "name": "cervical dystonia", "also_called": "spasmodic torticollis",
         "regions": ["neck"], "task_specific": False},
        {"id": "writers_cramp", "name": "writer's cramp", "also_called": "task-specific hand dystonia",
         "regions": ["right_arm"], "task_specific": True},
    ]


# --- Older terms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("associated", "cause", "term", "sentence"),
    [
        (
            [],
            {"type": "acquired", "acquired_kind": "infection"},
            "secondary",
            "In the older scheme, dystonia with an acquired cause was called secondary dystonia.",
        ),
        (
            ["parkinsonism"],
            {"type": "acquired", "acquired_kind": "toxic", "pathology": "degeneration"},
            "secondary",
            "In the older scheme, dystonia with an acquired cause was called secondary dystonia.",
        ),
        (None, {"type": "acquired", "acquired_kind": "psychogenic"}, "secondary", None),
        (
            [],
            {"type": "inherited", "inheritance": "autosomal_dominant"},
            "primary",
            "In the older scheme, isolated dystonia that is inherited or has no known cause was called primary "
            "dystonia.",
        ),
        (["tremor"], {"type": "idiopathic", "idiopathic_kind": "sporadic"}, "primary", None),
        ([], {"type": "idiopathic", "pathology": "none"}, "primary", None),
        (
            ["myoclonus"],
            {"type": "inherited", "gene": "SGCE", "pathology": "none"},
            "dystonia-plus",
            "In the older scheme, combined dystonia without degeneration of the nervous system was called "
            "dystonia-plus.",
        ),
        (["parkinsonism"], {"type": "idiopathic", "pathology": "structural_lesion"}, "dystonia-plus", None),
        (
            ["cognitive_impairment"],
            {"type": "inherited", "inheritance": "autosomal_recessive", "pathology": "degeneration"},
            "heredodegenerative",
            "In the older scheme, combined dystonia with degeneration of the nervous system was called "
            "heredodegenerative.",
        ),
        (
            ["ataxia"],
            {"type": "inherited"},
            None,
            "The older term (primary, secondary, dystonia-plus or heredodegenerative) cannot be told for "
            "combined dystonia without knowing whether the nervous system shows degeneration.",
        ),
        (
            [],
            None,
            None,
            "The older term (primary, secondary, dystonia-plus or heredodegenerative) cannot be told without "
            "the cause.",
        ),
        (
            [],
            {"pathology": "degeneration"},
            None,
            "The older term (primary, secondary, dystonia-plus or heredodegenerative) cannot be told without "
            "the cause.",
        ),
        (
            None,
            {"type": "idiopathic", "idiopathic_kind": "sporadic"},
            None,
            "The older term (primary, secondary, dystonia-plus or heredodegenerative) cannot be told without "
            "knowing whether other signs come with the dystonia.",
        ),
        (
            [],
            {"type": "inherited", "pathology": "degeneration"},
            None,
            "Isolated dystonia with degeneration or a structural lesion of the nervous system does not fit any "
            "of the older groups, so no older term is given.",
        ),
    ],
)
def test_legacy_term_mapping(associated, cause, term, sentence):
    result = classify(facts(["neck"], associated=associated, cause=cause))
    assert result.legacy_term == term
    assert ("legacy_term" in result.undetermined) is (term is None)
    if sentence is not None:
        assert sentence in result.explanation


# --- Missing facts, output shape and the input object -----------------------------------------


def test_minimal_input_classifies_what_it_can_and_names_the_rest():
    result = classify(facts(["neck"], onset_age=45))
    assert result.body_distribution == "focal"
    assert result.age_at_onset == "late_adulthood"
    assert (result.course, result.variability, result.isolated, result.legacy_term) == (None,) * 4
    assert result.etiology == Cause()
    assert result.undetermined == ("course", "variability", "isolated", "pathology", "cause", "legacy_term")
    assert result.explanation == (
        "The dystonia began at age 45, which is late adulthood (over 40 years).",
        "Only one body region is affected (the neck), so the distribution is focal.",
        "Whether the dystonia stays the same or gets worse over time was not given, so it is left open.",
        "How the dystonia varies through the day was not given, so it is left open.",
        "Whether other signs (such as another movement disorder) come with the dystonia was not given, so "
        "whether it is isolated or combined is left open.",
        "Whether the nervous system shows degeneration or a structural lesion was not given, so it is left open.",
        "The cause was not given, so it is left open.",
        "Dystonia of the neck is called cervical dystonia, also known as spasmodic torticollis.",
        "The older term (primary, secondary, dystonia-plus or heredodegenerative) cannot be told without the "
        "cause.",
        "G24.3 (Spasmodic torticollis) is used for cervical dystonia.",
        "Because the cause is not known, these codes assume the dystonia is not caused by a medicine or "
        "inherited; they may change once the cause is known.",
    )


def test_complete_input_leaves_nothing_undetermined_and_serialises_to_json():
    result = classify(
        facts(["neck"], onset_age=45, course="static", variability="persistent", associated=[], cause=SPORADIC)
    )
    assert result.undetermined == ()
    out = result.to_dict()
    assert json.loads(json.dumps(out)) == out
    assert out == {
        "regions": ["neck"],
        "face_sides": {},
        "body_distribution": "focal",
        "legs_involved": False,
        "age_at_onset": "late_adulthood",
        "onset_age_years": 45,
        "onset_completed_years": 45,
        "temporal_pattern": {"course": "static", "variability": "persistent"},
        "isolated": True,
        "associated": [],
        "combined_with": [],
        "etiology": {
            "type": "idiopathic",
            "pathology": "none",
            "inheritance": None,
            "gene": None,
            "disease": None,
            "disease_code": None,
            "acquired_kind": None,
            "drug_timing": None,
            "idiopathic_kind": "sporadic",
        },
        "task_specific": None,
        "forms": ["cervical dystonia"],
        "form_details": [
            {"id": "cervical", "name": "cervical dystonia", "also_called": "spasmodic torticollis",
             "regions": ["neck"], "task_specific": False}
        ],
        "legacy_term": "primary",
        "icd10": ["G24.3"],
        "icd10_codes": [
            {"code": "G24.3", "title": "Spasmodic torticollis",
             "reason": "G24.3 (Spasmodic torticollis) is used for cervical dystonia."}
        ],
        "undetermined": [],
        "explanation": list(result.explanation),
    }


def test_input_dataclass_can_be_built_directly_and_is_frozen():
    data = ClassificationInput(
        regions=["jaw", "upper_face"],
        onset_age_years=55,
        associated=["tremor", "tremor"],
        cause=Cause(type="idiopathic", idiopathic_kind="sporadic"),
    )
    assert data.regions == ("upper_face", "jaw")
    assert data.associated == ("tremor",)
    assert data == ClassificationInput.from_dict(
        {"regions": ["upper_face", "jaw"], "onset_age": 55, "associated": ["tremor"],
         "cause": {"type": "idiopathic", "idiopathic_kind": "sporadic"}}
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.onset_age_years = 3  # type: ignore[misc]
    result = classify(data)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.legacy_term = "primary"  # type: ignore[misc]
    assert result.legacy_term == "primary"
    assert result == classify(data)


def test_null_optional_keys_mean_not_known():
    explicit = classify(
        {"regions": ["neck"], "onset_age": 30, "course": None, "variability": None, "associated": None,
         "cause": None, "task_specific": None}
    )
    assert explicit == classify(facts(["neck"]))
    assert classify(facts(["neck"], cause={})).undetermined == classify(facts(["neck"])).undetermined


@pytest.mark.parametrize("age", [Fraction(81, 2), Decimal("40.5"), 40.5])
def test_any_real_number_or_decimal_is_accepted_as_an_age(age):
    result = classify(ClassificationInput(regions=("neck",), onset_age_years=age))
    assert result.onset_age_years == 40.5
    assert isinstance(result.onset_age_years, float)
    assert result.age_at_onset == "early_adulthood"
    assert json.dumps(result.to_dict())


def test_face_sides_are_read_stored_head_to_toe_and_named():
    data = ClassificationInput(
        regions=["jaw", "upper_face"], onset_age_years=60, face_sides={"jaw": "right", "upper_face": "left"}
    )
    assert data.face_sides == (("upper_face", "left"), ("jaw", "right"))
    assert data == ClassificationInput(
        regions=("upper_face", "jaw"), onset_age_years=60, face_sides=(("jaw", "right"), ("upper_face", "left"))
    )
    assert data == ClassificationInput.from_dict(
        {"regions": ["jaw", "upper_face"], "onset_age": 60, "face_sides": {" Jaw": "Right", "upper-face": "left"}}
    )
    result = classify(data)
    assert result.to_dict()["face_sides"] == {"upper_face": "left", "jaw": "right"}
    assert (
        "Dystonia of the eyelids and brow (left side) and the jaw (right side) is called Meige syndrome, also known "
        "as blepharospasm with oromandibular dystonia."
    ) in result.explanation
    assert classify(facts(["neck"], face_sides=None)).face_sides == ()
    assert classify(facts(["neck"], face_sides={})).to_dict()["face_sides"] == {}


@pytest.mark.parametrize(
    ("cause", "sentence"),
    [
        (
            {"type": "inherited", "inheritance": "autosomal_recessive", "disease": "Wilson's  disease"},
            "The cause is inherited: the dystonia is part of Wilson's disease (autosomal recessive inheritance).",
        ),
        (
            {"type": "inherited", "disease": "Huntington's disease", "disease_code": " g10 "},
            "The cause is inherited: the dystonia is part of Huntington's disease.",
        ),
    ],
)
def test_a_named_heredodegenerative_disease_is_part_of_the_cause(cause, sentence):
    result = classify(facts(["neck", "trunk", "left_arm"], cause=cause))
    assert sentence in result.explanation
    assert result.etiology.disease == " ".join(cause["disease"].split())
    given_code = cause.get("disease_code")
    assert result.etiology.disease_code == (given_code.strip().upper() if given_code else None)
