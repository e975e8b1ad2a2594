"""ICD-10-CM code choice: the catalogue, every rule of :mod:`torsion.clinical.codes`, and the settings."""

from __future__ import annotations

import re

import pytest

from torsion.clinical.classification import classify
from torsion.clinical.codes import (
    DEFAULT_CODING,
    DISEASE_CODES,
    ICD10_CM,
    WRITERS_CRAMP_NOTE,
    CodedForm,
    CodingSettings,
    known_disease_code,
    select_icd10,
    site_codes,
)

SPORADIC = {"type": "idiopathic", "idiopathic_kind": "sporadic"}
FAMILIAL = {"type": "idiopathic", "idiopathic_kind": "familial"}
IDIOPATHIC = {"type": "idiopathic"}
INHERITED = {"type": "inherited", "inheritance": "autosomal_dominant", "gene": "DYT-TOR1A"}
VASCULAR = {"type": "acquired", "acquired_kind": "vascular"}
TARDIVE = {"type": "acquired", "acquired_kind": "drug", "drug_timing": "tardive"}
ACUTE = {"type": "acquired", "acquired_kind": "drug", "drug_timing": "acute"}
DRUG = {"type": "acquired", "acquired_kind": "drug"}
FUNCTIONAL = {"type": "acquired", "acquired_kind": "psychogenic"}
WILSON = {"type": "inherited", "disease": "Wilson's disease"}
GENERALIZED = ["trunk", "neck", "left_arm", "left_leg", "right_leg"]


def codes_for(regions, cause=None, task=None, coding=DEFAULT_CODING):
    data = {"regions": regions, "onset_age": 40, "cause": cause, "task_specific": task}
    return [code.code for code in classify(data, coding=coding).icd10]


def test_catalogue_titles():
    assert {code: entry.title for code, entry in ICD10_CM.items()} == {
        "G24.01": "Drug induced subacute dyskinesia",
        "G24.02": "Drug induced acute dystonia",
        "G24.09": "Other drug induced dystonia",
        "G24.1": "Genetic torsion dystonia",
        "G24.2": "Idiopathic nonfamilial dystonia",
        "G24.3": "Spasmodic torticollis",
        "G24.4": "Idiopathic orofacial dystonia",
        "G24.5": "Blepharospasm",
        "G24.8": "Other dystonia",
        "G24.9": "Dystonia, unspecified",
        "J38.3": "Other diseases of vocal cords",
        "R49.0": "Dysphonia",
    }


@pytest.mark.parametrize(
    ("regions", "task", "codes"),
    [
        # site codes of the named focal forms (cause idiopathic, sporadic)
        (["neck"], None, ["G24.3"]),
        (["upper_face"], None, ["G24.5"]),
        (["jaw"], None, ["G24.4"]),
        (["tongue", "lower_face"], None, ["G24.4"]),
        (["larynx"], None, ["J38.3"]),
        (["right_arm"], "writing", ["G24.8"]),
        (["right_arm"], "typing", ["G24.8"]),
        (["jaw"], "playing_instrument", ["G24.8"]),
        (["left_leg"], "running", ["G24.8"]),
        (["upper_face", "jaw"], None, ["G24.5", "G24.4"]),
        (["upper_face", "neck"], None, ["G24.5", "G24.3"]),
        (["larynx", "neck", "upper_face"], None, ["G24.5", "J38.3", "G24.3"]),
        (["jaw", "right_arm"], "playing_instrument", ["G24.8"]),
        # parts without a site code take the code of the cause
        (["left_arm"], None, ["G24.2"]),
        (["trunk"], None, ["G24.2"]),
        (["left_leg", "right_leg"], None, ["G24.2"]),
        (["left_arm", "right_arm"], None, ["G24.2"]),
        (["neck", "right_arm"], None, ["G24.3", "G24.2"]),
        (["neck", "left_leg"], None, ["G24.3", "G24.2"]),
        (GENERALIZED, None, ["G24.2"]),
        (["left_arm", "left_leg"], None, ["G24.2"]),
    ],
)
def test_site_codes_for_idiopathic_sporadic_dystonia(regions, task, codes):
    assert codes_for(regions, SPORADIC, task) == codes


