"""Use cases of answering: open an assessment, record answers, tallies and notes.

Every write checks the actor, the period and the assessment status, runs in one transaction
and appends an audit event with the old and the new value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from assessment import Answer, Criteria
from assessment.errors import KepatuhanError
from assessment.messages import Phrase
from assessment.subject import Subject
from services.access import Actor, require_read
from services.answering import writes
from services.audit_events import AnswerCleared, AnswerSet, AnswerTally, AssessmentCreated, NoteSet, SurveyTallyOverride
from services.catalog import criteria_for
from services.common import (
    NotAllowedNow,
    NotFound,
    check_answer,
    indicator_of,
    now,
    period_is_open,
    writable_assessment,
)
from store import assessments, audit, evidence_records, periods, units, verifications
from store import surveys as survey_store
from store.db import transaction
from store.models import AnswerRow, AssessmentRow, EvidenceRecord, NoteRow, OrgUnit, Period, Product


@dataclass(frozen=True)
class AssessmentView:
    """Everything a page needs to show one unit's assessment, read in one go."""

    assessment: AssessmentRow
    period: Period
    unit: OrgUnit
    criteria: Criteria
    products: tuple[Product, ...]
    answers: dict[str, list[AnswerRow]] = field(default_factory=dict)
    notes: dict[str, NoteRow] = field(default_factory=dict)
    evidence: dict[str, list[EvidenceRecord]] = field(default_factory=dict)
    submitted_products: tuple[str, ...] = ()
    can_edit: bool = False
    read_only_reason: str = ""
    change_requests: dict[str, str] = field(default_factory=dict)  # indicator → verifier's comment, while reopened

    @property
    def product_codes(self) -> list[str]:
        return [p.code for p in self.products]

    @property
    def scoring_products(self) -> list[str]:
        """Products whose missing answers count as 0: the unit's current products while the assessment is
        editable, the list pinned at submission afterwards (a product added later cannot change a frozen score)."""
        return self.product_codes if self.assessment.editable else list(self.submitted_products)

    def core_answers(self) -> list[Answer]:
        return [
            Answer(indicator=r.indicator_id, subject=r.subject, value=r.value, count=r.count)
            for rows in self.answers.values()
            for r in rows
        ]

    def answer(self, indicator_id: str, subject: str = "unit") -> AnswerRow | None:
        return next((r for r in self.answers.get(indicator_id, []) if r.subject == subject), None)

    def revision(self, indicator_id: str, subject: str = "unit") -> int:
        row = self.answer(indicator_id, subject)
        return row.revision if row else 0

    def indicator_revision(self, indicator_id: str) -> int:
        return assessments.revision_of(self.answers.get(indicator_id, []))


def open_assessment(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int) -> AssessmentView:
    """Read (creating it on first open) the assessment of a unit in a period."""
    return load_view(con, actor, assessment_id=assessment_id_for(con, actor, period_id=period_id, unit_id=unit_id))


def assessment_id_for(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int) -> int:
    """The id of the unit's assessment in the period, creating it on first open by someone who may answer."""
    require_read(actor, unit_id)
    row = assessments.find(con, period_id=period_id, unit_id=unit_id)
    if row is not None:
        return row.id
    period = periods.get_period(con, period_id=period_id)
    unit = units.get_unit(con, unit_id=unit_id)
    if period is None or unit is None:
        raise NotFound(key="err.assessment.pick_again")
    if row is None:
        if actor.can_answer_for(unit_id):
            with transaction(con):
                row = assessments.get_or_create(con, period_id=period_id, unit_id=unit_id)
                audit.append(
                    con,
                    actor=actor.username,
                    event=AssessmentCreated(assessment_id=row.id, period=period.name, unit=unit.code),
                    at=now(),
                )
        else:
            raise NotFound(key="err.assessment.not_started")
    return row.id


