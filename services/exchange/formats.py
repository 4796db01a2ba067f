"""One entry point for every export format, used by the app's download buttons and by the CLI."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from assessment.errors import KepatuhanError
from services.access import Actor
from services.exchange.data import CSV_MIME, PDF_MIME, XLSX_MIME, collect, file_name
from services.exchange.safe_cells import check_language

FORMATS = ("xlsx", "pdf", "csv", "template")


_KINDS = {
    "xlsx": ("xlsx", "", XLSX_MIME),
    "pdf": ("pdf", "", PDF_MIME),
    "csv": ("csv", "", CSV_MIME),
    "template": ("xlsx", "templat", XLSX_MIME),
}


def export_name(period_name: str, fmt: str, unit_code: str | None = None) -> tuple[str, str]:
    """(file name, media type) of an export, known before the file is made (for download buttons)."""
    extension, kind, mime = _KINDS[fmt]
    return file_name(period_name, unit_code, extension, kind), mime


@dataclass(frozen=True)
class ExportFile:
    name: str
    data: bytes
    mime: str


def export_file(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    fmt: str,
    *,
    period_id: int | None = None,
    period_name: str | None = None,
    unit_code: str | None = None,
    lang: str = "id",
) -> ExportFile:
    """The region (or one unit's) export in a format: xlsx workbook, pdf rapor, csv answers, answer template.

    `lang` sets how the CSV writes numbers (id: 63,02 with ';' between fields; en: 63.02 with ','); the
    workbooks keep numbers numeric with a 0.00 format, so Excel shows its reader's decimal mark itself.
    """
    if fmt not in FORMATS:
        raise KepatuhanError(key="err.export.format", fmt=fmt, formats=", ".join(FORMATS))
    check_language(lang)
    data = collect(con, actor, period_id=period_id, period_name=period_name, unit_code=unit_code)
    name, mime = export_name(data.period.name, fmt, unit_code and data.units[0].code)
    if fmt == "xlsx":
        from services.exchange.xlsx import region_workbook

        body = region_workbook(data)
    elif fmt == "pdf":
        from services.exchange.pdf import region_pdf, unit_pdf

        body = unit_pdf(data, data.units[0]) if data.single_unit else region_pdf(data)
    elif fmt == "csv":
        from services.exchange.csv import answers_csv

        body = answers_csv(data, lang)
    else:
        from services.exchange.template import answer_template

        body = answer_template(data)
    return ExportFile(name, body, mime)
