"""Opening the DuckDB database, transactions, and the translation of DuckDB errors.

One data directory (KEPATUHAN_DATA_DIR, default ./data) holds kepatuhan.duckdb and the
evidence files. DuckDB lets one process write; a second one gets StorageError, not a crash.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from assessment.errors import KepatuhanError

DB_FILE = "kepatuhan.duckdb"
EVIDENCE_DIR = "evidence"


class StorageError(KepatuhanError):
    """A storage failure with a human title and what to do about it."""

    def __init__(self, title: str = "", advice: str = "", *, key: str | None = None, **params: object) -> None:
        self.title = title
        self.advice = advice
        super().__init__(f"{title} {advice}".strip(), key=key, **params)


class ConflictError(StorageError):
    """Someone else changed the same data first (another tab, another user)."""


def data_dir() -> Path:
    return Path(os.environ.get("KEPATUHAN_DATA_DIR") or "data").resolve()


def db_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / DB_FILE


def evidence_root(root: Path | None = None) -> Path:
    return (root or data_dir()) / EVIDENCE_DIR


def translate(exc: Exception) -> StorageError:
    text = str(exc)
    # duckdb 2.0: 'IO Error: Could not set lock on file "…": Conflicting lock is held in <exe> (PID 123). …'
    if "lock" in text.lower() and ("conflicting" in text.lower() or "could not set lock" in text.lower()):
        pid = re.search(r"\(PID (\d+)\)", text)
        holder = f" (PID {pid.group(1)})" if pid else ""
        return StorageError(key="err.storage.locked", holder=holder)
    if isinstance(exc, duckdb.TransactionException) or "conflict" in text.lower():
        return ConflictError(key="err.storage.conflict")
    if isinstance(exc, duckdb.ConstraintException):
        return StorageError(key="err.storage.constraint", detail=_first_line(text))
    if isinstance(exc, (duckdb.IOException, OSError)):
        return StorageError(key="err.storage.io", detail=_first_line(text))
    return StorageError(key="err.storage.other", detail=_first_line(text))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def connect(root: Path | None = None, *, read_only: bool = False, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (and create/migrate) the database in the data directory."""
    from store.migrations import migrate as run_migrations

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


def connect_memory() -> duckdb.DuckDBPyConnection:
    from store.migrations import migrate as run_migrations

    con = duckdb.connect(":memory:")
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
