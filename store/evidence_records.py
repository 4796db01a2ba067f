"""Evidence metadata rows. The bytes live in the content store (evidence.blobs); see design D1."""

from __future__ import annotations

import datetime as dt

import duckdb

from store.models import EvidenceRecord
from store.rows import fetch_all, fetch_one

_COLS = (
    "id, assessment_id, indicator_id, sha256, file_name, media_type, size, effective_date, description, "
    "uploaded_by, uploaded_at, removed_at, removed_by"
)


def add(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    sha256: str,
    file_name: str,
    media_type: str,
    size: int,
    effective_date: dt.date | None,
    description: str,
    actor: str,
    at: dt.datetime,
) -> int:
    row = con.execute(
        "INSERT INTO evidence (assessment_id, indicator_id, sha256, file_name, media_type, size, effective_date, "
        "description, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [assessment_id, indicator_id, sha256, file_name, media_type, size, effective_date, description, actor, at],
    ).fetchone()
    return int(row[0])


def get(con: duckdb.DuckDBPyConnection, *, evidence_id: int) -> EvidenceRecord | None:
    return fetch_one(con, EvidenceRecord, f"SELECT {_COLS} FROM evidence WHERE id = ?", [evidence_id])


def for_assessment(
    con: duckdb.DuckDBPyConnection, *, assessment_id: int, include_removed: bool = False
) -> list[EvidenceRecord]:
    where = "" if include_removed else " AND removed_at IS NULL"
    return fetch_all(
        con,
        EvidenceRecord,
        f"SELECT {_COLS} FROM evidence WHERE assessment_id = ?{where} ORDER BY indicator_id, uploaded_at, id",
        [assessment_id],
    )


def mark_removed(con: duckdb.DuckDBPyConnection, *, evidence_id: int, actor: str, at: dt.datetime) -> None:
    con.execute(
        "UPDATE evidence SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL",
        [at, actor, evidence_id],
    )


def update_details(
    con: duckdb.DuckDBPyConnection, *, evidence_id: int, description: str, effective_date: dt.date | None
) -> None:
    con.execute(
        "UPDATE evidence SET description = ?, effective_date = ? WHERE id = ?",
        [description, effective_date, evidence_id],
    )


def referenced_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every hash any record points at, removed ones included (they stay in the audit trail)."""
    return {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM evidence").fetchall()}
