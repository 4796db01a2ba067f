"""What every export holds: the scored units of one period, their answers, notes, evidence and improvement plans.

Gathered once, from a handful of queries for the whole period, after the actor's scope is checked: the whole
region for admin and viewer, the assigned units for a verifier, one unit at a time for anyone who may read it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb

from assessment import Criteria, Improvement, Indicator
from assessment.scoring import next_step_path
from services.access import Actor
from services.region.data import STATUS_LABELS, ZONE_LABELS, UnitScore, resolve_period, resolve_unit, score_period
from services.region.overview import RegionOverview, build_overview
from services.region.standings import PeriodStandings, period_standings
from store import region as region_store
from store.models import AnswerRow, EvidenceRecord, Period

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
CSV_MIME = "text/csv"


@dataclass(frozen=True)
class UnitExport:
    score: UnitScore
    answers: tuple[AnswerRow, ...]
    notes: dict[str, str]
    evidence: tuple[EvidenceRecord, ...]
    products: dict[str, str]  # product code → name
    path: tuple[Improvement, ...]  # the fewest improvements that reach the next result (gates) or category

    @property
    def code(self) -> str:
        return self.score.unit.code

    @property
    def name(self) -> str:
        return self.score.unit.name


@dataclass(frozen=True)
class ExportData:
    overview: RegionOverview
    units: tuple[UnitExport, ...]
    single_unit: bool
    generated_by: str
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    standings: PeriodStandings | None = None  # results (gates) and label families, with recorded facts

    @property
    def period(self) -> Period:
        return self.overview.scores.period

    @property
    def criteria(self) -> Criteria:
        return self.overview.scores.criteria

    @property
    def region_name(self) -> str:
        return self.overview.scores.region_name


def file_name(period_name: str, unit_code: str | None, extension: str, kind: str = "") -> str:
    """e.g. kepatuhan-penilaian-2025-wilayah.xlsx or kepatuhan-penilaian-2025-DINSOS-SLRT.pdf"""
    parts = ["kepatuhan", _slug(period_name), unit_code or "wilayah"] + ([kind] if kind else [])
    return "-".join(parts) + f".{extension}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "periode"


def collect(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_id: int | None = None,
    period_name: str | None = None,
    unit_code: str | None = None,
) -> ExportData:
    """Everything an export of the region (or of one unit, with unit_code) needs, in one read of the period."""
    period = resolve_period(con, period_id=period_id, name=period_name)
    unit_id = resolve_unit(con, actor, code=unit_code).id if unit_code else None
    scores = score_period(con, actor, period_id=period.id, unit_id=unit_id)
    overview = build_overview(scores)
    answers = region_store.period_answer_rows(con, period_id=period.id)
    notes = region_store.period_notes(con, period_id=period.id)
    evidence = region_store.period_evidence(con, period_id=period.id)
    products = region_store.all_products(con)
    units = []
    for u in sorted(scores.units, key=lambda u: (u.unit.opd_name or "", u.unit.name)):
        aid = u.assessment.id if u.assessment else None
        r = u.report
        path = next_step_path(scores.criteria, r) if r else []
        units.append(
            UnitExport(
                score=u,
                answers=tuple(answers.get(aid, ())) if aid else (),
                notes={n.indicator_id: n.note for n in notes.get(aid, ())} if aid else {},
                evidence=tuple(evidence.get(aid, ())) if aid else (),
                products=dict(products.get(u.unit.id, [])),
                path=tuple(path),
            )
        )
    return ExportData(
        overview=overview,
        units=tuple(units),
        single_unit=unit_id is not None,
        generated_by=actor.username,
        standings=period_standings(con, scores),
    )


# ---- shared wording -------------------------------------------------------------------------------


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def zone_label(zone: str | None) -> str:
    return ZONE_LABELS.get(zone or "", "—")


def option_label(ind: Indicator | None, value: float | None) -> str:
    if ind is None:
        return ""
    if value is None:
        return "Tidak berlaku"
    option = ind.option(value)
    return option.label if option else ""


def subject_text(subject: str, products: dict[str, str]) -> str:
    kind, _, rest = subject.partition(":")
    if kind == "product":
        return f"Produk: {products.get(rest, rest)}"
    if kind == "respondent":
        return f"Responden ke-{rest}"
    if kind == "tally":
        return f"Rekap responden yang menjawab {rest}"
    return "Unit"


def id_number(value: float | None, decimals: int = 2) -> str:
    """49,85 — numbers as an Indonesian reader writes them."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