@pytest.mark.parametrize(
    ("regions", "cause", "codes"),
    [
        # a medicine: tardive G24.01 for the eyelids and mouth, G24.09 elsewhere
        (["neck"], TARDIVE, ["G24.09"]),
        (["jaw", "tongue"], TARDIVE, ["G24.01"]),
        (["upper_face", "lower_face"], TARDIVE, ["G24.01"]),
        (GENERALIZED, TARDIVE, ["G24.09"]),
        (["upper_face", *GENERALIZED], TARDIVE, ["G24.01", "G24.09"]),
        (["neck"], ACUTE, ["G24.02"]),
        (["neck"], DRUG, ["G24.09"]),
        # inherited: genetic torsion dystonia alone
        (["neck"], INHERITED, ["G24.1"]),
        (GENERALIZED, INHERITED, ["G24.1"]),
        (["upper_face", "larynx"], {"type": "inherited"}, ["G24.1"]),
        # a named heredodegenerative disease: its own code first, G24.8 beside it
        (GENERALIZED, WILSON, ["E83.01", "G24.8"]),
        (["neck"], {**WILSON, "disease_code": "E83.01"}, ["E83.01", "G24.8"]),
        # idiopathic familial, or with the family history unknown
        (["neck"], FAMILIAL, ["G24.3"]),
        (GENERALIZED, FAMILIAL, ["G24.1"]),
        (["neck", "left_arm"], FAMILIAL, ["G24.3", "G24.1"]),
        (GENERALIZED, IDIOPATHIC, ["G24.1"]),
        (["neck"], IDIOPATHIC, ["G24.3"]),
        # acquired (not a medicine): G24.8 for what has no site code, and instead of the idiopathic G24.4
        (["left_arm", "left_leg"], VASCULAR, ["G24.8"]),
        (["neck"], VASCULAR, ["G24.3"]),
        (["jaw"], VASCULAR, ["G24.8"]),
        (["upper_face", "jaw"], VASCULAR, ["G24.5", "G24.8"]),
        (["larynx"], VASCULAR, ["J38.3"]),
        # functional: no G24 code
        (["neck"], FUNCTIONAL, []),
        (GENERALIZED, FUNCTIONAL, []),
        # cause not known
        (GENERALIZED, None, ["G24.9"]),
        (["neck"], None, ["G24.3"]),
        (["neck", "left_arm"], None, ["G24.3", "G24.9"]),
    ],
)
def test_code_rules_by_cause(regions, cause, codes):
    assert codes_for(regions, cause) == codes


def test_one_entry_per_code_with_a_reason_naming_every_form():
    result = classify(
        {"regions": ["right_arm", "trunk"], "onset_age": 30, "task_specific": "writing", "cause": VASCULAR}
    )
    assert [code.to_dict() for code in result.icd10] == [
        {
            "code": "G24.8",
            "title": "Other dystonia",
            "reason": "G24.8 (Other dystonia) is used for writer's cramp, and for truncal dystonia because it "
            "was caused by another condition or event. " + WRITERS_CRAMP_NOTE,
        }
    ]


