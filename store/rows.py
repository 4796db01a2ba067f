"""Fetch query results as models, by column name."""

from __future__ import annotations

from typing import Any, TypeVar

import duckdb
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def fetch_all(con: duckdb.DuckDBPyConnection, model: type[M], sql: str, params: list[Any] | None = None) -> list[M]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [model(**dict(zip(names, row, strict=True))) for row in cur.fetchall()]


def fetch_one(con: duckdb.DuckDBPyConnection, model: type[M], sql: str, params: list[Any] | None = None) -> M | None:
    rows = fetch_all(con, model, sql, params)
    return rows[0] if rows else None
