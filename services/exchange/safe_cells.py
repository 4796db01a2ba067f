"""The one writer of spreadsheet cells from user text: every xlsx, csv and template export goes through here.

A unit, product, period or user name, a note, an evidence description or an audit payload is text a user
typed; a spreadsheet must show it as typed and never evaluate it. In an xlsx workbook such a value is
written as a string cell with Excel's quote prefix (so editing the cell later does not turn it into a
formula either); in a CSV it is neutralised as the OWASP CSV-injection guidance describes: a value starting
with = + - @ tab or carriage return gets a leading apostrophe, and a field holding a separator, quote or line
break is quoted (so it cannot spill into a neighbouring cell). Real numbers
(int, float, Decimal, and text that is exactly a number such as "-1.5") stay numbers.

The rows of a table sheet (tens of thousands in a region workbook) are written by row_xml straight as
SpreadsheetML, under the same rules (text is an inline string, formula-like text gets the quote prefix,
numbers stay numbers): openpyxl builds two objects and an lxml element per cell, ten times the cost.

CSV numbers follow the export's language (Babel's CLDR data), so a spreadsheet opened in that language reads
them as numbers: Indonesian (the default) writes 63,02 and therefore separates fields with ';' (what Excel
set to Indonesian expects); English writes 63.02 with ',' between fields.
"""

from __future__ import annotations

import csv
import io
import math
import re
import weakref
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import format_decimal
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from assessment.errors import KepatuhanError

# what a spreadsheet may read as the start of a formula (OWASP); full-width = and + too, which some
# spreadsheet programs normalise
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?")


# export language -> (Babel locale, CSV field separator)
CSV_LANGUAGES = {"id": ("id_ID", ";"), "en": ("en_US", ",")}


def check_language(lang: str) -> str:
    """The export language, or a clear message naming the ones there are."""
    if lang not in CSV_LANGUAGES:
        raise KepatuhanError(key="err.export.language", lang=lang, langs=", ".join(CSV_LANGUAGES))
    return lang


