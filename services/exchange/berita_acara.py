"""Berita acara verifikasi: the signed record of a completed verification, as an A4 PDF in Bahasa Indonesia.

Only for an assessment whose verification is complete; readable by whoever may read the unit (admin,
the assigned verifier, the unit head of that unit, viewer).
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from assessment import Report
from services.access import Actor
from services.common import NotAllowedNow
from services.exchange.pdf_doc import ZONE_RGB, Document
from services.verification.review import Review, review
from store import users

PDF_MIME = "application/pdf"
TITLE = "Berita Acara Verifikasi Penilaian Mandiri"
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")  # fmt: skip
_ZONES = {"hijau": "Zona hijau", "kuning": "Zona kuning", "merah": "Zona merah"}


def tanggal(at: dt.date | dt.datetime | None, *, with_day: bool = False, with_time: bool = False) -> str:
    """'Senin, 7 Juli 2025' — dates as an Indonesian record writes them."""
    if at is None:
        return "—"
    text = f"{at.day} {_MONTHS[at.month - 1]} {at.year}"
    if with_day:
        text = f"{_DAYS[at.weekday()]}, {text}"
    if with_time and isinstance(at, dt.datetime):
        text += f", pukul {at:%H.%M}"
    return text


def _num(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _band(report: Report) -> str:
    return f"{report.band.code} — {report.label}"


def _zone(report: Report) -> str:
    return _ZONES.get(report.band.zone or "", "—")


def _person(con: duckdb.DuckDBPyConnection, username: str | None) -> str:
    if not username:
        return "—"
    user = users.by_username(con, username=username)
    return f"{user.display_name} ({user.username})" if user else username


def file_name(rv: Review) -> str:
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", f"{rv.view.unit.code}-{rv.view.period.name}").strip("-")
    return f"berita-acara-verifikasi-{safe}.pdf"


def berita_acara_pdf(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the berita acara; refused until the verification is complete."""
    rv = review(con, actor, assessment_id=assessment_id)
    if rv.status != "verified":
        raise NotAllowedNow(key="err.berita_acara.not_verified")
    return file_name(rv), render(rv, verifier=_person(con, rv.view.assessment.verified_by),
                                 unit_head=_person(con, rv.view.assessment.submitted_by))  # fmt: skip


