"""Login sessions that survive a browser reload. Only the sha256 of a token is stored."""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb


def digest(token: str) -> str:
    """What is stored of a token: its sha256 (a stolen database file holds no usable session)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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


def end_all_for(
    con: duckdb.DuckDBPyConnection, *, username: str, at: dt.datetime, keep_sha256: str | None = None
) -> int:
    """End every live session of a user (but the one kept, if any); returns how many were ended."""
    row = con.execute(
        "UPDATE login_sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL "
        "AND token_sha256 IS DISTINCT FROM ? RETURNING token_sha256",
        [at, username, keep_sha256],
    ).fetchall()
    return len(row)
