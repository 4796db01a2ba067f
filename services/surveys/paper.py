"""Paper answers: a printable form, an Excel sheet to type them in, and its all-or-nothing import.

Each paper form carries a number; a row is stored once per link and form number, so a file imported twice
adds nothing. Every row is checked first and every bad row is named; nothing is written unless all are valid.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import duckdb
from fpdf.enums import XPos, YPos
from openpyxl import load_workbook

from assessment.survey_defs import Survey
from services.access import Actor, require_manage_surveys
from services.audit_events import SurveyPaperImported
from services.common import now
from services.exchange.import_xlsx import ImportRejected, check_workbook_size
from services.exchange.pdf_doc import Document
from services.exchange.safe_cells import append_row
from services.exchange.sheets import BOLD, cell, new_workbook, table_sheet, to_bytes
from services.surveys.definitions import pinned_survey
from services.surveys.errors import SurveyAdminError
from store import audit, units
from store import surveys as store
from store.db import transaction
from store.surveys import SurveyLink

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_LISTED = 40
SHEET = "Jawaban kertas"
FORM_NO = "Nomor formulir"
DATE = "Tanggal"
SUGGESTION = "Saran"


class PaperImportRejected(SurveyAdminError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = [f"- {p}" for p in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            shown.append(f"- … dan {len(problems) - MAX_LISTED} masalah lain")
        super().__init__("Impor dibatalkan, tidak ada jawaban yang disimpan:\n" + "\n".join(shown))


@dataclass(frozen=True)
class PaperImport:
    added: int


def _link(con: duckdb.DuckDBPyConnection, actor: Actor, link_id: int) -> tuple[SurveyLink, Survey]:
    link = store.link_by_id(con, link_id=link_id)
    if link is None:
        raise SurveyAdminError(key="err.survey.link_not_found")
    require_manage_surveys(actor, link.unit_id)
    survey = pinned_survey(con, period_id=link.period_id, survey_id=link.survey_id)
    assert survey is not None
    return link, survey


def paper_form_pdf(con: duckdb.DuckDBPyConnection, actor: Actor, *, link_id: int) -> bytes:
    link, survey = _link(con, actor, link_id)
    unit = units.get_unit(con, unit_id=link.unit_id)
    doc = Document(f"Formulir {survey.title.id}", f"{survey.title.id} · kode {link.code}")
    doc.heading(survey.title.id, 15)
    doc.para(f"{unit.name if unit else ''} · kode survei {link.code} · Nomor formulir: ____________", bold=True)
    doc.para(survey.intro.id + " Beri tanda silang (X) pada satu kotak di setiap pertanyaan.", size=9)
    for n, q in enumerate(survey.questions, 1):
        if doc.get_y() > doc.h - 40:
            doc.add_page()
        doc.font(9.5, bold=True)
        doc.multi_cell(0, 5, doc.clean(f"{n}. {q.text.id}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.font(9)
        doc.multi_cell(
            0,
            6,
            doc.clean("    ".join(f"[  ] {o.value}. {o.label.id}" for o in q.options)),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        doc.ln(1)
    if survey.profile:
        doc.heading("Tentang Anda (tidak wajib)", 11)
        for field in survey.profile:
            doc.font(9)
            line = f"{field.text.id}:  " + "   ".join(f"[  ] {o.id}" for o in field.options)
            doc.multi_cell(0, 6, doc.clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if survey.suggestion:
        doc.heading("Saran (tidak wajib)", 11)
        for _ in range(4):
            doc.cell(0, 8, "_" * 95, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(doc.output())


def _headers(survey: Survey) -> list[str]:
    return [FORM_NO, DATE, *[q.id for q in survey.questions], *[p.id for p in survey.profile], SUGGESTION]


def paper_template_xlsx(con: duckdb.DuckDBPyConnection, actor: Actor, *, link_id: int) -> bytes:
    link, survey = _link(con, actor, link_id)
    wb = new_workbook()
    guide = wb.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 100
    append_row(guide, [cell(guide, "Kode survei", font=BOLD), link.code])
    append_row(guide, [cell(guide, FORM_NO, font=BOLD), "nomor pada formulir kertas; satu baris per formulir, wajib"])
    append_row(guide, [cell(guide, DATE, font=BOLD), "tanggal pengisian (YYYY-MM-DD); kosong = hari impor"])
    for q in survey.questions:
        choices = ", ".join(f"{o.value} = {o.label.id}" for o in q.options)
        append_row(guide, [cell(guide, q.id, font=BOLD), f"{q.text.id} ({choices})"])
    for p in survey.profile:
        append_row(
            guide, [cell(guide, p.id, font=BOLD), f"{p.text.id}: {' / '.join(o.id for o in p.options)} (boleh kosong)"]
        )
    widths = [16, 12, *[8] * len(survey.questions), *[16] * len(survey.profile), 60]
    table_sheet(wb, SHEET, _headers(survey), widths, lambda ws: [])
    return to_bytes(wb)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(data) > MAX_BYTES:
        raise PaperImportRejected(["berkas lebih dari 5 MB; pecah menjadi beberapa berkas"])
    if not data.startswith(b"PK\x03\x04"):
        raise PaperImportRejected(["berkas ini bukan Excel .xlsx; unduh templatnya lalu isi"])
    try:
        check_workbook_size(data)  # a zip bomb or a sheet of endless rows is refused before openpyxl reads it
    except ImportRejected as exc:
        raise PaperImportRejected([p.reason for p in exc.problems]) from exc
    try:
        # without cached values: a formula reads as its text and is refused below, never counted as a blank
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise PaperImportRejected([f"berkas Excel rusak ({type(exc).__name__})"]) from None
    if SHEET not in wb.sheetnames:
        raise PaperImportRejected([f"lembar '{SHEET}' tidak ada; pakai templat dari halaman survei"])
    rows_iter = wb[SHEET].iter_rows()
    header = [_text(getattr(c, "value", None)) for c in next(rows_iter, ())]
    out = []
    formulas: list[str] = []
    for number, cells in enumerate(rows_iter, 2):
        if number > MAX_ROWS + 1:
            raise PaperImportRejected([f"lebih dari {MAX_ROWS} baris; pecah menjadi beberapa berkas"])
        for h, c in zip(header, cells, strict=False):
            if getattr(c, "data_type", None) == "f":
                formulas.append(f"baris {number}: kolom {h or '?'} berisi rumus; ketik nilainya, bukan rumus")
        row = {h: _text(getattr(c, "value", None)) for h, c in zip(header, cells, strict=False) if h}
        if any(row.values()):
            out.append((number, row))
    if formulas:
        raise PaperImportRejected(formulas)
    return [(0, {"__header__": "|".join(header)}), *out]


def import_paper(con: duckdb.DuckDBPyConnection, actor: Actor, *, link_id: int, data: bytes) -> PaperImport:
    link, survey = _link(con, actor, link_id)
    parsed = _rows(data)
    header = parsed[0][1]["__header__"].split("|")
    needed = [FORM_NO, *[q.id for q in survey.questions if q.required]]  # profile, date and suggestion may be left out
    missing = [h for h in needed if h not in header]
    if missing:
        raise PaperImportRejected([f"kolom {', '.join(missing)} tidak ada; pakai templat dari halaman survei"])
    problems: list[str] = []
    good: list[tuple[str, dt.date, dict[str, int], dict[str, str], str]] = []
    seen: set[str] = set()
    today = now().date()
    for number, row in parsed[1:]:
        where = f"baris {number}"
        form_no = row.get(FORM_NO, "")[:40]
        if not form_no:
            problems.append(f"{where}: {FORM_NO} kosong")
            continue
        submission_id = f"paper:{link.id}:{form_no}"
        if form_no in seen or store.response_by_submission(con, submission_id=submission_id):
            problems.append(f"{where}: formulir {form_no} sudah ada (diimpor sebelumnya atau dua kali di berkas)")
            continue
        seen.add(form_no)
        answers: dict[str, int] = {}
        for q in survey.questions:
            raw = row.get(q.id, "")
            if not raw:
                if q.required:
                    problems.append(f"{where}: {q.id} kosong")
                continue
            if not raw.isdigit() or q.option(int(raw)) is None:
                allowed = ", ".join(str(o.value) for o in q.options)
                problems.append(f"{where}: {q.id} = '{raw[:20]}' bukan pilihan ({allowed})")
                continue
            answers[q.id] = int(raw)
        profile: dict[str, str] = {}
        for p in survey.profile:
            raw = row.get(p.id, "")
            if raw and raw not in {o.id for o in p.options}:
                problems.append(f"{where}: {p.id} = '{raw[:20]}' bukan pilihan")
            elif raw:
                profile[p.id] = raw
        day = today
        if row.get(DATE):
            try:
                day = dt.date.fromisoformat(row[DATE][:10])
            except ValueError:
                problems.append(f"{where}: tanggal '{row[DATE][:20]}' bukan YYYY-MM-DD")
        good.append((submission_id, day, answers, profile, row.get(SUGGESTION, "")[:1000]))
    if problems:
        raise PaperImportRejected(problems)
    if not good:
        raise PaperImportRejected(["tidak ada baris jawaban; isi lembar 'Jawaban kertas' mulai baris 2"])
    at = now()
    with transaction(con):
        for submission_id, day, answers, profile, suggestion in good:
            store.add_response(
                con,
                submission_id=submission_id,
                link=link,
                channel="paper",
                at=dt.datetime.combine(day, dt.time(12, 0)),
                answers=answers,
                profile=profile,
                suggestion=suggestion,
                contact="",
                device_sha256="",
                client_sha256="",
                seconds=None,
                status="accepted",
                flags="",
            )
        audit.append(con, actor=actor.username, event=SurveyPaperImported(code=link.code, rows=len(good)), at=at)
    return PaperImport(added=len(good))
