"""The append-only audit trail. This module only inserts and reads; nothing updates or deletes an event.

An event is written from a typed value: a subclass of `Event` whose fields are the payload and whose
`name` is what the row stores (the kinds the services record are in services/audit_events.py). The
table keeps the name and the payload as JSON, so rows written before the types existed read the same.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from store.models import AssessmentEvent, AuditEvent, Event


def append(con: duckdb.DuckDBPyConnection, *, actor: str, event: Event, at: dt.datetime) -> int:
    """Record one event; returns its id. The caller owns the transaction."""
    if not isinstance(event, Event) or not getattr(type(event), "name", ""):
        raise TypeError(f"an audit event is a typed Event with a name, not {event!r}")
    assessment_id = event.assessment_id if isinstance(event, AssessmentEvent) else None
    row = con.execute(
        'INSERT INTO audit_events ("at", actor, event, assessment_id, payload) VALUES (?, ?, ?, ?, ?) RETURNING id',
        [at, actor, event.name, assessment_id, json.dumps(event.payload(), ensure_ascii=False, default=str)],
    ).fetchone()
    return int(row[0])


def events(
    con: duckdb.DuckDBPyConnection,
    *,
    assessment_id: int | None = None,
    actor: str | None = None,
    event: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 1000,
) -> list[AuditEvent]:
    """Newest first. since is inclusive, until exclusive."""
    clauses, params = [], []
    if since is not None:
        clauses.append('"at" >= ?')
        params.append(since)
    if until is not None:
        clauses.append('"at" < ?')
        params.append(until)
    if assessment_id is not None:
        clauses.append("assessment_id = ?")
        params.append(assessment_id)
    if actor is not None:
        clauses.append("actor = ?")
        params.append(actor)
    if event is not None:
        clauses.append("event = ?")
        params.append(event)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    cur = con.execute(
        f'SELECT id, "at", actor, event, assessment_id, payload FROM audit_events {where} ORDER BY id DESC LIMIT ?',
        [*params, limit],
    )
    out = []
    for row in cur.fetchall():
        out.append(
            AuditEvent(
                id=row[0], at=row[1], actor=row[2], event=row[3], assessment_id=row[4], payload=json.loads(row[5])
            )
        )
    return out


def event_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT event FROM audit_events ORDER BY event").fetchall()]


def actor_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT actor FROM audit_events ORDER BY actor").fetchall()]


def count_events(con: duckdb.DuckDBPyConnection, *, event: type[Event], assessment_ids: list[int]) -> dict[int, int]:
    """How many times a kind of event was recorded per assessment (assessments without one are left out)."""
    if not assessment_ids:
        return {}
    rows = con.execute(
        "SELECT assessment_id, count(*) FROM audit_events WHERE event = ? AND assessment_id IN "
        f"({', '.join('?' for _ in assessment_ids)}) GROUP BY assessment_id",
        [event.name, *assessment_ids],
    ).fetchall()
    return {int(a): int(n) for a, n in rows}
