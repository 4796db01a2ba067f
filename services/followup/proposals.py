"""Proposed actions: the steps of the path to the next band, every other indicator still losing points, and
the verifier's findings, each with the points it is expected to bring back."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from assessment import Report
from assessment.scoring import improvements
from services.access import Actor, require_read
from services.answering.assessing import AssessmentView, load_view
from services.answering.results import score_view
from services.followup.common import MAX_TITLE
from store import assessments, verifications
from store import followup_actions as store


@dataclass(frozen=True)
class Suggestion:
    """A ready-made action the user can accept with one click."""

    source: str
    indicators: tuple[str, ...]
    title: str
    expected_points: float
    detail: str = ""  # e.g. the verifier's note
    planned: bool = False  # an open action already covers these indicators
    on_path: bool = False  # one of the fewest steps to the next band (the others still lose points)



def view_or_none(con, actor: Actor, period_id: int, unit_id: int) -> AssessmentView | None:
    row = assessments.find(con, period_id=period_id, unit_id=unit_id)
    return load_view(con, actor, assessment_id=row.id) if row else None


def open_indicators(con, period_id: int, unit_id: int) -> set[str]:
    return {i for a in store.for_period(con, period_id=period_id, unit_ids=[unit_id]) if a.is_open
            for i in a.indicator_ids}  # fmt: skip


def suggestions(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int) -> list[Suggestion]:
    """The steps of the path to the next band, then every other indicator still losing points, then the
    verifier's findings, as proposed actions."""
    require_read(actor, unit_id)
    view = view_or_none(con, actor, period_id, unit_id)
    if view is None:
        return []
    report = score_view(view)
    planned = open_indicators(con, period_id, unit_id)
    questions = {i.id: i.question for i in view.criteria.indicators_by_id().values()}
    on_path = {step.indicator for step in report.path}
    steps = [*report.path, *(i for i in improvements(view.criteria, report.indicators) if i.indicator not in on_path)]
    out = [
        Suggestion(
            source="path",
            indicators=(step.indicator,),
            title=f"Naikkan {step.indicator} ke tingkat tertinggi: {questions[step.indicator]}"[:MAX_TITLE],
            expected_points=round(step.points, 2),
            detail=step.evidence_hint or "",
            planned=step.indicator in planned,
            on_path=step.indicator in on_path,
        )
        for step in steps
    ]
    for d in verifications.for_assessment(con, assessment_id=view.assessment.id):
        if d.decision == "accept" or not d.note.strip():
            continue
        lost = report.indicator(d.indicator_id).lost if d.indicator_id in questions else 0.0
        out.append(
            Suggestion(
                source="finding",
                indicators=(d.indicator_id,),
                title=f"Tindak lanjuti temuan verifikator pada {d.indicator_id}"[:MAX_TITLE],
                expected_points=round(lost, 2),
                detail=d.note,
                planned=d.indicator_id in planned,
            )
        )
    return out


def expected_points(report: Report | None, indicator_ids: list[str]) -> float:
    """Points the unit regains when these indicators reach their top level (its current losses on them)."""
    if report is None:
        return 0.0
    lost = {r.id: r.lost for r in report.indicators}
    return round(sum(lost.get(i, 0.0) for i in indicator_ids), 2)
