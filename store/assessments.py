"""Assessments of a unit in a period, their answers (self values) and per-indicator notes."""

from __future__ import annotations

import datetime as dt

import duckdb

from store.errors import ConflictError
from store.models import AnswerRow, AssessmentRow, NoteRow, Row
from store.rows import fetch_all, fetch_one

_COLS = (
    "id, period_id, unit_id, status, snapshot_sha256, submitted_at, submitted_by, created_at, verified_by, verified_at"
)
_ANSWER_COLS = "assessment_id, indicator_id, subject, value, count, revision, updated_by, updated_at"


def get_or_create(con: duckdb.DuckDBPyConnection, *, period_id: int, unit_id: int) -> AssessmentRow:
    con.execute(
        "INSERT INTO assessments (period_id, unit_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [period_id, unit_id]
    )
    row = find(con, period_id=period_id, unit_id=unit_id)
    assert row is not None
    return row


def find(con: duckdb.DuckDBPyConnection, *, period_id: int, unit_id: int) -> AssessmentRow | None:
    return fetch_one(
        con, AssessmentRow, f"SELECT {_COLS} FROM assessments WHERE period_id = ? AND unit_id = ?", [period_id, unit_id]
    )


def get(con: duckdb.DuckDBPyConnection, *, assessment_id: int) -> AssessmentRow | None:
    return fetch_one(con, AssessmentRow, f"SELECT {_COLS} FROM assessments WHERE id = ?", [assessment_id])


def list_for_period(con: duckdb.DuckDBPyConnection, *, period_id: int) -> list[AssessmentRow]:
    return fetch_all(
        con, AssessmentRow, f"SELECT {_COLS} FROM assessments WHERE period_id = ? ORDER BY id", [period_id]
    )


