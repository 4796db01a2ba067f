"""Periods, administered by the Ortala admin: name, year, the pinned criteria text, dates, open/closed.

Every function checks require_admin first and writes one audit event with the old and the new value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from assessment import load_criteria
from assessment.errors import KepatuhanError
from assessment.messages import Phrase
from services.access import Actor, require_admin
from services.admin.setup import AdminError
from services.audit_events import PeriodCreated, PeriodStatus
from services.catalog import DEFAULT_CRITERIA, criteria_files, register_file
from services.common import NotFound, now
from store import audit, criteria_sets, periods
from store.db import transaction
from store.models import Period


@dataclass(frozen=True)
class CriteriaChoice:
    file_name: str
    label: str


def criteria_choices(actor: Actor) -> list[CriteriaChoice]:
    """The criteria files shipped in criteria/ that a new period can pin, the default one first."""
    require_admin(actor)
    out = []
    for path in sorted(criteria_files(), key=lambda p: (p.name != DEFAULT_CRITERIA, p.name)):
        try:
            criteria = load_criteria(path)
        except KepatuhanError:  # a broken file is reported by `kepatuhan validate`; it cannot be pinned
            continue
        out.append(CriteriaChoice(path.name, f"{criteria.title} ({criteria.id} versi {criteria.version})"))
    return out


def list_periods(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[Period]:
    require_admin(actor)
    return periods.list_periods(con)


def period_problems(
    *,
    name: str,
    year: int,
    opens: dt.date | None,
    closes: dt.date | None,
    visit_from: dt.date | None,
    visit_to: dt.date | None,
) -> list[Phrase]:
    out = []
    if not name.strip():
        out.append(Phrase("err.period.p.name"))
    if not 2000 <= year <= 2100:
        out.append(Phrase("err.period.p.year"))
    if opens is None or closes is None:
        out.append(Phrase("err.period.p.dates"))
    elif opens > closes:
        out.append(Phrase("err.period.p.order"))
    if (visit_from is None) != (visit_to is None):
        out.append(Phrase("err.period.p.visit_both"))
    elif visit_from and visit_to:
        if visit_from > visit_to:
            out.append(Phrase("err.period.p.visit_order"))
        if visit_from.year != year or visit_to.year != year:
            out.append(Phrase("err.period.p.visit_year", year=year))
    return out


def add_period(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    name: str,
    year: int,
    criteria_file: str,
    opens: dt.date | None,
    closes: dt.date | None,
    visit_from: dt.date | None = None,
    visit_to: dt.date | None = None,
) -> int:
    """A new open period pinning the exact text of one shipped criteria file (by sha256)."""
    require_admin(actor)
    name = " ".join(name.split())
    problems = period_problems(
        name=name, year=year, opens=opens, closes=closes, visit_from=visit_from, visit_to=visit_to
    )
    if problems:
        raise AdminError(key="err.admin.problem", problem=tuple(problems))
    path = next((p for p in criteria_files() if p.name == criteria_file), None)
    if path is None:
        known = ", ".join(p.name for p in criteria_files())
        raise AdminError(key="err.admin.criteria_file", file=criteria_file, known=known)
    with transaction(con):
        if periods.period_by_name(con, name=name):
            raise AdminError(key="err.period.name_taken", name=name)
        sha = register_file(con, path)
        period_id = periods.add_period(
            con,
            name=name,
            year=year,
            criteria_sha256=sha,
            opens=opens,
            closes=closes,
            visit_from=visit_from,
            visit_to=visit_to,
        )
        audit.append(
            con,
            actor=actor.username,
            event=PeriodCreated(
                period=name,
                old=None,
                new={"year": year, "criteria": path.name, "sha256": sha, "opens": opens, "closes": closes},
                visit=[visit_from, visit_to],
            ),
            at=now(),
        )
    return period_id


def set_period_status(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, status: str) -> None:
    """Close a period (answers can no longer change) or open it again."""
    require_admin(actor)
    if status not in ("open", "closed"):
        raise AdminError(key="err.period.status")
    period = periods.get_period(con, period_id=period_id)
    if period is None:
        raise NotFound(key="err.period.not_found")
    if period.status == status:
        return
    with transaction(con):
        periods.set_status(con, period_id=period_id, status=status)
        audit.append(
            con, actor=actor.username, event=PeriodStatus(period=period.name, old=period.status, new=status), at=now()
        )


@dataclass(frozen=True)
class PeriodLine:
    period: Period
    criteria_label: str  # id, version and the first characters of the pinned sha256


def period_lines(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[PeriodLine]:
    require_admin(actor)
    out = []
    for p in periods.list_periods(con):
        cs = criteria_sets.get(con, sha256=p.criteria_sha256)
        label = f"{cs.id} versi {cs.version}" if cs else "?"
        out.append(PeriodLine(p, f"{label} · sha256 {p.criteria_sha256[:12]}…"))
    return out
