"""Tally entry one level at a time, so counts typed quickly into several fields never overwrite each other.

Saving the whole tally from every field's change (the earlier way) lost counts: the second field's save
carried the first field's old value, or failed as a conflict, when the user moved on before the page had
caught up. Here each field saves only its own level and checks only that level's stored count.
"""

from __future__ import annotations

import duckdb

from assessment import Answer
from assessment.errors import KepatuhanError
from assessment.subject import Subject, is_tally
from services.access import Actor
from services.answering import writes
from services.audit_events import AnswerTally
from services.common import check_answer, indicator_of, now, writable_assessment
from store import assessments, audit
from store.db import transaction
from store.errors import ConflictError

MAX_COUNT = 100_000


def record_tally_level(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    assessment_id: int,
    indicator_id: str,
    value: float,
    count: int,
    expected_count: int | None = None,
) -> None:
    """Set how many respondents chose one level of a respondent indicator.

    ``expected_count`` is the count the user saw for that level; if it was changed elsewhere meanwhile the
    save is refused. Individual respondent answers entered earlier are first turned into a tally (their
    counts per level kept), because one indicator is answered either way, not both.
    """
    row, criteria = writable_assessment(con, actor, assessment_id)
    ind = indicator_of(criteria, indicator_id)
    if ind.subject.kind != "respondent":
        raise KepatuhanError(key="err.tally.not_per_respondent", indicator=indicator_id)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        raise KepatuhanError(key="err.tally.count_max", max=f"{MAX_COUNT:,}".replace(",", "."))
    if ind.option(value) is None:
        raise KepatuhanError(key="err.tally.unknown_level", level=f"{value:g}", indicator=indicator_id)
    check_answer(ind, Answer(indicator=indicator_id, subject=str(Subject.tally(value)), value=value, count=count))
    at = now()
    with transaction(con):
        rows = assessments.answers_for(con, assessment_id=row.id, indicator_id=indicator_id)
        counts = counts_of(rows)
        if expected_count is not None and counts.get(value, 0) != expected_count:
            raise ConflictError(key="err.tally.level_changed", level=f"{value:g}", indicator=indicator_id)
        individual = [r for r in rows if not is_tally(r.subject)]
        if counts.get(value, 0) == count and not individual:
            return  # nothing changed (the field lost focus without a new number)
        old = {r.subject: r.count for r in rows}
        counts[value] = count
        if individual:  # individual answers become the tally they add up to
            writes.put_tally(
                con, assessment_id=row.id, indicator_id=indicator_id, counts=counts, actor=actor.username, at=at
            )
        else:  # only this level's row changes
            writes.put_tally_level(
                con,
                assessment_id=row.id,
                indicator_id=indicator_id,
                value=value,
                count=count,
                actor=actor.username,
                at=at,
            )
        audit.append(
            con,
            actor=actor.username,
            event=AnswerTally(
                assessment_id=row.id,
                indicator=indicator_id,
                old=old,
                new={f"{v:g}": c for v, c in sorted(counts.items()) if c},
            ),
            at=at,
        )


def counts_of(rows) -> dict[float, int]:
    """Respondents per level, from a tally or from individual answers (N/A answers are not counted)."""
    counts: dict[float, int] = {}
    for r in rows:
        if r.value is None:
            continue
        n = (r.count or 0) if is_tally(r.subject) else 1
        counts[r.value] = counts.get(r.value, 0) + n
    return counts
