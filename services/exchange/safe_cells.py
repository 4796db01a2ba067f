"""The one writer of spreadsheet cells from user text: every xlsx, csv and template export goes through here.

A unit, product, period or user name, a note, an evidence description or an audit payload is text a user
typed; a spreadsheet must show it as typed and never evaluate it. In an xlsx workbook such a value is
written as a string cell with Excel's quote prefix (so editing the cell later does not turn it into a
formula either); in a CSV it is neutralised as the OWASP CSV-injection guidance describes: a value starting
with = + - @ tab or carriage return gets a leading apostrophe, and a field holding a separator, quote or line
break is quoted (so it cannot spill into a neighbouring cell). Real numbers
(int, float, Decimal, and text that is exactly a number such as "-1.5") stay numbers.

CSV numbers follow the export's language (Babel's CLDR data), so a spreadsheet opened in that language reads
them as numbers: Indonesian (the default) writes 63,02 and therefore separates fields with ';' (what Excel
set to Indonesian expects); English writes 63.02 with ',' between fields.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import format_decimal
from openpyxl.cell import Cell, WriteOnlyCell
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
    ws.append([safe_cell(ws, v) for v in values])


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
