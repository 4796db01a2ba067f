"""Follow-up actions (rencana tindak lanjut) of a unit in a period. Changes go through services.followup,
which checks the actor and appends an audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import duckdb

from store.errors import ConflictError
from store.models import Row
from store.rows import fetch_all, fetch_one

ActionStatus = Literal["rencana", "berjalan", "selesai", "dibatalkan"]
ActionSource = Literal["path", "finding", "missed", "manual"]
OPEN_STATUSES: tuple[str, ...] = ("rencana", "berjalan")


class ActionRow(Row):
    id: int
    period_id: int
    unit_id: int
    title: str
    indicators: str  # indicator ids separated by ','
    source: ActionSource
    owner: str
    due_date: dt.date
    status: ActionStatus
    expected_points: float
    evidence_id: int | None
    closing_note: str
    revision: int
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime

    @property
    def indicator_ids(self) -> list[str]:
        return [i for i in self.indicators.split(",") if i]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today


_COLS = (
    "id, period_id, unit_id, title, indicators, source, owner, due_date, status, expected_points, evidence_id, "
    "closing_note, revision, created_by, created_at, updated_by, updated_at"
)


def add(
    con: duckdb.DuckDBPyConnection,
    *,
    period_id: int,
    unit_id: int,
    title: str,
    indicators: list[str],
    source: str,
    owner: str,
    due_date: dt.date,
    expected_points: float,
    actor: str,
    at: dt.datetime,
) -> int:
    row = con.execute(
        "INSERT INTO followup_actions (period_id, unit_id, title, indicators, source, owner, due_date, "
        "expected_points, created_by, created_at, updated_by, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [period_id, unit_id, title, ",".join(indicators), source, owner, due_date, expected_points,
         actor, at, actor, at],
    ).fetchone()  # fmt: skip
    return int(row[0])


def get(con: duckdb.DuckDBPyConnection, *, action_id: int) -> ActionRow | None:
    return fetch_one(con, ActionRow, f"SELECT {_COLS} FROM followup_actions WHERE id = ?", [action_id])


def for_period(
    con: duckdb.DuckDBPyConnection, *, period_id: int, unit_ids: list[int] | None = None
) -> list[ActionRow]:
    """Actions of a period (of some units), earliest due first."""
    sql = f"SELECT {_COLS} FROM followup_actions WHERE period_id = ?"
    params: list = [period_id]
    if unit_ids is not None:
        if not unit_ids:
            return []
        sql += f" AND unit_id IN ({','.join('?' * len(unit_ids))})"
        params += unit_ids
    return fetch_all(con, ActionRow, sql + " ORDER BY due_date, id", params)


def update(
    con: duckdb.DuckDBPyConnection,
    *,
    action_id: int,
    expected_revision: int,
    actor: str,
    at: dt.datetime,
    **fields: object,
) -> None:
    """Set the given columns; refuses when someone changed the action since it was read."""
    allowed = {"title", "owner", "due_date", "status", "expected_points", "evidence_id", "closing_note"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown action fields: {sorted(unknown)}")
    sets = ", ".join(f"{k} = ?" for k in fields)
    row = con.execute(
        f"UPDATE followup_actions SET {sets}, revision = revision + 1, updated_by = ?, updated_at = ? "
        "WHERE id = ? AND revision = ? RETURNING id",
        [*fields.values(), actor, at, action_id, expected_revision],
    ).fetchone()
    if row is None:
        raise ConflictError(key="err.followup.action_changed")
