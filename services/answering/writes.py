"""The one way answers reach the database, used by the app (answers, tallies, tally entry, clearing), the
Excel import and the user-survey feed.

Callers check the actor, the period, the status and the values, and open the transaction; these functions
write the rows inside it and hold the rules every path shares:
- an indicator is answered either per respondent or as a tally, never both: respondent answers replace a
  tally entered earlier, and a tally replaces individual answers;
- a tally stores one row per level chosen by at least one respondent.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from assessment.subject import TALLY_PREFIX, Subject
from store import assessments
from store.models import AnswerRow


def put_answer(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    subject: Subject,
    value: float | None,
    actor: str,
    at: dt.datetime,
    count: int = 1,
    expected_revision: int | None = None,
) -> AnswerRow | None:
    """Write one answer; return the row it replaced (None when new)."""
    if subject.is_respondent:
        assessments.delete_answers(
            con, assessment_id=assessment_id, indicator_id=indicator_id, subject_prefix=TALLY_PREFIX
        )
    return assessments.put_answer(
        con,
        assessment_id=assessment_id,
        indicator_id=indicator_id,
        subject=str(subject),
        value=value,
        count=count,
        actor=actor,
        at=at,
        expected_revision=expected_revision,
    )


def put_tally(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    counts: dict[float, int],
    actor: str,
    at: dt.datetime,
) -> list[AnswerRow]:
    """Replace every answer of the indicator by respondents per level; return the rows it replaced."""
    old = assessments.delete_answers(con, assessment_id=assessment_id, indicator_id=indicator_id)
    for value, count in sorted(counts.items()):
        if count:
            assessments.put_answer(
                con,
                assessment_id=assessment_id,
                indicator_id=indicator_id,
                subject=str(Subject.tally(value)),
                value=value,
                count=count,
                actor=actor,
                at=at,
            )
    return old


def put_tally_level(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int,
    indicator_id: str,
    value: float,
    count: int,
    actor: str,
    at: dt.datetime,
) -> None:
    """Set one level of a tally that is already a tally (0 removes the level's row)."""
    subject = str(Subject.tally(value))
    if count:
        assessments.put_answer(
            con,
            assessment_id=assessment_id,
            indicator_id=indicator_id,
            subject=subject,
            value=value,
            count=count,
            actor=actor,
            at=at,
        )
    else:
        assessments.delete_answers(con, assessment_id=assessment_id, indicator_id=indicator_id, subject=subject)


def delete_answers(
    con: duckdb.DuckDBPyConnection, *, assessment_id: int, indicator_id: str, subject: Subject | None = None
) -> list[AnswerRow]:
    """Remove one subject's answer, or every answer of the indicator; return the removed rows."""
    return assessments.delete_answers(
        con,
        assessment_id=assessment_id,
        indicator_id=indicator_id,
        subject=None if subject is None else str(subject),
    )
