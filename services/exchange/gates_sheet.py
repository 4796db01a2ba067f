"""The workbook sheet "Predikat & Label": every unit's result (gates) and labels, and the region's labels.

Added only when the period's criteria have gates or label families. Unit names are user-typed: every cell
goes through sheets.cell / table_sheet, which write them as text, never as formulas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from assessment.gates import explain_gate
from assessment.labels import LabelOutcome
from services.exchange.data import ExportData
from services.exchange.sheets import NUMBER, cell, table_sheet

SHEET = "Predikat & Label"
SUFFIX_STATES = {"diberikan": "diberikan", "tidak": "tidak diberikan", "belum_ditentukan": "belum ditentukan"}


def label_text(lab: LabelOutcome | None) -> str:
    return lab.text if lab else ""


def suffix_text(lab: LabelOutcome | None) -> str:
    if lab is None or lab.suffix is None:
        return ""
    return f"'{lab.suffix.text}' {SUFFIX_STATES[lab.suffix.state]}: {lab.suffix.reason}"


def standings_sheet(wb, data: ExportData) -> None:
    st = data.standings
    if st is None or not st.shown:
        return
    gates = st.has_gates
    headers = ["Kode unit", "Nama unit", "Nilai total"]
    widths: list[float] = [16, 36, 11]
    if gates:
        headers += ["Predikat", "Predikat berikutnya", "Syarat yang belum terpenuhi (dan jaraknya)"]
        widths += [26, 26, 80]
    if st.has_labels:
        headers += ["Label unit", "Label entitas pada nilai ini", "Akhiran"]
        widths += [30, 34, 60]
    preamble: list[list[Any]] = []

    def rows(ws: WriteOnlyWorksheet) -> Iterator[list[Any]]:
        for u in st.units:
            row = [cell(ws, u.code), cell(ws, u.name), cell(ws, u.total, number_format=NUMBER)]
            if gates:
                nxt = u.result.next if u.result else None
                failing = "; ".join(explain_gate(g) for g in nxt.failing) if nxt else "—"
                row += [u.result.label if u.result else "", nxt.label if nxt else "—", cell(ws, failing, wrap=True)]
            if st.has_labels:
                entity = u.label("entity")
                row += [label_text(u.label("unit")), label_text(entity), suffix_text(entity)]
            yield row

    table_sheet(wb, SHEET, headers, widths, rows, freeze_col=2, preamble=_preamble(data, preamble))


def _preamble(data: ExportData, lines: list[list[Any]]) -> list[list[Any]]:
    st = data.standings
    assert st is not None
    lines.append([f"Predikat dan label — {data.period.name}"])
    if st.result_counts and st.criteria.results is not None:
        counts = ", ".join(f"{label}: {n} unit" for _, label, n in st.result_counts)
        lines.append([f"{st.criteria.results.title}: {counts}"])
    if st.region_labels and not data.single_unit:
        for lab in st.region_labels:
            own = " (label wilayah)" if lab.applies_to == "entity" else " (pada nilai wilayah)"
            extra = f" — akhiran {suffix_text(lab)}" if lab.suffix else ""
            lines.append([f"{lab.title}{own}: {lab.text}{extra}"])
    lines.append([])
    return lines
