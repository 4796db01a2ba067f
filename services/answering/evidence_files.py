"""Use cases of evidence: attach (blob first, then the row), describe, remove, download."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assessment.errors import KepatuhanError
from evidence import BlobNotFound, EvidenceStore, inspect, open_evidence_store
from evidence.intake import ALLOWED, IMAGE_TYPES, PDF, EvidenceRejected, safe_file_name
from services.access import Actor, require_read
from services.audit_events import EvidenceAdded, EvidenceRemoved, EvidenceUpdated
from services.common import NotFound, indicator_of, now, writable_assessment
from store import assessments, audit, evidence_records
from store.db import evidence_root, transaction
from store.models import EvidenceRecord


def blob_store(root: Path | None = None) -> EvidenceStore:
    """The evidence store of the data directory ``root``: its evidence folder, or the object storage that
    KEPATUHAN_EVIDENCE_URL names (evidence/stores.py decides)."""
    return open_evidence_store(evidence_root(root))


def attach_evidence(
    con: duckdb.DuckDBPyConnection,
    blobs: EvidenceStore,
    actor: Actor,
    *,
    assessment_id: int,
    indicator_id: str,
    data: bytes,
    file_name: str,
    description: str = "",
    effective_date: dt.date | None = None,
) -> EvidenceRecord:
    """Check the upload, write its bytes atomically, then record it. A row never points at a missing file."""
    row, criteria = writable_assessment(con, actor, assessment_id)
    indicator_of(criteria, indicator_id)
    if effective_date and effective_date > dt.date.today():
        raise KepatuhanError(key="err.evidence.future_date")
    intake = inspect(data, file_name)
    sha = blobs.put(data)
    at = now()
    with transaction(con):
        evidence_id = evidence_records.add(
            con,
            assessment_id=row.id,
            indicator_id=indicator_id,
            sha256=sha,
            file_name=intake.safe_name,
            media_type=intake.media_type,
            size=intake.size,
            effective_date=effective_date,
            description=description.strip()[:500],
            actor=actor.username,
            at=at,
        )
        audit.append(
            con,
            actor=actor.username,
            event=EvidenceAdded(
                assessment_id=row.id,
                indicator=indicator_id,
                evidence_id=evidence_id,
                file=intake.safe_name,
                sha256=sha,
                size=intake.size,
            ),
            at=at,
        )
    record = evidence_records.get(con, evidence_id=evidence_id)
    assert record is not None
    return record


def update_evidence(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    evidence_id: int,
    description: str,
    effective_date: dt.date | None,
) -> None:
    record = _record(con, evidence_id)
    writable_assessment(con, actor, record.assessment_id)
    if effective_date and effective_date > dt.date.today():
        raise KepatuhanError(key="err.evidence.future_date_short")
    with transaction(con):
        evidence_records.update_details(
            con, evidence_id=evidence_id, description=description.strip()[:500], effective_date=effective_date
        )
        audit.append(
            con,
            actor=actor.username,
            event=EvidenceUpdated(
                assessment_id=record.assessment_id,
                evidence_id=evidence_id,
                old={"description": record.description, "date": str(record.effective_date or "")},
                new={"description": description.strip()[:500], "date": str(effective_date or "")},
            ),
            at=now(),
        )


def remove_evidence(con: duckdb.DuckDBPyConnection, actor: Actor, *, evidence_id: int) -> None:
    """Mark removed (the row and the bytes stay for the audit trail)."""
    record = _record(con, evidence_id)
    writable_assessment(con, actor, record.assessment_id)
    at = now()
    with transaction(con):
        evidence_records.mark_removed(con, evidence_id=evidence_id, actor=actor.username, at=at)
        audit.append(
            con,
            actor=actor.username,
            event=EvidenceRemoved(
                assessment_id=record.assessment_id,
                indicator=record.indicator_id,
                evidence_id=evidence_id,
                file=record.file_name,
            ),
            at=at,
        )


def evidence_bytes(
    con: duckdb.DuckDBPyConnection, blobs: EvidenceStore, actor: Actor, *, evidence_id: int
) -> tuple[EvidenceRecord, bytes]:
    """The file of one evidence record, for download or inline display, after the scope check."""
    record = _record(con, evidence_id)
    row = assessments.get(con, assessment_id=record.assessment_id)
    assert row is not None
    require_read(actor, row.unit_id)
    try:
        return record, blobs.get(record.sha256)
    except BlobNotFound:
        raise KepatuhanError(key="err.evidence.blob_missing") from None


OCTET_STREAM = "application/octet-stream"


@dataclass(frozen=True)
class EvidenceDownload:
    """An evidence file as it may leave the server: always as an attachment, typed by what its bytes are."""

    file_name: str
    media_type: str
    data: bytes
    preview: str | None  # "image" or "pdf" when the page may show it; never HTML, SVG or text


def download_type(media_type: str) -> str:
    """The media type a download goes out with: one intake accepts, else a plain byte stream.

    Known before the bytes are read (a download button needs it up front); a record whose stored type is not
    one intake accepts (an old or altered row, e.g. text/html) is served as application/octet-stream.
    """
    return media_type if media_type in ALLOWED else OCTET_STREAM


def download_name(record: EvidenceRecord) -> str:
    """The file name a download is saved under; a type we would not serve gets '.bin', never '.html'."""
    name = safe_file_name(record.file_name)
    return name if download_type(record.media_type) != OCTET_STREAM else f"{name}.bin"


def evidence_download(
    con: duckdb.DuckDBPyConnection, blobs: EvidenceStore, actor: Actor, *, evidence_id: int
) -> EvidenceDownload:
    """The file of one evidence record for a download or a preview, typed by sniffing its bytes again.

    The stored record says what intake found; the bytes are sniffed once more here so that nothing the
    database claims (a tampered media type or name) can make the browser render uploaded content as a page.
    """
    record, data = evidence_bytes(con, blobs, actor, evidence_id=evidence_id)
    try:
        sniffed = inspect(data, record.file_name)
    except EvidenceRejected:
        name = safe_file_name(record.file_name)
        return EvidenceDownload(f"{name}.bin", OCTET_STREAM, data, None)
    if sniffed.media_type != download_type(record.media_type):
        return EvidenceDownload(f"{sniffed.safe_name}.bin", OCTET_STREAM, data, None)
    preview = "image" if sniffed.media_type in IMAGE_TYPES else "pdf" if sniffed.media_type == PDF else None
    return EvidenceDownload(sniffed.safe_name, sniffed.media_type, data, preview)


def collect_orphans(
    con: duckdb.DuckDBPyConnection, blobs: EvidenceStore, *, older_than_seconds: int = 3600
) -> list[str]:
    return blobs.collect_orphans(evidence_records.referenced_hashes(con), older_than_seconds=older_than_seconds)


def _record(con: duckdb.DuckDBPyConnection, evidence_id: int) -> EvidenceRecord:
    record = evidence_records.get(con, evidence_id=evidence_id)
    if record is None:
        raise NotFound(key="err.evidence.not_found")
    return record
