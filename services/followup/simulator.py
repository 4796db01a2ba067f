"""Region simulator: a Pemda scores the mean of its assessed units, so what moves the region to the next band?

Per unit: the fewest of its own improvements that, alone, lift the mean into the next band (or that it cannot).
Across units: the fewest improvements in all; one improvement = raising one indicator of one unit to its top
level. Gains add up independently and the mean is their sum over the same number of units, so taking the
largest gains first reaches the target with the fewest actions (the same argument as a unit's own path).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from assessment import Band, Criteria
from assessment.scoring import improvements
from services.access import Actor
from services.region.data import score_period


@dataclass(frozen=True)
class Step:
    unit_id: int
    unit_code: str
    unit_name: str
    indicator: str
    question: str
    points: float  # points the unit gains
    region_gain: float  # what it adds to the region's mean


@dataclass(frozen=True)
class UnitOption:
    unit_id: int
    unit_code: str
    unit_name: str
    total: float
    needed_points: float  # points this unit alone must gain
    steps: tuple[Step, ...]  # empty when it cannot get there alone
    reachable: bool


@dataclass(frozen=True)
class Simulation:
    period_name: str
    units_assessed: int
    mean: float | None
    band: Band | None
    target: Band | None
    gap: float | None  # region points missing to the target
    per_unit: tuple[UnitOption, ...]  # reachable first, fewest steps first
    cheapest: tuple[Step, ...]  # across units; empty when unreachable or already at the top band
    reachable: bool
    partial_scope: bool


def _reached(criteria: Criteria, total_sum: float, n: int, target: Band) -> bool:
    return criteria.round(total_sum / n) >= target.min


def simulate(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int) -> Simulation:
    scores = score_period(con, actor, period_id=period_id)
    criteria = scores.criteria
    assessed = scores.assessed
    if not assessed:
        return Simulation(scores.period.name, 0, None, None, None, None, (), (), False, scores.partial_scope)
    n = len(assessed)
    total_sum = sum(u.report.total_exact for u in assessed)
    mean = total_sum / n
    band = criteria.band_for(mean)
    target = criteria.next_band(band)
    if target is None:
        return Simulation(scores.period.name, n, criteria.round(mean), band, None, 0.0, (), (), True,
                          scores.partial_scope)  # fmt: skip
    questions = {i.id: i.question for i in criteria.indicators_by_id().values()}
    steps_of: dict[int, list[Step]] = {}
    for u in assessed:
        steps_of[u.unit.id] = [
            Step(u.unit.id, u.unit.code, u.unit.name, imp.indicator, questions[imp.indicator], round(imp.points, 2),
                 round(imp.points / n, 2))
            for imp in improvements(criteria, u.report.indicators)
        ]  # fmt: skip
    per_unit = []
    for u in assessed:
        chosen, gained = [], 0.0
        for step in steps_of[u.unit.id]:
            if _reached(criteria, total_sum + gained, n, target):
                break
            chosen.append(step)
            gained += step.points
        ok = _reached(criteria, total_sum + gained, n, target)
        per_unit.append(
            UnitOption(u.unit.id, u.unit.code, u.unit.name, u.report.total, round(target.min * n - total_sum, 2),
                       tuple(chosen) if ok else (), ok)
        )  # fmt: skip
    per_unit.sort(key=lambda o: (not o.reachable, len(o.steps), o.unit_name))
    every = sorted((s for steps in steps_of.values() for s in steps), key=lambda s: (-s.points, s.unit_name))
    cheapest, gained = [], 0.0
    for step in every:
        if _reached(criteria, total_sum + gained, n, target):
            break
        cheapest.append(step)
        gained += step.points
    reachable = _reached(criteria, total_sum + gained, n, target)
    return Simulation(
        period_name=scores.period.name, units_assessed=n, mean=criteria.round(mean), band=band, target=target,
        gap=round(max(target.min - mean, 0.0), 2), per_unit=tuple(per_unit),
        cheapest=tuple(cheapest) if reachable else (), reachable=reachable, partial_scope=scores.partial_scope,
    )  # fmt: skip
