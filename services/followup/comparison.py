"""Self, verified and official side by side: per unit and dimension across periods, and the region's
official result against the mean the app computes (how optimistic each unit, and the region, was)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from assessment import region_score
from services.access import Actor
from services.followup.official import FOLLOWUP_STATUSES, PRODUCT_KINDS
from services.region.data import score_period
from services.verification.verified_score import verified_reports
from store import official_results as store
from store import periods, units


@dataclass(frozen=True)
class DimensionTriple:
    id: str
    title: str
    max: float
    self_score: float | None
    verified: float | None
    official: float | None


@dataclass(frozen=True)
class UnitComparison:
    period_name: str
    year: int
    unit_code: str
    unit_name: str
    self_score: float | None
    verified: float | None
    official: float | None
    official_label: str
    official_suffix: str
    dimensions: tuple[DimensionTriple, ...]

    @property
    def optimism(self) -> float | None:
        """Self minus official: positive = the unit rated itself higher than the Ombudsman did."""
        if self.self_score is None or self.official is None:
            return None
        return round(self.self_score - self.official, 2)


@dataclass(frozen=True)
class RegionComparison:
    period_name: str
    year: int
    region_code: str | None
    region_name: str
    app_mean: float | None
    app_band: str | None
    verified_mean: float | None
    units_assessed: int
    official: float | None
    official_label: str
    official_suffix: str

    @property
    def gap(self) -> float | None:
        if self.app_mean is None or self.official is None:
            return None
        return round(self.app_mean - self.official, 2)


@dataclass(frozen=True)
class ProductLine:
    period_name: str
    unit_code: str
    unit_name: str
    kind_label: str
    reference: str
    description: str
    status: str
    status_label: str


@dataclass(frozen=True)
class Comparison:
    units: tuple[UnitComparison, ...]  # newest period first, then unit name
    region: tuple[RegionComparison, ...]  # empty for a unit head (their own unit only)
    products: tuple[ProductLine, ...]


def compare(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_id: int | None = None, only_official: bool = False
) -> Comparison:
    """Every period; the actor's region scope (or one unit, for a unit head). only_official keeps only units
    with a published result."""
    if actor.role == "unit_head":
        unit_id = actor.unit_id
    org = {u.id: u for u in units.list_units(con)}
    unit_rows: list[UnitComparison] = []
    region_rows: list[RegionComparison] = []
    visible: set[int] = set()
    for period in periods.list_periods(con):
        verified = verified_reports(con, period_id=period.id)  # once: score_period would compute them again
        scores = score_period(con, actor, period_id=period.id, unit_id=unit_id,
                              verified={uid: r.total for uid, r in verified.items()})
        official = {r.org_unit_id: r for r in store.results(con, period_id=period.id)}
        for u in scores.units:
            visible.add(u.unit.id)
            off = official.get(u.unit.id)
            if u.report is None and off is None:
                continue
            if only_official and off is None:
                continue
            ver = verified.get(u.unit.id)
            dims = tuple(
                DimensionTriple(
                    id=d.id,
                    title=d.title,
                    max=scores.criteria.dimension_max(d),
                    self_score=next((p.score for p in u.report.dimensions if p.id == d.id), None) if u.report else None,
                    verified=next((p.score for p in ver.dimensions if p.id == d.id), None) if ver else None,
                    official=off.dimensions.get(d.id) if off else None,
                )
                for d in scores.criteria.dimensions
            )
            unit_rows.append(
                UnitComparison(
                    period_name=period.name, year=period.year, unit_code=u.unit.code, unit_name=u.unit.name,
                    self_score=u.report.total if u.report else None, verified=ver.total if ver else None,
                    official=off.score if off else None, official_label=off.label if off else "",
                    official_suffix=off.suffix if off else "", dimensions=dims,
                )
            )  # fmt: skip
        if unit_id is None and not scores.partial_scope:
            totals = [u.report.total_exact for u in scores.assessed]
            mean = region_score(scores.criteria, totals) if totals else None
            scope_ids = {u.unit.id for u in scores.units}
            vtotals = [r.total_exact for uid, r in verified.items() if uid in scope_ids]
            regions = {(u.unit.region_code, u.unit.region_name) for u in scores.units} or {(None, "Wilayah")}
            code, name = sorted(regions, key=lambda r: r[0] or "")[0]
            pemda = units.unit_by_code(con, code=code) if code else None
            off = official.get(pemda.id) if pemda else None
            region_rows.append(
                RegionComparison(
                    period_name=period.name, year=period.year, region_code=code, region_name=name or "Wilayah",
                    app_mean=mean.score if mean else None, app_band=mean.band.label if mean else None,
                    verified_mean=round(sum(vtotals) / len(vtotals), 2) if vtotals else None,
                    units_assessed=len(totals), official=off.score if off else None,
                    official_label=off.label if off else "", official_suffix=off.suffix if off else "",
                )
            )  # fmt: skip
            if pemda:
                visible.add(pemda.id)
    names = {p.id: p.name for p in periods.list_periods(con)}
    products = tuple(
        ProductLine(
            period_name=names.get(p.period_id, "?"), unit_code=org[p.org_unit_id].code,
            unit_name=org[p.org_unit_id].name, kind_label=PRODUCT_KINDS[p.kind], reference=p.reference,
            description=p.description, status=p.followup_status, status_label=FOLLOWUP_STATUSES[p.followup_status],
        )
        for p in store.products(con)
        if p.org_unit_id in visible and p.org_unit_id in org
    )  # fmt: skip
    return Comparison(units=tuple(unit_rows), region=tuple(region_rows), products=products)
