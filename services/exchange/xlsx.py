"""The Excel workbook of a region (or one unit): Ringkasan, Unit, Jawaban, Bukti, Rencana Perbaikan.

Indonesian headers, zone colours, frozen header rows, auto filters and column widths. The Jawaban sheet uses
the same columns as the answer template, so a downloaded workbook can also go back through the import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assessment.subject import is_tally
from services.exchange.data import ExportData, UnitExport, option_label, status_label, zone_label
from services.exchange.gates_sheet import standings_sheet
from services.exchange.safe_cells import append_row
from services.exchange.sheets import (
    BOLD,
    NUMBER,
    TITLE_FONT,
    cell,
    new_workbook,
    table_sheet,
    to_bytes,
    zone_fill,
    zone_font,
)
from services.region.data import STATUS_LABELS

# the columns the import reads; the template and the Jawaban sheet of the workbook share them
ANSWER_HEADERS = (
    "Periode",
    "Kode unit",
    "Nama unit",
    "Dimensi",
    "Kode indikator",
    "Pertanyaan",
    "Subjek",
    "Keterangan subjek",
    "Nilai",
    "Jumlah responden",
)
SHEET_ANSWERS = "Jawaban"


def region_workbook(data: ExportData) -> bytes:
    wb = new_workbook()
    _summary(wb, data)
    _units(wb, data)
    _answers(wb, data)
    _evidence(wb, data)
    _plan(wb, data)
    standings_sheet(wb, data)  # results (gates) and label families, when the criteria have them
    return to_bytes(wb)


def _summary(wb, data: ExportData) -> None:
    ov = data.overview
    ws = wb.create_sheet("Ringkasan")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 60
    heading = "Rapor unit layanan" if data.single_unit else "Rekap penilaian mandiri wilayah"
    append_row(ws, [cell(ws, f"{heading} — {data.period.name}", font=TITLE_FONT)])
    append_row(ws, [])
    c = data.criteria
    who = data.units[0].name if data.single_unit and data.units else data.region_name
    for key, value in [
        ("Unit" if data.single_unit else "Wilayah", who),
        ("Periode", data.period.name),
        ("Kriteria", f"{c.id} versi {c.version} — {c.title}"),
        ("Sidik teks kriteria (sha256)", data.period.criteria_sha256),
        ("Dibuat", data.generated_at.strftime("%d-%m-%Y %H:%M")),
        ("Dibuat oleh", data.generated_by),
    ]:
        append_row(ws, [cell(ws, key, font=BOLD), value])
    append_row(ws, [])
    result = ov.region
    if result is not None:
        zone = result.band.zone
        label = "Nilai unit" if data.single_unit else f"Nilai wilayah (rata-rata {result.units} unit yang dinilai)"
        append_row(ws, [cell(ws, label, font=BOLD), cell(ws, result.score, number_format=NUMBER, font=BOLD)])
        append_row(ws, [cell(ws, "Kategori", font=BOLD), f"{result.band.code} — {result.band.label}"])
        append_row(
            ws, [cell(ws, "Zona", font=BOLD), cell(ws, zone_label(zone), fill=zone_fill(zone), font=zone_font(zone))]
        )
    else:
        append_row(ws, [cell(ws, "Nilai", font=BOLD), "Belum ada unit yang menjawab satu indikator pun."])
    if not data.single_unit:
        append_row(ws, [])
        append_row(ws, [cell(ws, "Status penilaian", font=BOLD), cell(ws, "Jumlah unit", font=BOLD)])
        for status, label in STATUS_LABELS.items():
            append_row(ws, [label, ov.status_counts.get(status, 0)])
        append_row(ws, [cell(ws, "Jumlah unit", font=BOLD), ov.scope_units])
        append_row(ws, [])
        append_row(
            ws, [cell(ws, "Kategori", font=BOLD), cell(ws, "Zona", font=BOLD), cell(ws, "Jumlah unit", font=BOLD)]
        )
        for b in ov.band_counts:
            append_row(ws, [f"{b.code} — {b.label}", cell(ws, zone_label(b.zone), fill=zone_fill(b.zone)), b.count])
        if ov.missed:
            append_row(ws, [])
            append_row(ws, [cell(ws, "Indikator yang paling sering kehilangan poin", font=BOLD)])
            append_row(
                ws,
                [
                    cell(ws, h, font=BOLD)
                    for h in ("Indikator", "Unit kehilangan poin", "Poin hilang (total)", "Pertanyaan")
                ],
            )
            for m in ov.missed:
                append_row(ws, [m.indicator, m.units_losing, cell(ws, m.lost_total, number_format=NUMBER), m.question])
    append_row(ws, [])
    append_row(
        ws,
        [
            "Nilai wilayah = rata-rata nilai total unit yang sudah dinilai (minimal satu indikator dijawab), "
            "seperti metode Ombudsman RI. Indikator yang belum dijawab dihitung 0."
        ],
    )


def _units(wb, data: ExportData) -> None:
    dims = data.overview.dimensions
    headers = [
        "Peringkat",
        "Kode unit",
        "Nama unit",
        "OPD",
        "Jenis unit",
        "Status",
        "Nilai total",
        "Nilai terverifikasi",
        "Kategori",
        "Predikat",
        "Zona",
    ]
    headers += [f"{d.title} (maks. {d.max:.2f})" for d in dims]
    headers += ["Indikator terjawab", "Jumlah indikator", "Kategori berikutnya", "Kurang poin"]
    widths = [10, 16, 40, 34, 18, 14, 11, 13, 10, 20, 10] + [14] * len(dims) + [12, 12, 13, 11]

    def rows(ws) -> Iterator[list[Any]]:
        for line in data.overview.lines:
            z = line.zone
            yield [
                line.rank,
                line.code,
                line.name,
                line.opd,
                line.unit_type,
                status_label(line.status),
                cell(ws, line.total, number_format=NUMBER, fill=zone_fill(z), font=zone_font(z, bold=True)),
                cell(ws, line.verified, number_format=NUMBER),
                cell(ws, line.band_code, fill=zone_fill(z), font=zone_font(z)),
                line.band_label,
                cell(ws, zone_label(z) if z else None, fill=zone_fill(z), font=zone_font(z)),
                *[cell(ws, v, number_format=NUMBER) for v in line.dimensions],
                line.answered,
                line.scored,
                line.next_band,
                cell(ws, line.to_next, number_format=NUMBER),
            ]

    table_sheet(wb, "Unit", headers, widths, rows, freeze_col=3)


def _answers(wb, data: ExportData) -> None:
    """Every answer, one row each (tens of thousands for a large region): plain values, blanks left out."""
    questions = {i.id: i.question for d in data.criteria.dimensions for i in d.indicators}
    indicators = data.criteria.indicators_by_id()
    headers = [
        "Periode",
        "Kode unit",
        "Nama unit",
        "Kode indikator",
        "Pertanyaan",
        "Subjek",
        "Nilai",
        "Jumlah responden",
        "Arti nilai",
        "Catatan",
        "Diperbarui oleh",
        "Diperbarui pada",
    ]
    widths = [16, 16, 34, 14, 60, 18, 8, 11, 28, 40, 16, 17]
    period = data.period.name

    def rows(ws) -> Iterator[list[Any]]:
        for u in data.units:
            for a in u.answers:
                tally = is_tally(a.subject)
                yield [
                    period,
                    u.code,
                    u.name,
                    a.indicator_id,
                    questions.get(a.indicator_id),
                    a.subject,
                    "N/A" if a.value is None else a.value,
                    a.count if tally else None,
                    option_label(indicators.get(a.indicator_id), a.value) or None,
                    u.notes.get(a.indicator_id),
                    a.updated_by,
                    a.updated_at.strftime("%d-%m-%Y %H:%M"),
                ]

    table_sheet(wb, SHEET_ANSWERS, headers, widths, rows, freeze_col=2)


def _evidence(wb, data: ExportData) -> None:
    indicators = data.criteria.indicators_by_id()
    headers = [
        "Kode unit",
        "Nama unit",
        "Kode indikator",
        "Pertanyaan",
        "Nama berkas",
        "Jenis berkas",
        "Ukuran (KB)",
        "Tanggal bukti",
        "Keterangan",
        "Diunggah oleh",
        "Diunggah pada",
        "Sidik (sha256)",
    ]
    widths = [16, 34, 14, 50, 30, 18, 11, 13, 40, 16, 17, 66]

    def rows(ws) -> Iterator[list[Any]]:
        for u in data.units:
            for e in u.evidence:
                ind = indicators.get(e.indicator_id)
                yield [
                    u.code,
                    u.name,
                    e.indicator_id,
                    ind.question if ind else "",
                    e.file_name,
                    e.media_type,
                    round(e.size / 1024, 1),
                    e.effective_date.strftime("%d-%m-%Y") if e.effective_date else "",
                    e.description,
                    e.uploaded_by,
                    e.uploaded_at.strftime("%d-%m-%Y %H:%M"),
                    e.sha256,
                ]

    table_sheet(wb, "Bukti", headers, widths, rows, freeze_col=2)


def plan_rows(u: UnitExport, data: ExportData) -> Iterator[dict[str, Any]]:
    """The improvement plan of one unit as rows (also used by the PDF); a single status row when there is none."""
    r = u.score.report
    indicators = data.criteria.indicators_by_id()
    if r is None:
        yield {"note": "Belum mulai menilai: belum ada indikator yang dijawab."}
        return
    if r.result is not None:  # gates: the plan leads to the next result (e.g. WBK), not the next band
        nxt = r.result.next
        if nxt is None:
            yield {"note": f"Sudah mencapai {r.result.label}; pertahankan dan lengkapi buktinya."}
            return
        if not u.path:
            yield {"note": f"{nxt.label} tidak tercapai walau semua indikator dinaikkan."}
            return
    elif r.next_band is None:
        yield {"note": "Sudah di kategori tertinggi; pertahankan dan lengkapi buktinya."}
        return
    elif not u.path:
        yield {"note": f"Kategori {r.next_band.code} tidak tercapai walau semua indikator dinaikkan."}
        return
    running = r.total_exact
    for n, imp in enumerate(u.path, 1):
        running += imp.points
        ind = indicators[imp.indicator]
        option = ind.option(imp.target_value)
        yield {
            "order": n,
            "indicator": imp.indicator,
            "question": ind.question,
            "now": round(100 * imp.from_fraction, 1),
            "target": f"{imp.target_value:g} — {option.label if option else ''}",
            "points": round(imp.points, 2),
            "after": round(running, 2),
            "evidence": imp.evidence_hint or "",
        }


def _plan(wb, data: ExportData) -> None:
    headers = [
        "Kode unit",
        "Nama unit",
        "Nilai sekarang",
        "Kategori sekarang",
        "Kategori tujuan",
        "Batas bawah",
        "Urutan",
        "Kode indikator",
        "Pertanyaan",
        "Capaian sekarang (%)",
        "Target jawaban",
        "Tambahan poin",
        "Nilai sesudahnya",
        "Bukti yang diperlukan / keterangan",
    ]
    widths = [16, 34, 11, 12, 12, 11, 8, 14, 60, 12, 34, 11, 12, 60]

    def rows(ws) -> Iterator[list[Any]]:
        for u in data.units:
            r = u.score.report
            head = [
                u.code,
                u.name,
                cell(ws, r.total, number_format=NUMBER) if r else None,
                r.band.code if r else None,
                r.next_band.code if r and r.next_band else None,
                cell(ws, r.next_band.min, number_format=NUMBER) if r and r.next_band else None,
            ]
            for step in plan_rows(u, data):
                if "note" in step:
                    yield [*head, None, None, None, None, None, None, None, step["note"]]
                else:
                    yield [
                        *head,
                        step["order"],
                        step["indicator"],
                        step["question"],
                        step["now"],
                        step["target"],
                        cell(ws, step["points"], number_format=NUMBER),
                        cell(ws, step["after"], number_format=NUMBER),
                        step["evidence"],
                    ]

    table_sheet(wb, "Rencana Perbaikan", headers, widths, rows, freeze_col=2)
