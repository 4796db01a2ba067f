"""Criteria texts pinned by sha256, so a period's score stays reproducible after the YAML changes."""

from __future__ import annotations

import duckdb

from assessment import Criteria, criteria_sha256
from store.models import CriteriaSet
from store.rows import fetch_all, fetch_one


def save(con: duckdb.DuckDBPyConnection, *, criteria: Criteria, yaml_text: str) -> str:
    sha = criteria_sha256(yaml_text)
    con.execute(
        "INSERT INTO criteria_sets (sha256, id, version, title, yaml) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [sha, criteria.id, criteria.version, criteria.title, yaml_text],
    )
    return sha


def get(con: duckdb.DuckDBPyConnection, *, sha256: str) -> CriteriaSet | None:
    return fetch_one(
        con, CriteriaSet, "SELECT sha256, id, version, title, yaml FROM criteria_sets WHERE sha256 = ?", [sha256]
    )


def list_all(con: duckdb.DuckDBPyConnection) -> list[CriteriaSet]:
    return fetch_all(
        con, CriteriaSet, "SELECT sha256, id, version, title, yaml FROM criteria_sets ORDER BY id, version"
    )
