"""`kepatuhan score`: score one unit or a whole region from an answers file, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assessment import Criteria, Report, load_criteria, region_score, score
from assessment.answers_file import AnswersDocument, load_answers

EXIT_OK = 0


def _out(text: str = "") -> None:
    print(text)


def run(args: argparse.Namespace) -> int:
    criteria_path = args.criteria or _default_criteria()
    criteria = load_criteria(criteria_path)
    document = load_answers(args.answers, criteria)
    reports = [(u, score(criteria, u.answers, products=u.products or None)) for u in document.units]
    if args.json:
        _out(json.dumps(score_document(criteria, document, reports), indent=2, ensure_ascii=False))
    else:
        _out(score_table(criteria, document, reports))
    return EXIT_OK


def _default_criteria() -> Path:
    from services.catalog import CRITERIA_DIR, DEFAULT_CRITERIA

    return CRITERIA_DIR / DEFAULT_CRITERIA


def _band(criteria: Criteria, band: Any) -> dict[str, Any]:
    return {"code": band.code, "label": band.label, "zone": band.zone, "min": band.min, "max": band.max}


def score_document(criteria: Criteria, document: AnswersDocument, reports: list[tuple[Any, Report]]) -> dict:
    units = []
    for unit, report in reports:
        units.append(
            {
                "code": unit.code,
                "name": unit.name,
                "products": list(unit.products),
                "total": report.total,
                "category": _band(criteria, report.band),
                "label": report.label,
                "zone": report.band.zone,
                "complete": report.complete,
                "answered_indicators": report.answered,
                "scored_indicators": report.scored_indicators,
                "dimensions": [
                    {"id": d.id, "title": d.title, "score": d.score, "max": round(d.max, 4)} for d in report.dimensions
                ],
                "indicators": [
                    {
                        "id": r.id,
                        "dimension": r.dimension,
                        "status": r.status,
                        "max_points": round(r.max_points, 4),
                        "earned": round(r.earned, 4),
                        "lost": round(r.lost, 4),
                        "mean_value": None if r.mean_value is None else round(r.mean_value, 4),
                        "answered_subjects": r.answered_subjects,
                    }
                    for r in report.indicators
                ],
                "next_category": _band(criteria, report.next_band) if report.next_band else None,
                "path_to_next": [
                    {
                        "indicator": i.indicator,
                        "dimension": i.dimension,
                        "points": round(i.points, 4),
                        "target_value": i.target_value,
                        "evidence_hint": i.evidence_hint,
                    }
                    for i in report.path
                ],
            }
        )
    out: dict[str, Any] = {
        "criteria": {"id": criteria.id, "version": criteria.version, "title": criteria.title},
        "answers_file": document.source,
        "units": units,
    }
    if document.region is not None:
        result = region_score(criteria, [r.total for _, r in reports])
        out["region"] = {
            "code": document.region.code,
            "name": document.region.name,
            "units": result.units,
            "score": result.score,
            "category": _band(criteria, result.band),
            "zone": result.band.zone,
        }
    return out


def score_table(criteria: Criteria, document: AnswersDocument, reports: list[tuple[Any, Report]]) -> str:
    dims = criteria.dimensions
    headers = ["Kode", "Unit", *[_short(d.title, d.id) for d in dims], "Total", "Kategori", "Zona", "Terjawab"]
    maxima = [
        "",
        "(maks.)",
        *[f"{criteria.dimension_max(d):.2f}" for d in dims],
        f"{criteria.scale.max:.2f}",
        "",
        "",
        "",
    ]
    rows = [headers, maxima]
    for unit, report in reports:
        rows.append(
            [
                unit.code,
                _clip(unit.name, 36),
                *[f"{d.score:.2f}" for d in report.dimensions],
                f"{report.total:.2f}",
                f"{report.band.code} {report.label}",
                report.band.zone or "-",
                f"{report.answered}/{report.scored_indicators}",
            ]
        )
    numeric = set(range(2, 3 + len(dims)))
    widths = [max(len(r[c]) for r in rows) for c in range(len(headers))]
    lines = [f"Kriteria: {criteria.id} versi {criteria.version} — {criteria.title}"]
    if document.region is not None:
        code = f" ({document.region.code})" if document.region.code else ""
        lines.append(f"Wilayah: {document.region.name}{code}")
    lines.append("")
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[c]) if c in numeric else cell.ljust(widths[c]) for c, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 1:
            lines.append("  ".join("-" * w for w in widths))
    if document.region is not None:
        result = region_score(criteria, [r.total for _, r in reports])
        lines.append("")
        lines.append(
            f"Skor wilayah (rata-rata {result.units} unit): {result.score:.2f} — "
            f"{result.band.code} {result.band.label}, zona {result.band.zone or '-'}"
        )
    elif reports:
        report = reports[0][1]
        if report.next_band and report.path:
            ids = ", ".join(i.indicator for i in report.path)
            lines.append("")
            lines.append(
                f"Menuju kategori {report.next_band.code} ({report.next_band.min:g}): naikkan "
                f"{len(report.path)} indikator ke nilai tertinggi: {ids}"
            )
    incomplete = [u.code for u, r in reports if not r.complete]
    if incomplete:
        lines.append("")
        lines.append(f"Catatan: jawaban belum lengkap untuk {', '.join(incomplete)}; indikator kosong dihitung 0.")
    return "\n".join(lines)


def _short(title: str, ident: str) -> str:
    return title if len(title) <= 12 else ident.capitalize()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
