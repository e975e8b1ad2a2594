"""The classification rules as tables: every body-distribution boundary and every code rule, each a
known answer taken from the clinical reference (sections 2 and 3). The library tests
(``test_classification_cases.py``) and the command-line tests (``test_cli_classify.py``) both run
every row, so the command is shown to give the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DistributionCase:
    """Affected regions (with sides given to face regions) and the body distribution they make."""

    id: str
    regions: tuple[str, ...]
    distribution: str
    face_sides: dict[str, str] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"regions": list(self.regions), "onset_age": 30}
        if self.face_sides:
            facts["face_sides"] = dict(self.face_sides)
        return facts


def d(id: str, regions: str, distribution: str, **face_sides: str) -> DistributionCase:
    return DistributionCase(id, tuple(regions.split()), distribution, face_sides)


DISTRIBUTION_CASES: tuple[DistributionCase, ...] = (
    # The lower face, jaw and tongue count as one oromandibular region: focal, not segmental.
    d("jaw+tongue", "jaw tongue", "focal"),
    d("lower face+jaw", "lower_face jaw", "focal"),
    d("lower face+tongue", "lower_face tongue", "focal"),
    d("lower face+jaw+tongue", "lower_face jaw tongue", "focal"),
    d("sided lower face alone", "lower_face", "focal", lower_face="right"),
    # Cranial segmental: blepharospasm with any of them (Meige), any of them with the neck or larynx.
    d("eyelids+lower face (Meige)", "upper_face lower_face", "segmental"),
    d("eyelids+jaw (Meige)", "upper_face jaw", "segmental"),
    d("eyelids+tongue (Meige)", "upper_face tongue", "segmental"),
    d("eyelids+whole oromandibular region", "upper_face lower_face jaw tongue", "segmental"),
    d("jaw+neck", "jaw neck", "segmental"),
    d("tongue+neck", "tongue neck", "segmental"),
    d("whole oromandibular region+neck", "lower_face jaw tongue neck", "segmental"),
    d("jaw+larynx", "jaw larynx", "segmental"),
    d("eyelids+larynx", "upper_face larynx", "segmental"),
    d("eyelids+neck", "upper_face neck", "segmental"),
    d("all cranial regions", "upper_face lower_face jaw tongue larynx", "segmental"),
    d("sided jaw+neck", "jaw neck", "segmental", jaw="left"),
    # Other segmental patterns.
    d("neck+arm", "neck right_arm", "segmental"),
    d("bibrachial", "left_arm right_arm", "segmental"),
    d("both legs", "left_leg right_leg", "segmental"),
    d("trunk+neck", "trunk neck", "segmental"),
    d("trunk+one leg", "trunk left_leg", "segmental"),
    d("eyelids+neck+both arms", "upper_face neck left_arm right_arm", "segmental"),
    # Multifocal: the literature's regions that do not touch, and the oromandibular region with the trunk.
    d("neck+leg", "neck left_leg", "multifocal"),
    d("eyelids+arm", "upper_face right_arm", "multifocal"),
    d("arm+leg of opposite sides", "left_arm right_leg", "multifocal"),
    d("jaw+both legs", "jaw left_leg right_leg", "multifocal"),
    d("trunk+jaw+tongue (two regions)", "trunk jaw tongue", "multifocal"),
    # Generalized: the trunk and at least two other regions, the oromandibular region counted once.
    d("trunk+neck+arm", "trunk neck left_arm", "generalized"),
    d("trunk+both legs", "trunk left_leg right_leg", "generalized"),
    d("trunk+eyelids+leg", "trunk upper_face left_leg", "generalized"),
    d("trunk+neck+jaw+tongue", "trunk neck jaw tongue", "generalized"),
    d("trunk+neck+one leg", "trunk neck right_leg", "generalized"),
    d("trunk+both arms+one leg", "trunk left_arm right_arm left_leg", "generalized"),
    d("every region", "upper_face lower_face jaw tongue larynx neck trunk left_arm right_arm left_leg right_leg",
      "generalized"),
    d("trunk+arm and leg of one side+face of the other side", "trunk lower_face left_arm left_leg", "generalized",
      lower_face="right"),
    # Hemidystonia: the arm and the leg of one side, no limb of the other side, anything else midline or
    # on the same side; it comes before generalized.
    d("left arm+leg", "left_arm left_leg", "hemidystonia"),
    d("right arm+leg", "right_arm right_leg", "hemidystonia"),
    d("arm+leg+neck", "right_arm right_leg neck", "hemidystonia"),
    d("arm+leg+trunk", "left_arm left_leg trunk", "hemidystonia"),
    d("arm+leg+trunk+neck+larynx", "left_arm left_leg trunk neck larynx", "hemidystonia"),
    d("arm+leg+sideless face regions", "left_arm left_leg upper_face jaw", "hemidystonia"),
    d("arm+leg+face of the same side", "right_arm right_leg lower_face", "hemidystonia", lower_face="right"),
    d("arm+leg+trunk+face of the same side", "left_arm left_leg trunk upper_face jaw", "hemidystonia",
      upper_face="left", jaw="left"),
    d("arm+leg+face of the other side", "left_arm left_leg lower_face", "multifocal", lower_face="right"),
    d("arm+leg+face on both sides", "left_arm left_leg jaw tongue", "multifocal", jaw="left", tongue="right"),
    d("arm+leg+other arm", "left_arm left_leg right_arm", "multifocal"),
    d("arm+leg+other leg", "left_arm left_leg right_leg", "multifocal"),
    d("arm+leg+other arm+trunk", "left_arm left_leg right_arm trunk", "generalized"),
    d("arm+trunk+neck, no leg", "left_arm trunk neck", "generalized"),
)


@dataclass(frozen=True)
class CodeCase:
    """Regions, cause and task, and the ICD-10-CM codes chosen for them, in reporting order."""

    id: str
    regions: tuple[str, ...]
    cause: dict[str, str] | None
    codes: tuple[str, ...]
    task: str | None = None

    def facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"regions": list(self.regions), "onset_age": 40}
        if self.cause is not None:
            facts["cause"] = dict(self.cause)
        if self.task is not None:
            facts["task_specific"] = self.task
        return facts


SPORADIC = {"type": "idiopathic", "idiopathic_kind": "sporadic"}
FAMILIAL = {"type": "idiopathic", "idiopathic_kind": "familial"}
IDIOPATHIC = {"type": "idiopathic"}
INHERITED = {"type": "inherited", "inheritance": "autosomal_dominant", "gene": "DYT-TOR1A"}
WILSON = {"type": "inherited", "inheritance": "autosomal_recessive", "disease": "Wilson's disease"}
VASCULAR = {"type": "acquired", "acquired_kind": "vascular"}
TARDIVE = {"type": "acquired", "acquired_kind": "drug", "drug_timing": "tardive"}
ACUTE = {"type": "acquired", "acquired_kind": "drug", "drug_timing": "acute"}
DRUG = {"type": "acquired", "acquired_kind": "drug"}
FUNCTIONAL = {"type": "acquired", "acquired_kind": "psychogenic"}
GENERALIZED = "trunk neck left_arm left_leg right_leg"


def c(id: str, regions: str, cause: dict[str, str] | None, codes: str, task: str | None = None) -> CodeCase:
    return CodeCase(id, tuple(regions.split()), cause, tuple(codes.split()), task)


CODE_CASES: tuple[CodeCase, ...] = (
    # Idiopathic: nonfamilial G24.2, familial G24.1, family history not known G24.1 (not G24.9).
    c("idiopathic sporadic generalized", GENERALIZED, SPORADIC, "G24.2"),
    c("idiopathic familial generalized", GENERALIZED, FAMILIAL, "G24.1"),
    c("idiopathic, family not known, generalized", GENERALIZED, IDIOPATHIC, "G24.1"),
    c("idiopathic, family not known, arm", "left_arm", IDIOPATHIC, "G24.1"),
    c("idiopathic, family not known, neck+arm", "neck left_arm", IDIOPATHIC, "G24.3 G24.1"),
    c("idiopathic, family not known, neck", "neck", IDIOPATHIC, "G24.3"),
    c("idiopathic sporadic hemidystonia", "left_arm left_leg trunk", SPORADIC, "G24.2"),
    # Site codes.
    c("cervical", "neck", SPORADIC, "G24.3"),
    c("blepharospasm", "upper_face", SPORADIC, "G24.5"),
    c("oromandibular, jaw+tongue", "jaw tongue", SPORADIC, "G24.4"),
    c("Meige", "upper_face jaw", SPORADIC, "G24.5 G24.4"),
    c("laryngeal", "larynx", SPORADIC, "J38.3"),
    c("oromandibular, acquired", "jaw", VASCULAR, "G24.8"),
    c("cause not known, generalized", GENERALIZED, None, "G24.9"),
    # Writer's cramp and the other task-specific forms: G24.8 (not F48.8).
    c("writer's cramp", "right_arm", SPORADIC, "G24.8", "writing"),
    c("typist's dystonia", "right_arm", SPORADIC, "G24.8", "typing"),
    # Tardive: eyelids or mouth G24.01, elsewhere G24.09, both when both.
    c("tardive neck", "neck", TARDIVE, "G24.09"),
    c("tardive eyelids", "upper_face", TARDIVE, "G24.01"),
    c("tardive lower face", "lower_face", TARDIVE, "G24.01"),
    c("tardive jaw+tongue", "jaw tongue", TARDIVE, "G24.01"),
    c("tardive larynx", "larynx", TARDIVE, "G24.09"),
    c("tardive trunk", "trunk", TARDIVE, "G24.09"),
    c("tardive mouth+neck", "jaw neck", TARDIVE, "G24.01 G24.09"),
    c("tardive generalized without the face", GENERALIZED, TARDIVE, "G24.09"),
    c("tardive generalized with the mouth", "tongue " + GENERALIZED, TARDIVE, "G24.01 G24.09"),
    c("acute drug reaction, neck", "neck", ACUTE, "G24.02"),
    c("acute drug reaction, mouth", "jaw tongue", ACUTE, "G24.02"),
    c("drug, timing not known", "neck", DRUG, "G24.09"),
    c("drug, timing not known, mouth", "jaw", DRUG, "G24.09"),
    # Inherited: G24.1, or a named heredodegenerative disease's own code first and G24.8 beside it.
    c("inherited", "neck", INHERITED, "G24.1"),
    c("inherited generalized", GENERALIZED, INHERITED, "G24.1"),
    c("Wilson's disease", GENERALIZED, WILSON, "E83.01 G24.8"),
    c("Wilson's disease, focal", "jaw", WILSON, "E83.01 G24.8"),
    c("Wilson disease spelt differently", "neck", {"type": "inherited", "disease": "wilson disease"}, "E83.01 G24.8"),
    c("another disease with its code", GENERALIZED,
      {"type": "inherited", "disease": "Huntington's disease", "disease_code": "g10"}, "G10 G24.8"),
    c("another disease without a code", GENERALIZED, {"type": "inherited", "disease": "a rare disease"}, "G24.8"),
    # Functional: no G24 code.
    c("functional", "neck", FUNCTIONAL, ""),
)
