"""Opening the DuckDB database, transactions, and the translation of DuckDB errors.

One data directory (KEPATUHAN_DATA_DIR, default ./data) holds kepatuhan.duckdb and the
evidence files. DuckDB lets one process write; a second one gets StorageError, not a crash.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from store.errors import StorageError, translate
from store.migrations import migrate as run_migrations

DB_FILE = "kepatuhan.duckdb"
EVIDENCE_DIR = "evidence"


def data_dir() -> Path:
    return Path(os.environ.get("KEPATUHAN_DATA_DIR") or "data").resolve()


def db_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / DB_FILE


def evidence_root(root: Path | None = None) -> Path:
    return (root or data_dir()) / EVIDENCE_DIR


def connect(root: Path | None = None, *, read_only: bool = False, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (and create/migrate) the database in the data directory."""
    root = root or data_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        evidence_root(root).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(key="err.storage.data_dir", path=str(root), detail=exc.strerror) from exc
    try:
        con = duckdb.connect(str(db_path(root)), read_only=read_only)
    except duckdb.Error as exc:
        raise translate(exc) from exc
    if migrate and not read_only:
        run_migrations(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, or ROLLBACK on any error; DuckDB errors leave as StorageError."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.Error as exc:
        raise translate(exc) from exc
    try:
        yield con
        con.execute("COMMIT")
    except duckdb.Error as exc:
        _rollback(con)
        raise translate(exc) from exc
    except BaseException:
        _rollback(con)
        raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass
