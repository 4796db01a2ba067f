"""The criteria catalogue: files shipped in criteria/, registered in the database by sha256."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb

from assessment import Criteria, CriteriaError, Problem, load_criteria, parse_criteria
from store import criteria_sets

CRITERIA_DIR = Path(__file__).resolve().parent.parent / "criteria"
DEFAULT_CRITERIA = "ombudsman-2023.yaml"


def criteria_files(directory: Path = CRITERIA_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


# sha256 of a registered file's text -> the criteria parsed from it: criteria_for then does not parse the same
# text again (the app's first start registers the demo criteria and shows its menu straight after: issue 9)
_REGISTERED: dict[str, Criteria] = {}


def register_file(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Validate a criteria file and store its exact text; return its sha256."""
    criteria = load_criteria(path)
    sha = criteria_sets.save(con, criteria=criteria, yaml_text=path.read_text(encoding="utf-8-sig"))
    _REGISTERED[sha] = criteria
    return sha


def criteria_for(con: duckdb.DuckDBPyConnection, sha256: str) -> Criteria:
    row = criteria_sets.get(con, sha256=sha256)
    if row is None:
        raise CriteriaError([Problem("database", f"kriteria dengan sha256 {sha256[:12]}… tidak ada di database")])
    return _REGISTERED.get(sha256) or _parse_cached(row.yaml, f"{row.id} (tersimpan)")


@lru_cache(maxsize=32)
def _parse_cached(text: str, source: str) -> Criteria:
    # Criteria are frozen, so one parsed object can be shared by every session and thread.
    return parse_criteria(text, source)
