"""``torsion cycles`` through Typer's test runner: JSON output, the readable table and exit status 2."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest
from typer.testing import CliRunner

import torsion.cli.cycles  # noqa: F401  registers the command
from tests.clinical.cycle_truth import ResponseCurve
from torsion.cli.app import app
from torsion.clinical.cycles import analyse_cycles

runner = CliRunner()
D0 = date(2025, 1, 6)
NOT_A_DATE = "is not a date (expected YYYY-MM-DD)"


def document(n_cycles=3, interval=91, first_day=-10):
    """Three injections 91 days apart and a noise-free diary from ten days before the first."""
    curve = ResponseCurve(4.0, 10.0, 2.0, 60.0, 4.0)
    days = np.arange(first_day, interval * n_cycles)
    values = 6.0 - sum(curve.improvement(days - interval * k) for k in range(n_cycles))
    return {
        "injections": [
            {
                "date": (D0 + timedelta(days=interval * k)).isoformat(),
                "product": "onabotulinumtoxinA",
                "units": 200,
            }
            for k in range(n_cycles)
        ],
        "series": [
            {"date": (D0 + timedelta(days=int(d))).isoformat(), "value": round(float(v), 3)}
            for d, v in zip(days, values)
        ],
        "higher_is_worse": True,
    }


@pytest.fixture
def write_json(tmp_path):
    def write(obj, name="input.json"):
        path = tmp_path / name
        path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
        return str(path)

    return write


def test_json_output_is_the_report(write_json):
    data = document()
    result = runner.invoke(app, ["cycles", write_json(data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out) == ["cycles", "comparison"]
    assert [c["start"] for c in out["cycles"]] == ["2025-01-06", "2025-04-07", "2025-07-07"]
    first = out["cycles"][0]
    assert first["end"] == "2025-04-06"
    assert first["status"] == "ok" and first["reason"] is None and first["censored"] is False
    assert first["baseline"] == 6.0
    assert (first["onset_day"], first["peak_day"], first["wearing_off_day"]) == (8, 34, 61)
    assert first["benefit_days"] == 53
    assert first["worn_off_before_next_days"] == 30
    assert first["peak_improvement"] == pytest.approx(3.99, abs=0.02)
    assert len(first["response"]["day"]) == 91
    # The command adds nothing of its own: it prints the library's report.
    injections = [date.fromisoformat(i["date"]) for i in data["injections"]]
    series = [(date.fromisoformat(s["date"]), s["value"]) for s in data["series"]]
    assert out == json.loads(json.dumps(analyse_cycles(injections, series).to_dict()))
    assert out["comparison"]["interval"]["worn_off_before_next_days"] == [30, 31]
    assert out["comparison"]["trend"]["direction"] == "no_clear_change"


def test_json_without_response_curves(write_json):
    result = runner.invoke(app, ["cycles", write_json(document()), "--json", "--no-response"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert all("response" not in c for c in out["cycles"])
    assert out["cycles"][0]["onset_day"] == 8


def test_insufficient_cycle_in_json(write_json):
    data = document(first_day=0)
    result = runner.invoke(app, ["cycles", write_json(data), "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["cycles"][0]
    assert first["status"] == "insufficient_data"
    assert first["reason"].startswith("There are values for 0 of the 7 days before the injection")
    assert first["onset_day"] is None and first["benefit_days"] is None


def test_higher_is_worse_is_optional_and_false_is_honoured(write_json):
    data = document()
    del data["higher_is_worse"]
    default = json.loads(runner.invoke(app, ["cycles", write_json(data), "--json"]).stdout)
    data["higher_is_worse"] = False
    reversed_ = json.loads(runner.invoke(app, ["cycles", write_json(data), "--json"]).stdout)
    assert default["cycles"][0]["responded"] is True
    assert reversed_["cycles"][0]["responded"] is False  # read the other way round, the diary got worse


def test_readable_table(write_json):
    result = runner.invoke(app, ["cycles", write_json(document())], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Botulinum-toxin cycles" in out
    assert "2025-01-06" in out and "2025-07-07" in out
    assert "Cycle 3: This is the latest injection: the cycle runs to the last recorded value." in out
    assert "Benefit typically wears off about 30.5 days before the next injection" in out


def test_reads_standard_input():
    result = runner.invoke(app, ["cycles", "-", "--json"], input=json.dumps(document()))
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["cycles"]) == 3


def bad(data, path, value):
    """``data`` with the item at ``path`` (keys and indexes) set to ``value``, or deleted if value is ..."""
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("injections",), ..., 'missing key "injections"'),
        (("series",), ..., 'missing key "series"'),
        (("series",), {"2025-01-01": 6}, '"series" must be a list'),
        (("higher_is_worse",), "yes", '"higher_is_worse" must be true or false'),
        (("injections", 1), "2025-04-07", "injections[1] must be an object"),
        (("injections", 1, "date"), ..., 'injections[1] has no "date"'),
        (("injections", 1, "date"), "2025-13-01", f"injections[1].date: '2025-13-01' {NOT_A_DATE}"),
        (("injections", 1, "date"), "07/04/2025", f"injections[1].date: '07/04/2025' {NOT_A_DATE}"),
        (("series", 4, "date"), 20250101, f"series[4].date: 20250101 {NOT_A_DATE}"),
        (("series", 4, "value"), "six", "series[4].value: 'six' is not a number"),
        (("series", 4, "value"), True, "series[4].value: True is not a number"),
        (
            ("series", 4, "value"),
            None,
            "series[4].value is null; leave days without a value out of the series",
        ),
        (("series", 4, "value"), ..., 'series[4] has no "value"'),
        (
            ("series", 4, "date"),
            "2025-01-05",
            "The series has more than one value for 2025-01-05; keep one value per day (for example their "
            "average).",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr(write_json, path, value, message):
    path_on_disk = write_json(bad(document(), path, value))
    result = runner.invoke(app, ["cycles", path_on_disk, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"torsion: {path_on_disk}: {message}\n"


def test_non_finite_value_exits_2(write_json):
    path = write_json(json.dumps(document()).replace('"value": 6.0', '"value": NaN', 1))
    result = runner.invoke(app, ["cycles", path])
    assert result.exit_code == 2
    assert result.stderr == (
        f"torsion: {path}: The value for 2024-12-27 is not a finite number (nan); give a number or leave "
        "that day out.\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1, 2]", 'expected a JSON object with "injections" and "series"'), ("{", "not valid JSON")],
)
def test_unreadable_input_exits_2(write_json, content, message):
    result = runner.invoke(app, ["cycles", write_json(content)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["cycles", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert result.stderr == f"torsion: {tmp_path / 'absent.json'}: no such file\n"
