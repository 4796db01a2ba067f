"""JSON Schema of a criteria file, generated from the models; editors use it to check YAML while typing.

    python -m assessment.schema            rewrites criteria/schema.json
    python -m assessment.schema OUT.json   writes elsewhere

The schema covers structure and types; cross-field rules (weights summing to 100, bands covering the
scale, ...) are only checked by the loader. A test fails when criteria/schema.json is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from assessment.criteria import Criteria

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "criteria" / "schema.json"


def criteria_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a criteria YAML/JSON file."""
    schema = Criteria.model_json_schema()
    schema.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Berkas kriteria Kepatuhan",
        "description": (
            "Satu set kriteria penilaian (Ombudsman RI, PEKPPP, SKM, ...): dimensi, indikator, pilihan jawaban, "
            "bukti dukung dan band. Dibuat dari model assessment.criteria; aturan lintas-kolom (bobot berjumlah "
            "100, band menutup skala) diperiksa oleh pemuat kriteria."
        ),
        **schema,
    }


def schema_text() -> str:
    return json.dumps(criteria_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str | Path = SCHEMA_FILE) -> Path:
    """Write the schema to path (default criteria/schema.json); return the path written."""
    path = Path(path)
    path.write_text(schema_text(), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    written = write_schema(args[0] if args else SCHEMA_FILE)
    print(f"skema ditulis: {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