@pytest.mark.parametrize(
    ("regions", "cause", "reason"),
    [
        (
            ["neck"],
            TARDIVE,
            "G24.09 (Other drug induced dystonia) is used for the neck because the dystonia there is a late "
            "(tardive) reaction to a medicine outside the eyelids and mouth.",
        ),
        (
            ["upper_face", "tongue", "neck"],
            TARDIVE,
            "G24.01 (Drug induced subacute dyskinesia) is used for the eyelids and brow and the tongue because the "
            "dystonia there is a late (tardive) reaction to a medicine; ICD-10-CM codes tardive dystonia of the "
            "eyelids or mouth here.",
        ),
        (
            ["neck"],
            ACUTE,
            "G24.02 (Drug induced acute dystonia) is used because the dystonia is a sudden (acute) reaction to a "
            "medicine.",
        ),
        (
            ["neck"],
            DRUG,
            "G24.09 (Other drug induced dystonia) is used because the dystonia is caused by a medicine and it was "
            "not given whether the reaction was sudden (acute) or late (tardive).",
        ),
        (["neck"], INHERITED, "G24.1 (Genetic torsion dystonia) is used because the cause is inherited."),
        (
            GENERALIZED,
            SPORADIC,
            "G24.2 (Idiopathic nonfamilial dystonia) is used for generalized dystonia because no cause has been "
            "found and it does not run in the family.",
        ),
        (
            GENERALIZED,
            FAMILIAL,
            "G24.1 (Genetic torsion dystonia) is used for generalized dystonia because no cause has been found "
            "but it runs in the family.",
        ),
        (
            GENERALIZED,
            IDIOPATHIC,
            "G24.1 (Genetic torsion dystonia) is used for generalized dystonia because no cause has been found; "
            "whether it runs in the family is not known, and ICD-10-CM codes idiopathic dystonia without that "
            "detail here.",
        ),
        (
            GENERALIZED,
            WILSON,
            "E83.01 (Wilson's disease) comes first because the dystonia is part of Wilson's disease, and "
            "ICD-10-CM codes the disease itself first.",
        ),
        (
            GENERALIZED,
            WILSON,
            "G24.8 (Other dystonia) is used beside E83.01 for the dystonia that Wilson's disease causes.",
        ),
        (
            ["neck"],
            {"type": "inherited", "disease": "Huntington's disease", "disease_code": "G10"},
            "G10 (Huntington's disease) comes first because the dystonia is part of Huntington's disease, and "
            "ICD-10-CM codes the disease itself first.",
        ),
        (
            ["neck"],
            {"type": "inherited", "disease": "a rare disease"},
            "G24.8 (Other dystonia) is used for the dystonia, which is part of a rare disease. The code of a rare "
            "disease itself should come first; Torsion does not know it, so it has to be added.",
        ),
        (
            ["neck", "left_leg"],
            None,
            "G24.9 (Dystonia, unspecified) is used for leg dystonia because the cause is not known.",
        ),
        (
            ["jaw"],
            VASCULAR,
            "G24.8 (Other dystonia) is used for oromandibular dystonia because it was caused by another "
            "condition or event.",
        ),
        (["larynx"], SPORADIC, "J38.3 (Other diseases of vocal cords) is used for laryngeal dystonia."),
    ],
)
def test_code_reasons_are_in_the_explanation(regions, cause, reason):
    result = classify({"regions": regions, "onset_age": 40, "cause": cause})
    assert reason in [code.reason for code in result.icd10]
    assert reason in result.explanation


@pytest.mark.parametrize(
    ("regions", "task", "noted"),
    [(["right_arm"], "writing", True), (["left_arm", "right_arm"], "writing", True),
     (["right_arm"], "typing", False), (["right_arm"], "playing_instrument", False), (["right_arm"], None, False)],
)
def test_writers_cramp_says_why_it_is_not_coded_f48_8(regions, task, noted):
    result = classify({"regions": regions, "onset_age": 40, "cause": SPORADIC, "task_specific": task})
    reasons = [code.reason for code in result.icd10]
    assert any(reason.endswith(" " + WRITERS_CRAMP_NOTE) for reason in reasons) is noted
    assert not any(code.code.startswith("F") for code in result.icd10)
    assert "F48.8" in WRITERS_CRAMP_NOTE and "occupational neurosis" in WRITERS_CRAMP_NOTE


def test_writers_cramp_note_follows_the_code_setting():
    coding = CodingSettings(task_specific_code="G24.9")
    result = classify({"regions": ["right_arm"], "onset_age": 40, "task_specific": "writing"}, coding=coding)
    assert [code.code for code in result.icd10] == ["G24.9"]
    assert result.icd10[0].reason.endswith(WRITERS_CRAMP_NOTE)


@pytest.mark.parametrize(
    ("name", "code"),
    [("Wilson's disease", "E83.01"), ("wilson\u2019s  Disease", "E83.01"), ("Wilson disease", "E83.01"),
     ("hepatolenticular degeneration", "E83.01"), ("Huntington's disease", None)],
)
def test_known_disease_codes(name, code):
    found = known_disease_code(name)
    assert (found.code if found else None) == code
    assert all(entry.code == "E83.01" and entry.title == "Wilson's disease" for entry in DISEASE_CODES.values())


def test_a_disease_code_given_for_a_known_disease_wins_and_takes_the_given_name():
    result = classify({"regions": ["neck"], "onset_age": 40,
                       "cause": {"type": "inherited", "disease": "Wilson's disease", "disease_code": "E83.09"}})
    assert [(code.code, code.title) for code in result.icd10] == [
        ("E83.09", "Wilson's disease"), ("G24.8", "Other dystonia")]


