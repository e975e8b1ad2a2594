"""`torsion export` and `torsion import` as an operator runs them, on a fresh data folder."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.web.test_demo_and_cli import _run

pytestmark = pytest.mark.slow


def test_export_zip_export_fhir_and_import_it_again(tmp_path):
    env = {"TORSION_DATA_DIR": str(tmp_path / "data")}
    assert _run(["demo"], env).returncode == 0
    archive = tmp_path / "record.zip"
    result = _run(["export", "zip", "--patient", "demo-patient", "--out", str(archive)], env)
    assert result.returncode == 0, result.stderr
    assert archive.stat().st_size > 1000 and "entries" in result.stderr
    exported = _run(["export", "fhir", "--patient", "demo-patient"], env)
    assert exported.returncode == 0, exported.stderr
    bundle = json.loads(exported.stdout)
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) > 100
    kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds["AdverseEvent"] >= 1  # the demo's side effect, with its therapy sessions among the Procedures
    (tmp_path / "bundle.json").write_text(exported.stdout)
    restored = _run(["import", "fhir", str(tmp_path / "bundle.json"), "--as", "copy"], env)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["restored"]["records.diaryentry"] > 300
    again = _run(["import", "fhir", str(tmp_path / "bundle.json"), "--as", "copy"], env)
    assert again.returncode == 2 and "empty" in again.stderr
    copy = json.loads(_run(["export", "fhir", "--patient", "copy"], env).stdout)
    assert Counter(e["resource"]["resourceType"] for e in copy["entry"]) == kinds


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not valid JSON"),
    ('{"resourceType": "Patient"}', "not a FHIR Bundle"),
    ('{"resourceType": "Bundle", "type": "collection", "entry": []}', "holds no resources"),
])
def test_import_refuses_bad_files_with_a_reason(tmp_path, content, message):
    env = {"TORSION_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "bad.json").write_text(content)
    result = _run(["import", "fhir", str(tmp_path / "bad.json"), "--as", "someone"], env)
    assert result.returncode == 2 and message in result.stderr, result.stderr
