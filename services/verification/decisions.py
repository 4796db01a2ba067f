"""Verification of a submitted assessment by the Ortala / inspektorat verifier.

submitted --start_review--> in_review --decide (per indicator)--> ...
    in_review --request_changes--> reopened (the unit fixes, then submits again) --> submitted
    in_review --complete--> verified
    submitted / in_review / verified --reopen (admin, with a reason)--> reopened

Every write checks the actor's role and unit scope, runs in one transaction and appends an audit
event with old → new. Decisions are never deleted; after a resubmission the earlier accept/adjust
decisions stay, and an indicator whose change was requested (or whose answer changed since its
decision) is shown for a second look.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from assessment import Report
from assessment.errors import KepatuhanError
from assessment.messages import Phrase
from services.access import Actor, can_verify, require_admin, require_verify
from services.answering.assessing import load_view
from services.audit_events import (
    AssessmentReopened,
    VerificationChangesRequested,
    VerificationCompleted,
    VerificationDecided,
    VerificationStarted,
)
from services.common import NotAllowedNow, NotFound, indicator_of, now
from services.verification.review import QueueItem, Review, State, queue, review, verified_report
from services.verification.verified_score import Difference, differs, verified_reports, verified_totals
from store import assessments, audit, verifications
from store.db import transaction
from store.models import AssessmentRow, VerificationRow

__all__ = [
    "Difference",
    "QueueItem",
    "Review",
    "State",
    "accept_remaining",
    "can_verify",
    "complete",
    "decide",
    "queue",
    "reopen",
    "request_changes",
    "review",
    "start_review",
    "verified_report",
    "verified_reports",
    "verified_totals",
]

DECISIONS = ("accept", "adjust", "change_requested")
REOPENABLE = ("submitted", "in_review", "verified")
MAX_NOTE = 4000


def _assessment(con: duckdb.DuckDBPyConnection, assessment_id: int) -> AssessmentRow:
    row = assessments.get(con, assessment_id=assessment_id)
    if row is None:
        raise NotFound(key="err.assessment.not_found")
    return row


StatusEvent = VerificationStarted | VerificationChangesRequested | VerificationCompleted | AssessmentReopened


def _set_status(con, actor: Actor, row: AssessmentRow, event: StatusEvent, at: dt.datetime) -> None:
    """Move the assessment to the event's new status and record the event (old → new)."""
    assessments.set_status(con, assessment_id=row.id, status=event.new)
    audit.append(con, actor=actor.username, event=event, at=at)


