"""Excel and PDF of the follow-up actions (per unit or region), and the visit dossier PDF of one unit.

Every text a user typed goes into the workbook as text, never as a formula (D10)."""

from __future__ import annotations

import datetime as dt

import duckdb
from openpyxl.cell import WriteOnlyCell

from services.access import Actor
from services.answering.assessing import load_view
from services.common import NotFound
from services.exchange.pdf_doc import ZONE_LIGHT, Document
from services.exchange.sheets import BOLD, NUMBER, cell, new_workbook, table_sheet, to_bytes
from services.followup.actions import ActionLine, region_actions, unit_actions
from services.followup.readiness import unit_readiness
from services.region.data import resolve_period
from services.verification.verified_score import answer_text
from store import assessments, units

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
OVERDUE_FILL = "FFC7CE"
HEADERS = ("Unit", "Judul tindakan", "Indikator", "Asal", "Penanggung jawab", "Tenggat", "Status", "Lewat tenggat",
           "Poin diharapkan", "Bukti penutup", "Catatan")  # fmt: skip


def text(ws, value: str, **style) -> WriteOnlyCell:
    """A cell that stays text in Excel even when it starts with '=', '+', '-' or '@'."""
    c = cell(ws, value, **style)
    c.data_type = "s"
    return c


def actions_file_name(period_name: str, unit_code: str | None, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in f"{period_name}-{unit_code or 'wilayah'}").strip("-")
    return f"tindak-lanjut-{safe}.{extension}".lower()


def _lines(con, actor: Actor, period_id: int, unit_id: int | None) -> list[ActionLine]:
    if unit_id is None:
        return region_actions(con, actor, period_id=period_id)
    return unit_actions(con, actor, period_id=period_id, unit_id=unit_id)


def actions_xlsx(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int | None = None) -> bytes:
    period = resolve_period(con, period_id=period_id)
    lines = _lines(con, actor, period_id, unit_id)
    wb = new_workbook()

    def rows(ws):
        from openpyxl.styles import PatternFill

        late = PatternFill("solid", fgColor=OVERDUE_FILL)
        for line in lines:
            a = line.action
            fill = late if line.overdue else None
            yield [
                text(ws, f"{line.unit_code} · {line.unit_name}", fill=fill),
                text(ws, a.title, fill=fill, wrap=True),
                text(ws, ", ".join(a.indicator_ids), fill=fill),
                text(ws, line.source_label, fill=fill),
                text(ws, a.owner, fill=fill),
                cell(ws, a.due_date, fill=fill, number_format="DD-MM-YYYY"),
                text(ws, line.status_label, fill=fill),
                text(ws, f"{-line.days_left} hari" if line.overdue else "", fill=fill, font=BOLD),
                cell(ws, a.expected_points, fill=fill, number_format=NUMBER),
                text(ws, line.evidence_name or "", fill=fill),
                text(ws, a.closing_note, fill=fill, wrap=True),
            ]

    preamble = [[f"Rencana tindak lanjut · {period.name}"],
                [f"Dibuat {dt.datetime.now():%d-%m-%Y %H:%M}; baris merah = lewat tenggat."]]  # fmt: skip
    table_sheet(wb, "Tindak lanjut", HEADERS, (30, 50, 14, 22, 22, 12, 12, 13, 10, 24, 40), rows,
                preamble=preamble)  # fmt: skip
    return to_bytes(wb)


def actions_pdf(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int | None = None) -> bytes:
    period = resolve_period(con, period_id=period_id)
    lines = _lines(con, actor, period_id, unit_id)
    scope = units.get_unit(con, unit_id=unit_id).name if unit_id else "Seluruh unit wilayah"
    doc = Document("Rencana tindak lanjut", f"Rencana tindak lanjut · {scope} · {period.name}")
    doc.heading(f"Rencana tindak lanjut — {scope}", 15)
    open_n = sum(line.action.is_open for line in lines)
    late = sum(line.overdue for line in lines)
    doc.key_values([("Periode", period.name), ("Tindakan", f"{len(lines)} ({open_n} terbuka, {late} lewat tenggat)"),
                    ("Dicetak", f"{dt.datetime.now():%d-%m-%Y %H:%M}")])  # fmt: skip
    doc.ln(2)
    rows, fills = [], []
    for line in lines:
        a = line.action
        rows.append([line.unit_code, a.title, ", ".join(a.indicator_ids), a.owner, f"{a.due_date:%d-%m-%Y}",
                     line.status_label + (f" · lewat {-line.days_left} hr" if line.overdue else ""),
                     f"{a.expected_points:.2f}".replace(".", ","), line.evidence_name or ""])  # fmt: skip
        fills.append([ZONE_LIGHT["merah"] if line.overdue else None] * 8)
    if rows:
        doc.grid(["Unit", "Tindakan", "Indikator", "PJ", "Tenggat", "Status", "Poin", "Bukti"], rows,
                 [20, 52, 16, 24, 17, 20, 10, 21], fills=fills)  # fmt: skip
    else:
        doc.para("Belum ada tindakan.")
    return bytes(doc.output())


