"""The verifier's decisions, one row per (assessment, indicator), and the verified mark on an assessment.

Decisions are never deleted: a new decision on the same indicator overwrites the row with revision + 1
(the audit trail keeps old → new), so a resubmitted assessment keeps what was already decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from store.errors import ConflictError
from store.models import Event, VerificationDecision, VerificationRow
from store.postgres import is_postgres
from store.rows import fetch_all, fetch_one

_COLS = "assessment_id, indicator_id, decision, verified_value, verified_na, note, revision, verified_by, verified_at"


def for_assessment(con: duckdb.DuckDBPyConnection, *, assessment_id: int) -> list[VerificationRow]:
    return fetch_all(
        con,
        VerificationRow,
        f"SELECT {_COLS} FROM verifications WHERE assessment_id = ? ORDER BY indicator_id",
        [assessment_id],
    )


def get(con: duckdb.DuckDBPyConnection, *, assessment_id: int, indicator_id: str) -> VerificationRow | None:
    return fetch_one(
        con,
        VerificationRow,
        f"SELECT {_COLS} FROM verifications WHERE assessment_id = ? AND indicator_id = ?",
        [assessment_id, indicator_id],
    )


def for_period(con: duckdb.DuckDBPyConnection, *, period_id: int, status: str | None = None) -> list[VerificationRow]:
    """Every decision of a period's assessments (optionally only of assessments in one status), one query."""
    where = "a.period_id = ?" + (" AND a.status = ?" if status else "")
    params: list[object] = [period_id] + ([status] if status else [])
    cols = ", ".join(f"v.{c.strip()}" for c in _COLS.split(","))
    return fetch_all(
        con,
        VerificationRow,
        f"SELECT {cols} FROM verifications v JOIN assessments a ON a.id = v.assessment_id "
        f"WHERE {where} ORDER BY v.assessment_id, v.indicator_id",
        params,
    )


def put(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    decision: VerificationDecision,
    verified_value: float | None,
    verified_na: bool,
    note: str,
    actor: str,
    at: dt.datetime,
    expected_revision: int | None = None,
) -> VerificationRow | None:
    """Insert or overwrite one decision; with expected_revision, refuse if it changed meanwhile.

    Returns the previous decision (None when the indicator had none).
    """
    previous = get(con, assessment_id=assessment_id, indicator_id=indicator_id)
    current = previous.revision if previous else 0
    if expected_revision is not None and expected_revision != current:
        raise ConflictError(key="err.verify.changed")
    written = con.execute(
        f"INSERT INTO verifications ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET decision = excluded.decision, "
        "verified_value = excluded.verified_value, verified_na = excluded.verified_na, note = excluded.note, "
        "revision = excluded.revision, verified_by = excluded.verified_by, verified_at = excluded.verified_at "
        "WHERE verifications.revision = ? RETURNING revision",
        [assessment_id, indicator_id, decision, verified_value, verified_na, note, current + 1, actor, at, current],
    )
    if written.fetchone() is None:  # changed by another process since the read
        raise ConflictError(key="err.verify.changed")
    return previous


def mark_verified(
    con: duckdb.DuckDBPyConnection, *, assessment_id: int, verified_by: str | None, verified_at: dt.datetime | None
) -> None:
    """Set (or, with None, clear) who completed the verification and when."""
    con.execute(
        "UPDATE assessments SET verified_by = ?, verified_at = ? WHERE id = ?",
        [verified_by, verified_at, assessment_id],
    )


def last_answer_changes(
    con: duckdb.DuckDBPyConnection, *, assessment_id: int, events: Sequence[type[Event]]
) -> dict[str, dt.datetime]:
    """indicator id → when one of these audit events (each with an `indicator` field) was last recorded for the
    assessment: from the audit trail, so a cleared answer counts too; used to spot decisions made on an older
    answer."""
    if not events:
        return {}
    indicator = "(payload::json ->> 'indicator')" if is_postgres(con) else "json_extract_string(payload, '$.indicator')"
    rows = con.execute(
        f"SELECT {indicator} AS indicator, max(\"at\") FROM audit_events "
        f"WHERE assessment_id = ? AND event IN ({', '.join('?' for _ in events)}) GROUP BY 1",
        [assessment_id, *(e.name for e in events)],
    ).fetchall()
    return {r[0]: r[1] for r in rows if r[0]}
