"""Rencana tindak lanjut: actions from the path to the next zone, a verifier's finding, the region's
most-missed indicators, or by hand; their status from rencana to selesai, closed with evidence.

Every write checks the actor, runs in one transaction and appends a typed audit event
(`followup.action_created`, `followup.action_updated`) with the old and new values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from assessment.messages import Phrase
from assessment.subject import Subject
from services.access import Actor, can_plan, require_admin, require_plan, require_read
from services.answering.assessing import load_view, record_answer
from services.answering.results import score_view
from services.audit_events import FollowupActionCreated, FollowupActionUpdated
from services.common import NotAllowedNow, NotFound, now, today
from services.followup.common import (
    MAX_NOTE,
    MAX_OWNER,
    MAX_TITLE,
    SOURCE_LABELS,
    STATUS_LABELS,
    FollowupError,
    clean_text,
)
from services.followup.proposals import expected_points, open_indicators, view_or_none
from services.region.data import resolve_period, score_period
from store import assessments, audit, evidence_records, units
from store import followup_actions as store
from store.db import transaction
from store.errors import ConflictError
from store.followup_actions import ActionRow

SOURCES = tuple(SOURCE_LABELS)
STATUSES = tuple(STATUS_LABELS)
# where a status may go next; closing (selesai) needs evidence, cancelling and reopening need a reason
TRANSITIONS = {
    "rencana": ("berjalan", "selesai", "dibatalkan"),
    "berjalan": ("rencana", "selesai", "dibatalkan"),
    "selesai": ("berjalan",),
    "dibatalkan": ("rencana",),
}
MAX_DUE_YEARS = 3


@dataclass(frozen=True)
class ActionLine:
    """One action as the views and exports show it."""

    action: ActionRow
    unit_code: str
    unit_name: str
    status_label: str
    source_label: str
    overdue: bool
    days_left: int
    questions: tuple[str, ...]
    evidence_name: str | None


def _check_due(due_date: dt.date | None) -> dt.date:
    if not isinstance(due_date, dt.date):
        raise FollowupError(key="err.followup.due_required")
    if due_date < today():
        raise FollowupError(key="err.followup.due_past")
    if due_date > today() + dt.timedelta(days=365 * MAX_DUE_YEARS):
        raise FollowupError(key="err.followup.due_far", years=MAX_DUE_YEARS)
    return due_date


def create_action(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_id: int,
    unit_id: int,
    title: str,
    indicators: list[str] | tuple[str, ...] = (),
    source: str = "manual",
    owner: str,
    due_date: dt.date | None,
) -> int:
    """Plan one action; its expected points are the unit's current losses on its indicators."""
    require_plan(actor, unit_id)
    period = resolve_period(con, period_id=period_id)
    if units.get_unit(con, unit_id=unit_id) is None:
        raise NotFound(key="err.unit.not_found_plain")
    if source not in SOURCES:
        raise FollowupError(key="err.followup.source_unknown", source=source)
    title = clean_text(title, field=Phrase("err.part.action_title"), max_len=MAX_TITLE, min_len=3)
    owner = clean_text(owner, field=Phrase("err.part.action_owner"), max_len=MAX_OWNER, min_len=2)
    due = _check_due(due_date)
    view = view_or_none(con, actor, period_id, unit_id)
    known = view.criteria.indicators_by_id() if view else {}
    ids = list(dict.fromkeys(i.strip() for i in indicators if i and i.strip()))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise FollowupError(
            key="err.followup.indicators_unknown", period=period.name, indicators=", ".join(unknown)
        )
    if source != "manual" and not ids:
        raise FollowupError(key="err.followup.needs_indicator")
    already = sorted(set(ids) & open_indicators(con, period_id, unit_id))
    if already:
        raise FollowupError(key="err.followup.already_open", indicators=", ".join(already))
    points = expected_points(score_view(view) if view else None, ids)
    at = now()
    with transaction(con):
        action_id = store.add(
            con, period_id=period_id, unit_id=unit_id, title=title, indicators=ids, source=source, owner=owner,
            due_date=due, expected_points=points, actor=actor.username, at=at,
        )  # fmt: skip
        audit.append(
            con,
            actor=actor.username,
            event=FollowupActionCreated(
                assessment_id=view.assessment.id if view else None,
                action_id=action_id,
                unit_id=unit_id,
                period=period.name,
                source=source,
                indicators=ids,
                title=title,
                owner=owner,
                due=due.isoformat(),
                expected_points=points,
            ),
            at=at,
        )
    return action_id


