"""Scoring every unit of a region in one period: the shared ground of the overview, trends and exports.

Role scope is checked here, on the server side: admin and viewer see the whole region, a verifier only
the units assigned to them, a unit head nothing region-wide (only their own unit, one at a time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from assessment import Criteria, Report, score
from services.access import AccessDenied, Actor, require_read
from services.catalog import criteria_for
from services.common import NotFound
from services.verification.verified_score import verified_totals
from store import assessments, periods
from store import region as region_store
from store.models import AssessmentRow, Period
from store.region import RegionUnit

# the four states an Ortala analyst follows; assessment statuses map onto them
STATUSES = ("belum_mulai", "draf", "dikirim", "terverifikasi")
STATUS_LABELS = {"belum_mulai": "Belum mulai", "draf": "Draf", "dikirim": "Dikirim", "terverifikasi": "Terverifikasi"}
_STATUS_OF = {
    "draft": "draf",
    "reopened": "draf",
    "submitted": "dikirim",
    "in_review": "dikirim",
    "verified": "terverifikasi",
}
ZONE_LABELS = {"hijau": "Hijau", "kuning": "Kuning", "merah": "Merah"}
NO_OPD = "-"


def _status(row: AssessmentRow | None, answered: bool) -> str:
    if row is None:
        return "belum_mulai"
    status = _STATUS_OF.get(row.status, "draf")
    return "belum_mulai" if status == "draf" and not answered else status


@dataclass(frozen=True)
class UnitScore:
    """One unit in one period: where it stands and its report (None while it has no answer at all)."""

    unit: RegionUnit
    assessment: AssessmentRow | None
    status: str
    products: tuple[str, ...]
    report: Report | None
    verified: float | None = None  # the verified total, once verification exists

    @property
    def assessed(self) -> bool:
        return self.report is not None

    @property
    def opd_key(self) -> str:
        return self.unit.opd_code or NO_OPD


@dataclass(frozen=True)
class PeriodScores:
    period: Period
    criteria: Criteria
    region_name: str
    units: tuple[UnitScore, ...]
    partial_scope: bool  # a verifier sees only the units assigned to them

    @property
    def assessed(self) -> list[UnitScore]:
        return [u for u in self.units if u.assessed]


def scope_units(con: duckdb.DuckDBPyConnection, actor: Actor) -> tuple[list[RegionUnit], bool]:
    """The units of the region this actor may compare, and whether that is only part of the region."""
    every = region_store.region_units(con)
    if actor.role in ("admin", "system", "viewer"):
        return every, False
    if actor.role == "verifier":
        mine = [u for u in every if u.id in actor.verifier_units]
        if not mine:
            raise AccessDenied(key="err.region.no_units")
        return mine, len(mine) < len(every)
    raise AccessDenied(key="err.region.not_allowed")


def resolve_period(con: duckdb.DuckDBPyConnection, *, period_id: int | None = None, name: str | None = None) -> Period:
    """A period by id or by name; the latest one when neither is given."""
    every = periods.list_periods(con)
    if not every:
        raise NotFound(key="err.region.no_period")
    if period_id is not None:
        found = next((p for p in every if p.id == period_id), None)
    elif name is not None:
        found = next((p for p in every if p.name == name.strip()), None)
    else:
        return every[0]
    if found is None:
        known = ", ".join(f"'{p.name}'" for p in every)
        raise NotFound(
            key="err.region.period_not_found", period=name if name is not None else period_id, known=known
        )
    return found


def resolve_unit(con: duckdb.DuckDBPyConnection, actor: Actor, *, code: str) -> RegionUnit:
    unit = next((u for u in region_store.region_units(con) if u.code == code.strip()), None)
    if unit is None:
        raise NotFound(key="err.region.unit_not_found", code=code)
    require_read(actor, unit.id)
    return unit


def score_units(
    criteria: Criteria,
    units: Sequence[RegionUnit],
    answers: Mapping[int, list],
    scoring_products: Mapping[int, Sequence[str]],
    *,
    plan: bool = False,
) -> dict[int, Report]:
    """unit id → report for every unit with at least one answer (units without answers are not assessed).

    scoring_products: unit id → the products whose missing answers count 0 (store.assessments.scoring_products).
    """
    out: dict[int, Report] = {}
    for unit in units:
        items = answers.get(unit.id)
        if items:
            out[unit.id] = score(criteria, items, products=list(scoring_products.get(unit.id, [])), plan=plan)
    return out


def score_period(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_id: int,
    unit_id: int | None = None,
    plan: bool = False,
    verified: Mapping[int, float] | None = None,
) -> PeriodScores:
    """Every unit of the actor's scope (or the one unit asked for) scored from one read of the period."""
    period = resolve_period(con, period_id=period_id)
    if unit_id is None:
        units, partial = scope_units(con, actor)
    else:
        require_read(actor, unit_id)
        units = [u for u in region_store.region_units(con) if u.id == unit_id]
        if not units:
            raise NotFound(key="err.unit.not_found_plain")
        partial = True
    criteria = criteria_for(con, period.criteria_sha256)
    answers = region_store.period_answers(con, period_id=period.id)
    products = region_store.all_products(con)
    rows = {a.unit_id: a for a in assessments.list_for_period(con, period_id=period.id)}
    verified = verified if verified is not None else verified_totals(con, period_id=period.id)
    pinned = assessments.scoring_products(con, assessment_ids=[a.id for a in rows.values()])
    reports = score_units(criteria, units, answers, {uid: pinned[a.id] for uid, a in rows.items()}, plan=plan)
    scored = tuple(
        UnitScore(
            unit=u,
            assessment=rows.get(u.id),
            status=_status(rows.get(u.id), u.id in reports),
            products=tuple(code for code, _ in products.get(u.id, [])),
            report=reports.get(u.id),
            verified=verified.get(u.id),
        )
        for u in units
    )
    names = {u.region_name for u in units if u.region_name}
    region_name = names.pop() if len(names) == 1 else ", ".join(sorted(names)) or "Wilayah"
    return PeriodScores(period=period, criteria=criteria, region_name=region_name, units=scored, partial_scope=partial)
