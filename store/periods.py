"""Assessment periods; each pins one exact criteria text by sha256."""

from __future__ import annotations

import datetime as dt

import duckdb

from store.models import Period
from store.rows import fetch_all, fetch_one

_COLS = "id, name, year, criteria_sha256, opens, closes, visit_from, visit_to, status"


def add_period(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str,
    year: int,
    criteria_sha256: str,
    opens: dt.date | None = None,
    closes: dt.date | None = None,
    visit_from: dt.date | None = None,
    visit_to: dt.date | None = None,
    status: str = "open",
) -> int:
    row = con.execute(
        "INSERT INTO periods (name, year, criteria_sha256, opens, closes, visit_from, visit_to, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [name, year, criteria_sha256, opens, closes, visit_from, visit_to, status],
    ).fetchone()
    return int(row[0])


def get_period(con: duckdb.DuckDBPyConnection, *, period_id: int) -> Period | None:
    return fetch_one(con, Period, f"SELECT {_COLS} FROM periods WHERE id = ?", [period_id])


def period_by_name(con: duckdb.DuckDBPyConnection, *, name: str) -> Period | None:
    return fetch_one(con, Period, f"SELECT {_COLS} FROM periods WHERE name = ?", [name])


def list_periods(con: duckdb.DuckDBPyConnection) -> list[Period]:
    return fetch_all(con, Period, f"SELECT {_COLS} FROM periods ORDER BY year DESC, id DESC")


def set_status(con: duckdb.DuckDBPyConnection, *, period_id: int, status: str) -> None:
    con.execute("UPDATE periods SET status = ? WHERE id = ?", [status, period_id])


def set_dates(
    con: duckdb.DuckDBPyConnection,
    *,
    period_id: int,
    opens: dt.date | None,
    closes: dt.date | None,
    visit_from: dt.date | None,
    visit_to: dt.date | None,
) -> None:
    con.execute(
        "UPDATE periods SET opens = ?, closes = ?, visit_from = ?, visit_to = ? WHERE id = ?",
        [opens, closes, visit_from, visit_to, period_id],
    )
