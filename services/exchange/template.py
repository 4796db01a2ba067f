"""The answer template: an Excel workbook a unit fills offline and sends back through the import.

One row per unit, indicator and subject (the unit itself, each service product, each respondent, or one
row per answer level with a respondent count for large surveys), prefilled with what is already stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

from assessment import Criteria, Indicator
from assessment.subject import UNIT, Subject, is_tally
from services.exchange.data import ExportData, UnitExport, subject_text
from services.exchange.safe_cells import append_row
from services.exchange.sheets import BOLD, TITLE_FONT, cell, new_workbook, table_sheet, to_bytes
from services.exchange.xlsx import ANSWER_HEADERS, SHEET_ANSWERS
from store.models import AnswerRow

SHEET_GUIDE = "Petunjuk"
SHEET_OPTIONS = "Pilihan"
TALLY_FROM = 10  # respondent indicators with a larger sample are filled as counts per answer level
NA_TEXT = "N/A"
TEMPLATE_HEADERS = (*ANSWER_HEADERS, "Pilihan nilai", "N/A boleh")
GUIDE_LINES = (
    "Cara mengisi:",
    "1. Isi kolom 'Nilai' di lembar 'Jawaban' dengan salah satu nilai pada kolom 'Pilihan nilai' "
    "(arti tiap nilai ada di lembar 'Pilihan'). Tulis N/A hanya bila kolom 'N/A boleh' berisi 'ya'.",
    "2. Baris 'Rekap responden' (subjek tally:NILAI): isi 'Jumlah responden' yang memilih nilai itu; "
    "kolom 'Nilai' jangan diubah.",
    "3. Baris yang dibiarkan kosong tidak mengubah apa pun. Jangan mengubah kolom Periode, Kode unit, "
    "Kode indikator dan Subjek.",
    "4. Kirim berkas ini ke admin Ortala, atau impor sendiri: kepatuhan import BERKAS.xlsx",
    "Berkas ditolak seluruhnya bila ada satu baris yang salah; setiap baris yang salah disebut dengan "
    "lembar, nomor baris dan alasannya.",
)


def answer_template(data: ExportData) -> bytes:
    wb = new_workbook()
    _guide(wb, data)
    _answers(wb, data)
    _options(wb, data.criteria)
    return to_bytes(wb)


def _guide(wb, data: ExportData) -> None:
    ws = wb.create_sheet(SHEET_GUIDE)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    append_row(ws, [cell(ws, f"Templat jawaban penilaian mandiri — {data.period.name}", font=TITLE_FONT)])
    append_row(ws, [])
    c = data.criteria
    for key, value in [
        ("Periode", data.period.name),
        ("Kriteria", f"{c.id} versi {c.version}"),
        ("Sidik kriteria", data.period.criteria_sha256),
        ("Unit", ", ".join(u.code for u in data.units)),
        ("Dibuat", data.generated_at.strftime("%d-%m-%Y %H:%M")),
    ]:
        append_row(ws, [cell(ws, key, font=BOLD), value])
    append_row(ws, [])
    for line in GUIDE_LINES:
        append_row(ws, ["", cell(ws, line, wrap=True)])


def choices_text(ind: Indicator) -> str:
    return ", ".join(f"{o.value:g}" for o in sorted(ind.options, key=lambda o: o.value))


def _shown(answer: Any) -> float | str | None:
    if answer is None:
        return None
    return NA_TEXT if answer.value is None else answer.value


def subjects_for(
    ind: Indicator, u: UnitExport, stored: dict[str, AnswerRow]
) -> list[tuple[str, float | str | None, int | None]]:
    """(subject, prefilled value or 'N/A', prefilled count) rows of one indicator of one unit.

    stored: the unit's answers to this indicator, by subject.
    """
    kind = ind.subject.kind
    if kind == "unit":
        return [(UNIT, _shown(stored.get(UNIT)), None)]
    subjects = [Subject.parse(s) for s in stored]
    if kind == "product":
        codes = list(u.products) or sorted(s.code for s in subjects)
        return [(str(s), _shown(stored.get(str(s))), None) for s in map(Subject.product, codes)]
    tallied = any(s.is_tally for s in subjects)
    individual = [s.number for s in subjects if s.is_respondent]
    if tallied or (not individual and (ind.subject.expected or 1) > TALLY_FROM):
        out = []
        for o in sorted(ind.options, key=lambda o: o.value):
            a = stored.get(str(Subject.tally(o.value)))
            out.append((str(Subject.tally(o.value)), o.value, a.count if a else None))
        return out
    n = max([ind.subject.expected or 1, *individual])
    return [(str(s), _shown(stored.get(str(s))), None) for s in map(Subject.respondent, range(1, n + 1))]


def _answers(wb, data: ExportData) -> None:
    widths = [16, 16, 30, 14, 14, 60, 18, 28, 9, 11, 14, 9]
    validations: dict[str, list[str]] = {}
    counts: list[str] = []

    def rows(ws) -> Iterator[list[Any]]:
        row_number = 1
        for u in data.units:
            by_indicator: dict[str, dict[str, AnswerRow]] = defaultdict(dict)
            for a in u.answers:
                by_indicator[a.indicator_id][a.subject] = a
            for dim in data.criteria.dimensions:
                for ind in dim.indicators:
                    for subject, value, count in subjects_for(ind, u, by_indicator[ind.id]):
                        row_number += 1
                        tally = is_tally(subject)
                        if tally:
                            counts.append(f"J{row_number}")
                        else:
                            choices = choices_text(ind) + (f",{NA_TEXT}" if ind.na_allowed else "")
                            validations.setdefault(choices, []).append(f"I{row_number}")
                        yield [
                            data.period.name,
                            u.code,
                            u.name,
                            dim.title,
                            ind.id,
                            cell(ws, ind.question, wrap=False),
                            subject,
                            subject_text(subject, u.products),
                            value,
                            count,
                            choices_text(ind),
                            "ya" if ind.na_allowed else "tidak",
                        ]

    ws = table_sheet(wb, SHEET_ANSWERS, TEMPLATE_HEADERS, widths, rows, freeze_col=2)
    for choices, refs in validations.items():
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True)
        dv.error = f"Pilih salah satu: {choices}"
        dv.errorTitle = "Nilai di luar skala"
        dv.sqref = " ".join(refs)
        ws.data_validations.append(dv)
    if counts:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Jumlah responden harus bilangan bulat 0 atau lebih."
        dv.sqref = " ".join(counts)
        ws.data_validations.append(dv)


def _options(wb, criteria: Criteria) -> None:
    headers = ["Kode indikator", "Pertanyaan", "Nilai", "Label", "Arti"]

    def rows(ws) -> Iterator[list[Any]]:
        for dim in criteria.dimensions:
            for ind in dim.indicators:
                for o in sorted(ind.options, key=lambda o: o.value):
                    yield [ind.id, ind.question, o.value, o.label, o.meaning]

    table_sheet(wb, SHEET_OPTIONS, headers, [14, 60, 8, 30, 80], rows, freeze_col=1)
