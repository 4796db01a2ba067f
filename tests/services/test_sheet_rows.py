"""Table rows are written straight as SpreadsheetML (safe_cells.RowWriter, for speed: issue 9); what a spreadsheet
reads back must be what openpyxl itself would have written: text as typed and never a formula, numbers as
numbers, dates as dates, each styled cell with its font, fill and number format."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from services.exchange.safe_cells import append_row
from services.exchange.sheets import BOLD, NUMBER, cell, new_workbook, table_sheet, to_bytes, zone_fill

TEXTS = ["a&b<c>d", "  spasi di depan", "=1+2", "+62 812", "@SUM(A1)", "-5", "-1.5", "#N/A", "baris\r\nbaru"]


def _read(rows, preamble=()):
    wb = new_workbook()
    table_sheet(wb, "T", ["Kolom"] * 20, [12] * 20, rows, freeze_col=1, preamble=preamble)
    return load_workbook(io.BytesIO(to_bytes(wb)))["T"]


def test_plain_values_read_back_as_typed_and_text_is_never_a_formula():
    values = [*TEXTS, "kendali\x01dibuang", 3, 2.5, True, Decimal("1.25"), dt.date(2024, 5, 1), None, ""]
    ws = _read(lambda ws: [values])
    got = [c for c in ws[2]]
    assert [c.value for c in got[: len(TEXTS)]] == TEXTS
    assert all(c.data_type == "s" for c in got[: len(TEXTS)])
    assert [c.quotePrefix for c in got[: len(TEXTS)]] == [False, False, True, True, True, False, False, False, False]
    assert got[9].value == "kendalidibuang"  # a control character XML cannot hold is dropped, not a crash
    assert [c.value for c in got[10:14]] == [3, 2.5, True, 1.25]
    assert got[14].value == dt.datetime(2024, 5, 1) and got[14].is_date
    assert got[15].value is None and got[16].value is None


def test_styled_cells_keep_font_fill_number_format_and_the_quote_prefix():
    def rows(ws):
        yield [cell(ws, 63.0234, number_format=NUMBER, fill=zone_fill("hijau")), cell(ws, "=HYPERLINK(1)", font=BOLD)]
        yield [cell(ws, None, fill=zone_fill("merah")), cell(ws, "teks", wrap=True)]

    ws = _read(rows, preamble=[["Judul"], []])
    assert ws.freeze_panes == "B4" and ws.auto_filter.ref == "A3:T5"
    score, link = ws["A4"], ws["B4"]
    assert score.value == 63.0234 and score.number_format == "0.00" and score.fill.fgColor.rgb.endswith("C6EFCE")
    assert link.value == "=HYPERLINK(1)" and link.data_type == "s" and link.quotePrefix and link.font.bold
    assert ws["A5"].value is None and ws["A5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["B5"].alignment.wrap_text
    assert ws["A1"].value == "Judul" and ws["A3"].value == "Kolom"


def test_a_table_sheet_takes_no_rows_after_its_table():
    wb = new_workbook()
    ws = table_sheet(wb, "T", ["A"], [10], lambda ws: [[1]])
    with pytest.raises(RuntimeError, match="holds a table"):
        append_row(ws, [2])
    rows = list(load_workbook(io.BytesIO(to_bytes(wb)))["T"].values)
    assert rows == [("A",), (1,)]