def content_revision(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> tuple:
    """What a page may cache a view and its score on: changes with every write to the assessment."""
    row = assessments.get(con, assessment_id=assessment_id)
    if row is None:
        raise NotFound(key="err.assessment.not_found")
    require_read(actor, row.unit_id)
    return assessments.content_revision(con, assessment_id=assessment_id) or ()


def load_view(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> AssessmentView:
    row = assessments.get(con, assessment_id=assessment_id)
    if row is None:
        raise NotFound(key="err.assessment.not_found")
    require_read(actor, row.unit_id)
    period = periods.get_period(con, period_id=row.period_id)
    unit = units.get_unit(con, unit_id=row.unit_id)
    assert period is not None and unit is not None
    return _view(con, actor, row, period, unit)


def _view(con, actor: Actor, row: AssessmentRow, period: Period, unit: OrgUnit) -> AssessmentView:
    by_indicator: dict[str, list[AnswerRow]] = defaultdict(list)
    for a in assessments.answers(con, assessment_id=row.id):
        by_indicator[a.indicator_id].append(a)
    ev: dict[str, list[EvidenceRecord]] = defaultdict(list)
    for e in evidence_records.for_assessment(con, assessment_id=row.id):
        ev[e.indicator_id].append(e)
    reason = ""
    if not actor.can_answer_for(unit.id):
        reason = Phrase("err.view.read_only")
    elif not row.editable:
        reason = Phrase("err.view.frozen")
    elif not period_is_open(period):
        reason = Phrase("err.view.period_closed", period=period.name)
    return AssessmentView(
        assessment=row,
        period=period,
        unit=unit,
        criteria=criteria_for(con, period.criteria_sha256),
        products=tuple(units.products(con, unit_id=unit.id)),
        answers=dict(by_indicator),
        notes={n.indicator_id: n for n in assessments.notes(con, assessment_id=row.id)},
        evidence=dict(ev),
        submitted_products=tuple(assessments.scoring_products(con, assessment_ids=[row.id])[row.id])
        if not row.editable
        else (),
        can_edit=not reason,
        read_only_reason=reason,
        change_requests=_change_requests(con, row),
    )


def _change_requests(con, row: AssessmentRow) -> dict[str, str]:
    if row.status != "reopened":
        return {}
    return {
        d.indicator_id: d.note
        for d in verifications.for_assessment(con, assessment_id=row.id)
        if d.decision == "change_requested"
    }


def record_answer(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    assessment_id: int,
    indicator_id: str,
    subject: str = "unit",
    value: float | None,
    expected_revision: int | None = None,
) -> int:
    """Save one answer (value None = N/A). Returns the new revision of that answer."""
    row, criteria = writable_assessment(con, actor, assessment_id)
    ind = indicator_of(criteria, indicator_id)
    check_answer(ind, Answer(indicator=indicator_id, subject=subject, value=value))
    if Subject.parse(subject).is_respondent:
        survey_feed_needing_reason(con, row.id, indicator_id, "")
    at = now()
    with transaction(con):
        previous = writes.put_answer(
            con,
            assessment_id=row.id,
            indicator_id=indicator_id,
            subject=Subject.parse(subject),
            value=value,
            actor=actor.username,
            at=at,
            expected_revision=expected_revision,
        )
        audit.append(
            con,
            actor=actor.username,
            event=AnswerSet(
                assessment_id=row.id,
                indicator=indicator_id,
                subject=subject,
                old=_shown(previous.value) if previous else None,
                new=_shown(value),
            ),
            at=at,
        )
    return (previous.revision if previous else 0) + 1


def record_tally(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    assessment_id: int,
    indicator_id: str,
    counts: dict[float, int],
    expected_revision: int | None = None,
    reason: str = "",
) -> None:
    """Replace a respondent indicator's answers by counts per level (how many respondents chose each).

    A tally filled from the user survey changes only with a reason (audited, shown to the verifier)."""
    row, criteria = writable_assessment(con, actor, assessment_id)
    feed = survey_feed_needing_reason(con, row.id, indicator_id, reason)
    ind = indicator_of(criteria, indicator_id)
    if ind.subject.kind != "respondent":
        raise KepatuhanError(key="err.tally.not_per_respondent", indicator=indicator_id)
    for value, count in counts.items():
        if not isinstance(count, int) or count < 0:
            raise KepatuhanError(key="err.tally.count")
        check_answer(ind, Answer(indicator=indicator_id, subject=str(Subject.tally(value)), value=value, count=count))
    at = now()
    with transaction(con):
        current = assessments.indicator_revision(con, assessment_id=row.id, indicator_id=indicator_id)
        if expected_revision is not None and expected_revision != current:
            from store.errors import ConflictError

            raise ConflictError(key="err.tally.changed")
        old = writes.put_tally(
            con, assessment_id=row.id, indicator_id=indicator_id, counts=counts, actor=actor.username, at=at
        )
        if feed is not None:
            record_feed_override(con, actor, row.id, indicator_id, reason, at)
        audit.append(
            con,
            actor=actor.username,
            event=AnswerTally(
                assessment_id=row.id,
                indicator=indicator_id,
                old={r.subject: r.count for r in old},
                new={f"{v:g}": c for v, c in sorted(counts.items()) if c},
            ),
            at=at,
        )


def clear_answer(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int, indicator_id: str, subject: str | None = None
) -> None:
    """Remove an answer (one subject, or all of the indicator's) so it counts as unanswered again."""
    row, criteria = writable_assessment(con, actor, assessment_id)
    indicator_of(criteria, indicator_id)
    survey_feed_needing_reason(con, row.id, indicator_id, "")
    at = now()
    with transaction(con):
        old = writes.delete_answers(
            con,
            assessment_id=row.id,
            indicator_id=indicator_id,
            subject=None if subject is None else Subject.parse(subject),
        )
        if old:
            audit.append(
                con,
                actor=actor.username,
                event=AnswerCleared(
                    assessment_id=row.id,
                    indicator=indicator_id,
                    old={r.subject: _shown(r.value) for r in old},
                    new=None,
                ),
                at=at,
            )


def record_note(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    assessment_id: int,
    indicator_id: str,
    note: str,
    expected_revision: int | None = None,
) -> None:
    row, criteria = writable_assessment(con, actor, assessment_id)
    indicator_of(criteria, indicator_id)
    note = note.strip()
    if len(note) > 4000:
        raise KepatuhanError(key="err.note.too_long")
    at = now()
    with transaction(con):
        previous = assessments.put_note(
            con,
            assessment_id=row.id,
            indicator_id=indicator_id,
            note=note,
            actor=actor.username,
            at=at,
            expected_revision=expected_revision,
        )
        audit.append(
            con,
            actor=actor.username,
            event=NoteSet(
                assessment_id=row.id, indicator=indicator_id, old=previous.note if previous else None, new=note
            ),
            at=at,
        )


def survey_feed_needing_reason(con, assessment_id: int, indicator_id: str, reason: str) -> object | None:
    """The survey feed of an indicator that the user survey filled and nobody overrode yet (issue 12).

    Changing such a tally needs a reason of at least 10 characters; without one the change is refused."""
    feed = survey_store.feeds(con, assessment_id=assessment_id).get(indicator_id)
    if feed is None or feed.overridden_by is not None:
        return None
    if len(reason.strip()) < 10:
        raise NotAllowedNow(key="err.tally.from_survey", indicator=indicator_id, n=feed.n)
    return feed


def record_feed_override(con, actor: Actor, assessment_id: int, indicator_id: str, reason: str, at) -> None:
    survey_store.override_feed(
        con, assessment_id=assessment_id, indicator_id=indicator_id, actor=actor.username, at=at, reason=reason.strip()
    )
    audit.append(
        con,
        actor=actor.username,
        event=SurveyTallyOverride(assessment_id=assessment_id, indicator=indicator_id, reason=reason.strip()[:1000]),
        at=at,
    )


def _shown(value: float | None) -> str:
    return "N/A" if value is None else f"{value:g}"
