"""Results (gates) and label families of the units of a period and of the region, with the recorded facts.

Scoring evaluates gates and labels from answers alone; the suffix of a label family may also depend on a
recorded fact (services.answering.recorded_facts). This module joins the two for the pages and the exports: every
unit's result and labels with its own facts, and the region's labels (the entity family at the mean of
its units) with the facts recorded for the Pemda itself when there are any, otherwise combined over its
assessed units (false if any unit is false, true only if every unit is true, otherwise undetermined).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb

from assessment import Criteria, Report
from assessment.gates import ResultOutcome
from assessment.labels import LabelOutcome, combine_facts, fact_names, labels_for
from services.answering.recorded_facts import recorded_facts
from services.region.data import PeriodScores
from store import units as units_store


@dataclass(frozen=True)
class UnitStanding:
    unit_id: int
    code: str
    name: str
    total: float
    result: ResultOutcome | None
    labels: tuple[LabelOutcome, ...]
    facts: dict[str, bool]

    def label(self, applies_to: str) -> LabelOutcome | None:
        return next((lab for lab in self.labels if lab.applies_to == applies_to), None)


@dataclass(frozen=True)
class PeriodStandings:
    criteria: Criteria
    units: tuple[UnitStanding, ...]  # assessed units, highest total first
    region_labels: tuple[LabelOutcome, ...]  # every family at the region's mean; empty when nothing is assessed
    region_facts: dict[str, bool]
    result_counts: tuple[tuple[str, str, int], ...]  # (code, label, units) from the highest result down

    @property
    def has_gates(self) -> bool:
        return self.criteria.results is not None

    @property
    def has_labels(self) -> bool:
        return bool(self.criteria.label_families)

    @property
    def shown(self) -> bool:
        return self.has_gates or self.has_labels

    def of(self, unit_id: int) -> UnitStanding | None:
        return next((u for u in self.units if u.unit_id == unit_id), None)


def unit_facts(con: duckdb.DuckDBPyConnection, criteria: Criteria, *, period_id: int, unit_id: int) -> dict[str, bool]:
    """The unit's recorded facts, asked only when the criteria use facts at all."""
    if not fact_names(criteria):
        return {}
    return dict(recorded_facts(con, period_id=period_id, unit_id=unit_id))


def unit_labels(
    con: duckdb.DuckDBPyConnection, criteria: Criteria, report: Report, *, period_id: int, unit_id: int
) -> tuple[LabelOutcome, ...]:
    """The unit's labels with its recorded facts (the report's own labels know no facts)."""
    if not criteria.label_families:
        return ()
    facts = unit_facts(con, criteria, period_id=period_id, unit_id=unit_id)
    return labels_for(criteria, report.total, facts=facts)


def _pemda_facts(con: duckdb.DuckDBPyConnection, criteria: Criteria, scores: PeriodScores) -> dict[str, bool]:
    """Facts recorded for the Pemda itself (one region in scope): they decide over the units' combination."""
    codes = {u.unit.region_code for u in scores.units if u.unit.region_code}
    if len(codes) != 1 or not fact_names(criteria):
        return {}
    pemda = units_store.unit_by_code(con, code=codes.pop())
    if pemda is None:
        return {}
    return unit_facts(con, criteria, period_id=scores.period.id, unit_id=pemda.id)


def period_standings(con: duckdb.DuckDBPyConnection, scores: PeriodScores) -> PeriodStandings:
    """Every assessed unit's result and labels, and the region's labels; scope was checked by score_period."""
    criteria = scores.criteria
    period_id = scores.period.id
    assessed = sorted(scores.assessed, key=lambda u: (-u.report.total, u.unit.name))
    units = []
    for u in assessed:
        facts = unit_facts(con, criteria, period_id=period_id, unit_id=u.unit.id)
        units.append(
            UnitStanding(
                unit_id=u.unit.id,
                code=u.unit.code,
                name=u.unit.name,
                total=u.report.total,
                result=u.report.result,
                labels=labels_for(criteria, u.report.total, facts=facts) if criteria.label_families else (),
                facts=facts,
            )
        )
    region_facts = combine_facts([u.facts for u in units], fact_names(criteria))
    region_facts.update(_pemda_facts(con, criteria, scores))
    region_labels: tuple[LabelOutcome, ...] = ()
    if units and criteria.label_families:
        mean = sum(u.report.total for u in assessed) / len(assessed)
        region_labels = labels_for(criteria, mean, facts=region_facts)
    counts: tuple[tuple[str, str, int], ...] = ()
    if criteria.results is not None:
        tally = Counter(u.result.code for u in units if u.result is not None)
        levels = [(lv.code, lv.label) for lv in reversed(criteria.results.levels)]
        levels.append((criteria.results.otherwise.code, criteria.results.otherwise.label))
        counts = tuple((code, label, tally.get(code, 0)) for code, label in levels)
    return PeriodStandings(
        criteria=criteria,
        units=tuple(units),
        region_labels=region_labels,
        region_facts=region_facts,
        result_counts=counts,
    )
