"""Readiness for the Ombudsman's visit window: what is still open per unit and for the region.

Evidence validity: a file whose indicator's criteria give `evidence.valid_months` expires that many months
after its date (the effective date, else the upload date). It is judged on the day the visit window opens
when that is still ahead (the file must be valid when the Ombudsman looks), otherwise today.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import duckdb

from assessment import Criteria, Report
from services.access import Actor, require_read
from services.answering.assessing import load_view
from services.answering.results import missing_evidence, score_view
from services.common import NotFound, today
from services.region.data import resolve_period, score_period
from store import assessments, units
from store import followup_actions as action_store
from store import region as region_store
from store.models import EvidenceRecord, Period


@dataclass(frozen=True)
class VisitWindow:
    starts: dt.date | None
    ends: dt.date | None
    days_until: int | None  # days until the window opens; 0 while it is open; None when not set or past
    state: str  # 'belum_diatur' | 'akan_datang' | 'berlangsung' | 'selesai'


@dataclass(frozen=True)
class ExpiredEvidence:
    indicator: str
    file_name: str
    sha256: str
    dated: dt.date
    expired_on: dt.date


@dataclass(frozen=True)
class UnitReadiness:
    period_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    window: VisitWindow
    status: str  # assessment status, or 'belum_mulai'
    unanswered: tuple[str, ...]
    missing_evidence: tuple[str, ...]
    expired_evidence: tuple[ExpiredEvidence, ...]
    open_actions: int
    overdue_actions: int
    last_verification: dt.datetime | None
    total: float | None
    band: str | None

    @property
    def ready(self) -> bool:
        return not (self.unanswered or self.missing_evidence or self.expired_evidence or self.overdue_actions)

    def as_dict(self) -> dict:
        return {
            "periode": self.period_name,
            "unit": self.unit_code,
            "nama": self.unit_name,
            "status": self.status,
            "nilai": self.total,
            "kategori": self.band,
            "hari_menuju_kunjungan": self.window.days_until,
            "jendela_kunjungan": {"mulai": _iso(self.window.starts), "selesai": _iso(self.window.ends),
                                  "keadaan": self.window.state},  # fmt: skip
            "belum_dijawab": list(self.unanswered),
            "bukti_kurang": list(self.missing_evidence),
            "bukti_kedaluwarsa": [
                {"indikator": e.indicator, "berkas": e.file_name, "sha256": e.sha256, "tanggal": e.dated.isoformat(),
                 "kedaluwarsa": e.expired_on.isoformat()} for e in self.expired_evidence
            ],  # fmt: skip
            "tindakan_terbuka": self.open_actions,
            "tindakan_lewat_tenggat": self.overdue_actions,
            "verifikasi_terakhir": self.last_verification.isoformat(sep=" ", timespec="minutes")
            if self.last_verification else None,
            "siap": self.ready,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def visit_window(period: Period, day: dt.date | None = None) -> VisitWindow:
    day = day or today()
    if period.visit_from is None:
        return VisitWindow(None, period.visit_to, None, "belum_diatur")
    end = period.visit_to or period.visit_from
    if day < period.visit_from:
        return VisitWindow(period.visit_from, end, (period.visit_from - day).days, "akan_datang")
    if day <= end:
        return VisitWindow(period.visit_from, end, 0, "berlangsung")
    return VisitWindow(period.visit_from, end, None, "selesai")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_date(period: Period, day: dt.date | None = None) -> dt.date:
    """The day evidence must still be valid on: the visit window's start while it is ahead, else today."""
    day = day or today()
    return period.visit_from if period.visit_from and period.visit_from > day else day


def expired_evidence(
    criteria: Criteria, records: list[EvidenceRecord], on: dt.date
) -> list[ExpiredEvidence]:
    """Files past their validity on `on`, for indicators with no valid file left (a renewed decree clears it)."""
    indicators = criteria.indicators_by_id()
    by_indicator: dict[str, list[tuple[EvidenceRecord, dt.date]]] = {}
    for rec in records:
        ind = indicators.get(rec.indicator_id)
        if rec.removed_at is not None or ind is None or ind.evidence is None or not ind.evidence.valid_months:
            continue
        dated = rec.effective_date or rec.uploaded_at.date()
        by_indicator.setdefault(rec.indicator_id, []).append((rec, dated))
    out = []
    for ind_id, files in by_indicator.items():
        months = indicators[ind_id].evidence.valid_months
        expiry = [(rec, dated, add_months(dated, months)) for rec, dated in files]
        if any(until >= on for _, _, until in expiry):
            continue
        out += [ExpiredEvidence(ind_id, rec.file_name, rec.sha256, dated, until) for rec, dated, until in expiry]
    return sorted(out, key=lambda e: (e.indicator, e.dated))


