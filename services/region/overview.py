"""The region overview for Ortala: region score, statuses, league table, zones, heatmap, missed indicators, levers.

The region score is what the Ombudsman publishes for a Pemda: the mean of its assessed units (units with at
least one answer), banded by the period's criteria. Filters narrow the table and the charts; the region score
always covers every unit in the actor's scope, and the filtered selection gets its own mean beside it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import duckdb

from assessment import Criteria, RegionResult, region_score
from assessment.scoring import next_step_path
from services.access import Actor, require_read
from services.answering.assessing import AssessmentView, load_view
from services.region.data import NO_OPD, STATUSES, PeriodScores, UnitScore, resolve_period, score_period
from store import assessments

TOP_MISSED = 12
TOP_LEVERS = 15
TOP_UNIT_LEVERS = 10


@dataclass(frozen=True)
class RegionFilters:
    """Empty tuples mean 'all'. opd holds OPD codes ('-' for units directly under the Pemda)."""

    opd: tuple[str, ...] = ()
    unit_type: tuple[str, ...] = ()
    zone: tuple[str, ...] = ()
    status: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.opd or self.unit_type or self.zone or self.status)

    def matches(self, u: UnitScore) -> bool:
        zone = u.report.band.zone if u.report else None
        return (
            (not self.opd or u.opd_key in self.opd)
            and (not self.unit_type or (u.unit.unit_type or "") in self.unit_type)
            and (not self.zone or zone in self.zone)
            and (not self.status or u.status in self.status)
        )


@dataclass(frozen=True)
class FilterOptions:
    opds: tuple[tuple[str, str], ...]  # (code, name)
    unit_types: tuple[str, ...]
    zones: tuple[str, ...]
    statuses: tuple[str, ...] = STATUSES


@dataclass(frozen=True)
class UnitLine:
    """One row of the league table."""

    unit_id: int
    code: str
    name: str
    opd: str
    unit_type: str
    status: str
    rank: int | None
    total: float | None
    verified: float | None
    band_code: str | None
    band_label: str | None
    zone: str | None
    colour: str | None
    dimensions: tuple[float | None, ...]  # scores, aligned with RegionOverview.dimensions
    shares: tuple[float | None, ...]  # share of each dimension's maximum, 0..1
    answered: int
    scored: int
    next_band: str | None
    to_next: float | None  # points still missing to the next category


@dataclass(frozen=True)
class DimensionInfo:
    id: str
    title: str
    max: float


@dataclass(frozen=True)
class BandCount:
    code: str
    label: str
    zone: str | None
    colour: str
    count: int


@dataclass(frozen=True)
class MissedIndicator:
    indicator: str
    dimension: str
    question: str
    lost_total: float  # points lost summed over the units
    units_losing: int  # units losing more than nothing on it
    region_gain: float  # how much the region score rises if every unit fixed it


@dataclass(frozen=True)
class Lever:
    """Raising one indicator of one unit to its top level; region_gain = its lost points / assessed units."""

    unit_code: str
    unit_name: str
    indicator: str
    question: str
    unit_gain: float
    region_gain: float


@dataclass(frozen=True)
class UnitLever:
    unit_code: str
    unit_name: str
    total: float
    band_code: str
    lost: float  # points the unit still loses in all
    region_gain: float  # region score rise if the unit lost nothing
    next_band: str | None
    to_next: float | None
    path_len: int | None  # fewest indicators to raise to reach the next category


@dataclass(frozen=True)
class RegionOverview:
    scores: PeriodScores
    filters: RegionFilters
    options: FilterOptions
    dimensions: tuple[DimensionInfo, ...]
    lines: tuple[UnitLine, ...]
    region: RegionResult | None  # every unit in scope
    selection: RegionResult | None  # the filtered units, when a filter is active
    scope_units: int
    scope_assessed: int
    status_counts: dict[str, int]
    zone_counts: dict[str, int]
    band_counts: tuple[BandCount, ...]
    missed: tuple[MissedIndicator, ...]
    levers: tuple[Lever, ...]
    unit_levers: tuple[UnitLever, ...]
    heatmap_rows: tuple[UnitLine, ...] = field(default=())  # assessed lines, weakest first

    @property
    def criteria(self) -> Criteria:
        return self.scores.criteria

    @property
    def weakest(self) -> UnitLine | None:
        return self.heatmap_rows[0] if self.heatmap_rows else None


def filter_options(scores: PeriodScores) -> FilterOptions:
    """What the filters can offer: every OPD, kind of unit and zone in the actor's scope."""
    opds = {u.opd_key: u.unit.opd_name or "Langsung di bawah Pemda" for u in scores.units}
    zones = [z for z in ("hijau", "kuning", "merah") if any(b.zone == z for b in scores.criteria.bands)]
    return FilterOptions(
        opds=tuple(sorted(opds.items(), key=lambda kv: (kv[0] == NO_OPD, kv[1]))),
        unit_types=tuple(sorted({u.unit.unit_type or "" for u in scores.units})),
        zones=tuple(zones),
    )


