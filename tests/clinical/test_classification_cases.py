"""Every row of the rule tables in ``classification_cases.py``, through the library."""

from __future__ import annotations

import pytest

from tests.clinical.classification_cases import CODE_CASES, DISTRIBUTION_CASES
from torsion.clinical.classification import body_distribution, classify
from torsion.clinical.regions import OROMANDIBULAR_REGIONS


@pytest.mark.parametrize("case", DISTRIBUTION_CASES, ids=lambda case: case.id)
def test_body_distribution_table(case):
    assert body_distribution(case.regions, case.face_sides) == case.distribution
    result = classify(case.facts())
    assert result.body_distribution == case.distribution
    assert dict(result.face_sides) == case.face_sides
    sentence = f", so the distribution is {case.distribution}" if case.distribution != "generalized" else (
        ", so the dystonia is generalized."
    )
    assert sum(sentence in line for line in result.explanation) == 1


@pytest.mark.parametrize("case", DISTRIBUTION_CASES, ids=lambda case: case.id)
def test_oromandibular_regions_stay_named_and_are_said_to_count_as_one(case):
    result = classify(case.facts())
    oromandibular = [code for code in case.regions if code in OROMANDIBULAR_REGIONS]
    assert set(oromandibular) <= set(result.regions)
    grouped = [line for line in result.explanation if "count together as one region" in line]
    assert len(grouped) == (1 if len(oromandibular) > 1 else 0)


@pytest.mark.parametrize("case", CODE_CASES, ids=lambda case: case.id)
def test_code_table(case):
    result = classify(case.facts())
    assert tuple(code.code for code in result.icd10) == case.codes
    reasons = [code.reason for code in result.icd10]
    assert all(reason.startswith(f"{code.code} ({code.title}) ") for code, reason in zip(result.icd10, reasons))
    assert [line for line in result.explanation if line in reasons] == reasons
