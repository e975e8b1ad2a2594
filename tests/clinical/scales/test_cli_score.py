"""``torsion score`` through Typer's test runner: list, describe, score, draft, and exit status 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import torsion.cli.score  # noqa: F401  registers the command
from tests.clinical.scales.test_scales_examples import CASES, PUBLISHED_RANGES
from torsion.cli.app import app

runner = CliRunner()


@pytest.fixture
def write_json(tmp_path):
    def write(obj, name="answers.json"):
        path = tmp_path / name
        path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
        return str(path)

    return write


def run(*args, **kwargs):
    return runner.invoke(app, ["score", *args], **kwargs)


def test_list_json():
    result = run("--list", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [entry["id"] for entry in out] == sorted(PUBLISHED_RANGES)
    for entry in out:
        assert set(entry) >= {"id", "name", "rated_by", "min_total", "max_total"}
        assert (entry["min_total"], entry["max_total"]) == PUBLISHED_RANGES[entry["id"]]
    twstrs = next(entry for entry in out if entry["id"] == "twstrs")
    assert twstrs["name"] == "Toronto Western Spasmodic Torticollis Rating Scale"
    assert twstrs["rated_by"] == "clinician"


def test_list_readable():
    result = run("--list")
    assert result.exit_code == 0, result.output
    assert "Rating scales" in result.stdout
    assert "cdip58" in result.stdout
    assert "needs approval" in result.stdout


def test_describe_json():
    result = run("udrs", "--describe", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["id"] == "udrs"
    assert out["version"] == "original (Comella et al. 2003)"
    assert out["max_total"] == 112
    assert out["items"][0] == {
        "id": "eyes_upper_face_severity",
        "section": "severity",
        "label": "Eyes and upper face, severity",
        "allowed": [0, 1, 2, 3, 4],
        "answers": [
            {"value": 0, "label": "none"},
            {"value": 1, "label": "mild"},
            {"value": 2, "label": "moderate"},
            {"value": 3, "label": "severe"},
            {"value": 4, "label": "extreme"},
        ],
        "weight": 1,
        "not_applicable": False,
    }
    assert out["items"][14]["allowed"] == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]
    assert out["licence"]["approval_required"] is True


def test_describe_json_lists_not_applicable_as_an_answer():
    out = json.loads(run("bsdi", "--describe", "--json").stdout)
    assert out["items"][0]["allowed"] == [0, 1, 2, 3, 4, "na"]
    assert out["not_applicable"]["rule"] == "omit"


def test_describe_readable():
    result = run("twstrs", "--describe")
    assert result.exit_code == 0, result.output
    assert "Toronto Western Spasmodic Torticollis Rating Scale (TWSTRS)" in result.stdout
    assert "rotation" in result.stdout
    assert "(x2)" in result.stdout


@pytest.mark.parametrize("case", ["twstrs mixed", "bfmdrs mixed", "cdip58 mixed", "adds activities limited"])
def test_score_json(write_json, case):
    scale_id, answers, total, sections = CASES[case]
    result = run(scale_id, write_json(answers), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= {"scale", "version", "total", "max_total", "sections"}
    assert out["scale"] == scale_id
    assert out["total"] == pytest.approx(total)
    assert out["max_total"] == PUBLISHED_RANGES[scale_id][1]
    assert out["sections"] == pytest.approx(sections)
    assert out["complete"] is True


def test_score_reads_standard_input():
    result = run("jrs", "-", "--json", input=json.dumps({"spasm_severity": 3, "spasm_frequency": 2}))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 5


def test_score_readable(write_json):
    result = run("twstrs", write_json(CASES["twstrs mixed"][1]))
    assert result.exit_code == 0, result.output
    assert "TWSTRS, original (Consky and Lang 1994)" in result.stdout
    assert "Severity" in result.stdout and "16" in result.stdout
    assert "37" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_score_readable_shows_interpretation_and_not_applicable(write_json):
    result = run("bsdi", write_json(CASES["bsdi mixed with not applicable"][1]))
    assert "Not applicable: driving, shopping" in result.stdout
    answers = {
        key: 2
        for key in (
            "hard_to_hear",
            "noisy_room",
            "social_life",
            "left_out",
            "income",
            "strain",
            "clarity",
            "upsets",
            "handicapped",
            "whats_wrong",
        )
    }
    result = run("vhi10", write_json(answers))
    assert "Total: above 11, more than the usual range." in result.stdout


def test_draft(write_json):
    result = run("twstrs", write_json({"rotation": 3, "duration": 2}), "--draft", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["total"] == 7
    assert out["sections"] == {"severity": 7, "disability": None, "pain": None}
    assert out["complete"] is False
    assert len(out["missing"]) == 19
    readable = run("twstrs", write_json({"rotation": 3}), "--draft")
    assert "(draft)" in readable.stdout
    assert "Not answered yet (20)" in readable.stdout


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"spasm_severity": 5, "spasm_frequency": 0},
            'Item spasm_severity, "How severe the eyelid spasms are": 5 is not an allowed answer',
        ),
        (
            {"spasm_severity": "3", "spasm_frequency": 0},
            'Item spasm_severity, "How severe the eyelid spasms are": the answer must be a number',
        ),
        ({"spasm_severity": 3}, 'Item spasm_frequency, "How often the eyelids close", has no answer.'),
        (
            {"spasm_severity": "na", "spasm_frequency": 0},
            'Item spasm_severity, "How severe the eyelid spasms are" cannot be answered "not applicable"',
        ),
        (
            {"spasm_severity": 1, "spasm_frequency": 0, "spasm_duration": 1},
            '"spasm_duration" is not an item of JRS.',
        ),
    ],
)
def test_bad_answers_exit_2_naming_the_item(write_json, answers, message):
    path = write_json(answers)
    result = run("jrs", path, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"torsion: {path}: ")
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["twstr", "x.json"], "No scale is called 'twstr'; the scales are: adds, bfmdrs"),
        ([], "give a scale id, or --list to see them"),
        (["jrs"], "give a JSON file of answers to score jrs, or --describe to see its items"),
        (["jrs", "--list"], "--list takes no scale, answers, --describe or --draft"),
        (["jrs", "a.json", "--describe"], "--describe takes no answers file or --draft"),
        (["jrs", "/nonexistent/answers.json"], "/nonexistent/answers.json: no such file"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_answers_must_be_an_object(write_json):
    for document in ("[1, 2]", "3", "not json"):
        path = write_json(document)
        result = run("jrs", path)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"torsion: {path}: ")