def _line(u: UnitScore, criteria: Criteria, rank: int | None) -> UnitLine:
    r = u.report
    n_dims = len(criteria.dimensions)
    return UnitLine(
        unit_id=u.unit.id,
        code=u.unit.code,
        name=u.unit.name,
        opd=u.unit.opd_name or "—",
        unit_type=u.unit.unit_type or "—",
        status=u.status,
        rank=rank,
        total=r.total if r else None,
        verified=u.verified,
        band_code=r.band.code if r else None,
        band_label=r.label if r else None,
        zone=r.band.zone if r else None,
        colour=r.band.colour if r else None,
        dimensions=tuple(d.score for d in r.dimensions) if r else (None,) * n_dims,
        shares=tuple(d.share for d in r.dimensions) if r else (None,) * n_dims,
        answered=r.answered if r else 0,
        scored=r.scored_indicators if r else sum(len(d.indicators) for d in criteria.dimensions),
        next_band=r.next_band.code if r and r.next_band else None,
        to_next=round(max(0.0, r.next_band.min - r.total), 2) if r and r.next_band else None,
    )


def build_overview(scores: PeriodScores, filters: RegionFilters | None = None) -> RegionOverview:
    filters = filters or RegionFilters()
    criteria = scores.criteria
    scope_assessed = scores.assessed
    region = region_score(criteria, [u.report.total for u in scope_assessed]) if scope_assessed else None
    chosen = [u for u in scores.units if filters.matches(u)]
    assessed = sorted((u for u in chosen if u.assessed), key=lambda u: (-u.report.total, u.unit.name))
    ranks = {u.unit.id: n for n, u in enumerate(sorted(scope_assessed, key=lambda u: -u.report.total), 1)}
    lines = [_line(u, criteria, ranks[u.unit.id]) for u in assessed]
    lines += [_line(u, criteria, None) for u in chosen if not u.assessed]
    selection = None
    if filters.active and assessed:
        selection = region_score(criteria, [u.report.total for u in assessed])
    divisor = max(1, len(scope_assessed))
    zone_counts = Counter(u.report.band.zone for u in assessed if u.report.band.zone)
    bands = Counter(u.report.band.code for u in assessed)
    return RegionOverview(
        scores=scores,
        filters=filters,
        options=filter_options(scores),
        dimensions=tuple(DimensionInfo(d.id, d.title, criteria.dimension_max(d)) for d in criteria.dimensions),
        lines=tuple(lines),
        region=region,
        selection=selection,
        scope_units=len(scores.units),
        scope_assessed=len(scope_assessed),
        status_counts={s: sum(1 for u in chosen if u.status == s) for s in STATUSES},
        zone_counts={z: zone_counts.get(z, 0) for z in ("hijau", "kuning", "merah")},
        band_counts=tuple(
            BandCount(b.code, b.label, b.zone, b.colour, bands.get(b.code, 0))
            for b in sorted(criteria.bands, key=lambda b: -b.min)
        ),
        missed=tuple(_missed(criteria, assessed, divisor)),
        levers=tuple(_levers(criteria, assessed, divisor)),
        unit_levers=tuple(_unit_levers(criteria, assessed, divisor)),
        heatmap_rows=tuple(sorted(lines[: len(assessed)], key=lambda line: (line.total, line.name))),
    )