def test_functional_dystonia_says_why_there_is_no_code():
    result = classify({"regions": ["neck"], "onset_age": 40, "cause": FUNCTIONAL})
    assert result.icd10 == ()
    assert result.to_dict()["icd10"] == []
    assert (
        "Functional (psychogenic) dystonia has no code in the dystonia group G24 of ICD-10-CM; its code comes "
        "from the chapter on functional disorders, which Torsion does not choose."
    ) in result.explanation


@pytest.mark.parametrize(
    ("cause", "warned"), [(None, True), ({"pathology": "none"}, True), (SPORADIC, False), (IDIOPATHIC, False)]
)
def test_site_codes_without_a_known_cause_carry_a_warning(cause, warned):
    result = classify({"regions": ["neck"], "onset_age": 40, "cause": cause})
    warning = (
        "Because the cause is not known, these codes assume the dystonia is not caused by a medicine or "
        "inherited; they may change once the cause is known."
    )
    assert (warning in result.explanation) is warned


def test_no_warning_when_only_the_unspecified_code_is_given():
    result = classify({"regions": GENERALIZED, "onset_age": 40})
    assert [code.code for code in result.icd10] == ["G24.9"]
    assert not any(sentence.startswith("Because the cause is not known") for sentence in result.explanation)


# --- Settings ---------------------------------------------------------------------------------


def test_default_settings():
    assert DEFAULT_CODING == CodingSettings("J38.3", "G24.8", ("G24.5", "G24.4"))


def test_laryngeal_code_is_a_setting():
    coding = CodingSettings(laryngeal_code="R49.0")
    assert codes_for(["larynx"], SPORADIC, coding=coding) == ["R49.0"]
    assert codes_for(["larynx", "neck"], None, coding=coding) == ["R49.0", "G24.3"]


def test_task_specific_code_is_a_setting():
    coding = CodingSettings(task_specific_code="G24.9")
    assert codes_for(["right_arm"], SPORADIC, "writing", coding=coding) == ["G24.9"]


def test_meige_codes_are_a_setting():
    coding = CodingSettings(meige_codes=("G24.4",))
    assert codes_for(["upper_face", "tongue"], SPORADIC, coding=coding) == ["G24.4"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"laryngeal_code": "G24.8"}, "The laryngeal dystonia code must be one of J38.3, R49.0 (got 'G24.8')."),
        ({"task_specific_code": "G25.8"}, "'G25.8' is not one of the dystonia codes Torsion knows: "),
        ({"meige_codes": ("G24.5", "X")}, "'X' is not one of the dystonia codes Torsion knows: "),
        ({"meige_codes": ()}, "Meige syndrome needs at least one code."),
    ],
)
def test_invalid_settings_fail_loudly(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        CodingSettings(**kwargs)


# --- The functions on their own ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "codes"),
    [
        (CodedForm("cervical", "cervical dystonia"), ("G24.3",)),
        (CodedForm("blepharospasm", "blepharospasm"), ("G24.5",)),
        (CodedForm("oromandibular", "oromandibular dystonia"), ("G24.4",)),
        (CodedForm("meige", "Meige syndrome"), ("G24.5", "G24.4")),
        (CodedForm("laryngeal", "laryngeal dystonia"), ("J38.3",)),
        (CodedForm("writers_cramp", "writer's cramp", task_specific=True), ("G24.8",)),
        (CodedForm("arm", "arm dystonia"), ()),
        (CodedForm("truncal", "truncal dystonia"), ()),
    ],
)
def test_site_codes(form, codes):
    assert site_codes(form) == codes


def test_select_icd10_for_a_whole_body_form_ignores_site_forms():
    chosen = select_icd10(
        whole_body_form="right hemidystonia",
        forms=[],
        regions=["right_arm", "right_leg"],
        cause_type="acquired",
        acquired_kind="perinatal_brain_injury",
    )
    assert [(code.code, code.title) for code in chosen] == [("G24.8", "Other dystonia")]
    assert chosen[0].reason == (
        "G24.8 (Other dystonia) is used for right hemidystonia because it was caused by another condition or "
        "event."
    )