def create_for_missed(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_id: int,
    indicator_id: str,
    owner: str,
    due_date: dt.date | None,
) -> list[int]:
    """Admin: one action for every unit that loses points on one of the region's most-missed indicators
    (units with an open action on it already are skipped). Returns the new action ids."""
    require_admin(actor)
    scores = score_period(con, actor, period_id=period_id)
    ind = scores.criteria.indicators_by_id().get(indicator_id)
    if ind is None:
        raise FollowupError(key="err.indicator.unknown", indicator=indicator_id)
    created = []
    for u in scores.assessed:
        lost = u.report.indicator(indicator_id).lost
        if lost <= 1e-9 or indicator_id in open_indicators(con, period_id, u.unit.id):
            continue
        created.append(
            create_action(
                con, actor, period_id=period_id, unit_id=u.unit.id, source="missed", indicators=[indicator_id],
                title=f"Perbaiki {indicator_id} (sering terlewat di wilayah): {ind.question}"[:MAX_TITLE],
                owner=owner, due_date=due_date,
            )  # fmt: skip
        )
    if not created:
        raise FollowupError(key="err.followup.no_unit_missing", indicator=indicator_id)
    return created


def _closing_evidence(con, action: ActionRow, evidence_id: int) -> str:
    record = evidence_records.get(con, evidence_id=evidence_id)
    row = assessments.find(con, period_id=action.period_id, unit_id=action.unit_id)
    if record is None or record.removed_at is not None or row is None or record.assessment_id != row.id:
        raise FollowupError(key="err.followup.closing_evidence_missing")
    if action.indicator_ids and record.indicator_id not in action.indicator_ids:
        raise FollowupError(key="err.followup.closing_evidence_indicator", indicators=", ".join(action.indicator_ids))
    return record.file_name


def _raise_answers(con, actor: Actor, action: ActionRow) -> list[str]:
    """Set the action's indicators to their top level in the unit's own answers (unit and product subjects).
    Respondent indicators are left: their answers come from the people asked."""
    row = assessments.find(con, period_id=action.period_id, unit_id=action.unit_id)
    if row is None:
        raise NotAllowedNow(key="err.followup.not_started")
    view = load_view(con, actor, assessment_id=row.id)
    if not view.can_edit:
        raise NotAllowedNow(key="err.followup.cannot_raise", reason=view.read_only_reason)
    indicators = view.criteria.indicators_by_id()
    raised = []
    for ind_id in action.indicator_ids:
        ind = indicators[ind_id]
        if ind.subject.kind == "unit":
            subjects = ["unit"]
        elif ind.subject.kind == "product":
            subjects = [str(Subject.product(code)) for code in view.product_codes]
        else:
            continue
        for subject in subjects:
            record_answer(con, actor, assessment_id=row.id, indicator_id=ind_id, subject=subject,
                          value=ind.max_value)  # fmt: skip
        raised.append(ind_id)
    return raised


