"""The Ombudsman's published results per unit / Pemda and its products (corrective actions, suggestions,
recommendations) with their follow-up status, plus the contacts reminders are sent to."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import duckdb

from store.models import Row
from store.rows import fetch_all, fetch_one

ProductKind = Literal["tindakan_korektif", "saran", "rekomendasi"]
FollowupStatus = Literal["belum", "berjalan", "selesai"]


class OfficialResultRow(Row):
    period_id: int
    org_unit_id: int
    score: float
    label: str
    suffix: str
    dimensions: dict[str, float]
    recorded_by: str
    recorded_at: dt.datetime


class OmbudsmanProductRow(Row):
    id: int
    period_id: int
    org_unit_id: int
    kind: ProductKind
    reference: str
    description: str
    followup_status: FollowupStatus
    recorded_by: str
    recorded_at: dt.datetime


class ContactRow(Row):
    username: str
    email: str
    phone: str


def _result(row: tuple) -> OfficialResultRow:
    period_id, org_unit_id, score, label, suffix, dims, by, at = row
    return OfficialResultRow(
        period_id=period_id, org_unit_id=org_unit_id, score=score, label=label, suffix=suffix,
        dimensions=json.loads(dims or "{}"), recorded_by=by, recorded_at=at,
    )  # fmt: skip


_RESULT_COLS = "period_id, org_unit_id, score, label, suffix, dimensions, recorded_by, recorded_at"


def put_result(
    con: duckdb.DuckDBPyConnection,
    *,
    period_id: int,
    org_unit_id: int,
    score: float,
    label: str,
    suffix: str,
    dimensions: dict[str, float],
    actor: str,
    at: dt.datetime,
) -> OfficialResultRow | None:
    """Insert or replace the published result; returns the one it replaced."""
    old = get_result(con, period_id=period_id, org_unit_id=org_unit_id)
    con.execute(
        f"INSERT INTO official_results ({_RESULT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (period_id, org_unit_id) DO UPDATE SET score = excluded.score, label = excluded.label, "
        "suffix = excluded.suffix, dimensions = excluded.dimensions, recorded_by = excluded.recorded_by, "
        "recorded_at = excluded.recorded_at",
        [period_id, org_unit_id, score, label, suffix, json.dumps(dimensions, sort_keys=True), actor, at],
    )
    return old


def get_result(con: duckdb.DuckDBPyConnection, *, period_id: int, org_unit_id: int) -> OfficialResultRow | None:
    row = con.execute(
        f"SELECT {_RESULT_COLS} FROM official_results WHERE period_id = ? AND org_unit_id = ?",
        [period_id, org_unit_id],
    ).fetchone()
    return _result(row) if row else None


def results(con: duckdb.DuckDBPyConnection, *, period_id: int | None = None) -> list[OfficialResultRow]:
    sql = f"SELECT {_RESULT_COLS} FROM official_results"
    params: list = []
    if period_id is not None:
        sql += " WHERE period_id = ?"
        params.append(period_id)
    return [_result(r) for r in con.execute(sql + " ORDER BY period_id, org_unit_id", params).fetchall()]


_PRODUCT_COLS = "id, period_id, org_unit_id, kind, reference, description, followup_status, recorded_by, recorded_at"


def put_product(
    con: duckdb.DuckDBPyConnection,
    *,
    period_id: int,
    org_unit_id: int,
    kind: str,
    reference: str,
    description: str,
    followup_status: str,
    actor: str,
    at: dt.datetime,
) -> OmbudsmanProductRow | None:
    """Insert, or update the product with the same reference; returns the previous version."""
    old = fetch_one(
        con, OmbudsmanProductRow,
        f"SELECT {_PRODUCT_COLS} FROM ombudsman_products WHERE period_id = ? AND org_unit_id = ? AND reference = ?",
        [period_id, org_unit_id, reference],
    )  # fmt: skip
    if old is None:
        con.execute(
            "INSERT INTO ombudsman_products (period_id, org_unit_id, kind, reference, description, followup_status, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [period_id, org_unit_id, kind, reference, description, followup_status, actor, at],
        )
    else:
        con.execute(
            "UPDATE ombudsman_products SET kind = ?, description = ?, followup_status = ?, recorded_by = ?, "
            "recorded_at = ? WHERE id = ?",
            [kind, description, followup_status, actor, at, old.id],
        )
    return old


def products(
    con: duckdb.DuckDBPyConnection, *, period_id: int | None = None, org_unit_id: int | None = None
) -> list[OmbudsmanProductRow]:
    clauses, params = [], []
    if period_id is not None:
        clauses.append("period_id = ?")
        params.append(period_id)
    if org_unit_id is not None:
        clauses.append("org_unit_id = ?")
        params.append(org_unit_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return fetch_all(
        con, OmbudsmanProductRow, f"SELECT {_PRODUCT_COLS} FROM ombudsman_products{where} ORDER BY id", params
    )


def contact(con: duckdb.DuckDBPyConnection, *, username: str) -> ContactRow | None:
    return fetch_one(
        con, ContactRow, "SELECT username, email, phone FROM reminder_contacts WHERE username = ?", [username]
    )


def put_contact(con: duckdb.DuckDBPyConnection, *, username: str, email: str, phone: str) -> None:
    con.execute(
        "INSERT INTO reminder_contacts VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
        "email = excluded.email, phone = excluded.phone",
        [username, email, phone],
    )
