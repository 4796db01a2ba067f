"""CSV for data work: one row per unit and answer, UTF-8 with a byte-order mark so Excel reads it as UTF-8.

Numbers follow the export language (safe_cells.SafeCsvWriter): Indonesian, the default, writes 63,02 and
separates fields with ';' so Excel set to Indonesian opens it as columns of numbers; English writes 63.02
with ',' (what pandas and R read by default). Unit-level
columns (total, category, zone, status, and the result its gates award and its unit label where the criteria
have them) repeat on every answer row so the file can be filtered on its own.
"""

from __future__ import annotations

import io

from services.exchange.data import ExportData, option_label, status_label, subject_text
from services.exchange.safe_cells import SafeCsvWriter, csv_number

HEADERS = (
    "periode", "kode_opd", "opd", "kode_unit", "unit", "jenis_unit", "status", "nilai_total", "kategori", "zona",
    "dimensi", "kode_indikator", "pertanyaan", "subjek", "keterangan_subjek", "nilai", "jumlah", "arti_nilai",
    "diperbarui_oleh", "diperbarui_pada", "predikat", "label_unit",
)  # fmt: skip


def answers_csv(data: ExportData, lang: str = "id") -> bytes:
    indicators = data.criteria.indicators_by_id()
    dim_of = {i.id: d.title for d in data.criteria.dimensions for i in d.indicators}
    out = io.StringIO()
    writer = SafeCsvWriter(out, lang=lang)
    writer.writerow(HEADERS)
    for u in data.units:
        r = u.score.report
        unit = u.score.unit
        head = [
            data.period.name,
            unit.opd_code or "",
            unit.opd_name or "",
            unit.code,
            unit.name,
            unit.unit_type or "",
            status_label(u.score.status),
            r.total if r else "",
            r.band.code if r else "",
            (r.band.zone or "") if r else "",
        ]
        tail = [
            r.result.label if r and r.result else "",
            next((lab.text for lab in r.labels if lab.applies_to == "unit"), "") if r else "",
        ]
        for a in u.answers:
            ind = indicators.get(a.indicator_id)
            writer.writerow(
                [
                    *head,
                    dim_of.get(a.indicator_id, ""),
                    a.indicator_id,
                    ind.question if ind else "",
                    a.subject,
                    subject_text(a.subject, u.products),
                    "NA" if a.value is None else csv_number(a.value, lang, decimals=None),
                    a.count,
                    option_label(ind, a.value),
                    a.updated_by,
                    a.updated_at.isoformat(sep=" ", timespec="seconds"),
                    *tail,
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
