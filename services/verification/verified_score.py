"""The verified score: the self answers with every adjusted indicator replaced by the verifier's value.

An adjusted value stands for the indicator on every subject: the unit itself, each service product, or
all respondents (a tally of the verified value with the same number of respondents). Accepted and
not-yet-decided indicators keep the self answers. Scoring is the core's `assessment.score`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from assessment import Answer, Criteria, Indicator, Report, score
from assessment.subject import Subject
from services.catalog import criteria_for
from store import assessments, periods, verifications
from store import region as region_store
from store.models import AnswerRow, VerificationRow

NA_TEXT = "N/A (tidak berlaku)"


@dataclass(frozen=True)
class Difference:
    """One indicator whose verified value differs from the unit's own answer."""

    indicator_id: str
    dimension_id: str
    question: str
    self_text: str
    self_fraction: float | None
    self_points: float
    verified_value: float | None  # None = N/A
    verified_text: str
    verified_points: float
    max_points: float
    note: str

    @property
    def delta(self) -> float:
        return self.verified_points - self.self_points


def adjusted_values(decisions: Mapping[str, VerificationRow]) -> dict[str, float | None]:
    """indicator id → verified value (None = N/A) of every 'adjust' decision."""
    return {
        d.indicator_id: (None if d.verified_na else d.verified_value)
        for d in decisions.values()
        if d.decision == "adjust"
    }


def apply_adjustments(
    criteria: Criteria,
    answers: Sequence[Answer],
    adjusted: Mapping[str, float | None],
    *,
    products: Sequence[str] = (),
) -> list[Answer]:
    """The self answers with each adjusted indicator replaced by its verified value on every subject."""
    indicators = criteria.indicators_by_id()
    out = [a for a in answers if a.indicator not in adjusted]
    for ind_id, value in sorted(adjusted.items()):
        ind = indicators.get(ind_id)
        if ind is None:
            continue
        existing = [a for a in answers if a.indicator == ind_id]
        out.extend(_replacement(ind, existing, value, products))
    return out


def _replacement(ind: Indicator, existing: Sequence[Answer], value: float | None, products: Sequence[str]):
    kind = ind.subject.kind
    if kind == "unit":
        return [Answer(indicator=ind.id, value=value)]
    if kind == "product":
        codes = sorted(set(products) | {Subject.parse(a.subject).code for a in existing})
        return [Answer(indicator=ind.id, subject=str(Subject.product(code)), value=value) for code in codes]
    if value is None:
        return [Answer(indicator=ind.id, subject=str(Subject.respondent(1)), value=None)]
    count = sum(a.count for a in existing if a.value is not None) or (ind.subject.expected or 1)
    return [Answer(indicator=ind.id, subject=str(Subject.tally(value)), value=value, count=count)]


def differs(ind: Indicator, rows: Sequence[AnswerRow], value: float | None, products: Sequence[str]) -> bool:
    """Whether a verified value differs from the unit's own answer on any subject (or covers unanswered ones)."""
    if not rows:
        return True
    if any(r.value != value for r in rows):
        return True
    if ind.subject.kind == "product":
        return not set(products) <= {r.subject.partition(":")[2] for r in rows}
    if ind.subject.kind == "respondent" and value is not None:
        return sum(r.count for r in rows) < (ind.subject.expected or 1)
    return False


def value_text(ind: Indicator, value: float | None) -> str:
    if value is None:
        return NA_TEXT
    option = ind.option(value)
    return f"{value:g} · {option.label}" if option else f"{value:g}"


def answer_text(ind: Indicator, rows: Sequence[AnswerRow]) -> str:
    """The unit's own answer in one line (Bahasa Indonesia, for records and the berita acara)."""
    if not rows:
        return "belum dijawab"
    kind = ind.subject.kind
    if kind == "unit":
        return value_text(ind, rows[0].value)
    if kind == "product":
        return "; ".join(f"{r.subject.partition(':')[2]}: {'N/A' if r.value is None else f'{r.value:g}'}" for r in rows)
    scored = [(r.value, r.count) for r in rows if r.value is not None]
    if not scored:
        return NA_TEXT
    tally: dict[float, int] = defaultdict(int)
    for v, c in scored:
        tally[v] += c
    total = sum(tally.values())
    mean = sum(v * c for v, c in tally.items()) / total
    spread = ", ".join(f"{v:g}×{c}" for v, c in sorted(tally.items(), reverse=True))
    return f"rata-rata {mean:.2f} dari {total} responden ({spread})".replace(".", ",", 1)


def differences(
    criteria: Criteria,
    answers: Mapping[str, Sequence[AnswerRow]],
    decisions: Mapping[str, VerificationRow],
    self_report: Report,
    verified: Report,
    products: Sequence[str],
) -> list[Difference]:
    """Every adjusted indicator whose verified value differs from the self answer, in criteria order."""
    out = []
    self_results = {r.id: r for r in self_report.indicators}
    verified_results = {r.id: r for r in verified.indicators}
    for dim in criteria.dimensions:
        for ind in dim.indicators:
            d = decisions.get(ind.id)
            if d is None or d.decision != "adjust":
                continue
            value = None if d.verified_na else d.verified_value
            rows = answers.get(ind.id, [])
            if not differs(ind, rows, value, products):
                continue
            mine, theirs = self_results[ind.id], verified_results[ind.id]
            out.append(
                Difference(
                    indicator_id=ind.id,
                    dimension_id=dim.id,
                    question=ind.question,
                    self_text=answer_text(ind, rows),
                    self_fraction=mine.fraction,
                    self_points=mine.earned,
                    verified_value=value,
                    verified_text=value_text(ind, value),
                    verified_points=theirs.earned,
                    max_points=theirs.max_points,
                    note=d.note,
                )
            )
    return out


def verified_reports(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[int, Report]:
    """unit id → verified report of every assessment of the period whose verification is complete.

    A few queries for the whole period (no per-unit reads); callers check the actor's scope.
    """
    period = periods.get_period(con, period_id=period_id)
    if period is None:
        return {}
    rows = {a.id: a for a in assessments.list_for_period(con, period_id=period_id) if a.status == "verified"}
    if not rows:
        return {}
    criteria = criteria_for(con, period.criteria_sha256)
    by_assessment: dict[int, dict[str, VerificationRow]] = defaultdict(dict)
    for d in verifications.for_period(con, period_id=period_id, status="verified"):
        by_assessment[d.assessment_id][d.indicator_id] = d
    answers = region_store.period_answers(con, period_id=period_id)
    pinned = assessments.scoring_products(con, assessment_ids=list(rows))
    out = {}
    for assessment_id, row in rows.items():
        codes = pinned[assessment_id]  # verified assessments are frozen: the products pinned at submission
        adjusted = adjusted_values(by_assessment.get(assessment_id, {}))
        items = apply_adjustments(criteria, answers.get(row.unit_id, []), adjusted, products=codes)
        out[row.unit_id] = score(criteria, items, products=codes, plan=False)
    return out


def verified_totals(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[int, float]:
    """unit id → verified total (0–100) for the region overview and exports; only completed verifications."""
    return {unit_id: report.total for unit_id, report in verified_reports(con, period_id=period_id).items()}