def update_action(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    action_id: int,
    expected_revision: int,
    status: str | None = None,
    owner: str | None = None,
    due_date: dt.date | None = None,
    note: str = "",
    evidence_id: int | None = None,
    raise_answer: bool = False,
) -> list[str]:
    """Change status, owner or due date. selesai needs closing evidence (for an action without indicators a
    closing note), dibatalkan and reopening need a note. raise_answer (on closing) sets the indicators to their
    top level in the unit's answers so the score follows. Returns the indicators raised."""
    action = store.get(con, action_id=action_id)
    if action is None:
        raise NotFound(key="err.followup.action_not_found")
    require_plan(actor, action.unit_id)
    if action.revision != expected_revision:  # checked again inside the write; early so nothing is raised twice
        raise ConflictError(key="err.followup.action_changed")
    note = clean_text(note, field=Phrase("err.part.note"), max_len=MAX_NOTE, min_len=0) if note else ""
    fields: dict[str, object] = {}
    old: dict[str, object] = {}
    evidence_name = None
    if status is not None and status != action.status:
        if status not in STATUSES:
            raise FollowupError(key="err.followup.status_unknown", status=status, statuses=", ".join(STATUSES))
        if status not in TRANSITIONS[action.status]:
            raise FollowupError(
                key="err.followup.transition",
                old=Phrase(f"err.part.fu_status.{action.status}"),
                new=Phrase(f"err.part.fu_status.{status}"),
            )
        if status == "selesai":
            if evidence_id is not None:
                evidence_name = _closing_evidence(con, action, evidence_id)
                fields["evidence_id"] = evidence_id
            elif action.indicator_ids:
                raise FollowupError(key="err.followup.close_needs_evidence")
            elif len(note) < 10:
                raise FollowupError(key="err.followup.close_needs_note")
        elif status == "dibatalkan" and len(note) < 5:
            raise FollowupError(key="err.followup.cancel_needs_reason")
        elif action.status in ("selesai", "dibatalkan") and len(note) < 5:
            raise FollowupError(key="err.followup.reopen_needs_reason")
        if action.status == "selesai":
            fields["evidence_id"] = None
        fields["status"], old["status"] = status, action.status
        if note:
            fields["closing_note"] = note
    if owner is not None:
        owner = clean_text(owner, field=Phrase("err.part.action_owner"), max_len=MAX_OWNER, min_len=2)
        if owner != action.owner:
            fields["owner"], old["owner"] = owner, action.owner
    if due_date is not None and due_date != action.due_date:
        fields["due_date"], old["due_date"] = _check_due(due_date), action.due_date.isoformat()
    if not fields:
        raise FollowupError(key="err.followup.nothing_changed")
    raised = _raise_answers(con, actor, action) if raise_answer and fields.get("status") == "selesai" else []
    at = now()
    row = assessments.find(con, period_id=action.period_id, unit_id=action.unit_id)
    with transaction(con):
        store.update(con, action_id=action_id, expected_revision=expected_revision, actor=actor.username, at=at,
                     **fields)  # fmt: skip
        new = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}
        audit.append(
            con,
            actor=actor.username,
            event=FollowupActionUpdated(
                assessment_id=row.id if row else None,
                action_id=action_id,
                unit_id=action.unit_id,
                old=old,
                new=new,
                file=evidence_name,
                raised=raised,
            ),
            at=at,
        )
    return raised


def _lines(con, rows: list[ActionRow]) -> list[ActionLine]:
    names = {u.id: u for u in units.list_units(con)}
    questions: dict[str, str] = {}
    files: dict[int, str] = {}
    for a in rows:
        if a.evidence_id is not None and a.evidence_id not in files:
            rec = evidence_records.get(con, evidence_id=a.evidence_id)
            files[a.evidence_id] = rec.file_name if rec else "?"
    if rows:
        from services.catalog import criteria_for
        from store import periods

        for pid in {a.period_id for a in rows}:
            period = periods.get_period(con, period_id=pid)
            if period:
                questions.update({i.id: i.question for i in criteria_for(con, period.criteria_sha256)
                                  .indicators_by_id().values()})  # fmt: skip
    day = today()
    out = []
    for a in rows:
        unit = names.get(a.unit_id)
        out.append(
            ActionLine(
                action=a,
                unit_code=unit.code if unit else "?",
                unit_name=unit.name if unit else "?",
                status_label=STATUS_LABELS[a.status],
                source_label=SOURCE_LABELS[a.source],
                overdue=a.overdue(day),
                days_left=(a.due_date - day).days,
                questions=tuple(questions.get(i, "") for i in a.indicator_ids),
                evidence_name=files.get(a.evidence_id) if a.evidence_id is not None else None,
            )
        )
    # overdue first, then open by due date, then the closed ones
    return sorted(out, key=lambda line: (not line.overdue, not line.action.is_open, line.action.due_date))


def unit_actions(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int) -> list[ActionLine]:
    require_read(actor, unit_id)
    return _lines(con, store.for_period(con, period_id=period_id, unit_ids=[unit_id]))


def region_actions(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int) -> list[ActionLine]:
    """Every action of the units in the actor's region scope (admin / viewer: all, verifier: assigned)."""
    from services.region.data import scope_units

    scope, _ = scope_units(con, actor)
    return _lines(con, store.for_period(con, period_id=period_id, unit_ids=[u.id for u in scope]))


def may_plan(actor: Actor, unit_id: int) -> bool:
    return can_plan(actor, unit_id)