def dossier_pdf(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int) -> bytes:
    """The visit dossier: readiness, every answer, the evidence list with hashes and dates, the open actions.
    A printout for the Ombudsman's visit; it reads only."""
    ready = unit_readiness(con, actor, period_id=period_id, unit_id=unit_id)
    row = assessments.find(con, period_id=period_id, unit_id=unit_id)
    if row is None:
        raise NotFound(key="err.dossier.not_started")
    view = load_view(con, actor, assessment_id=row.id)
    title = "Berkas kunjungan"
    doc = Document(title, f"{title} · {view.unit.name} · {view.period.name} · hanya baca")
    doc.heading(f"{title} — {view.unit.name}", 15)
    w = ready.window
    window = f"{w.starts:%d-%m-%Y} s.d. {w.ends:%d-%m-%Y}" if w.starts and w.ends else "belum diatur"
    doc.key_values([
        ("Periode", view.period.name), ("Kode unit", view.unit.code), ("Status", view.assessment.status),
        ("Nilai mandiri", "-" if ready.total is None else f"{ready.total:.2f} ({ready.band})".replace(".", ",")),
        ("Jendela kunjungan", window + (f" ({w.days_until} hari lagi)" if w.days_until else "")),
        ("Verifikasi terakhir", f"{ready.last_verification:%d-%m-%Y %H:%M}" if ready.last_verification else "-"),
        ("Snapshot", view.assessment.snapshot_sha256 or "belum dikirim"),
        ("Dicetak", f"{dt.datetime.now():%d-%m-%Y %H:%M} oleh {actor.username}"),
    ])  # fmt: skip
    doc.ln(2)
    doc.para(f"Belum dijawab: {len(ready.unanswered)} · bukti kurang: {len(ready.missing_evidence)} · "
             f"bukti kedaluwarsa: {len(ready.expired_evidence)} · tindakan terbuka: {ready.open_actions} "
             f"({ready.overdue_actions} lewat tenggat)", bold=True)  # fmt: skip
    doc.heading("Jawaban", 12)
    rows = []
    for dim in view.criteria.dimensions:
        for ind in dim.indicators:
            note = view.notes.get(ind.id)
            rows.append([ind.id, ind.question, answer_text(ind, view.answers.get(ind.id, [])),
                         note.note if note else ""])  # fmt: skip
    doc.grid(["Indikator", "Pertanyaan", "Jawaban", "Catatan"], rows, [18, 80, 45, 37], size=7.5)
    doc.heading("Bukti dukung", 12)
    evidence = sorted((e for rows_ in view.evidence.values() for e in rows_), key=lambda e: (e.indicator_id, e.id))
    expired = {(e.indicator, e.sha256) for e in ready.expired_evidence}
    if evidence:
        doc.grid(
            ["Indikator", "Berkas", "sha256", "Tanggal bukti", "Diunggah"],
            [[e.indicator_id, e.file_name + (" (kedaluwarsa)" if (e.indicator_id, e.sha256) in expired else ""),
              e.sha256, f"{e.effective_date:%d-%m-%Y}" if e.effective_date else "-",
              f"{e.uploaded_at:%d-%m-%Y} {e.uploaded_by}"] for e in evidence],
            [18, 42, 70, 20, 30], size=6.5,
        )  # fmt: skip
    else:
        doc.para("Belum ada bukti yang dilampirkan.")
    doc.heading("Tindakan terbuka", 12)
    open_lines = [line for line in unit_actions(con, actor, period_id=period_id, unit_id=unit_id)
                  if line.action.is_open]  # fmt: skip
    if open_lines:
        doc.grid(["Tindakan", "Indikator", "PJ", "Tenggat", "Status"],
                 [[line.action.title, ", ".join(line.action.indicator_ids), line.action.owner,
                   f"{line.action.due_date:%d-%m-%Y}" + (" (lewat)" if line.overdue else ""), line.status_label]
                  for line in open_lines], [80, 22, 30, 28, 20])  # fmt: skip
    else:
        doc.para("Tidak ada tindakan terbuka.")
    return bytes(doc.output())