def period_scores(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int | None = None) -> PeriodScores:
    """Every unit of the actor's scope scored in one period (the latest when none is named)."""
    return score_period(con, actor, period_id=resolve_period(con, period_id=period_id).id)


def region_overview(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int | None = None, filters: RegionFilters | None = None
) -> RegionOverview:
    """The overview of the actor's scope in one period (the latest when none is named)."""
    return build_overview(period_scores(con, actor, period_id=period_id), filters)


def _missed(criteria: Criteria, units: list[UnitScore], divisor: int) -> list[MissedIndicator]:
    lost: dict[str, float] = defaultdict(float)
    losing: Counter[str] = Counter()
    for u in units:
        for r in u.report.indicators:
            if r.lost > 1e-9:
                lost[r.id] += r.lost
                losing[r.id] += 1
    indicators = criteria.indicators_by_id()
    dims = {d.id: d.title for d in criteria.dimensions}
    ranked = sorted(lost, key=lambda i: (-losing[i], -lost[i], i))[:TOP_MISSED]
    return [
        MissedIndicator(
            indicator=i,
            dimension=dims[criteria.dimension_of(i).id],
            question=indicators[i].question,
            lost_total=round(lost[i], 2),
            units_losing=losing[i],
            region_gain=round(lost[i] / divisor, 2),
        )
        for i in ranked
    ]


def _levers(criteria: Criteria, units: list[UnitScore], divisor: int) -> list[Lever]:
    pairs = [(r.lost, u, r.id) for u in units for r in u.report.indicators if r.lost > 1e-9]
    pairs.sort(key=lambda p: (-p[0], p[1].unit.name, p[2]))
    indicators = criteria.indicators_by_id()
    return [
        Lever(
            unit_code=u.unit.code,
            unit_name=u.unit.name,
            indicator=ind,
            question=indicators[ind].question,
            unit_gain=round(lost, 2),
            region_gain=round(lost / divisor, 3),
        )
        for lost, u, ind in pairs[:TOP_LEVERS]
    ]


def _unit_levers(criteria: Criteria, units: list[UnitScore], divisor: int) -> list[UnitLever]:
    ranked = sorted(units, key=lambda u: (-(u.report.scale_max - u.report.total_exact), u.unit.name))
    out = []
    for u in ranked[:TOP_UNIT_LEVERS]:
        r = u.report
        lost = r.scale_max - r.total_exact
        path = next_step_path(criteria, r)  # to the next result when the criteria have gates
        if r.result is not None:  # gates: the next step is the next result (e.g. WBK), not the next band
            next_code = r.result.next.code if r.result.next else None
        else:
            next_code = r.next_band.code if r.next_band else None
        out.append(
            UnitLever(
                unit_code=u.unit.code,
                unit_name=u.unit.name,
                total=r.total,
                band_code=r.band.code,
                lost=round(lost, 2),
                region_gain=round(lost / divisor, 2),
                next_band=next_code,
                to_next=round(max(0.0, r.next_band.min - r.total), 2) if r.next_band and r.result is None else None,
                path_len=len(path) if next_code else None,
            )
        )
    return out


def unit_detail(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int) -> AssessmentView | None:
    """A unit's assessment for the read-only drill-down; None when the unit has not started this period."""
    require_read(actor, unit_id)
    row = assessments.find(con, period_id=period_id, unit_id=unit_id)
    return load_view(con, actor, assessment_id=row.id) if row else None
