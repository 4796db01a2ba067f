"""Writing checked import rows: one transaction for the whole file, an audit event per changed answer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from assessment import Indicator
from assessment.subject import Subject, is_tally
from services.access import Actor
from services.answering import writes
from services.audit_events import AnswerImported, AssessmentCreated, ImportCompleted
from services.common import now
from store import assessments, audit
from store import region as region_store
from store.db import transaction
from store.models import AnswerRow, Period


@dataclass(frozen=True)
class ParsedRow:
    row: int
    unit_id: int
    unit_code: str
    indicator: Indicator
    subject: str
    value: float | None
    count: int


def _shown(value: float | None) -> str:
    return "N/A" if value is None else f"{value:g}"


def write_rows(
    con: duckdb.DuckDBPyConnection, actor: Actor, period: Period, rows: list[ParsedRow], *, file_name: str = ""
) -> tuple[int, int, int]:
    """(answers written, rows unchanged, units touched). All or nothing."""
    by_unit: dict[int, dict[str, list[ParsedRow]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_unit[r.unit_id][r.indicator.id].append(r)
    stored = region_store.period_answer_rows(con, period_id=period.id)
    at = now()
    written = unchanged = 0
    source = file_name or "berkas Excel"
    with transaction(con):
        for unit_id, by_indicator in by_unit.items():
            row = assessments.find(con, period_id=period.id, unit_id=unit_id)
            if row is None:
                row = assessments.get_or_create(con, period_id=period.id, unit_id=unit_id)
                audit.append(
                    con,
                    actor=actor.username,
                    event=AssessmentCreated(
                        assessment_id=row.id,
                        period=period.name,
                        unit=by_indicator[next(iter(by_indicator))][0].unit_code,
                    ),
                    at=at,
                )
            current: dict[str, dict[str, AnswerRow]] = defaultdict(dict)
            for a in stored.get(row.id, ()):
                current[a.indicator_id][a.subject] = a
            for indicator_id, items in by_indicator.items():
                old = current.get(indicator_id, {})
                if any(is_tally(i.subject) for i in items):
                    n = _write_tally(con, actor, row.id, indicator_id, items, old, at, source)
                else:
                    n = _write_each(con, actor, row.id, indicator_id, items, old, at, source)
                written += n
                unchanged += len(items) - n
        audit.append(
            con,
            actor=actor.username,
            event=ImportCompleted(period=period.name, file=source, units=len(by_unit), written=written),
            at=at,
        )
    return written, unchanged, len(by_unit)


def _write_tally(con, actor: Actor, assessment_id: int, indicator_id: str, items: list[ParsedRow],
                 old: dict[str, AnswerRow], at, source: str) -> int:  # fmt: skip
    new = {i.subject: i.count for i in items if i.count > 0}
    before = {s: a.count for s, a in old.items()}
    if before == new:
        return 0
    counts = {item.value: item.count for item in items if item.value is not None}
    writes.put_tally(
        con, assessment_id=assessment_id, indicator_id=indicator_id, counts=counts, actor=actor.username, at=at
    )
    audit.append(
        con,
        actor=actor.username,
        event=AnswerImported(assessment_id=assessment_id, indicator=indicator_id, old=before, new=new, file=source),
        at=at,
    )
    return len(items)


def _write_each(con, actor: Actor, assessment_id: int, indicator_id: str, items: list[ParsedRow],
                old: dict[str, AnswerRow], at, source: str) -> int:  # fmt: skip
    changed = 0
    for item in items:
        previous = old.get(item.subject)
        if previous is not None and previous.value == item.value and previous.count == item.count:
            continue
        writes.put_answer(
            con,
            assessment_id=assessment_id,
            indicator_id=indicator_id,
            subject=Subject.parse(item.subject),
            value=item.value,
            count=item.count,
            actor=actor.username,
            at=at,
        )
        audit.append(
            con,
            actor=actor.username,
            event=AnswerImported(
                assessment_id=assessment_id,
                indicator=indicator_id,
                subject=item.subject,
                old=_shown(previous.value) if previous else None,
                new=_shown(item.value),
                file=source,
            ),
            at=at,
        )
        changed += 1
    return changed