def _unanswered(report: Report) -> tuple[str, ...]:
    return tuple(r.id for r in report.indicators if r.status in ("belum", "sebagian"))


def _actions(con, period_id: int, unit_id: int, day: dt.date) -> tuple[int, int]:
    rows = action_store.for_period(con, period_id=period_id, unit_ids=[unit_id])
    return sum(a.is_open for a in rows), sum(a.overdue(day) for a in rows)


def unit_readiness(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int | None = None, unit_id: int
) -> UnitReadiness:
    require_read(actor, unit_id)
    period = resolve_period(con, period_id=period_id)
    unit = units.get_unit(con, unit_id=unit_id)
    if unit is None or unit.kind != "unit":
        raise NotFound(key="err.unit.service_not_found")
    day = today()
    row = assessments.find(con, period_id=period.id, unit_id=unit_id)
    open_n, overdue_n = _actions(con, period.id, unit_id, day)
    if row is None:
        from services.catalog import criteria_for

        criteria = criteria_for(con, period.criteria_sha256)
        return UnitReadiness(
            period.name, unit.id, unit.code, unit.name, visit_window(period, day), "belum_mulai",
            tuple(i.id for d in criteria.dimensions for i in d.indicators), (), (), open_n, overdue_n, None, None, None,
        )  # fmt: skip
    view = load_view(con, actor, assessment_id=row.id)
    report = score_view(view)
    records = [e for rows in view.evidence.values() for e in rows]
    return UnitReadiness(
        period_name=period.name, unit_id=unit.id, unit_code=unit.code, unit_name=unit.name,
        window=visit_window(period, day), status=row.status, unanswered=_unanswered(report),
        missing_evidence=tuple(missing_evidence(view, report)),
        expired_evidence=tuple(expired_evidence(view.criteria, records, check_date(period, day))),
        open_actions=open_n, overdue_actions=overdue_n, last_verification=row.verified_at,
        total=report.total if report.answered else None, band=report.band.code if report.answered else None,
    )  # fmt: skip


def unit_readiness_by_code(con: duckdb.DuckDBPyConnection, actor: Actor, *, code: str, period_id: int | None = None):
    unit = units.unit_by_code(con, code=code.strip())
    if unit is None or unit.kind != "unit":
        raise NotFound(key="err.unit.code_not_found_menu", code=code)
    return unit_readiness(con, actor, period_id=period_id, unit_id=unit.id)


@dataclass(frozen=True)
class RegionReadiness:
    period_name: str
    window: VisitWindow
    units: tuple[UnitReadiness, ...]

    @property
    def ready_units(self) -> int:
        return sum(u.ready for u in self.units)


def region_readiness(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int | None = None) -> RegionReadiness:
    """Every unit of the actor's region scope, from bulk reads of the period (no per-unit queries)."""
    period = resolve_period(con, period_id=period_id)
    scores = score_period(con, actor, period_id=period.id)
    day = today()
    on = check_date(period, day)
    evidence = region_store.period_evidence(con, period_id=period.id)
    actions = action_store.for_period(con, period_id=period.id, unit_ids=[u.unit.id for u in scores.units])
    out = []
    criteria = scores.criteria
    all_ids = tuple(i.id for d in criteria.dimensions for i in d.indicators)
    for u in scores.units:
        mine = [a for a in actions if a.unit_id == u.unit.id]
        records = evidence.get(u.assessment.id, []) if u.assessment else []
        attached = {e.indicator_id for e in records}
        report = u.report
        missing = tuple(r.id for r in report.indicators if r.evidence_required and r.id not in attached) if report \
            else ()  # fmt: skip
        out.append(
            UnitReadiness(
                period_name=period.name, unit_id=u.unit.id, unit_code=u.unit.code, unit_name=u.unit.name,
                window=visit_window(period, day), status=u.assessment.status if u.assessment else "belum_mulai",
                unanswered=_unanswered(report) if report else all_ids, missing_evidence=missing,
                expired_evidence=tuple(expired_evidence(criteria, records, on)),
                open_actions=sum(a.is_open for a in mine), overdue_actions=sum(a.overdue(day) for a in mine),
                last_verification=u.assessment.verified_at if u.assessment else None,
                total=report.total if report else None, band=report.band.code if report else None,
            )
        )  # fmt: skip
    return RegionReadiness(period.name, visit_window(period, day), tuple(out))
