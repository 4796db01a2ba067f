"""Storage errors and the translation of DuckDB errors into them (a human title and what to do).

Its own module so that store.db (connections, transactions) and store.migrations both use it without
importing each other."""

from __future__ import annotations

import re

import duckdb

from assessment.errors import KepatuhanError


class StorageError(KepatuhanError):
    """A storage failure, raised with a message key that says what happened and what to do
    (`StorageError(key="err.storage.locked", holder=…)`, texts in assessment/messages.py)."""


class ConflictError(StorageError):
    """Someone else changed the same data first (another tab, another user)."""


def translate(exc: Exception) -> StorageError:
    """The DuckDB (or OS) error as a StorageError; the caller raises it `from exc`, so the cause is kept."""
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
