"""Bulk reads for the region comparison: one query per kind of row for a whole period.

Comparing hundreds of units must not cost one query per unit, so these functions read every
unit, answer, product, note and evidence record of a period at once and group them in Python.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from assessment import Answer
from store.models import AnswerRow, EvidenceRecord, NoteRow, Row
from store.rows import fetch_all


class RegionUnit(Row):
    """A service unit with the OPD above it and the region (pemda) above that."""

    id: int
    code: str
    name: str
    unit_type: str | None
    is_demo: bool
    opd_code: str | None
    opd_name: str | None
    region_code: str | None
    region_name: str | None


def region_units(con: duckdb.DuckDBPyConnection) -> list[RegionUnit]:
    """Every unit of kind 'unit', with its OPD and region (the parent of a unit may be the pemda itself)."""
    rows = con.execute(
        "SELECT u.id, u.code, u.name, u.unit_type, u.is_demo, p.kind, p.code, p.name, g.kind, g.code, g.name "
        "FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id LEFT JOIN org_units g ON g.id = p.parent_id "
        "WHERE u.kind = 'unit' ORDER BY u.name, u.code"
    ).fetchall()
    out = []
    for uid, code, name, unit_type, is_demo, p_kind, p_code, p_name, g_kind, g_code, g_name in rows:
        opd = (p_code, p_name) if p_kind == "opd" else (None, None)
        region = (p_code, p_name) if p_kind == "pemda" else (g_code, g_name) if g_kind == "pemda" else (None, None)
        out.append(
            RegionUnit(
                id=uid,
                code=code,
                name=name,
                unit_type=unit_type,
                is_demo=is_demo,
                opd_code=opd[0],
                opd_name=opd[1],
                region_code=region[0],
                region_name=region[1],
            )
        )
    return out


def period_answers(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[int, list[Answer]]:
    """unit id → its answers in the period, as the scoring engine takes them (one query)."""
    rows = con.execute(
        "SELECT a.unit_id, x.indicator_id, x.subject, x.value, x.count FROM answers x "
        "JOIN assessments a ON a.id = x.assessment_id WHERE a.period_id = ? "
        "ORDER BY a.unit_id, x.indicator_id, x.subject",
        [period_id],
    ).fetchall()
    out: dict[int, list[Answer]] = defaultdict(list)
    for unit_id, indicator, subject, value, count in rows:
        out[unit_id].append(Answer(indicator=indicator, subject=subject, value=value, count=count))
    return dict(out)


def period_answer_rows(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[int, list[AnswerRow]]:
    """assessment id → its stored answer rows (who and when included), for exports."""
    rows = fetch_all(
        con,
        AnswerRow,
        "SELECT x.assessment_id, x.indicator_id, x.subject, x.value, x.count, x.revision, x.updated_by, x.updated_at "
        "FROM answers x JOIN assessments a ON a.id = x.assessment_id WHERE a.period_id = ? "
        "ORDER BY x.assessment_id, x.indicator_id, x.subject",
        [period_id],
    )
    out: dict[int, list[AnswerRow]] = defaultdict(list)
    for r in rows:
        out[r.assessment_id].append(r)
    return dict(out)


def period_notes(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[int, list[NoteRow]]:
    rows = fetch_all(
        con,
        NoteRow,
        "SELECT n.assessment_id, n.indicator_id, n.note, n.revision, n.updated_by, n.updated_at "
        "FROM indicator_notes n JOIN assessments a ON a.id = n.assessment_id WHERE a.period_id = ? "
        "ORDER BY n.assessment_id, n.indicator_id",
        [period_id],
    )
    out: dict[int, list[NoteRow]] = defaultdict(list)
    for r in rows:
        out[r.assessment_id].append(r)
    return dict(out)


def period_evidence(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[int, list[EvidenceRecord]]:
    """assessment id → its evidence records that are not removed."""
    rows = fetch_all(
        con,
        EvidenceRecord,
        "SELECT e.id, e.assessment_id, e.indicator_id, e.sha256, e.file_name, e.media_type, e.size, "
        "e.effective_date, e.description, e.uploaded_by, e.uploaded_at, e.removed_at, e.removed_by "
        "FROM evidence e JOIN assessments a ON a.id = e.assessment_id "
        "WHERE a.period_id = ? AND e.removed_at IS NULL ORDER BY e.assessment_id, e.indicator_id, e.id",
        [period_id],
    )
    out: dict[int, list[EvidenceRecord]] = defaultdict(list)
    for r in rows:
        out[r.assessment_id].append(r)
    return dict(out)


def all_products(con: duckdb.DuckDBPyConnection) -> dict[int, list[tuple[str, str]]]:
    """unit id → [(product code, product name)], ordered by code."""
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for unit_id, code, name in con.execute(
        "SELECT unit_id, code, name FROM service_products ORDER BY unit_id, code"
    ).fetchall():
        out[unit_id].append((code, name))
    return dict(out)
