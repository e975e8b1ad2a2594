"""``torsion classify`` through Typer's test runner: JSON output, the readable summary and exit status 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import torsion.cli.classify  # noqa: F401  registers the command
from tests.clinical.classification_cases import CODE_CASES, DISTRIBUTION_CASES
from torsion.cli.app import app

runner = CliRunner()

CRANIOCERVICAL = {
    "regions": ["neck", "upper_face", "jaw"],
    "onset_age": 58,
    "course": "static",
    "variability": "persistent",
    "associated": ["tremor"],
    "cause": {"type": "idiopathic", "idiopathic_kind": "sporadic", "pathology": "none"},
}


@pytest.fixture
def write_json(tmp_path):
    def write(obj, name="input.json"):
        path = tmp_path / name
        path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
        return str(path)

    return write


def test_json_output(write_json):
    result = runner.invoke(app, ["classify", write_json(CRANIOCERVICAL), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["body_distribution"] == "segmental"
    assert out["age_at_onset"] == "late_adulthood"
    assert out["isolated"] is True
    assert out["forms"] == ["craniocervical dystonia", "Meige syndrome", "cervical dystonia"]
    assert out["legacy_term"] == "primary"
    assert out["icd10"] == ["G24.5", "G24.4", "G24.3"]
    assert out["icd10_codes"][2] == {
        "code": "G24.3",
        "title": "Spasmodic torticollis",
        "reason": "G24.3 (Spasmodic torticollis) is used for cervical dystonia.",
    }
    assert out["temporal_pattern"] == {"course": "static", "variability": "persistent"}
    assert out["legs_involved"] is False
    assert out["undetermined"] == []
    assert out["explanation"][0] == "The dystonia began at age 58, which is late adulthood (over 40 years)."


def test_json_output_reports_what_is_undetermined(write_json):
    path = write_json({"regions": ["trunk", "neck", "left_leg"], "onset_age": 9})
    result = runner.invoke(app, ["classify", path, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["body_distribution"] == "generalized"
    assert out["legs_involved"] is True
    assert out["isolated"] is None
    assert out["legacy_term"] is None
    assert out["icd10"] == ["G24.9"]
    assert out["undetermined"] == ["course", "variability", "isolated", "pathology", "cause", "legacy_term"]


def test_readable_summary(write_json):
    result = runner.invoke(app, ["classify", write_json(CRANIOCERVICAL)])
    assert result.exit_code == 0, result.output
    assert "Dystonia classification (2013 consensus)" in result.stdout
    assert "segmental" in result.stdout
    assert "G24.3 Spasmodic torticollis" in result.stdout
    assert "- Together, Meige syndrome" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_reads_standard_input():
    stdin = json.dumps({"regions": ["larynx"], "onset_age": 40})
    result = runner.invoke(app, ["classify", "-", "--json"], input=stdin)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["forms"] == ["laryngeal dystonia"]


def test_laryngeal_code_option(write_json):
    path = write_json({"regions": ["larynx"], "onset_age": 40})
    result = runner.invoke(app, ["classify", path, "--json", "--laryngeal-code", "R49.0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["icd10"] == ["R49.0"]
    assert json.loads(runner.invoke(app, ["classify", path, "--json"]).stdout)["icd10"] == ["J38.3"]


def test_task_specific_code_option(write_json):
    path = write_json({"regions": ["right_arm"], "onset_age": 40, "task_specific": "writing"})
    result = runner.invoke(app, ["classify", path, "--json", "--task-specific-code", "G24.9"])
    assert json.loads(result.stdout)["icd10"] == ["G24.9"]


def test_invalid_input_exits_2_with_every_problem_on_stderr(write_json):
    path = write_json({"regions": ["elbow"], "onset_age": -1})
    result = runner.invoke(app, ["classify", path, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f'torsion: {path}: "elbow" is not a body region Torsion knows; the regions are: upper_face, lower_face, '
        "jaw, tongue, larynx, neck, trunk, left_arm, right_arm, left_leg, right_leg. The age at onset cannot be "
        "below 0 years (got -1).\n"
    )


def test_contradiction_exits_2(write_json):
    path = write_json({"regions": ["neck"], "onset_age": 30, "task_specific": "writing"})
    result = runner.invoke(app, ["classify", path])
    assert result.exit_code == 2
    assert "needs an arm (left_arm or right_arm) among the regions" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[1, 2]", 'The input must be an object with at least "regions" and "onset_age" (got [1, 2]).'),
    ],
)
def test_unreadable_input_exits_2(write_json, content, message):
    result = runner.invoke(app, ["classify", write_json(content)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["classify", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert result.stderr == f"torsion: {tmp_path / 'absent.json'}: no such file\n"


def test_bad_code_option_exits_2(write_json):
    result = runner.invoke(app, ["classify", write_json(CRANIOCERVICAL), "--laryngeal-code", "G24.8"])
    assert result.exit_code == 2
    assert result.stderr == "torsion: The laryngeal dystonia code must be one of J38.3, R49.0 (got 'G24.8').\n"


# --- The rule tables, through the command ----------------------------------------------------


def classify_through_the_command(facts: dict) -> dict:
    result = runner.invoke(app, ["classify", "-", "--json"], input=json.dumps(facts))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", DISTRIBUTION_CASES, ids=lambda case: case.id)
def test_command_gives_every_body_distribution(case):
    out = classify_through_the_command(case.facts())
    assert out["body_distribution"] == case.distribution
    assert out["face_sides"] == case.face_sides
    assert set(out["regions"]) == set(case.regions)


@pytest.mark.parametrize("case", CODE_CASES, ids=lambda case: case.id)
def test_command_gives_every_code(case):
    out = classify_through_the_command(case.facts())
    assert out["icd10"] == list(case.codes)
    assert [entry["code"] for entry in out["icd10_codes"]] == list(case.codes)


def test_readable_summary_shows_face_sides_and_the_disease(write_json):
    path = write_json(
        {
            "regions": ["right_arm", "right_leg", "lower_face", "trunk"],
            "face_sides": {"lower_face": "right"},
            "onset_age": 14,
            "cause": {"type": "inherited", "disease": "Wilson's disease", "pathology": "degeneration"},
        }
    )
    result = runner.invoke(app, ["classify", path])
    assert result.exit_code == 0, result.output
    assert "Lower face and lips (right side)" in result.stdout
    assert "right hemidystonia" in result.stdout
    assert "part of Wilson's disease" in result.stdout
    assert "E83.01 Wilson's disease" in result.stdout
    assert "G24.8 Other dystonia" in result.stdout


def test_writers_cramp_note_reaches_the_json_output(write_json):
    path = write_json({"regions": ["right_arm"], "onset_age": 40, "task_specific": "writing"})
    out = json.loads(runner.invoke(app, ["classify", path, "--json"]).stdout)
    assert out["icd10"] == ["G24.8"]
    assert "F48.8" in out["icd10_codes"][0]["reason"]
    assert out["icd10_codes"][0]["reason"] in out["explanation"]


def test_a_side_for_a_region_that_has_none_exits_2(write_json):
    path = write_json({"regions": ["neck"], "onset_age": 30, "face_sides": {"neck": "left"}})
    result = runner.invoke(app, ["classify", path])
    assert result.exit_code == 2
    assert result.stderr == (
        f'torsion: {path}: "neck" cannot be given a side; only the face regions can: upper_face, lower_face, jaw, '
        "tongue.\n"
    )
