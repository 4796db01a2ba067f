"""Writing formatted tables with openpyxl's write-only mode (fast for tens of thousands of rows).

Every table gets a bold header row that stays frozen, an auto filter over its range and column widths.
openpyxl writes the workbook: its parts, styles, sheet settings, preambles and header rows. The rows of a
table (39,000 answer rows × 12 columns in a region of 500 units) are written as SpreadsheetML by
safe_cells.RowWriter and put into the sheet's <sheetData> when the workbook is saved (to_bytes): openpyxl's
per-cell objects took 6 s for those rows on a 2-core machine, the direct writer well under one.
"""

from __future__ import annotations

import io
import weakref
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from services.exchange.safe_cells import RowWriter, append_row, text_only

# light fills with dark text, as Excel's own good / neutral / bad styles: readable in print and on screen
ZONE_FILLS = {"hijau": "C6EFCE", "kuning": "FFEB9C", "merah": "FFC7CE"}
ZONE_FONTS = {"hijau": "006100", "kuning": "9C5700", "merah": "9C0006"}
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER = "0.00"

# table rows waiting for their sheet's <sheetData>, as SpreadsheetML (see to_bytes)
_TABLE_ROWS: weakref.WeakKeyDictionary[WriteOnlyWorksheet, list[str]] = weakref.WeakKeyDictionary()


def zone_fill(zone: str | None) -> PatternFill | None:
    colour = ZONE_FILLS.get(zone or "")
    return PatternFill("solid", fgColor=colour) if colour else None


def zone_font(zone: str | None, bold: bool = False) -> Font | None:
    colour = ZONE_FONTS.get(zone or "")
    return Font(color=colour, bold=bold) if colour else None


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def cell(ws: WriteOnlyWorksheet, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
         number_format: str | None = None, wrap: bool = False) -> WriteOnlyCell:  # fmt: skip
    c = text_only(WriteOnlyCell(ws, value=value))
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if number_format:
        c.number_format = number_format
    if wrap:
        c.alignment = WRAP
    return c


def table_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Callable[[WriteOnlyWorksheet], Iterable[Sequence[Any]]],
    *,
    freeze_col: int = 0,
    preamble: Sequence[Sequence[Any]] = (),
) -> WriteOnlyWorksheet:
    """A sheet holding one table: optional preamble lines, the header row (frozen, filtered), then rows.

    rows is called with the new sheet (WriteOnlyCells for fills and number formats need it) and yields rows
    of cells or plain values. They are written when the workbook is saved with to_bytes, after the header;
    nothing may be appended to the sheet afterwards.
    """
    ws = wb.create_sheet(title)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    header_row = len(preamble) + 1
    ws.freeze_panes = f"{get_column_letter(freeze_col + 1)}{header_row + 1}"
    for line in preamble:
        append_row(ws, line)
    append_row(ws, [cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL, wrap=True) for h in headers])
    writer = RowWriter(ws)
    first = header_row + 1
    body = [writer.row(first + n, row) for n, row in enumerate(rows(ws))]
    count = len(body)
    if body:
        _TABLE_ROWS[ws] = body
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return ws


def to_bytes(wb: Workbook) -> bytes:
    """The saved workbook, with every table's rows in their sheets."""
    buffer = io.BytesIO()
    wb.save(buffer)  # numbers the sheets: ws.path is known from here on
    bodies = {ws.path.lstrip("/"): _TABLE_ROWS.pop(ws) for ws in wb.worksheets if ws in _TABLE_ROWS}
    if not bodies:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            body = bodies.pop(info.filename, None)
            if body is not None:
                head, end, tail = part.partition(b"</sheetData>")  # the header row is always there
                if not end:
                    raise RuntimeError(f"{info.filename} has no <sheetData> to hold the table rows")
                part = b"".join((head, "".join(body).encode("utf-8"), end, tail))
            dst.writestr(info, part)
    if bodies:
        raise RuntimeError(f"sheets not found in the saved workbook: {sorted(bodies)}")
    return out.getvalue()
