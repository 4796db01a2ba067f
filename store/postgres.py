"""PostgreSQL behind the connection shape the store already uses with DuckDB (issue 11).

The store writes ``con.execute(sql, params).fetchall()`` with ``?`` placeholders, opens transactions with
``BEGIN TRANSACTION`` / ``COMMIT`` (store.db.transaction), and the app takes ``.cursor()`` per browser
session and per download thread. A PgConnection keeps that shape over a psycopg connection pool, one pool
per process:

- outside a transaction each statement borrows a pooled connection (autocommit) and gives it back with the
  rows already fetched, so thousands of idle browser sessions hold no database connection;
- from BEGIN to COMMIT/ROLLBACK one connection is kept, at REPEATABLE READ: a write that meets a row another
  process committed after this transaction's snapshot fails with a serialization error, which
  store.errors.translate turns into today's conflict message — two processes never silently overwrite
  each other (the read-revision-then-write pattern would lose an update under READ COMMITTED).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

POOL_MIN = 1
POOL_MAX = 10  # per app process; KEPATUHAN_DB_POOL overrides (store.db)
POOL_TIMEOUT_S = 20.0
MIGRATION_LOCK = 740_011  # pg_advisory_lock keys: one process migrates at a time,
STARTUP_LOCK = 740_012  # and one seeds the demo on a first start

_TX_BEGIN = {"BEGIN", "BEGIN TRANSACTION"}
_TX_END = {"COMMIT", "ROLLBACK"}


class Result:
    """The rows of one statement, fetched whole (the connection is already back in the pool)."""

    def __init__(self, description: Sequence[Any] | None, rows: list[tuple], rowcount: int) -> None:
        self.description = [(d.name, d.type_code) for d in description] if description else None
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    def fetchone(self) -> tuple | None:
        if self._next >= len(self._rows):
            return None
        row = self._rows[self._next]
        self._next += 1
        return row

    def fetchall(self) -> list[tuple]:
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    def fetchmany(self, size: int = 1) -> list[tuple]:
        rows = self._rows[self._next : self._next + size]
        self._next += len(rows)
        return rows


class PgConnection:
    """The DuckDB-shaped handle over a pool. The root one (from open_pool) owns the pool; ``.cursor()``
    gives handles that share it, one per browser session or thread."""

    dialect = "postgresql"

    def __init__(self, pool: ConnectionPool, *, owns_pool: bool, url: str) -> None:
        self.url = url  # for the analytics pull over ADBC (store.period_scores)
        self._pool = pool
        self._owns_pool = owns_pool
        self._held: psycopg.Connection | None = None  # kept from BEGIN to COMMIT, or while pinned
        self._in_tx = False
        self._pins = 0

    # --- the DuckDB connection shape -----------------------------------------------------------------
    def cursor(self) -> PgConnection:
        return PgConnection(self._pool, owns_pool=False, url=self.url)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        word = " ".join(sql.split()).upper().rstrip(";") if len(sql) < 32 else ""  # only BEGIN/COMMIT/ROLLBACK
        if word in _TX_BEGIN:
            return self._begin()
        if word in _TX_END:
            return self._end(word)
        conn = self._held
        if conn is not None:
            return _run(conn, sql, params)
        with self._pool.connection(timeout=POOL_TIMEOUT_S) as borrowed:
            return _run(borrowed, sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Result:
        conn = self._held
        if conn is not None:
            return _run_many(conn, sql, rows)
        with self._pool.connection(timeout=POOL_TIMEOUT_S) as borrowed:
            return _run_many(borrowed, sql, rows)

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._held is not None:
            if self._in_tx:
                _quiet_rollback(self._held)
                self._in_tx = False
            self._pool.putconn(self._held)
            self._held = None
        if self._owns_pool:
            self._pool.close()

    # --- transactions and pinning ----------------------------------------------------------------------
    def _begin(self) -> Result:
        if self._in_tx:
            raise psycopg.ProgrammingError("a transaction is already open on this handle")
        if self._held is None:
            self._held = self._pool.getconn(timeout=POOL_TIMEOUT_S)
        try:
            self._held.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        except BaseException:
            self._release_unpinned()
            raise
        self._in_tx = True
        return Result(None, [], -1)

    def _end(self, word: str) -> Result:
        if not self._in_tx or self._held is None:
            return Result(None, [], -1)  # DuckDB also lets a stray ROLLBACK pass in store.db._rollback
        try:
            self._held.execute(word)
        finally:
            self._in_tx = False
            self._release_unpinned()
        return Result(None, [], -1)

    def _release_unpinned(self) -> None:
        if self._held is not None and self._pins == 0 and not self._in_tx:
            self._pool.putconn(self._held)
            self._held = None

    @contextmanager
    def pinned(self) -> Iterator[PgConnection]:
        """Every statement (and transaction) inside runs on one physical connection: for session-level
        state such as the migration lock."""
        if self._held is None:
            self._held = self._pool.getconn(timeout=POOL_TIMEOUT_S)
        self._pins += 1
        try:
            yield self
        finally:
            self._pins -= 1
            if self._in_tx and self._pins == 0:
                _quiet_rollback(self._held)
                self._in_tx = False
            self._release_unpinned()

    @contextmanager
    def advisory_lock(self, key: int) -> Iterator[None]:
        """One process at a time inside (across every process on this database), e.g. migrations or the
        first start's demo seeding when two app processes start together."""
        with self.pinned():
            self.execute("SELECT pg_advisory_lock(?)", [key])
            try:
                yield
            finally:
                self.execute("SELECT pg_advisory_unlock(?)", [key])

    def migration_lock(self) -> AbstractContextManager[None]:
        return self.advisory_lock(MIGRATION_LOCK)


