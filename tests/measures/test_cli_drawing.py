"""``torsion measure spiral|line|writing`` through Typer's test runner: JSON keys, units, exit status 2."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import torsion.cli.measure_drawing  # noqa: F401  registers the commands
from tests.measures.drawing_truth import Tremor, line_samples, spiral_samples, writing_samples
from torsion.cli.app import app

runner = CliRunner()


def write_csv(path, samples, *, pressure=True):
    columns = [samples.t_s, samples.x, samples.y]
    header = "t,x,y"
    if pressure and samples.pressure is not None:
        columns.append(samples.pressure)
        header += ",pressure"
    columns.append(samples.pen_down.astype(int))
    header += ",pen_down"
    np.savetxt(path, np.column_stack(columns), delimiter=",", header=header, comments="", fmt="%.5f")
    return path


def test_spiral_json(tmp_path):
    path = write_csv(tmp_path / "spiral.csv", spiral_samples(tremor=Tremor(6.0, 1.0), seed=1))
    result = runner.invoke(app, ["measure", "spiral", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("duration_s", "mean_speed_mm_s", "radial_deviation_mm", "first_order_smoothness",
                "second_order_smoothness", "tightness", "tremor", "warnings"):
        assert key in out
    assert {"detected", "peak_frequency_hz", "amplitude_mm"} <= out["tremor"].keys()
    assert out["tremor"]["detected"] is True
    assert out["tremor"]["peak_frequency_hz"] == pytest.approx(6.0, abs=0.2)
    assert out["tremor"]["amplitude_mm"] == pytest.approx(1.0, rel=0.15)
    assert out["tightness"] == pytest.approx(8.0, rel=0.02)


def test_spiral_readable_summary_and_pixels(tmp_path):
    path = write_csv(tmp_path / "spiral.csv", spiral_samples(seed=2))
    result = runner.invoke(app, ["measure", "spiral", str(path), "--px"])
    assert result.exit_code == 0, result.output
    assert "Mean speed (px/s):" in result.stdout and "No tremor detected." in result.stdout
    assert "warning: Lengths are in screen pixels" in result.stdout
    as_json = json.loads(runner.invoke(app, ["measure", "spiral", str(path), "--px", "--json"]).stdout)
    assert as_json["unit"] == "px" and "mean_speed_px_s" in as_json


def test_writing_and_line_json(tmp_path):
    writing = write_csv(tmp_path / "writing.csv", writing_samples())
    out = json.loads(runner.invoke(app, ["measure", "writing", str(writing), "--json"]).stdout)
    assert out["pen_lifts"] == 2 and out["niv_per_stroke"] == pytest.approx(1.0, abs=0.1)
    assert out["mean_pressure"] == pytest.approx(0.5, abs=0.01)
    line = write_csv(tmp_path / "line.csv", line_samples())
    out = json.loads(runner.invoke(app, ["measure", "line", str(line), "--json"]).stdout)
    assert out["length_mm"] == pytest.approx(100.0, rel=0.01)


ROWS_OK = [(k / 100, 10 + k, 20 + (k % 3)) for k in range(12)]


def _rows(rows, header="t,x,y"):
    return header + "\n" + "\n".join(",".join(str(v) for v in row) for row in rows) + "\n"


@pytest.mark.parametrize(
    ("command", "text", "reason"),
    [
        ("spiral", _rows(ROWS_OK[:4]), "Too few samples: 4 given, at least 10 are needed."),
        ("writing", _rows(ROWS_OK[:4] + [(0.02, 1, 1)] + ROWS_OK[5:]),
         "Time must increase from each sample to the next; on line 6 it goes from 0.03 s to 0.02 s."),
        ("spiral", _rows(ROWS_OK[:6] + [(0.06, "nan", 1)] + ROWS_OK[7:]),
         "x has a missing or not-a-number value on line 8."),
        ("line", _rows([(k / 100, 5, 5) for k in range(12)]),
         "Every sample with the pen down is at a single point: nothing was drawn."),
        ("spiral", _rows(ROWS_OK), "The drawing goes only"),
        ("writing", _rows([(k / 100, k, 3) for k in range(40)]), "No up-and-down strokes were found"),
        ("spiral", "t,x\n0,1\n", "missing y"),
    ],
)
def test_bad_input_exits_2_with_the_reason(tmp_path, command, text, reason):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["measure", command, str(path), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"torsion: {path}: ")
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["measure", "spiral", str(tmp_path / "absent.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr
