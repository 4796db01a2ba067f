"""Reading a verification: the verifier's queue, one assessment's decisions with the self and verified scores.

Reads check the actor like every service: the queue is for verifiers (their assigned units) and admins;
a review is readable by whoever may read the unit (admin, assigned verifier, its unit head, viewer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import duckdb

from assessment import Report, score
from services.access import AccessDenied, Actor, can_verify
from services.answering.assessing import AssessmentView, load_view
from services.answering.results import score_view
from services.audit_events import AnswerCleared, AnswerSet, AnswerTally, AssessmentSubmitted
from services.common import NotFound
from services.verification.verified_score import Difference, adjusted_values, apply_adjustments, differences
from store import assessments, audit, periods, units, verifications
from store.models import AssessmentRow, VerificationRow

REVIEWABLE = ("submitted", "in_review")
# the unit changing its own answer: a decision older than the last of these is shown as needing a second look
SELF_ANSWER_CHANGES = (AnswerSet, AnswerTally, AnswerCleared)
State = Literal["open", "accepted", "adjusted", "change_requested", "recheck"]


@dataclass(frozen=True)
class QueueItem:
    assessment_id: int
    period_id: int
    period_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    status: str
    submitted_at: dt.datetime | None
    submitted_by: str | None
    verified_at: dt.datetime | None
    decided: int
    change_requested: int
    resubmitted: bool = False  # submitted again after being returned: the verifier checks it again


def queue(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, include_done: bool = False
) -> list[QueueItem]:
    """Submitted and in-review assessments of the actor's units (admin: every unit), oldest submission first.

    include_done adds assessments already verified or returned to their unit, for the verifier's record.
    """
    if actor.role not in ("admin", "system", "verifier"):
        raise AccessDenied(key="err.access.verify_queue")
    period = periods.get_period(con, period_id=period_id)
    if period is None:
        raise NotFound(key="err.period.not_found")
    wanted = REVIEWABLE + (("reopened", "verified") if include_done else ())
    names = {u.id: u for u in units.list_units(con, kind="unit")}
    rows = assessments.list_for_period(con, period_id=period_id)
    submissions = audit.count_events(con, event=AssessmentSubmitted, assessment_ids=[r.id for r in rows])
    out = []
    for row in rows:
        if row.status not in wanted or not can_verify(actor, row.unit_id) or row.unit_id not in names:
            continue
        if row.status == "reopened" and not row.submitted_at:
            continue  # a draft that was never submitted is not the verifier's business
        decided = verifications.for_assessment(con, assessment_id=row.id)
        unit = names[row.unit_id]
        out.append(
            QueueItem(
                assessment_id=row.id,
                period_id=period_id,
                period_name=period.name,
                unit_id=unit.id,
                unit_code=unit.code,
                unit_name=unit.name,
                status=row.status,
                submitted_at=row.submitted_at,
                submitted_by=row.submitted_by,
                verified_at=row.verified_at,
                decided=sum(1 for d in decided if d.decision != "change_requested"),
                change_requested=sum(1 for d in decided if d.decision == "change_requested"),
                resubmitted=row.status in REVIEWABLE and submissions.get(row.id, 0) > 1,
            )
        )
    order = {"in_review": 0, "submitted": 1, "reopened": 2, "verified": 3}
    return sorted(out, key=lambda q: (order[q.status], q.submitted_at or dt.datetime.max, q.unit_name))


@dataclass(frozen=True)
class Review:
    """One assessment as the verifier (or anyone who may read it) sees its verification."""

    view: AssessmentView
    decisions: dict[str, VerificationRow]
    states: dict[str, State]
    changed: frozenset[str]  # indicators whose self answer changed after their decision
    self_report: Report
    report: Report  # the verified (or, while in review, provisional) report
    differences: tuple[Difference, ...]
    can_decide: bool
    can_verify: bool

    @property
    def status(self) -> str:
        return self.view.assessment.status

    @property
    def scored_ids(self) -> list[str]:
        return [r.id for r in self.self_report.indicators if r.status != "tidak_dinilai"]

    def count(self, state: State) -> int:
        return sum(1 for i in self.scored_ids if self.states[i] == state)

    @property
    def done(self) -> int:
        return self.count("accepted") + self.count("adjusted")

    @property
    def complete_ready(self) -> bool:
        return self.done == len(self.scored_ids)

    @property
    def exists(self) -> bool:
        return bool(self.decisions)


def _states(row: AssessmentRow, decisions: dict[str, VerificationRow], changes: dict[str, dt.datetime], ids):
    states: dict[str, State] = {}
    changed = set()
    for ind_id in ids:
        d = decisions.get(ind_id)
        if d is None:
            states[ind_id] = "open"
            continue
        if (last := changes.get(ind_id)) is not None and last > d.verified_at:
            changed.add(ind_id)
        resubmitted = row.submitted_at is not None and row.submitted_at > d.verified_at
        if d.decision == "change_requested":
            states[ind_id] = "recheck" if resubmitted or ind_id in changed else "change_requested"
        else:
            states[ind_id] = "recheck" if ind_id in changed else ("accepted" if d.decision == "accept" else "adjusted")
    return states, frozenset(changed)


def review(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> Review:
    """The assessment with every decision, the self and the verified report and the differences."""
    view = load_view(con, actor, assessment_id=assessment_id)
    decisions = {d.indicator_id: d for d in verifications.for_assessment(con, assessment_id=assessment_id)}
    changes = verifications.last_answer_changes(con, assessment_id=assessment_id, events=SELF_ANSWER_CHANGES)
    states, changed = _states(view.assessment, decisions, changes, view.criteria.indicators_by_id())
    self_report = score_view(view)
    adjusted = adjusted_values(decisions)
    items = apply_adjustments(view.criteria, view.core_answers(), adjusted, products=view.scoring_products)
    verified = score(view.criteria, items, products=view.scoring_products, plan=False)
    diffs = differences(view.criteria, view.answers, decisions, self_report, verified, view.scoring_products)
    allowed = can_verify(actor, view.unit.id)
    return Review(
        view=view,
        decisions=decisions,
        states=states,
        changed=changed,
        self_report=self_report,
        report=verified,
        differences=tuple(diffs),
        can_decide=allowed and view.assessment.status == "in_review",
        can_verify=allowed,
    )


def verified_report(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> Review:
    """Self score, verified score and differences of one assessment, for anyone who may read the unit."""
    return review(con, actor, assessment_id=assessment_id)