def open_pool(url: str, *, max_size: int = POOL_MAX) -> PgConnection:
    """The process's root handle: a pool of autocommit connections in UTC (TIMESTAMP columns hold naive
    UTC-free local times as in DuckDB; the session zone only matters for current_timestamp defaults)."""

    def configure(conn: psycopg.Connection) -> None:
        conn.execute("SET TIME ZONE 'UTC'")

    pool = ConnectionPool(
        url,
        min_size=POOL_MIN,
        max_size=max(POOL_MIN, max_size),
        kwargs={"autocommit": True},
        configure=configure,
        open=False,
        name="kepatuhan",
    )
    pool.open(wait=True, timeout=POOL_TIMEOUT_S)
    return PgConnection(pool, owns_pool=True, url=url)


def is_postgres(con: Any) -> bool:
    return getattr(con, "dialect", None) == "postgresql"


# --- SQL and values --------------------------------------------------------------------------------------
_DDL_TYPES = [
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)"), "DOUBLE PRECISION"),
    (re.compile(r"\bJSON\b"), "TEXT"),  # read back as text, as DuckDB gives it
]


def ddl(statement: str) -> str:
    """A migration statement in PostgreSQL's type names (the migrations are written once, for both)."""
    for pattern, replacement in _DDL_TYPES:
        statement = pattern.sub(replacement, statement)
    return statement


@lru_cache(maxsize=1024)
def placeholders(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg's ``%s``; a literal ``%`` doubled. Quoted text is left alone.
    Cached: the store's statements are a few hundred fixed texts, translated on every call otherwise."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def _value(value: Any) -> Any:
    # numeric comes back from sum(bigint) and the like: integral → int, else float, as DuckDB gives them
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


_NUMERIC_OID = 1700


def _run(conn: psycopg.Connection, sql: str, params: Sequence[Any] | None) -> Result:
    with conn.cursor() as cur:
        if params:
            cur.execute(placeholders(sql), list(params))
        else:  # without parameters psycopg sends the text as it is (a `%` stays single)
            cur.execute(sql)
        description = cur.description
        rows = cur.fetchall() if description else []
        numeric = [i for i, d in enumerate(description or ()) if d.type_code == _NUMERIC_OID]
        if numeric and rows:
            rows = [tuple(_value(v) if i in numeric else v for i, v in enumerate(row)) for row in rows]
        return Result(description, rows, cur.rowcount)


def _run_many(conn: psycopg.Connection, sql: str, rows: Sequence[Sequence[Any]]) -> Result:
    with conn.cursor() as cur:
        cur.executemany(placeholders(sql), [list(r) for r in rows])
        return Result(None, [], cur.rowcount)


def _quiet_rollback(conn: psycopg.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except psycopg.Error:
        pass
