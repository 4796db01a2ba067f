"""Writing formatted tables with openpyxl's write-only mode (fast for tens of thousands of rows).

Every table gets a bold header row that stays frozen, an auto filter over its range and column widths.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from services.exchange.safe_cells import append_row, text_only

# light fills with dark text, as Excel's own good / neutral / bad styles: readable in print and on screen
ZONE_FILLS = {"hijau": "C6EFCE", "kuning": "FFEB9C", "merah": "FFC7CE"}
ZONE_FONTS = {"hijau": "006100", "kuning": "9C5700", "merah": "9C0006"}
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER = "0.00"


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
    of cells or plain values.
    """
    ws = wb.create_sheet(title)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    header_row = len(preamble) + 1
    ws.freeze_panes = f"{get_column_letter(freeze_col + 1)}{header_row + 1}"
    for line in preamble:
        append_row(ws, line)
    append_row(ws, [cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL, wrap=True) for h in headers])
    count = 0
    for row in rows(ws):
        append_row(ws, row)
        count += 1
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return ws


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
