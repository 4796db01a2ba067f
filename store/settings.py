"""Small key/value settings of an installation (e.g. whether demo data was seeded)."""

from __future__ import annotations

import duckdb


def get(con: duckdb.DuckDBPyConnection, *, key: str) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put(con: duckdb.DuckDBPyConnection, *, key: str, value: str) -> None:
    con.execute(
        "INSERT INTO settings VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]
    )
