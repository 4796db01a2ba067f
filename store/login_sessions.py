"""Login sessions that survive a browser reload. Only the sha256 of a token is stored."""

from __future__ import annotations

import datetime as dt

import duckdb


def start(con: duckdb.DuckDBPyConnection, *, token_sha256: str, username: str, at: dt.datetime) -> None:
    con.execute("INSERT INTO login_sessions VALUES (?, ?, ?, ?, NULL)", [token_sha256, username, at, at])


def find(con: duckdb.DuckDBPyConnection, *, token_sha256: str) -> tuple[str, dt.datetime, dt.datetime | None] | None:
    row = con.execute(
        "SELECT username, last_seen, ended_at FROM login_sessions WHERE token_sha256 = ?", [token_sha256]
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def touch(con: duckdb.DuckDBPyConnection, *, token_sha256: str, at: dt.datetime) -> None:
    con.execute("UPDATE login_sessions SET last_seen = ? WHERE token_sha256 = ?", [at, token_sha256])


def end(con: duckdb.DuckDBPyConnection, *, token_sha256: str, at: dt.datetime) -> None:
    con.execute(
        "UPDATE login_sessions SET ended_at = ? WHERE token_sha256 = ? AND ended_at IS NULL", [at, token_sha256]
    )


def end_all_for(con: duckdb.DuckDBPyConnection, *, username: str, at: dt.datetime) -> None:
    con.execute("UPDATE login_sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL", [at, username])
