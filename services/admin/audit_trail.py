"""Reading the append-only audit trail: filters, a plain-text rendering of each event, CSV export.

Event labels are not here: they are catalog lines (`audit.event.<name>`, ui/i18n), one per event type of
services/audit_events.py, so the page and the CSV name events in the reader's language.

Admins only: the trail holds logins, role changes and every unit's answers, so it is not part of
what a viewer (who reads the region's results) or a verifier may browse.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from services.access import Actor, require_admin
from services.exchange.safe_cells import SafeCsvWriter
from store import assessments, audit
from store.assessments import AssessmentLabel
from store.models import AuditEvent

MAX_ROWS = 5000
KEY_LABELS = {
    "user": "pengguna",
    "role": "peran",
    "unit": "unit",
    "unit_id": "id unit",
    "verifies": "memverifikasi",
    "indicator": "indikator",
    "subject": "subjek",
    "reason": "alasan",
    "file": "berkas",
    "evidence_id": "id bukti",
    "period": "periode",
    "code": "kode",
    "kind": "jenis",
    "parent": "induk",
    "product": "produk",
    "name": "nama",
    "unit_type": "tipe unit",
    "active": "aktif",
    "failures": "gagal berturut-turut",
    "locked_minutes": "dikunci (menit)",
    "region": "wilayah",
    "first_admin": "admin pertama",
    "criteria": "kriteria",
    "year": "tahun",
    "opens": "dibuka",
    "closes": "ditutup",
    "visit": "jendela kunjungan",
    "total": "skor",
    "band": "kategori",
    "decision": "keputusan",
    "value": "nilai",
    "note": "catatan",
    "description": "keterangan",
    "date": "tanggal",
    "size": "ukuran (byte)",
    # issue 13
    "action_id": "id tindakan",
    "owner": "penanggung jawab",
    "due": "tenggat",
    "expected_points": "poin diharapkan",
    "indicators": "indikator",
    "source": "asal",
    "raised": "jawaban dinaikkan",
    "title": "judul",
    # --- issue 9: no raw keys in the trail ---
    "units": "jumlah unit",
    "written": "jawaban ditulis",
    "snapshot_sha256": "sidik snapshot",
    "demo": "demo",
    "verified_value": "nilai verifikasi",
    "self_value": "nilai mandiri",
    "products": "produk",
    "counts": "jumlah per tingkat",
}
# assessment status values as people say them (old/new of assessment.* and verification.* events)
STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Sudah dikirim",
    "in_review": "Sedang diverifikasi",
    "verified": "Terverifikasi",
    "reopened": "Dibuka kembali",
    "open": "Dibuka",
    "closed": "Ditutup",
}
CSV_HEADER = ["id", "waktu", "pengguna", "peristiwa", "keterangan_peristiwa", "penilaian", "lama", "baru", "rincian"]


@dataclass(frozen=True)
class AuditFilter:
    assessment_id: int | None = None
    actor: str | None = None
    event: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive


@dataclass(frozen=True)
class AuditLine:
    """One event as plain text: who, when, what, old → new and the rest of its payload."""

    id: int
    at: dt.datetime
    actor: str
    event: str  # the stored name; its label comes from the UI catalogs (audit.event.<name>)
    assessment: str
    old: str
    new: str
    details: str


@dataclass(frozen=True)
class AuditChoices:
    events: list[str]
    actors: list[str]
    assessments: list[AssessmentLabel]


def choices(con: duckdb.DuckDBPyConnection, actor: Actor) -> AuditChoices:
    require_admin(actor)
    return AuditChoices(audit.event_names(con), audit.actor_names(con), assessments.labelled(con))


def browse(
    con: duckdb.DuckDBPyConnection, actor: Actor, filters: AuditFilter, *, limit: int = MAX_ROWS
) -> list[AuditLine]:
    """The newest events matching the filters, at most `limit` of them."""
    require_admin(actor)
    since = dt.datetime.combine(filters.date_from, dt.time()) if filters.date_from else None
    until = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time()) if filters.date_to else None
    rows = audit.events(
        con,
        assessment_id=filters.assessment_id,
        actor=filters.actor,
        event=filters.event,
        since=since,
        until=until,
        limit=limit,
    )
    names = {a.id: f"{a.period_name} · {a.unit_name}" for a in assessments.labelled(con)} if rows else {}
    return [describe(e, names) for e in rows]


def _status_or_text(event: str, value: Any) -> str:
    if event.split(".")[0] in ("assessment", "verification", "period") and isinstance(value, str):
        return STATUS_LABELS.get(value, value)
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dict):
        return ", ".join(f"{KEY_LABELS.get(k, k)}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def describe(event: AuditEvent, assessment_names: dict[int, str] | None = None) -> AuditLine:
    payload = dict(event.payload)
    has_change = "old" in payload or "new" in payload
    old = _status_or_text(event.event, payload.pop("old", None)) if has_change else ""
    new = _status_or_text(event.event, payload.pop("new", None)) if has_change else ""
    where = ""
    if event.assessment_id is not None:
        where = (assessment_names or {}).get(event.assessment_id, f"#{event.assessment_id}")
    return AuditLine(
        id=event.id,
        at=event.at,
        actor=event.actor,
        event=event.event,
        assessment=where,
        old=old,
        new=new,
        details="; ".join(f"{KEY_LABELS.get(k, k)}: {_text(v)}" for k, v in payload.items()),
    )


def to_csv(lines: list[AuditLine], lang: str = "id", *, event_label: Callable[[str], str]) -> bytes:
    """UTF-8 with BOM so Excel shows Indonesian text right; formula-like cells are neutralised; fields are
    separated the export language's way (id ';', en ','). `event_label` names an event in the export's
    language (the UI passes its catalog lookup)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lang=lang)
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow(
            [
                line.id,
                line.at.isoformat(sep=" ", timespec="seconds"),
                line.actor,
                line.event,
                event_label(line.event),
                line.assessment,
                line.old,
                line.new,
                line.details,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
