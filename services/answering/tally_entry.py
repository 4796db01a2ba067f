"""Tally entry one level at a time, so counts typed quickly into several fields never overwrite each other.

Saving the whole tally from every field's change (the earlier way) lost counts: the second field's save
carried the first field's old value, or failed as a conflict, when the user moved on before the page had
caught up. Here each field saves only its own level and checks only that level's stored count.
"""

from __future__ import annotations

import duckdb

from assessment import Answer
from assessment.errors import KepatuhanError
from services.access import Actor
from services.common import check_answer, indicator_of, now, writable_assessment
from store import assessments, audit
from store.db import ConflictError, transaction

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
        raise KepatuhanError(f"Jumlah responden harus bilangan bulat dari 0 sampai {MAX_COUNT:,}.".replace(",", "."))
    if ind.option(value) is None:
        raise KepatuhanError(key="err.tally.unknown_level", level=f"{value:g}", indicator=indicator_id)
    subject = f"tally:{value:g}"
    check_answer(ind, Answer(indicator=indicator_id, subject=subject, value=value, count=count))
    at = now()
    with transaction(con):
        rows = assessments.answers_for(con, assessment_id=row.id, indicator_id=indicator_id)
        counts = counts_of(rows)
        if expected_count is not None and counts.get(value, 0) != expected_count:
            raise ConflictError(
                f"Jumlah untuk level {value:g} pada {indicator_id} sudah diubah di tab atau jendela lain.",
                "Halaman dimuat ulang dengan data terbaru; periksa angkanya lalu isi lagi bila perlu.",
            )
        if counts.get(value, 0) == count and all(r.subject.startswith("tally:") for r in rows):
            return  # nothing changed (the field lost focus without a new number)
        old = {r.subject: r.count for r in rows}
        counts[value] = count
        individual = [r for r in rows if not r.subject.startswith("tally:")]
        # only this level's row changes; individual answers become the tally they add up to
        touched = sorted(counts) if individual else [value]
        if individual:
            assessments.delete_answers(con, assessment_id=row.id, indicator_id=indicator_id)
        for level in touched:
            if counts[level]:
                assessments.put_answer(
                    con,
                    assessment_id=row.id,
                    indicator_id=indicator_id,
                    subject=f"tally:{level:g}",
                    value=level,
                    count=counts[level],
                    actor=actor.username,
                    at=at,
                )
            elif not individual:
                assessments.delete_answers(
                    con, assessment_id=row.id, indicator_id=indicator_id, subject=f"tally:{level:g}"
                )
        audit.append(
            con,
            actor=actor.username,
            event="answer.tally",
            at=at,
            assessment_id=row.id,
            payload={
                "indicator": indicator_id,
                "old": old,
                "new": {f"{v:g}": c for v, c in sorted(counts.items()) if c},
            },
        )


def counts_of(rows) -> dict[float, int]:
    """Respondents per level, from a tally or from individual answers (N/A answers are not counted)."""
    counts: dict[float, int] = {}
    for r in rows:
        if r.value is None:
            continue
        n = (r.count or 0) if r.subject.startswith("tally:") else 1
        counts[r.value] = counts.get(r.value, 0) + n
    return counts
