"""``torsion measure`` through Typer's test runner: JSON keys, FRAMES.csv and exit status 2."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from typer.testing import CliRunner

import torsion.cli.measure  # noqa: F401  registers the commands
from tests.measures import synthetic_video as sv
from torsion.cli.app import app

runner = CliRunner()

pytestmark = pytest.mark.slow

#: 1 s straight, then a steady tilt of 8 degrees toward the person's right shoulder, 3 s in all.
TILT_DEG = np.r_[np.zeros(30), np.full(60, 8.0)]


@pytest.fixture(scope="module")
def tilted_video():
    return sv.cached_video("tilt.webm", lambda: sv.rolling_face_frames(TILT_DEG), fps=30)


@pytest.fixture(scope="module")
def head_run(tilted_video, tmp_path_factory):
    frames = tmp_path_factory.mktemp("cli") / "frames.csv"
    arguments = ["measure", "head", str(tilted_video), "--json", "--neutral", "1", "--frames", str(frames)]
    result = runner.invoke(app, arguments)
    return result, frames


def test_head_json_keys(head_run):
    result, _ = head_run
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for key in ("frames_total", "frames_analyzed", "fps", "yaw_deg", "pitch_deg", "roll_deg", "lateral_shift",
                "sagittal_shift", "shoulder_elevation", "tremor", "twstrs_estimate", "warnings"):
        assert key in out
    assert out["frames_total"] == 90 and out["frames_analyzed"] == 60
    assert out["fps"] == pytest.approx(30.3, abs=0.1)
    assert set(out["roll_deg"]) == {"median", "p5", "p95"}
    assert out["roll_deg"]["median"] == pytest.approx(8.0, abs=1.0)
    tremor_keys = {"detected", "peak_frequency_hz", "amplitude_deg", "dominant_axis", "rhythmicity_cv"}
    assert tremor_keys <= out["tremor"].keys()
    assert out["twstrs_estimate"]["laterocollis"]["score"] == 1
    assert out["twstrs_estimate"]["laterocollis"]["direction"] == "right"
    assert "series" not in out


def test_frames_csv_has_one_row_per_frame(head_run):
    result, frames = head_run
    out = json.loads(result.stdout)
    with open(frames, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["t", "yaw_deg", "pitch_deg", "roll_deg", "tracked"]
    assert len(rows) == 1 + out["frames_total"]
    t = np.array([float(r[0]) for r in rows[1:]])
    np.testing.assert_allclose(t, np.round(np.arange(90) / 30, 3), atol=1e-9)
    assert all(r[4] == "1" for r in rows[1:])
    roll = np.array([float(r[3]) for r in rows[1:]])
    assert np.abs(roll - TILT_DEG).max() < 1.5


def test_head_readable_summary(tilted_video):
    result = runner.invoke(app, ["measure", "head", str(tilted_video), "--neutral-angles", "0,0,-3"])
    assert result.exit_code == 0, result.output
    assert "frames analysed" in result.stdout
    assert "Tilt (deg, + right ear down)" in result.stdout
    assert "Estimates for a clinician to confirm." in result.stdout


@pytest.mark.parametrize("command", ["head", "blink", "face"])
def test_a_file_that_is_not_a_video_exits_2(tmp_path, command):
    text = tmp_path / "notes.webm"
    text.write_text("just text\n")
    result = runner.invoke(app, ["measure", command, str(text), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"torsion: {text}: This file could not be read as a video.\n"


def test_a_video_without_a_face_exits_2_with_the_reason():
    plain = sv.cached_video("cli-plain.webm", lambda: sv.plain_scene_frames(45), fps=30)
    result = runner.invoke(app, ["measure", "head", str(plain), "--json"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"torsion: {plain}: No face was found in the recording.")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--neutral", "1", "--neutral-angles", "0,0,0"], "give either --neutral or --neutral-angles, not both"),
        (
            ["--neutral-angles", "1,2"],
            "--neutral-angles must be three numbers YAW,PITCH,ROLL in degrees; got '1,2'",
        ),
        (["--neutral", "5"], "Less than 1 s of tracked video is left after the 5 s neutral period."),
    ],
)
def test_bad_calibration_options_exit_2(tilted_video, options, message):
    result = runner.invoke(app, ["measure", "head", str(tilted_video), "--json", *options])
    assert result.exit_code == 2
    assert message in result.stderr


def test_face_resting_range_from_a_neutral_period(tilted_video):
    result = runner.invoke(app, ["measure", "face", str(tilted_video), "--json", "--rest", "1"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["resting_range_method"] == "neutral period, first 1 s"
    assert set(data) >= {"mouth_opening", "jaw_deviation", "lip_pull", "warnings"}
    default = json.loads(runner.invoke(app, ["measure", "face", str(tilted_video), "--json"]).stdout)
    assert default["resting_range_method"] == "densest half of the recording"


@pytest.mark.parametrize(("keep", "shown"), [(None, False), ("1", True)], ids=["dropped", "kept on request"])
def test_mediapipe_log_lines_stay_off_the_terminal(tilted_video, keep, shown):
    """MediaPipe's C++ log lines go to file descriptor 2 directly; a real process shows whether they leak."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("TORSION_NATIVE_LOGS", "GLOG_minloglevel")}
    if keep:
        env["TORSION_NATIVE_LOGS"] = keep
    done = subprocess.run(
        [sys.executable, "-m", "torsion.cli", "measure", "blink", str(tilted_video), "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["frames_total"] == 90
    assert ("XNNPACK" in done.stderr) is shown
    assert ("inference_feedback_manager.cc" in done.stderr) is shown
