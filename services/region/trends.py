"""The same units across periods.

Each period pins its own criteria text. When the periods of a comparison pin different texts (another sha256,
or another criteria id or version), indicators may have changed meaning, so only the total and the
dimensions (as a share of each dimension's maximum) are compared, and the result says so. Dimensions that do
not exist in every period drop out; if none is left, only the total is compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from assessment import RegionResult, region_score
from services.access import Actor
from services.region.data import PeriodScores, resolve_period, score_period
from services.region.overview import RegionFilters
from store import periods as period_store

LEVELS = ("indikator", "dimensi", "total")


@dataclass(frozen=True)
class TrendPeriod:
    id: int
    name: str
    year: int
    criteria: str  # "ombudsman-2023 versi 2023.1"
    sha256: str
    region: RegionResult | None
    assessed: int


@dataclass(frozen=True)
class UnitTrend:
    code: str
    name: str
    opd: str
    totals: tuple[float | None, ...]  # aligned with RegionTrends.periods
    bands: tuple[str | None, ...]
    zones: tuple[str | None, ...]
    dimension_shares: tuple[tuple[float | None, ...], ...]  # [dimension][period], share 0..1

    @property
    def change(self) -> float | None:
        """Total of the last period minus the first period in which the unit was assessed."""
        known = [t for t in self.totals if t is not None]
        return round(known[-1] - known[0], 2) if len(known) >= 2 else None


@dataclass(frozen=True)
class IndicatorTrend:
    indicator: str
    question: str
    mean_share: tuple[float | None, ...]  # mean fraction of the indicator's maximum over assessed units


@dataclass(frozen=True)
class RegionTrends:
    periods: tuple[TrendPeriod, ...]  # oldest first
    units: tuple[UnitTrend, ...]
    dimensions: tuple[tuple[str, str], ...]  # comparable dimensions (id, title)
    region_dimension_shares: tuple[tuple[float | None, ...], ...]  # [dimension][period], mean share 0..1
    indicators: tuple[IndicatorTrend, ...]  # only when every period uses the same criteria text
    level: str  # indikator | dimensi | total
    message: str  # why the comparison stops at that level; empty when nothing is held back

    @property
    def same_criteria(self) -> bool:
        return self.level == "indikator"


def _label(scores: PeriodScores) -> str:
    return f"{scores.criteria.id} versi {scores.criteria.version}"


def compare_level(all_scores: Sequence[PeriodScores]) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """(level, comparable dimensions, message) for a set of scored periods."""
    if not all_scores:
        return "indikator", (), ""
    first = all_scores[0].criteria
    shas = {s.period.criteria_sha256 for s in all_scores}
    ids = {(s.criteria.id, s.criteria.version) for s in all_scores}
    dims = tuple((d.id, d.title) for d in first.dimensions)
    if len(shas) == 1 and len(ids) == 1:
        return "indikator", dims, ""
    common = [d for d in dims if all(any(x.id == d[0] for x in s.criteria.dimensions) for s in all_scores)]
    used = ", ".join(sorted({_label(s) for s in all_scores}))
    why = "teks kriteria yang berbeda" if len(ids) == 1 else f"kriteria yang berbeda ({used})"
    scales = {s.criteria.scale.max for s in all_scores}
    scale_note = " Skala nilai total juga berbeda antarperiode; bandingkan dengan hati-hati." if len(scales) > 1 else ""
    if common:
        return (
            "dimensi",
            tuple(common),
            f"Periode yang dibandingkan memakai {why}. Perbandingan hanya pada nilai total dan dimensi "
            f"(persentase dari nilai maksimal dimensi); indikator tidak dibandingkan.{scale_note}",
        )
    return (
        "total",
        (),
        f"Periode yang dibandingkan memakai {why} tanpa dimensi yang sama. Perbandingan hanya pada nilai "
        f"total; dimensi dan indikator tidak dibandingkan.{scale_note}",
    )


def trend_scores(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_ids: Sequence[int] | None = None
) -> list[PeriodScores]:
    """The actor's scope scored in each chosen period (every period when none are chosen), oldest first."""
    chosen = list(period_ids) if period_ids else [p.id for p in period_store.list_periods(con)]
    ordered = sorted((resolve_period(con, period_id=i) for i in chosen), key=lambda p: (p.year, p.id))
    return [score_period(con, actor, period_id=p.id) for p in ordered]


def region_trends(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_ids: Sequence[int] | None = None,
    filters: RegionFilters | None = None,
) -> RegionTrends:
    """Units of the actor's scope across the chosen periods, oldest first.

    Zone and status filters apply as they stand in the latest chosen period.
    """
    return build_trends(trend_scores(con, actor, period_ids=period_ids), filters)


def build_trends(all_scores: Sequence[PeriodScores], filters: RegionFilters | None = None) -> RegionTrends:
    filters = filters or RegionFilters()
    level, dims, message = compare_level(all_scores)
    latest = all_scores[-1] if all_scores else None
    keep = {u.unit.id for u in latest.units if filters.matches(u)} if latest else set()
    per_period = [{u.unit.id: u for u in s.units} for s in all_scores]
    units = []
    for u in latest.units if latest else ():
        if u.unit.id not in keep:
            continue
        reports = [p.get(u.unit.id) for p in per_period]
        reports = [x.report if x else None for x in reports]
        shares = []
        for dim_id, _ in dims:
            shares.append(tuple(_share(r, dim_id) for r in reports))
        units.append(
            UnitTrend(
                code=u.unit.code,
                name=u.unit.name,
                opd=u.unit.opd_name or "—",
                totals=tuple(r.total if r else None for r in reports),
                bands=tuple(r.band.code if r else None for r in reports),
                zones=tuple(r.band.zone if r else None for r in reports),
                dimension_shares=tuple(shares),
            )
        )
    trend_periods = []
    for s, lookup in zip(all_scores, per_period, strict=True):
        totals = [lookup[i].report.total for i in keep if i in lookup and lookup[i].report]
        trend_periods.append(
            TrendPeriod(
                id=s.period.id,
                name=s.period.name,
                year=s.period.year,
                criteria=_label(s),
                sha256=s.period.criteria_sha256,
                region=region_score(s.criteria, totals) if totals else None,
                assessed=len(totals),
            )
        )
    region_dims = tuple(
        tuple(_mean([_share(lookup[i].report, dim_id) for i in keep if i in lookup]) for lookup in per_period)
        for dim_id, _ in dims
    )
    indicators: tuple[IndicatorTrend, ...] = ()
    if level == "indikator" and latest:
        sums: list[dict[str, list[float]]] = []
        for lookup in per_period:
            acc: dict[str, list[float]] = {}
            for i in keep:
                report = lookup[i].report if i in lookup else None
                for r in report.indicators if report else ():
                    if r.max_points > 0:
                        acc.setdefault(r.id, []).append(r.earned / r.max_points)
            sums.append(acc)
        indicators = tuple(
            IndicatorTrend(
                indicator=ind.id,
                question=ind.question,
                mean_share=tuple(_mean(acc.get(ind.id, [])) for acc in sums),
            )
            for dim in latest.criteria.dimensions
            for ind in dim.indicators
        )
    return RegionTrends(
        periods=tuple(trend_periods),
        units=tuple(sorted(units, key=lambda t: t.name)),
        dimensions=dims,
        region_dimension_shares=region_dims,
        indicators=indicators,
        level=level,
        message=message,
    )


def _share(report, dim_id: str) -> float | None:
    if report is None:
        return None
    part = next((d for d in report.dimensions if d.id == dim_id), None)
    return part.share if part else None


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None