def render(rv: Review, *, verifier: str, unit_head: str) -> bytes:
    view, row = rv.view, rv.view.assessment
    mine, verified = rv.self_report, rv.report
    doc = Document(TITLE, f"{TITLE} · {view.unit.name} · {view.period.name}")
    doc.font(15, bold=True)
    doc.multi_cell(0, 7, doc.clean(TITLE.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.font(10)
    doc.multi_cell(0, 5, doc.clean(f"{view.criteria.title} (versi {view.criteria.version})"), align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    doc.ln(4)
    doc.para(
        f"Pada hari ini, {tanggal(row.verified_at, with_day=True)}, telah diselesaikan verifikasi atas penilaian "
        f"mandiri kepatuhan standar pelayanan publik unit layanan di bawah ini. Verifikator memeriksa setiap "
        f"indikator beserta bukti dukungnya, lalu menerima jawaban unit atau menetapkan nilai terverifikasi "
        f"dengan catatan.",
        size=10,
    )
    doc.key_values(
        [
            ("Unit layanan", f"{view.unit.name} ({view.unit.code})"),
            ("Periode penilaian", view.period.name),
            ("Dikirim unit", f"{tanggal(row.submitted_at, with_time=True)} oleh {unit_head}"),
            ("Verifikasi selesai", f"{tanggal(row.verified_at, with_time=True)} oleh {verifier}"),
            ("Sidik snapshot", row.snapshot_sha256 or "—"),
        ]
    )
    doc.ln(3)
    doc.score_boxes(
        [
            ("Skor penilaian mandiri", _num(mine.total), None),
            ("Skor terverifikasi", _num(verified.total), ZONE_RGB.get(verified.band.zone)),
            ("Kategori terverifikasi", f"{verified.band.code} · {verified.label}", None),
            ("Zona terverifikasi", _zone(verified).replace("Zona ", "").capitalize(), None),
        ]
    )
    doc.heading("1. Hasil penilaian mandiri dan hasil verifikasi", 11)
    rows = [
        ["Nilai total", _num(mine.total), _num(verified.total), _signed(verified.total - mine.total)],
        ["Kategori", _band(mine), _band(verified), "" if mine.band == verified.band else "berubah"],
        ["Zona", _zone(mine), _zone(verified), "" if mine.band.zone == verified.band.zone else "berubah"],
    ]
    for a, b in zip(mine.dimensions, verified.dimensions, strict=True):
        rows.append(
            [f"Dimensi {a.title} (maks. {_num(a.max)})", _num(a.score), _num(b.score), _signed(b.score - a.score)]
        )
    doc.grid(["", "Penilaian mandiri", "Hasil verifikasi", "Selisih"], rows, [62, 44, 44, 30], size=8.5)
    doc.para(
        f"Indikator yang dinilai: {len(rv.scored_ids)}. Diterima sesuai jawaban unit: {rv.count('accepted')}. "
        f"Disesuaikan oleh verifikator: {rv.count('adjusted')} (berbeda dari jawaban unit: {len(rv.differences)}).",
        size=9.5,
    )
    doc.heading("2. Indikator yang disesuaikan", 11)
    if rv.differences:
        doc.grid(
            ["Indikator", "Jawaban unit", "Nilai terverifikasi", "Poin", "Catatan verifikator"],
            [
                [
                    f"{d.indicator_id} · {d.question}",
                    d.self_text,
                    d.verified_text,
                    f"{_num(d.self_points)} → {_num(d.verified_points)}",
                    d.note,
                ]
                for d in rv.differences
            ],
            [52, 34, 28, 20, 46],
            size=7.5,
        )
    else:
        doc.para("Tidak ada indikator yang nilainya berbeda dari jawaban unit.", size=9.5)
    _signatures(doc, view.unit.name, verifier, unit_head, row.verified_at)
    doc.ln(4)
    doc.font(7)
    doc.set_text_color(107, 114, 128)
    doc.multi_cell(
        0,
        3.5,
        doc.clean(
            f"Dibuat oleh Kepatuhan pada {tanggal(dt.datetime.now(), with_time=True)}. Sidik snapshot (sha256) "
            "mengikat berita acara ini pada jawaban, catatan dan bukti yang dikirim unit; sidik itu berubah bila "
            "satu saja di antaranya berubah."
        ),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.set_text_color(0, 0, 0)
    return bytes(doc.output())


def _signed(delta: float) -> str:
    if abs(delta) < 0.005:
        return "0"
    return ("+" if delta > 0 else "-") + _num(abs(delta))


def _signatures(doc: Document, unit_name: str, verifier: str, unit_head: str, at: dt.datetime | None) -> None:
    if doc.get_y() > doc.h - doc.b_margin - 64:  # the signatures and the closing note (~63 mm) stay together
        doc.add_page()
    doc.heading("3. Pengesahan", 11)
    doc.para(f"Dibuat dan ditandatangani di tempat, {tanggal(at)}.", size=9.5)
    top = doc.get_y() + 2
    half = doc.epw / 2
    blocks = [("Verifikator,", verifier), (f"Kepala Unit Layanan {unit_name},", unit_head)]
    for n, (role, name) in enumerate(blocks):
        x = doc.l_margin + n * half
        doc.set_xy(x, top)
        doc.font(9.5)
        doc.multi_cell(half - 6, 5, doc.clean(role), align="L", new_x="LEFT", new_y="NEXT")
        doc.set_xy(x, top + 23)
        doc.line(x, top + 22, x + half - 12, top + 22)
        doc.font(9.5, bold=True)
        doc.multi_cell(half - 6, 5, doc.clean(name), align="L", new_x="LEFT", new_y="NEXT")
        doc.font(8.5)
        doc.set_x(x)
        doc.cell(half - 6, 5, doc.clean("NIP. ............................................"))
    doc.set_xy(doc.l_margin, top + 36)
