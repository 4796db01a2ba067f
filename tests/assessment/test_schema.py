"""criteria/schema.json is generated from the models and must never be stale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assessment.schema import SCHEMA_FILE, criteria_json_schema, schema_text, write_schema

ROOT = Path(__file__).resolve().parents[2]


def test_schema_file_is_current():
    on_disk = SCHEMA_FILE.read_text(encoding="utf-8")
    assert on_disk == schema_text(), (
        "criteria/schema.json sudah usang (model kriteria berubah); jalankan: python -m assessment.schema"
    )


def test_schema_describes_a_strict_criteria_file():
    schema = criteria_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "version", "title", "dimensions", "bands"}
    indicator = schema["$defs"]["Indicator"]
    assert indicator["additionalProperties"] is False
    assert indicator["properties"]["method"]["enum"] == ["observasi", "wawancara", "dokumen", "survei"]
    assert schema["$defs"]["Band"]["properties"]["colour"]["pattern"] == "^#[0-9A-Fa-f]{6}$"


def test_write_schema_and_the_module_command(tmp_path: Path):
    target = write_schema(tmp_path / "schema.json")
    assert json.loads(target.read_text(encoding="utf-8")) == criteria_json_schema()
    out = tmp_path / "via-cli.json"
    run = subprocess.run(
        [sys.executable, "-m", "assessment.schema", str(out)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == schema_text()
