"""Opening the database, transactions, and the translation of database errors.

One data directory (KEPATUHAN_DATA_DIR, default ./data) holds kepatuhan.duckdb and the evidence files.
DuckDB lets one process write; a second one gets StorageError, not a crash. With KEPATUHAN_DATABASE_URL
set to postgresql://… the same store runs on PostgreSQL instead (store.postgres: a pool per process, so
several app processes share one database); the data directory still holds evidence files and the demo
accounts file.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from store.errors import DB_ERRORS, SERIALIZATION_CONFLICT, ConflictError, StorageError, translate
from store.migrations import migrate as run_migrations

T = TypeVar("T")
DB_FILE = "kepatuhan.duckdb"
EVIDENCE_DIR = "evidence"


def data_dir() -> Path:
    return Path(os.environ.get("KEPATUHAN_DATA_DIR") or "data").resolve()


def db_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / DB_FILE


def evidence_root(root: Path | None = None) -> Path:
    return (root or data_dir()) / EVIDENCE_DIR


def database_url() -> str | None:
    """KEPATUHAN_DATABASE_URL, or None for the embedded DuckDB file."""
    url = (os.environ.get("KEPATUHAN_DATABASE_URL") or "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise StorageError(key="err.storage.database_url")
    return url


def pool_size() -> int:
    """KEPATUHAN_DB_POOL: connections each app process may hold (default store.postgres.POOL_MAX)."""
    from store.postgres import POOL_MAX

    raw = os.environ.get("KEPATUHAN_DB_POOL", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else POOL_MAX


def connect(root: Path | None = None, *, read_only: bool = False, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (and create/migrate) the database: PostgreSQL when KEPATUHAN_DATABASE_URL says so, else the
    DuckDB file in the data directory."""
    root = root or data_dir()
    url = database_url()
    try:
        root.mkdir(parents=True, exist_ok=True)
        evidence_root(root).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(key="err.storage.data_dir", path=str(root), detail=exc.strerror) from exc
    if url is not None:
        return _connect_postgres(url, migrate=migrate and not read_only)
    try:
        con = duckdb.connect(str(db_path(root)), read_only=read_only)
    except duckdb.Error as exc:
        raise translate(exc) from exc
    if migrate and not read_only:
        run_migrations(con)
    return con


def _connect_postgres(url: str, *, migrate: bool) -> Any:
    from store.postgres import open_pool

    try:
        con = open_pool(url, max_size=pool_size())
    except DB_ERRORS as exc:
        raise translate(exc) from exc
    if migrate:
        try:
            with con.migration_lock():
                run_migrations(con)
        except BaseException:
            con.close()
            raise
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, or ROLLBACK on any error; database errors leave as StorageError (on PostgreSQL the
    transaction is REPEATABLE READ, and a concurrent change to the same rows leaves as ConflictError)."""
    try:
        con.execute("BEGIN TRANSACTION")
    except DB_ERRORS as exc:
        raise translate(exc) from exc
    try:
        yield con
        con.execute("COMMIT")
    except DB_ERRORS as exc:
        _rollback(con)
        raise translate(exc) from exc
    except BaseException:
        _rollback(con)
        raise


def retried(con: Any, work: Callable[[], T], *, attempts: int = 8) -> T:
    """work() in one transaction; when another session changed the same rows first (a serialization failure on
    PostgreSQL, a write conflict in DuckDB), the whole work runs again after a short random pause, up to
    `attempts` times. Only for bookkeeping that is right to redo (login counters, audit rows); a user's own edit
    must show its conflict instead (stale-tab rule)."""
    attempt = 1
    while True:
        try:
            with transaction(con):
                return work()
        except ConflictError as exc:
            if exc.key != SERIALIZATION_CONFLICT or attempt >= attempts:
                raise
        time.sleep(random.uniform(0.005, 0.03) * attempt)  # noqa: S311 - jitter, not a secret
        attempt += 1


def startup_lock(con: Any) -> AbstractContextManager[None]:
    """Held while a process seeds a first start: on PostgreSQL an advisory lock, so two app processes starting
    together do not both seed; DuckDB lets only one process in anyway."""
    from store.postgres import STARTUP_LOCK, is_postgres

    return con.advisory_lock(STARTUP_LOCK) if is_postgres(con) else nullcontext()


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except DB_ERRORS:
        pass
