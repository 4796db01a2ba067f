"""Answers filled offline in the Excel template come back in.

The whole file is checked first; every bad row is reported with its sheet, row and reason. Nothing is written
unless the whole file is valid, and then everything is written in one transaction with an audit event for
every answer that changed. Blank rows change nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from assessment import Answer, Criteria, Indicator
from assessment.answers import check_against_indicator
from assessment.errors import KepatuhanError
from assessment.parse_limits import MAX_RESPONDENTS, MAX_SHEET_ROWS, MAX_XLSX_UNPACKED_BYTES
from assessment.subject import Subject, is_tally
from services.access import Actor
from services.catalog import criteria_for
from services.common import period_is_open
from services.exchange.import_write import ParsedRow, write_rows
from services.exchange.template import NA_TEXT, SHEET_GUIDE
from services.exchange.xlsx import SHEET_ANSWERS
from services.region.data import resolve_period
from store import assessments
from store import region as region_store
from store.models import Period

MAX_BYTES = 20 * 1024 * 1024
MAX_LISTED = 40
REQUIRED = ("Kode unit", "Kode indikator", "Subjek", "Nilai")
OPTIONAL = ("Periode", "Jumlah responden")


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int | None
    reason: str

    def __str__(self) -> str:
        if not self.sheet:
            return f"berkas: {self.reason}"
        where = f"lembar '{self.sheet}'" + (f", baris {self.row}" if self.row else "")
        return f"{where}: {self.reason}"


class ImportRejected(KepatuhanError):
    """The file was refused as a whole; problems lists every bad row."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        lines = [f"- {p}" for p in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            lines.append(f"- … dan {len(problems) - MAX_LISTED} masalah lain")
        super().__init__(
            f"Berkas impor ditolak ({len(problems)} masalah); tidak ada jawaban yang disimpan.\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class ImportResult:
    period: str
    units: int
    written: int  # answers inserted or changed
    unchanged: int  # rows equal to what was already stored
    blank: int  # rows left empty


def _reject(sheet: str, row: int | None, reason: str) -> ImportRejected:
    return ImportRejected([RowProblem(sheet, row, reason)])


def _open(source: bytes | Path) -> Any:
    data = Path(source).read_bytes() if isinstance(source, Path) else source
    if len(data) > MAX_BYTES:
        raise _reject("", None, "berkas lebih dari 20 MB; pecah per unit lalu impor satu per satu")
    if not data.startswith(b"PK\x03\x04"):
        raise _reject("", None, "berkas ini bukan Excel .xlsx; simpan sebagai 'Excel Workbook (.xlsx)' lalu ulangi")
    check_workbook_size(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _reject("", None, f"berkas Excel rusak atau bukan .xlsx ({type(exc).__name__})") from None


def check_workbook_size(data: bytes) -> None:
    """Refuse a zip bomb or an oversized sheet before openpyxl builds anything (bounded time and memory).

    Rows are counted straight from each worksheet's XML, streamed and decompressed in chunks, so a workbook
    that claims a small range but holds 200,000 rows is refused as quickly as an honest one.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _reject("", None, "berkas Excel rusak atau bukan .xlsx (arsip zip tidak terbaca)") from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _reject(
            "", None, f"isi berkas terlalu besar setelah dibuka ({unpacked // (1024 * 1024)} MB); pecah per unit"
        )
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        rows, tail, read = 0, b"", 0
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                read += len(chunk)
                if read > MAX_XLSX_UNPACKED_BYTES:  # the directory's sizes can lie; the stream cannot
                    raise _reject("", None, "isi berkas terlalu besar setelah dibuka; pecah per unit")
                block = tail + chunk
                rows += block.count(b"<row ") + block.count(b"<row>") - tail.count(b"<row ") - tail.count(b"<row>")
                tail = block[-5:]
                if rows > MAX_SHEET_ROWS:
                    raise _reject(
                        "",
                        None,
                        f"satu lembar berisi lebih dari {MAX_SHEET_ROWS:,} baris; ".replace(",", ".")
                        + "templat satu wilayah jauh lebih kecil — pecah per unit atau hapus baris kosong di bawah",
                    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(ws) -> tuple[int, dict[str, int]]:
    for number, row in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), 1):
        names = {_text(v): i for i, v in enumerate(row) if _text(v)}
        if "Kode indikator" in names:
            missing = [h for h in REQUIRED if h not in names]
            if missing:
                raise _reject(SHEET_ANSWERS, number, f"kolom {', '.join(missing)} tidak ada di baris judul")
            return number, names
    raise _reject(SHEET_ANSWERS, None, "baris judul (Kode unit, Kode indikator, Subjek, Nilai) tidak ditemukan")


def _read_rows(ws, header_row: int) -> tuple[list[tuple], dict[int, list[int]]]:
    """The rows under the header as values, and per row number the columns holding a formula.

    The workbook is opened without cached values, so a formula reads as its text ("=1+2"), never as a
    silently blank cell; a cell typed as text that merely starts with "=" is not a formula.
    """
    rows: list[tuple] = []
    formulas: dict[int, list[int]] = {}
    for number, row in enumerate(ws.iter_rows(min_row=header_row + 1), header_row + 1):
        rows.append(tuple(getattr(c, "value", None) for c in row))
        cols = [i for i, c in enumerate(row) if getattr(c, "data_type", None) == "f"]
        if cols:
            formulas[number] = cols
    return rows, formulas


def _guide_period(wb) -> str | None:
    if SHEET_GUIDE not in wb.sheetnames:
        return None
    for row in wb[SHEET_GUIDE].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if _text(row[0]) == "Periode" and len(row) > 1 and _text(row[1]):
            return _text(row[1])
    return None


def _value(raw: Any) -> float | None:
    """None for N/A; ValueError for text that is not a number."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, (int, float)):
        return float(raw)
    text = _text(raw)
    if text.lower() in (NA_TEXT.lower(), "na", "tidak berlaku"):
        return None
    return float(text.replace(",", "."))


def _count(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError
    number = float(_text(raw).replace(",", ".")) if not isinstance(raw, (int, float)) else float(raw)
    if not number.is_integer() or number < 0:
        raise ValueError
    return int(number)


def import_answers(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    source: bytes | Path,
    *,
    period_name: str | None = None,
    file_name: str = "",
) -> ImportResult:
    """Check every row of the template's Jawaban sheet, then write all of them or nothing."""
    wb = _open(source)
    try:
        if SHEET_ANSWERS not in wb.sheetnames:
            raise _reject(
                SHEET_ANSWERS,
                None,
                f"lembar '{SHEET_ANSWERS}' tidak ada (lembar yang ada: {', '.join(wb.sheetnames)}); "
                "pakai templat dari tombol 'Templat isian' atau `kepatuhan export --format template`",
            )
        ws = wb[SHEET_ANSWERS]
        header_row, cols = _header(ws)
        raw_rows, formulas = _read_rows(ws, header_row)
        guide_period = _guide_period(wb)
    finally:
        wb.close()
    target = period_name or guide_period or _single_period(raw_rows, cols)
    if not target:
        raise _reject(
            SHEET_GUIDE, None, "periode tidak diketahui; sebutkan periodenya (kepatuhan import --period NAMA)"
        )
    try:
        period = resolve_period(con, name=target)
    except KepatuhanError as exc:
        raise _reject(SHEET_GUIDE if not period_name else "", None, str(exc)) from None
    criteria = criteria_for(con, period.criteria_sha256)
    parsed, problems, blank = _check_rows(con, actor, period, criteria, raw_rows, cols, header_row, formulas)
    if problems:
        raise ImportRejected(problems)
    written, unchanged, units = write_rows(con, actor, period, parsed, file_name=file_name)
    return ImportResult(period=period.name, units=units, written=written, unchanged=unchanged, blank=blank)


def _single_period(rows: list[tuple], cols: dict[str, int]) -> str | None:
    if "Periode" not in cols:
        return None
    names = {_text(r[cols["Periode"]]) for r in rows if len(r) > cols["Periode"] and _text(r[cols["Periode"]])}
    return names.pop() if len(names) == 1 else None


def _check_rows(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    period: Period,
    criteria: Criteria,
    rows: list[tuple],
    cols: dict[str, int],
    header_row: int,
    formulas: dict[int, list[int]],
) -> tuple[list[ParsedRow], list[RowProblem], int]:
    units = {u.code: u for u in region_store.region_units(con)}
    products = region_store.all_products(con)
    existing = {a.unit_id: a for a in assessments.list_for_period(con, period_id=period.id)}
    indicators = criteria.indicators_by_id()
    period_open = period_is_open(period)
    problems: list[RowProblem] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    blank = 0

    def get(row: tuple, name: str) -> Any:
        i = cols.get(name)
        return row[i] if i is not None and i < len(row) else None

    for offset, row in enumerate(rows):
        number = header_row + 1 + offset
        if not any(_text(v) for v in row):
            continue

        def bad(reason: str, number: int = number) -> None:
            problems.append(RowProblem(SHEET_ANSWERS, number, reason))

        if number in formulas:
            names = {i: name for name, i in cols.items()}
            shown = ", ".join(f"'{names.get(i, get_column_letter(i + 1))}' ({_text(row[i])})" for i in formulas[number])
            bad(f"sel {shown} berisi rumus Excel; tulis nilainya sebagai angka atau teks biasa, bukan rumus")
            continue

        unit_code, ind_id, subject = (
            _text(get(row, "Kode unit")),
            _text(get(row, "Kode indikator")),
            _text(get(row, "Subjek")),
        )
        tally = is_tally(subject)
        raw_value, raw_count = get(row, "Nilai"), get(row, "Jumlah responden")
        if (_text(raw_count) == "") if tally else (_text(raw_value) == ""):
            blank += 1
            continue
        row_period = _text(get(row, "Periode"))
        if row_period and row_period != period.name:
            bad(f"periode '{row_period}' bukan periode yang diimpor ('{period.name}'); pakai templat periode ini")
            continue
        if not period_open:
            bad(f"periode '{period.name}' sudah ditutup; jawaban tidak bisa diubah lagi")
            continue
        unit = units.get(unit_code)
        if unit is None:
            bad(f"unit '{unit_code}' tidak dikenal; jangan ubah kolom Kode unit")
            continue
        if not actor.can_answer_for(unit.id):
            bad(f"Anda tidak berhak mengisi penilaian unit '{unit_code}'")
            continue
        row_assessment = existing.get(unit.id)
        if row_assessment is not None and not row_assessment.editable:
            bad(f"penilaian unit '{unit_code}' sudah dikirim dan dibekukan; jawabannya tidak bisa diubah")
            continue
        ind = indicators.get(ind_id)
        if ind is None:
            bad(f"indikator '{ind_id}' tidak ada di kriteria {criteria.id} versi {criteria.version}")
            continue
        try:
            written = raw_value if _text(raw_value) or not tally else Subject.parse(subject).key
            value = _value(written)
        except ValueError:
            bad(f"nilai '{_text(raw_value)}' bukan angka; pilih salah satu: {_choices(ind)}")
            continue
        count = 1
        if tally:
            try:
                count = _count(raw_count)
                if count > MAX_RESPONDENTS:
                    bad(f"jumlah responden {count} melebihi batas {MAX_RESPONDENTS}; periksa angkanya")
                    continue
            except ValueError:
                bad(f"jumlah responden '{_text(raw_count)}' harus bilangan bulat 0 atau lebih")
                continue
        problem = check_against_indicator(ind, Answer(indicator=ind_id, subject=subject, value=value, count=count))
        if problem is not None:
            bad(problem.message)
            continue
        if Subject.parse(subject).is_product:
            code = Subject.parse(subject).code
            known = [c for c, _ in products.get(unit.id, [])]
            if code not in known:
                listed = ", ".join(known) or "belum ada produk"
                bad(f"produk '{code}' tidak terdaftar untuk unit '{unit_code}' (produk: {listed})")
                continue
        key = (unit_code, ind_id, subject)
        if key in seen:
            bad(f"baris ganda: {ind_id}/{subject} unit '{unit_code}' sudah ada di baris {seen[key]}")
            continue
        seen[key] = number
        kinds[(unit_code, ind_id)].add("tally" if tally else subject.partition(":")[0])
        if kinds[(unit_code, ind_id)] >= {"tally", "respondent"}:
            bad(
                f"indikator {ind_id} unit '{unit_code}' diisi per responden dan sebagai rekap sekaligus; "
                "pilih salah satu"
            )
            continue
        parsed.append(ParsedRow(number, unit.id, unit_code, ind, subject, value, count))
    return parsed, problems, blank


def _choices(ind: Indicator) -> str:
    return ", ".join(f"{o.value:g}" for o in sorted(ind.options, key=lambda o: o.value)) + (
        f" atau {NA_TEXT}" if ind.na_allowed else ""
    )
