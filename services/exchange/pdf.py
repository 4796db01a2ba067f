"""PDF report cards ("rapor") in Bahasa Indonesia, ready to print on A4: one for the region, one per unit."""

from __future__ import annotations

from services.exchange.data import ExportData, UnitExport, id_number, status_label, zone_label
from services.exchange.gates_pdf import standings_section
from services.exchange.pdf_doc import ZONE_LIGHT, ZONE_RGB, Document, hex_rgb, share_rgb
from services.exchange.xlsx import plan_rows

CHART_UNITS = 40  # above this, the per-unit chart gives way to the tables


def _footer(data: ExportData) -> str:
    return f"Kepatuhan · {data.period.name} · dibuat {data.generated_at:%d-%m-%Y %H:%M} oleh {data.generated_by}"


def _explain_band(data: ExportData, total: float, band_code: str, who: str) -> str:
    band = next(b for b in data.criteria.bands if b.code == band_code)
    nxt = data.criteria.next_band(band)
    text = f"Dengan nilai {id_number(total)}, {who} berada di kategori {band.code} ({band.label})"
    if band.zone:
        text += f", zona {band.zone}"
    if nxt is None:
        return text + ", kategori tertinggi."
    gap = max(0.0, nxt.min - total)
    return f"{text}. Kategori berikutnya {nxt.code} ({nxt.label}) mulai dari {id_number(nxt.min)}: " + (
        f"kurang {id_number(gap)} poin."
    )


def region_pdf(data: ExportData) -> bytes:
    ov = data.overview
    doc = Document(f"Rapor wilayah {data.region_name} — {data.period.name}", _footer(data))
    doc.heading(f"Rapor Kepatuhan Pelayanan Publik — {data.region_name}", 15)
    c = data.criteria
    doc.key_values(
        [
            ("Periode", data.period.name),
            ("Kriteria", f"{c.id} versi {c.version} — {c.title}"),
            ("Unit layanan", f"{ov.scope_units} unit, {ov.scope_assessed} sudah dinilai"),
        ]
    )
    doc.ln(2)
    result = ov.region
    if result is None:
        doc.para("Belum ada unit yang menjawab satu indikator pun pada periode ini; nilai wilayah belum bisa dihitung.")
    else:
        zone = result.band.zone
        doc.score_boxes(
            [
                ("Nilai wilayah", id_number(result.score), None),
                ("Kategori", f"{result.band.code} — {result.band.label}", None),
                ("Zona", zone_label(zone), ZONE_RGB.get(zone)),
            ]
        )
        doc.para(
            "Nilai wilayah adalah rata-rata nilai total unit yang sudah dinilai (minimal satu indikator dijawab), "
            f"seperti cara Ombudsman RI menilai pemerintah daerah: rata-rata dari {result.units} unit. "
            + _explain_band(data, result.score, result.band.code, "wilayah ini")
        )
    counts = ", ".join(f"{status_label(s)} {n}" for s, n in ov.status_counts.items())
    doc.para(f"Status penilaian unit: {counts}.")

    doc.heading("Sebaran kategori dan zona")
    bands = list(ov.band_counts)
    doc.bar_chart(
        [f"{b.code} — {b.label} ({zone_label(b.zone).lower()})" for b in bands],
        [b.count for b in bands],
        max([b.count for b in bands] + [1]),
        [hex_rgb(b.colour) for b in bands],
        value_text=[f"{b.count} unit" for b in bands],
    )
    if ov.lines and ov.region is not None:
        doc.heading("Capaian rata-rata per dimensi")
        dims = ov.dimensions
        means = []
        for i, _ in enumerate(dims):
            shares = [line.shares[i] for line in ov.lines if line.shares[i] is not None]
            means.append(100 * sum(shares) / len(shares) if shares else 0.0)
        doc.bar_chart(
            [f"{d.title} (maks. {id_number(d.max)})" for d in dims],
            means,
            100,
            [share_rgb(m / 100) or (156, 163, 175) for m in means],
            value_text=[f"{id_number(m, 1)} %" for m in means],
        )
    assessed = [line for line in ov.lines if line.total is not None]
    if assessed and len(assessed) <= CHART_UNITS:
        doc.heading("Nilai per unit")
        marks = [(b.min, f"{b.code} {id_number(b.min, 0)}") for b in c.bands if 0 < b.min < c.scale.max]
        doc.bar_chart(
            [line.name for line in assessed],
            [line.total for line in assessed],
            c.scale.max,
            [hex_rgb(line.colour or "#6b7280") for line in assessed],
            value_text=[id_number(line.total) for line in assessed],
            marks=marks,
        )
    _league(doc, data)
    _heatmap(doc, data)
    _missed_and_levers(doc, data)
    _region_plan(doc, data)
    standings_section(doc, data)  # results (gates) and both label families, when the criteria have them
    return bytes(doc.output())


