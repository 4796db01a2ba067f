"""Survey results per unit and period, as PermenPANRB 14/2017 computes them; review of held answers.

Only accepted answers count. Held (suspicious) answers wait for an admin, whose every decision is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from assessment.skm import SkmResult, skm_result
from assessment.survey_defs import Survey
from services.access import Actor, require_admin, require_read
from services.audit_events import SurveyResponseDecided
from services.common import now
from services.surveys.definitions import pinned_survey
from services.surveys.errors import SurveyAdminError
from store import audit, periods, units
from store import surveys as store
from store.models import OrgUnit, Period
from store.surveys import ResponseRow

MIN_GROUP = 5  # a breakdown group smaller than this is shown without its index (too few to mean anything)


@dataclass(frozen=True)
class Breakdown:
    field: str  # "produk" or a profile field id
    title: str
    groups: tuple[tuple[str, SkmResult], ...]


@dataclass(frozen=True)
class Suggestion:
    response_id: int
    at: str
    product: str | None
    text: str
    contact: str  # shown only to staff who may read the unit; never in the anonymised CSV


@dataclass(frozen=True)
class UnitResults:
    period: Period
    unit: OrgUnit
    survey: Survey
    result: SkmResult
    held: int
    rejected: int
    breakdowns: tuple[Breakdown, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def sample_warning(self) -> str | None:
        r = self.result
        if r.min_sample is None:
            return "Populasi layanan belum diisi admin, sehingga sampel minimum belum dapat dihitung."
        if r.n < r.min_sample:
            return (
                f"Responden baru {r.n} dari sampel minimum {r.min_sample} (populasi {r.population}); "
                "hasil belum memenuhi PermenPANRB 14/2017."
            )
        return None


def _load(
    con: duckdb.DuckDBPyConnection, period_id: int, unit_id: int, survey_id: str
) -> tuple[Period, OrgUnit, Survey]:
    period = periods.get_period(con, period_id=period_id)
    unit = units.get_unit(con, unit_id=unit_id)
    survey = pinned_survey(con, period_id=period_id, survey_id=survey_id)
    if period is None or unit is None:
        raise SurveyAdminError(key="err.survey.period_unit_missing")
    if survey is None:
        raise SurveyAdminError(key="err.survey.period_not_pinned", period=period.name, survey=survey_id)
    return period, unit, survey


def unit_results(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int, survey_id: str
) -> UnitResults:
    require_read(actor, unit_id)
    period, unit, survey = _load(con, period_id, unit_id, survey_id)
    rows = store.responses(con, period_id=period_id, unit_id=unit_id, survey_id=survey_id)
    accepted = [r for r in rows if r.status == "accepted"]
    population = store.population_of(con, period_id=period_id, unit_id=unit_id, survey_id=survey_id)
    product_names = {p.code: p.name for p in units.products(con, unit_id=unit_id)}
    return UnitResults(
        period=period,
        unit=unit,
        survey=survey,
        result=skm_result(survey, [r.answers for r in accepted], population),
        held=sum(r.status == "suspicious" for r in rows),
        rejected=sum(r.status == "rejected" for r in rows),
        breakdowns=_breakdowns(survey, accepted, product_names),
        suggestions=tuple(
            Suggestion(
                r.id,
                r.submitted_at.strftime("%Y-%m-%d"),
                product_names.get(r.product_code or ""),
                r.suggestion,
                r.contact,
            )
            for r in accepted
            if r.suggestion or r.contact
        ),
    )


def _breakdowns(survey: Survey, rows: list[ResponseRow], product_names: dict[str, str]) -> tuple[Breakdown, ...]:
    out = []
    by_product: dict[str, list[ResponseRow]] = defaultdict(list)
    for r in rows:
        by_product[product_names.get(r.product_code or "", "(semua layanan)")].append(r)
    if len(by_product) > 1 or any(r.product_code for r in rows):
        out.append(Breakdown("produk", "Produk layanan", _groups(survey, by_product)))
    for field in survey.profile:
        groups: dict[str, list[ResponseRow]] = {o.id: [] for o in field.options}
        for r in rows:
            groups.setdefault(r.profile.get(field.id) or "(tidak diisi)", []).append(r)
        out.append(Breakdown(field.id, field.text.id, _groups(survey, groups)))
    return tuple(out)


def _groups(survey: Survey, groups: dict[str, list[ResponseRow]]) -> tuple[tuple[str, SkmResult], ...]:
    return tuple((name, skm_result(survey, [r.answers for r in rows])) for name, rows in groups.items() if rows)


def accepted_answers(
    con: duckdb.DuckDBPyConnection, *, period_id: int, unit_id: int, survey_id: str
) -> list[dict[str, int]]:
    return [
        r.answers
        for r in store.responses(con, period_id=period_id, unit_id=unit_id, survey_id=survey_id, status="accepted")
    ]


# ---- held answers ---------------------------------------------------------------------------------------------

FLAG_LABELS = {
    "honeypot": "kolom jebakan terisi (kemungkinan robot)",
    "terlalu-cepat": "diisi lebih cepat dari waktu minimum",
    "banyak-dari-jaringan-sama": "banyak jawaban dari jaringan yang sama dalam 10 menit",
}


def held_responses(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int) -> list[ResponseRow]:
    require_admin(actor)
    return store.responses(con, period_id=period_id, status="suspicious")


def decide(con: duckdb.DuckDBPyConnection, actor: Actor, *, response_id: int, accept: bool, note: str = "") -> None:
    """An admin keeps a held answer (it counts from now on) or rejects it (kept, never counted). Audited."""
    require_admin(actor)
    row = store.response_by_id(con, response_id=response_id)
    if row is None:
        raise SurveyAdminError(key="err.survey.response_not_found")
    if row.status != "suspicious":
        raise SurveyAdminError(key="err.survey.response_decided")
    from store.db import transaction

    status = "accepted" if accept else "rejected"
    at = now()
    with transaction(con):
        store.decide(con, response_id=response_id, status=status, actor=actor.username, at=at)
        audit.append(
            con,
            actor=actor.username,
            event=SurveyResponseDecided(
                response=response_id,
                unit_id=row.unit_id,
                survey=row.survey_id,
                flags=row.flags,
                old=row.status,
                new=status,
                note=note.strip()[:300],
            ),
            at=at,
        )
