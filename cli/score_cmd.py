"""`kepatuhan score`: score one unit or a whole region from an answers file, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assessment import Criteria, Report, load_criteria, region_score, score
from assessment.answers_file import AnswersDocument, load_answers
from assessment.gates import ResultOutcome
from assessment.labels import LabelOutcome, combine_facts, fact_names

EXIT_OK = 0


def _out(text: str = "") -> None:
    print(text)


def run(args: argparse.Namespace) -> int:
    criteria_path = args.criteria or _default_criteria()
    criteria = load_criteria(criteria_path)
    document = load_answers(args.answers, criteria)
    reports = [(u, score(criteria, u.answers, products=u.products or None, facts=u.facts)) for u in document.units]
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


def region_facts(criteria: Criteria, document: AnswersDocument) -> dict[str, bool]:
    """The entity's facts: as the file gives them for the region, else combined from its units."""
    if document.region_facts is not None:
        return dict(document.region_facts)
    return combine_facts([u.facts for u in document.units], fact_names(criteria))


def labels_json(labels: tuple[LabelOutcome, ...]) -> list[dict[str, Any]]:
    return [
        {
            "family": lab.family,
            "title": lab.title,
            "applies_to": lab.applies_to,
            "code": lab.code,
            "label": lab.label,
            "text": lab.text,
            "suffix": None
            if lab.suffix is None
            else {"text": lab.suffix.text, "state": lab.suffix.state, "reason": lab.suffix.reason},
        }
        for lab in labels
    ]


def result_json(result: ResultOutcome | None) -> dict[str, Any] | None:
    if result is None:
        return None
    nxt = result.next
    return {
        "title": result.title,
        "code": result.code,
        "label": result.label,
        "next": None if nxt is None else {"code": nxt.code, "label": nxt.label},
        "path_reachable": result.path_reachable,
        "path_shortest": result.path_optimal,
        "explanation": list(result.explanation),
        "levels": [
            {
                "code": level.code,
                "label": level.label,
                "passed": level.passed,
                "gates": [
                    {
                        "id": g.id,
                        "title": g.title,
                        "passed": g.passed,
                        "gap": g.gap,
                        "uncertain": g.uncertain,
                        "parts": [
                            {
                                "part": p.ref,
                                "title": p.title,
                                "score": p.score,
                                "max": round(p.max, 4),
                                "required": p.required,
                                "passed": p.passed,
                                "gap": p.gap,
                            }
                            for p in g.parts
                        ],
                    }
                    for g in level.gates
                ],
            }
            for level in result.levels
        ],
    }


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
                "result": result_json(report.result),
                "labels": labels_json(report.labels),
                "facts": dict(unit.facts),
                "next_category": _band(criteria, report.next_band) if report.next_band else None,
                "path_target": "result" if report.result is not None else "category",
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
        facts = region_facts(criteria, document)
        result = region_score(criteria, [r.total for _, r in reports], facts=facts)
        out["region"] = {
            "code": document.region.code,
            "name": document.region.name,
            "units": result.units,
            "score": result.score,
            "category": _band(criteria, result.band),
            "zone": result.band.zone,
            "labels": labels_json(result.labels),
            "facts": facts,
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
        result = region_score(criteria, [r.total for _, r in reports], facts=region_facts(criteria, document))
        lines.append("")
        lines.append(
            f"Skor wilayah (rata-rata {result.units} unit): {result.score:.2f} — "
            f"{result.band.code} {result.band.label}, zona {result.band.zone or '-'}"
        )
        lines.extend(_label_lines(result.labels, entity=True))
    elif reports:
        report = reports[0][1]
        lines.extend(_label_lines(report.labels, entity=False))
        if report.result is not None:
            lines.append("")
            lines.extend(report.result.explanation)
            nxt = report.result.next
            if nxt is not None and report.path:
                ids = ", ".join(i.indicator for i in report.path)
                lines.append(f"Menuju {nxt.label}: naikkan {len(report.path)} indikator ke nilai tertinggi: {ids}")
        elif report.next_band and report.path:
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


def _label_lines(labels: tuple[LabelOutcome, ...], *, entity: bool) -> list[str]:
    lines = []
    for lab in labels:
        own = (lab.applies_to == "entity") == entity
        prefix = lab.title if own else f"{lab.title} (pada nilai yang sama)"
        text = f"{prefix}: {lab.text}"
        if lab.suffix is not None and lab.suffix.state != "diberikan":
            state = "belum ditentukan" if lab.suffix.state == "belum_ditentukan" else "tidak diberikan"
            text += f" — akhiran '{lab.suffix.text}' {state}: {lab.suffix.reason}"
        lines.append(text)
    return ([""] + lines) if lines else []


def _short(title: str, ident: str) -> str:
    return title if len(title) <= 12 else ident.capitalize()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
