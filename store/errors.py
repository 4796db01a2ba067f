"""Storage errors and the translation of DuckDB errors into them (a human title and what to do).

Its own module so that store.db (connections, transactions) and store.migrations both use it without
importing each other."""

from __future__ import annotations

import re

import duckdb

from assessment.errors import KepatuhanError


class StorageError(KepatuhanError):
    """A storage failure with a human title and what to do about it."""

    def __init__(self, title: str, advice: str = "") -> None:
        self.title = title
        self.advice = advice
        super().__init__(f"{title} {advice}".strip())


class ConflictError(StorageError):
    """Someone else changed the same data first (another tab, another user)."""


def translate(exc: Exception) -> StorageError:
    text = str(exc)
    # duckdb 2.0: 'IO Error: Could not set lock on file "…": Conflicting lock is held in <exe> (PID 123). …'
    if "lock" in text.lower() and ("conflicting" in text.lower() or "could not set lock" in text.lower()):
        pid = re.search(r"\(PID (\d+)\)", text)
        holder = f" (PID {pid.group(1)})" if pid else ""
        return StorageError(
            f"Database sedang dipakai oleh proses lain{holder} (aplikasi Kepatuhan yang sedang berjalan?).",
            "Tutup aplikasinya dulu lalu ulangi perintah ini, atau lakukan perubahan lewat aplikasi.",
        )
    if isinstance(exc, duckdb.TransactionException) or "conflict" in text.lower():
        return ConflictError(
            "Data ini baru saja diubah di tempat lain.", "Muat ulang halaman untuk melihat versi terbaru, lalu ulangi."
        )
    if isinstance(exc, duckdb.ConstraintException):
        return StorageError("Data bertentangan dengan data yang sudah ada.", f"({_first_line(text)})")
    if isinstance(exc, (duckdb.IOException, OSError)):
        return StorageError(
            "Database tidak bisa dibaca atau ditulis.", f"Periksa folder data dan ruang disk. ({_first_line(text)})"
        )
    return StorageError("Terjadi kesalahan penyimpanan.", f"({_first_line(text)})")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""