def start_review(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> None:
    """submitted → in_review: the verifier starts (or, after a resubmission, resumes) the review."""
    row = _assessment(con, assessment_id)
    require_verify(actor, row.unit_id)
    if row.status != "submitted":
        raise _not_now(row.status, "start")
    with transaction(con):
        event = VerificationStarted(assessment_id=row.id, old=row.status, new="in_review")
        _set_status(con, actor, row, event, now())


def decide(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    assessment_id: int,
    indicator_id: str,
    decision: str,
    verified_value: float | None = None,
    verified_na: bool = False,
    note: str = "",
    expected_revision: int | None = None,
) -> int:
    """Record the decision on one indicator; returns its new revision.

    accept: the self answer stands. adjust: verified_value (an option value) or verified_na (where N/A is
    allowed) replaces it on every subject; a note is required when it differs from the self answer.
    change_requested: the note (required) is shown to the unit beside the indicator.
    """
    row = _assessment(con, assessment_id)
    require_verify(actor, row.unit_id)
    if row.status != "in_review":
        raise _not_now(row.status, "decide")
    view = load_view(con, actor, assessment_id=assessment_id)
    ind = indicator_of(view.criteria, indicator_id)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise KepatuhanError(key="err.note.too_long")
    if decision not in DECISIONS:
        raise KepatuhanError(key="err.verify.unknown_decision", decision=decision)
    value: float | None = None
    if decision == "adjust":
        if verified_na:
            if not ind.na_allowed:
                raise KepatuhanError(key="err.verify.no_na", indicator=ind.id)
        elif verified_value is None or ind.option(float(verified_value)) is None:
            allowed = ", ".join(f"{o.value:g}" for o in ind.options)
            raise KepatuhanError(key="err.verify.pick_value", indicator=ind.id, allowed=allowed)
        else:
            value = float(verified_value)
        rows = view.answers.get(ind.id, [])
        if not note and differs(ind, rows, None if verified_na else value, view.scoring_products):
            raise KepatuhanError(key="err.verify.note_when_adjusted")
    else:
        verified_na = False
        if decision == "change_requested" and not note:
            raise KepatuhanError(key="err.verify.note_for_fix")
    at = now()
    with transaction(con):
        previous = verifications.put(
            con,
            assessment_id=row.id,
            indicator_id=ind.id,
            decision=decision,  # type: ignore[arg-type]
            verified_value=value,
            verified_na=verified_na,
            note=note,
            actor=actor.username,
            at=at,
            expected_revision=expected_revision,
        )
        audit.append(
            con,
            actor=actor.username,
            event=VerificationDecided(
                assessment_id=row.id,
                indicator=ind.id,
                old=_decision_payload(previous) if previous else None,
                new={"decision": decision, "value": _shown(value, verified_na), "note": note},
            ),
            at=at,
        )
    return (previous.revision if previous else 0) + 1


def accept_remaining(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int, dimension_id: str | None = None
) -> int:
    """Accept every indicator (of one dimension, or all) that has no decision yet; returns how many."""
    current = review(con, actor, assessment_id=assessment_id)
    require_verify(actor, current.view.unit.id)
    if current.status != "in_review":
        raise _not_now(current.status, "decide")
    dims = [d for d in current.view.criteria.dimensions if dimension_id in (None, d.id)]
    open_ids = [i.id for d in dims for i in d.indicators if current.states[i.id] == "open"]
    at = now()
    with transaction(con):
        for ind_id in open_ids:
            verifications.put(
                con,
                assessment_id=assessment_id,
                indicator_id=ind_id,
                decision="accept",
                verified_value=None,
                verified_na=False,
                note="",
                actor=actor.username,
                at=at,
                expected_revision=0,
            )
            audit.append(
                con,
                actor=actor.username,
                event=VerificationDecided(
                    assessment_id=assessment_id,
                    indicator=ind_id,
                    old=None,
                    new={"decision": "accept", "value": None, "note": ""},
                ),
                at=at,
            )
    return len(open_ids)


def request_changes(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> list[str]:
    """Return the assessment to its unit (→ reopened) with the change requests; returns their indicator ids."""
    current = review(con, actor, assessment_id=assessment_id)
    row = current.view.assessment
    require_verify(actor, row.unit_id)
    if row.status != "in_review":
        raise _not_now(row.status, "return")
    requested = [i for i in current.scored_ids if current.states[i] == "change_requested"]
    if not requested:
        raise NotAllowedNow(key="err.verify.nothing_requested")
    with transaction(con):
        event = VerificationChangesRequested(
            assessment_id=row.id,
            old=row.status,
            new="reopened",
            indicators={i: current.decisions[i].note for i in requested},
        )
        _set_status(con, actor, row, event, now())
    return requested


def complete(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> Report:
    """in_review → verified once every scored indicator is accepted or adjusted; returns the verified report."""
    current = review(con, actor, assessment_id=assessment_id)
    row = current.view.assessment
    require_verify(actor, row.unit_id)
    if row.status != "in_review":
        raise _not_now(row.status, "finish")
    pending = [i for i in current.scored_ids if current.states[i] not in ("accepted", "adjusted")]
    if pending:
        shown = ", ".join(pending[:10])
        if len(pending) > 10:
            shown = Phrase("err.verify.pending_more", shown=shown, n=len(pending) - 10)
        raise NotAllowedNow(key="err.verify.pending", n=len(pending), shown=shown)
    at = now()
    with transaction(con):
        event = VerificationCompleted(
            assessment_id=row.id,
            old=row.status,
            new="verified",
            snapshot_sha256=row.snapshot_sha256,
            self_total=current.self_report.total,
            verified_total=current.report.total,
            band=current.report.band.code,
            accepted=current.count("accepted"),
            adjusted=current.count("adjusted"),
        )
        _set_status(con, actor, row, event, at)
        verifications.mark_verified(con, assessment_id=row.id, verified_by=actor.username, verified_at=at)
    return current.report


def reopen(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int, reason: str) -> None:
    """Admin only: reopen a submitted, in-review or verified assessment for the unit, with the reason recorded."""
    require_admin(actor)
    row = _assessment(con, assessment_id)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise KepatuhanError(key="err.reopen.reason")
    if row.status not in REOPENABLE:
        raise _not_now(row.status, "reopen")
    with transaction(con):
        event = AssessmentReopened(
            assessment_id=row.id, old=row.status, new="reopened", reason=reason[:MAX_NOTE], verified_by=row.verified_by
        )
        _set_status(con, actor, row, event, now())
        verifications.mark_verified(con, assessment_id=row.id, verified_by=None, verified_at=None)


def _not_now(status: str, action: str) -> NotAllowedNow:
    """Refused in this state: `action` is one of start, decide, return, finish, reopen."""
    return NotAllowedNow(
        key="err.verify.not_now",
        status=Phrase(f"err.part.vstatus.{status}"),
        action=Phrase(f"err.part.vaction.{action}"),
    )


def _decision_payload(d: VerificationRow) -> dict:
    return {"decision": d.decision, "value": _shown(d.verified_value, d.verified_na), "note": d.note}


def _shown(value: float | None, na: bool) -> str | None:
    if na:
        return "N/A"
    return None if value is None else f"{value:g}"