def _league(doc: Document, data: ExportData) -> None:
    doc.heading("Peringkat unit")
    rows, fills = [], []
    for line in data.overview.lines:
        zone = line.zone
        rows.append(
            [
                line.rank or "—",
                line.name,
                line.opd,
                id_number(line.total),
                line.band_code or "—",
                zone_label(zone) if zone else "—",
                status_label(line.status),
            ]
        )
        light = ZONE_LIGHT.get(zone or "")
        fills.append([None, None, None, light, light, light, None])
    doc.lines_table(
        ["No.", "Unit", "OPD", "Nilai", "Kat.", "Zona", "Status"],
        rows,
        [10, 62, 50, 16, 10, 16, 16],
        fills=fills,
        align=["CENTER", "LEFT", "LEFT", "RIGHT", "CENTER", "CENTER", "LEFT"],
    )


def _heatmap(doc: Document, data: ExportData) -> None:
    ov = data.overview
    if not ov.heatmap_rows:
        return
    doc.heading("Peta panas: capaian tiap dimensi (% dari nilai maksimal dimensi)")
    doc.para("Unit terlemah di atas. Merah = jauh dari maksimal, hijau = mendekati maksimal.", size=8)
    dims = ov.dimensions
    width = (doc.epw - 70) / len(dims)
    rows, fills = [], []
    for line in ov.heatmap_rows:
        rows.append([line.name, *[id_number(100 * s, 0) if s is not None else "—" for s in line.shares]])
        fills.append([None, *[share_rgb(s) for s in line.shares]])
    doc.lines_table(
        ["Unit", *[d.title for d in dims]],
        rows,
        [70, *[width] * len(dims)],
        fills=fills,
        align=["LEFT", *["CENTER"] * len(dims)],
    )


def _missed_and_levers(doc: Document, data: ExportData) -> None:
    ov = data.overview
    if ov.missed:
        doc.heading("Indikator yang paling sering kehilangan poin")
        doc.grid(
            ["Indikator", "Pertanyaan", "Unit", "Poin hilang", "Naik wilayah"],
            [
                [m.indicator, m.question, m.units_losing, id_number(m.lost_total), f"+{id_number(m.region_gain)}"]
                for m in ov.missed
            ],
            [18, 100, 14, 22, 26],
            align=["LEFT", "LEFT", "CENTER", "RIGHT", "RIGHT"],
        )
    if ov.levers:
        doc.heading("Pengungkit terbesar nilai wilayah")
        doc.para(
            "Menaikkan satu indikator satu unit ke nilai tertinggi menaikkan nilai wilayah sebesar poin yang hilang "
            f"dibagi jumlah unit yang dinilai ({ov.scope_assessed}).",
            size=8,
        )
        doc.grid(
            ["Unit", "Indikator", "Pertanyaan", "Poin unit", "Naik wilayah"],
            [
                [lv.unit_name, lv.indicator, lv.question, id_number(lv.unit_gain), f"+{id_number(lv.region_gain, 3)}"]
                for lv in ov.levers
            ],
            [44, 18, 76, 18, 24],
            align=["LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"],
        )


def _region_plan(doc: Document, data: ExportData) -> None:
    doc.heading("Rencana perbaikan per unit (jalur ke kategori berikutnya)")
    rows = []
    for u in data.units:
        r = u.score.report
        if r is None:
            rows.append([u.name, "—", "—", "—", "Belum mulai menilai"])
        elif r.result is not None:  # gates: the plan leads to the next result, not the next band
            nxt = r.result.next
            steps = ", ".join(i.indicator for i in u.path[:6]) + (" …" if len(u.path) > 6 else "")
            todo = f"{len(u.path)} indikator: {steps}" if u.path else "tidak tercapai"
            rows.append(
                [
                    u.name,
                    id_number(r.total),
                    f"{r.result.code} → {nxt.code}" if nxt else r.result.code,
                    f"{len(nxt.failing)} syarat" if nxt else "—",
                    todo if nxt else f"Sudah {r.result.label}",
                ]
            )
        elif r.next_band is None:
            rows.append([u.name, id_number(r.total), r.band.code, "—", "Sudah di kategori tertinggi"])
        else:
            steps = ", ".join(i.indicator for i in u.path[:6]) + (" …" if len(u.path) > 6 else "")
            gap = id_number(max(0.0, r.next_band.min - r.total))
            rows.append(
                [
                    u.name,
                    id_number(r.total),
                    f"{r.band.code} → {r.next_band.code}",
                    gap,
                    f"{len(u.path)} indikator: {steps}" if u.path else "tidak tercapai",
                ]
            )
    doc.lines_table(
        ["Unit", "Nilai", "Kategori", "Kurang", "Naikkan ke nilai tertinggi"],
        rows,
        [58, 16, 18, 16, 72],
        align=["LEFT", "RIGHT", "CENTER", "RIGHT", "LEFT"],
    )


