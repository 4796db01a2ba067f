"""Storage errors and the translation of DuckDB and PostgreSQL errors into them (a human title and what to do).

Its own module so that store.db (connections, transactions) and store.migrations both use it without
importing each other."""

from __future__ import annotations

import re

import duckdb
import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import PoolTimeout

from assessment.errors import KepatuhanError

# what a statement on either backend may raise; store.db.transaction and the migrations translate these
DB_ERRORS: tuple[type[BaseException], ...] = (duckdb.Error, psycopg.Error, PoolTimeout)


class StorageError(KepatuhanError):
    """A storage failure, raised with a message key that says what happened and what to do
    (`StorageError(key="err.storage.locked", holder=…)`, texts in assessment/messages.py)."""


class ConflictError(StorageError):
    """Someone else changed the same data first (another tab, another user)."""


SERIALIZATION_CONFLICT = "err.storage.conflict"  # the key of a conflict the database found, not the app


def translate(exc: Exception) -> StorageError:
    """The DuckDB, PostgreSQL (or OS) error as a StorageError; the caller raises it `from exc`, so the cause
    is kept."""
    if isinstance(exc, (psycopg.Error, PoolTimeout)):
        return _translate_pg(exc)
    text = str(exc)
    # duckdb 2.0: 'IO Error: Could not set lock on file "…": Conflicting lock is held in <exe> (PID 123). …'
    if "lock" in text.lower() and ("conflicting" in text.lower() or "could not set lock" in text.lower()):
        pid = re.search(r"\(PID (\d+)\)", text)
        holder = f" (PID {pid.group(1)})" if pid else ""
        return StorageError(key="err.storage.locked", holder=holder)
    if isinstance(exc, duckdb.TransactionException) or "conflict" in text.lower():
        return ConflictError(key=SERIALIZATION_CONFLICT)
    if isinstance(exc, duckdb.ConstraintException):
        return StorageError(key="err.storage.constraint", detail=_first_line(text))
    if isinstance(exc, (duckdb.IOException, OSError)):
        return StorageError(key="err.storage.io", detail=_first_line(text))
    return StorageError(key="err.storage.other", detail=_first_line(text))


def _translate_pg(exc: Exception) -> StorageError:
    # another process changed the row after this transaction's snapshot (REPEATABLE READ), or a deadlock:
    # the same words as a stale tab, so the user reloads and sees the other change
    if isinstance(exc, (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)):
        return ConflictError(key=SERIALIZATION_CONFLICT)
    if isinstance(exc, psycopg.IntegrityError):
        return StorageError(key="err.storage.constraint", detail=_first_line(str(exc)))
    if isinstance(exc, (psycopg.OperationalError, PoolTimeout)):
        return StorageError(key="err.storage.database_unreachable", detail=_first_line(str(exc)))
    return StorageError(key="err.storage.other", detail=_first_line(str(exc)))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""