def csv_number(value: float | Decimal, lang: str, decimals: int | None = 2) -> str:
    """A number as a reader of `lang` writes it, without grouping: 63,02 (id) or 63.02 (en).

    `decimals` fixes the places (scores: two, half away from zero like the app); None keeps up to three,
    for answer values such as 0,5.
    """
    locale = CSV_LANGUAGES[check_language(lang)][0]
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        return format_decimal(exact, format="0.###", locale=locale)
    exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_decimal(exact, format="0" + ("." + "0" * decimals if decimals else ""), locale=locale)


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet would evaluate (or could, once edited) rather than show."""
    if not isinstance(value, str) or not value:
        return False
    return value.lstrip(" ")[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value.strip())


def safe_text(value: Any) -> Any:
    """A CSV field: numbers as they are, formula-like text behind an apostrophe (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def safe_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """An xlsx cell value for a write-only sheet: text that looks like a formula becomes a text cell."""
    if isinstance(value, Cell):
        return text_only(value)
    if isinstance(value, str) and value.startswith("="):
        return text_only(WriteOnlyCell(ws, value=value))
    if is_formula_like(value):
        c = WriteOnlyCell(ws, value=value)
        c.quotePrefix = True
        return c
    return value


def text_only(c: Cell) -> Cell:
    """openpyxl types any str starting with '=' as a formula; a cell we write is never one."""
    if c.data_type == "f":
        c.data_type = "s"
    if is_formula_like(c.value):
        c.quotePrefix = True
    return c


def append_row(ws: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """ws.append for every sheet an export writes: each value through safe_cell."""
    if ws in _TABLE_SHEETS:
        raise RuntimeError(f"sheet '{ws.title}' holds a table: its rows follow the header when saved, add none after")
    ws.append([safe_cell(ws, v) for v in values])


_LETTERS = [get_column_letter(n) for n in range(1, 703)]  # A … ZZ
MAX_CELL_TEXT = 32767  # Excel's limit; openpyxl cuts there too
_TABLE_SHEETS: weakref.WeakSet[WriteOnlyWorksheet] = weakref.WeakSet()


def _text_tail(style: str, text: str) -> str:
    """What follows `<c r="A1"` for a text cell: an inline string, exactly as typed (control characters XML
    cannot hold are dropped; a \r stays a \r, which a parser would otherwise read as \n)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text[:MAX_CELL_TEXT])
    space = ' xml:space="preserve"' if text != text.strip() else ""
    xml = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return f'{style} t="inlineStr"><is><t{space}>{xml}</t></is></c>'


def _number_xml(ref: str, style: str, value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f'<c r="{ref}"{style}/>'
    return f'<c r="{ref}"{style}><v>{value:.16g}</v></c>'


class RowWriter:
    """Rows of one write-only sheet as SpreadsheetML, for the sheet's <sheetData> (see sheets.table_sheet).

    The same rules as append_row: a str is always a text cell, never a formula, and text a spreadsheet could
    evaluate gets the quote prefix; numbers stay numbers; a WriteOnlyCell keeps its style (font, fill, number
    format). Style ids come from the workbook's own style table, so openpyxl writes styles.xml to match.
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        _TABLE_SHEETS.add(ws)  # its rows are numbered from the header on: append_row may add none after
        quoted = WriteOnlyCell(ws)
        quoted.quotePrefix = True
        self._quoted = f' s="{quoted.style_id}"'
        self._texts: dict[str, str] = {}

    def row(self, row_idx: int, values: Iterable[Any]) -> str:
        r = str(row_idx)
        parts = [f'<row r="{r}">']
        texts = self._texts
        for col, value in enumerate(values):
            if value is None or value == "":  # an empty text reads back as an empty cell, as from openpyxl
                continue
            ref = _LETTERS[col] + r
            kind = value.__class__
            if kind is str:  # the common case first: the same texts repeat on many rows (names, questions)
                tail = texts.get(value)
                if tail is None:
                    tail = texts[value] = _text_tail(self._quoted if is_formula_like(value) else "", value)
                parts.append(f'<c r="{ref}"{tail}')
            elif kind is float or kind is int:
                parts.append(_number_xml(ref, "", value))
            else:
                parts.append(self._other(ref, value))
        parts.append("</row>")
        return "".join(parts)

    def _other(self, ref: str, value: Any) -> str:
        """A styled cell, a bool, a Decimal, a date: anything but plain text and plain numbers."""
        if not isinstance(value, Cell):
            if isinstance(value, bool):
                return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
            if isinstance(value, Decimal) or (isinstance(value, (int, float)) and not isinstance(value, str)):
                return _number_xml(ref, "", value)
            value = WriteOnlyCell(self.ws, value=value)  # openpyxl types it (a date gets a date format)
        c = text_only(value)
        style = f' s="{c.style_id}"' if c.has_style else ""
        value = c.value
        if value is None:
            return f'<c r="{ref}"{style}/>' if style else ""
        if isinstance(value, str):  # text, also what openpyxl would type as an error code ("#N/A")
            return f'<c r="{ref}"{_text_tail(style, value)}'  # its style already carries any quote prefix
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if c.data_type == "d":
            if getattr(value, "tzinfo", None) is not None:
                raise TypeError("Excel does not support timezones in datetimes; drop the tzinfo first.")
            value = to_excel(value)
        return _number_xml(ref, style, value)


class SafeCsvWriter:
    """csv.writer that quotes fields holding a separator, neutralises formula-like text and writes numbers in
    the export language (floats and Decimals as scores, two decimals; use for every CSV export)."""

    def __init__(self, out: io.StringIO, *, lang: str = "id", lineterminator: str = "\r\n") -> None:
        self.lang = check_language(lang)
        delimiter = CSV_LANGUAGES[lang][1]
        self._writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator=lineterminator)

    def _field(self, value: Any) -> Any:
        if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
            return csv_number(value, self.lang)
        return safe_text(value)

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow([self._field(v) for v in row])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, lang: str = "id") -> bytes:
    """A whole CSV export: UTF-8 with a byte-order mark (Excel then reads Indonesian text right)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lang=lang)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