def unit_pdf(data: ExportData, u: UnitExport) -> bytes:
    r = u.score.report
    c = data.criteria
    doc = Document(f"Rapor {u.name} — {data.period.name}", _footer(data))
    doc.heading(f"Rapor Penilaian Mandiri — {u.name}", 15)
    doc.key_values(
        [
            ("OPD", u.score.unit.opd_name or "—"),
            ("Wilayah", u.score.unit.region_name or data.region_name),
            ("Periode", data.period.name),
            ("Kriteria", f"{c.id} versi {c.version} — {c.title}"),
            ("Status", status_label(u.score.status)),
        ]
    )
    doc.ln(2)
    if r is None:
        doc.para("Unit ini belum menjawab satu indikator pun pada periode ini; nilai belum bisa dihitung.", bold=True)
        return bytes(doc.output())
    zone = r.band.zone
    doc.score_boxes(
        [
            ("Nilai total", f"{id_number(r.total)} / {id_number(r.scale_max, 0)}", None),
            ("Kategori", f"{r.band.code} — {r.label}", None),
            ("Zona", zone_label(zone), ZONE_RGB.get(zone)),
        ]
    )
    if u.score.verified is not None:
        doc.para(f"Nilai terverifikasi: {id_number(u.score.verified)}.")
    doc.para(
        f"{r.answered} dari {r.scored_indicators} indikator sudah dijawab"
        + ("." if r.complete else "; indikator yang belum dijawab dihitung 0.")
        + " "
        + _explain_band(data, r.total, r.band.code, "unit ini")
    )
    doc.heading("Nilai per dimensi")
    doc.bar_chart(
        [f"{d.title} (maks. {id_number(d.max)})" for d in r.dimensions],
        [d.score for d in r.dimensions],
        max(d.max for d in r.dimensions),
        [share_rgb(d.share) or (156, 163, 175) for d in r.dimensions],
        value_text=[f"{id_number(d.score)} ({id_number(100 * d.share, 0)} %)" for d in r.dimensions],
        label_width=70,
    )
    standings_section(doc, data, u)  # gates and both label families, when the criteria have them
    _unit_plan(doc, data, u)
    _unit_explanation(doc, data, u)
    return bytes(doc.output())


def _unit_explanation(doc: Document, data: ExportData, u: UnitExport) -> None:
    r = u.score.report
    indicators = data.criteria.indicators_by_id()
    dims = {d.id: d.title for d in data.criteria.dimensions}
    lost = sorted((i for i in r.indicators if i.lost > 1e-9), key=lambda i: -i.lost)
    doc.heading("Penjelasan nilai")
    doc.para(
        "Nilai total adalah jumlah nilai dimensi. Setiap indikator menyumbang poin sesuai jawabannya; poin yang "
        f"hilang menunjukkan apa yang perlu diperbaiki. Poin hilang seluruhnya: {id_number(r.scale_max - r.total)}."
    )
    if lost:
        doc.grid(
            ["Indikator", "Dimensi", "Pertanyaan", "Diperoleh", "Hilang"],
            [
                [i.id, dims[i.dimension], indicators[i.id].question, id_number(i.earned), id_number(i.lost)]
                for i in lost[:15]
            ],
            [18, 24, 100, 19, 19],
            align=["LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"],
        )
    evidence = len(u.evidence)
    doc.para(f"Bukti dukung terlampir: {evidence} berkas.", size=8.5)


def _unit_plan(doc: Document, data: ExportData, u: UnitExport) -> None:
    r = u.score.report
    doc.heading("Rencana perbaikan")
    steps = list(plan_rows(u, data))
    if "note" in steps[0]:
        doc.para(steps[0]["note"])
        return
    if r.result is not None and r.result.next is not None:
        target = f"{r.result.next.label} (semua syaratnya terpenuhi)"
    else:
        target = f"kategori {r.next_band.code} ({r.next_band.label}, mulai {id_number(r.next_band.min)})"
    doc.para(
        f"Untuk mencapai {target}, "
        f"naikkan {len(steps)} indikator berikut ke jawaban tertinggi, dimulai dari yang poinnya terbesar:"
    )
    doc.grid(
        ["No.", "Indikator", "Target jawaban", "+ Poin", "Nilai sesudah", "Bukti yang diperlukan"],
        [
            [
                s["order"],
                f"{s['indicator']} — {s['question']}",
                s["target"],
                id_number(s["points"]),
                id_number(s["after"]),
                s["evidence"] or "—",
            ]
            for s in steps
        ],
        [9, 62, 32, 14, 18, 45],
        align=["CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"],
    )
