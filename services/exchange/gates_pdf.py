"""PDF section "Predikat dan label": results with every gate, and both label families (region or unit)."""

from __future__ import annotations

from assessment.gates import ResultOutcome, explain_gate
from assessment.labels import LabelOutcome
from services.exchange.data import ExportData, UnitExport, id_number
from services.exchange.gates_sheet import suffix_text
from services.exchange.pdf_doc import Document

PASSED_RGB = (198, 239, 206)
FAILED_RGB = (255, 199, 206)


def standings_section(doc: Document, data: ExportData, unit: UnitExport | None = None) -> None:
    """For a region (unit=None): its labels and every unit's result; for one unit: its gates and labels."""
    st = data.standings
    if st is None or not st.shown:
        return
    doc.heading("Predikat dan label")
    if unit is None:
        _labels(doc, st.region_labels, entity=True)
        if st.has_gates and st.criteria.results is not None:
            counts = ", ".join(f"{label}: {n} unit" for _, label, n in st.result_counts)
            doc.para(f"{st.criteria.results.title}: {counts}.")
            rows = []
            for u in st.units:
                nxt = u.result.next if u.result else None
                rows.append(
                    [
                        u.name,
                        id_number(u.total),
                        u.result.code if u.result else "—",
                        f"{len(nxt.failing)} syarat" if nxt else "—",
                        "; ".join(g.title for g in nxt.failing) if nxt else "semua syarat terpenuhi",
                    ]
                )
            doc.lines_table(
                ["Unit", "Nilai", "Predikat", "Belum", "Syarat predikat berikutnya yang belum terpenuhi"],
                rows,
                [54, 14, 20, 16, 76],
                align=["LEFT", "RIGHT", "CENTER", "RIGHT", "LEFT"],
            )
        return
    standing = st.of(unit.score.unit.id)
    if standing is None:
        return
    _labels(doc, standing.labels, entity=False)
    if standing.result is not None:
        _gates(doc, standing.result)


def _labels(doc: Document, labels: tuple[LabelOutcome, ...], *, entity: bool) -> None:
    items = []
    for lab in labels:
        own = (lab.applies_to == "entity") == entity
        key = lab.title if own else f"{lab.title} — pada nilai yang sama"
        items.append((key, lab.text + (f" (akhiran {suffix_text(lab)})" if lab.suffix else "")))
    if items:
        doc.key_values(items, key_width=70)
        doc.ln(1)


def _gates(doc: Document, result: ResultOutcome) -> None:
    doc.para(f"{result.title}: {result.label}.", bold=True)
    for level in result.levels:
        rows, fills = [], []
        for g in level.gates:
            worst = g.failing_parts[0] if g.failing_parts else g.parts[0]
            rows.append(
                [
                    g.title + (" *" if g.uncertain else ""),
                    f"{id_number(worst.score)} / {id_number(worst.required)}",
                    "terpenuhi" if g.passed else f"kurang {id_number(g.gap)}",
                ]
            )
            fills.append([None, None, PASSED_RGB if g.passed else FAILED_RGB])
        doc.para(f"Syarat {level.label}" + (" — semua terpenuhi" if level.passed else ""))
        doc.lines_table(["Syarat", "Nilai / perlu", "Status"], rows, [110, 40, 30], fills=fills)
        for g in level.failing:
            doc.para("• " + explain_gate(g), size=8)
    if any(g.uncertain for level in result.levels for g in level.gates):
        doc.para("* ambang belum pasti (satu sumber atau direkonstruksi); lihat catatan berkas kriteria.", size=8)
