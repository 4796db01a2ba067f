"""User accounts (argon2 hashes only), lock-out counters and verifier assignments."""

from __future__ import annotations

import datetime as dt

import duckdb

from store.models import Role, User
from store.rows import fetch_all, fetch_one

_COLS = (
    "id, username, display_name, password_hash, role, unit_id, failed_logins, locked_until, active, created_at, "
    "last_failed_at, password_changed_at"
)


def count(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM users").fetchone()[0])


def add(
    con: duckdb.DuckDBPyConnection,
    *,
    username: str,
    display_name: str,
    password_hash: str,
    role: Role,
    unit_id: int | None,
    at: dt.datetime,
) -> int:
    row = con.execute(
        "INSERT INTO users (username, display_name, password_hash, role, unit_id, created_at, password_changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [username, display_name, password_hash, role, unit_id, at, at],
    ).fetchone()
    return int(row[0])


def by_username(con: duckdb.DuckDBPyConnection, *, username: str) -> User | None:
    return fetch_one(con, User, f"SELECT {_COLS} FROM users WHERE lower(username) = lower(?)", [username])


def get(con: duckdb.DuckDBPyConnection, *, user_id: int) -> User | None:
    return fetch_one(con, User, f"SELECT {_COLS} FROM users WHERE id = ?", [user_id])


def list_all(con: duckdb.DuckDBPyConnection) -> list[User]:
    return fetch_all(con, User, f"SELECT {_COLS} FROM users ORDER BY username")


def record_failure(con: duckdb.DuckDBPyConnection, *, user_id: int, at: dt.datetime, locked_until: dt.datetime | None):
    con.execute(
        "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ?, locked_until = ? WHERE id = ?",
        [at, locked_until, user_id],
    )


def reset_failures(con: duckdb.DuckDBPyConnection, *, user_id: int) -> None:
    con.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [user_id])


def set_password(con: duckdb.DuckDBPyConnection, *, user_id: int, password_hash: str, at: dt.datetime) -> None:
    con.execute(
        "UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL "
        "WHERE id = ?",
        [password_hash, at, user_id],
    )


def update(
    con: duckdb.DuckDBPyConnection,
    *,
    user_id: int,
    display_name: str,
    role: Role,
    unit_id: int | None,
    active: bool,
) -> None:
    con.execute(
        "UPDATE users SET display_name = ?, role = ?, unit_id = ?, active = ? WHERE id = ?",
        [display_name, role, unit_id, active, user_id],
    )


def verifier_units(con: duckdb.DuckDBPyConnection, *, user_id: int) -> frozenset[int]:
    rows = con.execute("SELECT unit_id FROM verifier_assignments WHERE user_id = ?", [user_id]).fetchall()
    return frozenset(int(r[0]) for r in rows)


def set_verifier_units(con: duckdb.DuckDBPyConnection, *, user_id: int, unit_ids: set[int]) -> None:
    con.execute("DELETE FROM verifier_assignments WHERE user_id = ?", [user_id])
    for unit_id in sorted(unit_ids):
        con.execute("INSERT INTO verifier_assignments VALUES (?, ?)", [user_id, unit_id])