def set_status(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    status: str,
    snapshot_sha256: str | None = None,
    submitted_by: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    if status == "submitted":
        con.execute(
            "UPDATE assessments SET status = ?, snapshot_sha256 = ?, submitted_by = ?, submitted_at = ? WHERE id = ?",
            [status, snapshot_sha256, submitted_by, at, assessment_id],
        )
    else:
        con.execute("UPDATE assessments SET status = ? WHERE id = ?", [status, assessment_id])


def answers(con: duckdb.DuckDBPyConnection, *, assessment_id: int) -> list[AnswerRow]:
    return fetch_all(
        con,
        AnswerRow,
        f"SELECT {_ANSWER_COLS} FROM answers WHERE assessment_id = ? ORDER BY indicator_id, subject",
        [assessment_id],
    )


def answers_for(con: duckdb.DuckDBPyConnection, *, assessment_id: int, indicator_id: str) -> list[AnswerRow]:
    return fetch_all(
        con,
        AnswerRow,
        f"SELECT {_ANSWER_COLS} FROM answers WHERE assessment_id = ? AND indicator_id = ? ORDER BY subject",
        [assessment_id, indicator_id],
    )


def revision_of(rows: list[AnswerRow]) -> int:
    """One revision for all of an indicator's answers: changes whenever any of them is added, changed or
    removed (the pages compare it with what they rendered, the services with what is stored)."""
    return sum(r.revision for r in rows) * 1000 + len(rows)


def indicator_revision(con: duckdb.DuckDBPyConnection, *, assessment_id: int, indicator_id: str) -> int:
    return revision_of(answers_for(con, assessment_id=assessment_id, indicator_id=indicator_id))


def put_answer(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    subject: str,
    value: float | None,
    count: int = 1,
    actor: str,
    at: dt.datetime,
    expected_revision: int | None = None,
) -> AnswerRow | None:
    """Insert or update one answer; with expected_revision, refuse if someone changed it meanwhile.

    Returns the previous row (None when the answer is new).
    """
    previous = fetch_one(
        con,
        AnswerRow,
        f"SELECT {_ANSWER_COLS} FROM answers WHERE assessment_id = ? AND indicator_id = ? AND subject = ?",
        [assessment_id, indicator_id, subject],
    )
    current = previous.revision if previous else 0
    if expected_revision is not None and expected_revision != current:
        raise ConflictError(key="err.answer.changed")
    # the revision is checked again in the write itself, so two app processes never overwrite each other
    written = con.execute(
        f"INSERT INTO answers ({_ANSWER_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, indicator_id, subject) DO UPDATE SET value = excluded.value, "
        "count = excluded.count, revision = excluded.revision, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at WHERE answers.revision = ? RETURNING revision",
        [assessment_id, indicator_id, subject, value, count, current + 1, actor, at, current],
    )
    if written.fetchone() is None:  # another process wrote between the read and this write (issue 11)
        raise ConflictError(key="err.answer.changed")
    return previous


def insert_answers(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Insert many new answers at once (seeding, imports): (assessment_id, indicator_id, subject, value, count,
    actor, at) tuples. One statement per chunk: DuckDB pays per statement, not per row."""
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        placeholders = ", ".join(["(?, ?, ?, ?, ?, 1, ?, ?)"] * len(chunk))
        params = [p for row in chunk for p in row]
        con.execute(f"INSERT INTO answers ({_ANSWER_COLS}) VALUES {placeholders}", params)


def delete_answers(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    subject_prefix: str | None = None,
    subject: str | None = None,
) -> list[AnswerRow]:
    """Remove an indicator's answers (all, those whose subject starts with a prefix, or one subject); return them."""
    rows = answers_for(con, assessment_id=assessment_id, indicator_id=indicator_id)
    if subject_prefix is not None:
        rows = [r for r in rows if r.subject.startswith(subject_prefix)]
    if subject is not None:
        rows = [r for r in rows if r.subject == subject]
    for r in rows:
        con.execute(
            "DELETE FROM answers WHERE assessment_id = ? AND indicator_id = ? AND subject = ?",
            [assessment_id, indicator_id, r.subject],
        )
    return rows


def notes(con: duckdb.DuckDBPyConnection, *, assessment_id: int) -> list[NoteRow]:
    return fetch_all(
        con,
        NoteRow,
        "SELECT assessment_id, indicator_id, note, revision, updated_by, updated_at FROM indicator_notes "
        "WHERE assessment_id = ? ORDER BY indicator_id",
        [assessment_id],
    )


def put_note(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    note: str,
    actor: str,
    at: dt.datetime,
    expected_revision: int | None = None,
) -> NoteRow | None:
    previous = fetch_one(
        con,
        NoteRow,
        "SELECT assessment_id, indicator_id, note, revision, updated_by, updated_at FROM indicator_notes "
        "WHERE assessment_id = ? AND indicator_id = ?",
        [assessment_id, indicator_id],
    )
    current = previous.revision if previous else 0
    if expected_revision is not None and expected_revision != current:
        raise ConflictError(key="err.note.changed")
    written = con.execute(
        "INSERT INTO indicator_notes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, indicator_id) DO UPDATE "
        "SET note = excluded.note, revision = excluded.revision, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at WHERE indicator_notes.revision = ? RETURNING revision",
        [assessment_id, indicator_id, note, current + 1, actor, at, current],
    )
    if written.fetchone() is None:  # changed by another process since the read
        raise ConflictError(key="err.note.changed")
    return previous


def list_for_unit(con: duckdb.DuckDBPyConnection, *, unit_id: int) -> list[AssessmentRow]:
    return fetch_all(con, AssessmentRow, f"SELECT {_COLS} FROM assessments WHERE unit_id = ? ORDER BY id", [unit_id])


class AssessmentLabel(Row):
    """An assessment named the way people say it: period · unit, with its status."""

    id: int
    period_id: int
    period_name: str
    period_status: str
    unit_id: int
    unit_code: str
    unit_name: str
    status: str


def labelled(con: duckdb.DuckDBPyConnection, *, statuses: tuple[str, ...] = ()) -> list[AssessmentLabel]:
    where = f"WHERE s.status IN ({', '.join('?' * len(statuses))})" if statuses else ""
    return fetch_all(
        con,
        AssessmentLabel,
        "SELECT s.id, s.period_id, p.name AS period_name, p.status AS period_status, s.unit_id, "
        "u.code AS unit_code, u.name AS unit_name, s.status FROM assessments s "
        f"JOIN periods p ON p.id = s.period_id JOIN org_units u ON u.id = s.unit_id {where} "
        "ORDER BY p.year DESC, p.id DESC, u.name",
        list(statuses),
    )


# The products whose missing answers count 0: the unit's current products while an assessment is
# editable, the list pinned at submission once it is frozen (a product added later changes nothing).
SCORING_PRODUCTS_SQL = """
    SELECT s.id AS assessment_id, p.code FROM assessments s JOIN service_products p ON p.unit_id = s.unit_id
    WHERE s.status IN ('draft', 'reopened')
    UNION ALL
    SELECT f.assessment_id, f.code FROM submitted_products f JOIN assessments s ON s.id = f.assessment_id
    WHERE s.status NOT IN ('draft', 'reopened')
"""


def pin_products(con: duckdb.DuckDBPyConnection, *, assessment_id: int, codes: list[str]) -> None:
    """Record the unit's products at submission (replacing an earlier submission's list)."""
    con.execute("DELETE FROM submitted_products WHERE assessment_id = ?", [assessment_id])
    for code in sorted(set(codes)):
        con.execute("INSERT INTO submitted_products VALUES (?, ?)", [assessment_id, code])


def scoring_products(con: duckdb.DuckDBPyConnection, *, assessment_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {aid: [] for aid in assessment_ids}
    rows = con.execute(
        f"SELECT assessment_id, code FROM ({SCORING_PRODUCTS_SQL}) AS scoring "
        "WHERE assessment_id IN (SELECT unnest(?::INTEGER[])) ORDER BY assessment_id, code",
        [assessment_ids],
    ).fetchall()
    for aid, code in rows:
        out[int(aid)].append(code)
    return out


def content_revision(con: duckdb.DuckDBPyConnection, *, assessment_id: int) -> tuple | None:
    """A token that changes whenever anything a questionnaire page shows of the assessment changes: every
    write to it appends an audit event; answers and evidence rows (which a seed or a migration may write without
    one), the period's state and the unit's products are read along.
    None when the assessment does not exist."""
    # every subquery names the assessment (or its unit) by value: correlated on a.id, DuckDB joined whole
    # tables and the query took twice as long (issue 9, one of these per click)
    row = con.execute(
        "SELECT a.status, "
        "  (SELECT coalesce(max(e.id), 0) FROM audit_events e WHERE e.assessment_id = ?), "
        "  p.status, p.closes, u.name, "
        "  (SELECT coalesce(string_agg(sp.code || '=' || sp.name, '|' ORDER BY sp.code), '') "
        "     FROM service_products sp WHERE sp.unit_id = (SELECT unit_id FROM assessments WHERE id = ?)), "
        "  (SELECT count(*) || ':' || coalesce(sum(x.revision), 0) FROM answers x WHERE x.assessment_id = ?), "
        "  (SELECT count(*) || ':' || count(v.removed_at) FROM evidence v WHERE v.assessment_id = ?) "
        "FROM assessments a JOIN periods p ON p.id = a.period_id JOIN org_units u ON u.id = a.unit_id "
        "WHERE a.id = ?",
        [assessment_id] * 5,
    ).fetchone()
    return tuple(row) if row else None
