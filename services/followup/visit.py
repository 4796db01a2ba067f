"""The admin sets (or moves) a period's visit window; the countdown and evidence validity follow it."""

from __future__ import annotations

import datetime as dt

import duckdb

from services.access import Actor, require_admin
from services.audit_events import FollowupVisitWindowSet
from services.common import now
from services.followup.common import FollowupError
from services.region.data import resolve_period
from store import audit, periods
from store.db import transaction


def set_visit_window(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, starts: dt.date | None, ends: dt.date | None
) -> None:
    require_admin(actor)
    period = resolve_period(con, period_id=period_id)
    if (starts is None) != (ends is None):
        raise FollowupError(key="err.visit.both_dates")
    if starts and ends and starts > ends:
        raise FollowupError(key="err.visit.order")
    if starts and ends and (ends - starts).days > 366:
        raise FollowupError(key="err.visit.too_long")
    with transaction(con):
        periods.set_dates(con, period_id=period.id, opens=period.opens, closes=period.closes, visit_from=starts,
                          visit_to=ends)  # fmt: skip
        audit.append(
            con,
            actor=actor.username,
            event=FollowupVisitWindowSet(
                period=period.name,
                old=[str(period.visit_from or ""), str(period.visit_to or "")],
                new=[str(starts or ""), str(ends or "")],
            ),
            at=now(),
        )
