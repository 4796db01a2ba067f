"""Public links (one per unit, optionally per product or counter), kiosks and service populations.

Admins manage every unit; a unit head manages the links of their own unit. Every change is audited.
A link's code is short and typable (no 0/O, 1/I/L); the public URL is KEPATUHAN_PUBLIC_URL + ?s=CODE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets

import duckdb

from services.access import Actor, require_admin, require_manage_surveys, require_read
from services.audit_events import (
    SurveyKioskAdded,
    SurveyKioskStatus,
    SurveyLinkCreated,
    SurveyLinkStatus,
    SurveyPopulation,
)
from services.common import now
from services.surveys.definitions import pin_survey
from services.surveys.errors import SurveyAdminError
from store import audit, periods, units
from store import surveys as store
from store.db import transaction
from store.models import Product
from store.surveys import Kiosk, SurveyLink

__all__ = ["Kiosk", "SurveyLink"]

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PUBLIC_PARAM = "s"
KIOSK_PARAM = "kios"
MAX_POPULATION = 10_000_000


def public_base() -> str:
    return (os.environ.get("KEPATUHAN_PUBLIC_URL") or "http://localhost:8501").rstrip("/")


def public_url(code: str) -> str:
    return f"{public_base()}/?{PUBLIC_PARAM}={code}"


def normalise_code(text: str) -> str:
    """What a person typed → a code: case, spaces and dashes forgiven (codes hold no 0/O, 1/I/L to confuse)."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())[:16]


def _new_code(con: duckdb.DuckDBPyConnection) -> str:
    for _ in range(50):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if store.link_by_code(con, code=code) is None:
            return code
    raise SurveyAdminError(key="err.survey.no_code")


def create_link(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_id: int,
    unit_id: int,
    survey_id: str,
    product_code: str | None = None,
    counter: str | None = None,
) -> SurveyLink:
    """A new public link; the period pins the survey's text now if it had not yet."""
    require_manage_surveys(actor, unit_id)
    period = periods.get_period(con, period_id=period_id)
    unit = units.get_unit(con, unit_id=unit_id)
    if period is None or unit is None or unit.kind != "unit":
        raise SurveyAdminError(key="err.survey.period_unit")
    if period.status != "open":
        raise SurveyAdminError(key="err.survey.period_closed", period=period.name)
    product_code = (product_code or "").strip() or None
    if product_code and units.product_by_code(con, unit_id=unit_id, code=product_code) is None:
        raise SurveyAdminError(key="err.survey.product", product=product_code, unit=unit.code)
    counter = (counter or "").strip()[:60] or None
    at = now()
    with transaction(con):
        survey = pin_survey(con, period_id=period_id, survey_id=survey_id)
        code = _new_code(con)
        link_id = store.add_link(
            con,
            code=code,
            period_id=period_id,
            unit_id=unit_id,
            survey_id=survey.id,
            product_code=product_code,
            counter=counter,
            actor=actor.username,
            at=at,
        )
        audit.append(
            con,
            actor=actor.username,
            event=SurveyLinkCreated(
                unit=unit.code, period=period.name, survey=survey.id, code=code, product=product_code, counter=counter
            ),
            at=at,
        )
    link = store.link_by_id(con, link_id=link_id)
    assert link is not None
    return link


def links_for(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    unit_id: int,
    period_id: int | None = None,
) -> list[SurveyLink]:
    require_read(actor, unit_id)
    return store.links(con, unit_id=unit_id, period_id=period_id)


def unit_products(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_id: int) -> list[Product]:
    require_read(actor, unit_id)
    return units.products(con, unit_id=unit_id)


def latest_link(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_code: str, survey_id: str | None = None
) -> SurveyLink | None:
    """The newest open link of a unit (latest period first), for the CLI and the unit's page."""
    unit = units.unit_by_code(con, code=unit_code)
    if unit is None:
        raise SurveyAdminError(key="err.survey.unit_code", code=unit_code)
    require_read(actor, unit.id)
    for link in store.links(con, unit_id=unit.id):
        if link.status == "open" and (survey_id is None or link.survey_id == survey_id):
            return link
    return None


def set_link_open(con: duckdb.DuckDBPyConnection, actor: Actor, *, link_id: int, open_: bool) -> None:
    link = store.link_by_id(con, link_id=link_id)
    if link is None:
        raise SurveyAdminError(key="err.survey.link_not_found")
    require_manage_surveys(actor, link.unit_id)
    status = "open" if open_ else "closed"
    at = now()
    with transaction(con):
        store.set_link_status(con, link_id=link_id, status=status)
        audit.append(
            con, actor=actor.username, event=SurveyLinkStatus(code=link.code, old=link.status, new=status), at=at
        )


def set_population(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int, survey_id: str, population: int
) -> None:
    """The unit's service population for the period (the admin enters it; the minimum sample follows)."""
    require_admin(actor)
    if not isinstance(population, int) or not 1 <= population <= MAX_POPULATION:
        raise SurveyAdminError(key="err.survey.population", max=f"{MAX_POPULATION:,}".replace(",", "."))
    at = now()
    with transaction(con):
        old = store.set_population(
            con,
            period_id=period_id,
            unit_id=unit_id,
            survey_id=survey_id,
            population=population,
            actor=actor.username,
            at=at,
        )
        audit.append(
            con,
            actor=actor.username,
            event=SurveyPopulation(unit_id=unit_id, period_id=period_id, survey=survey_id, old=old, new=population),
            at=at,
        )


# ---- kiosks: a shared device at the counter, allowed to send many answers a day ------------------------------


def kiosk_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_kiosk(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_id: int, label: str) -> str:
    """Register a kiosk; returns the secret token once (opened on that device via the kiosk link)."""
    require_admin(actor)
    label = label.strip()[:60]
    if not label:
        raise SurveyAdminError(key="err.survey.kiosk_name")
    if units.get_unit(con, unit_id=unit_id) is None:
        raise SurveyAdminError(key="err.unit.not_found_plain")
    token = secrets.token_urlsafe(24)
    at = now()
    with transaction(con):
        store.add_kiosk(con, token_sha256=kiosk_hash(token), unit_id=unit_id, label=label, actor=actor.username, at=at)
        audit.append(con, actor=actor.username, event=SurveyKioskAdded(unit_id=unit_id, label=label), at=at)
    return token


def kiosk_url(code: str, token: str) -> str:
    return f"{public_url(code)}&{KIOSK_PARAM}={token}"


def list_kiosks(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_id: int | None = None) -> list[Kiosk]:
    require_admin(actor)
    return store.kiosks(con, unit_id=unit_id)


def set_kiosk_active(con: duckdb.DuckDBPyConnection, actor: Actor, *, token_sha256: str, active: bool) -> None:
    require_admin(actor)
    found = store.kiosk(con, token_sha256=token_sha256)
    if found is None:
        raise SurveyAdminError(key="err.survey.kiosk_not_found")
    at = now()
    with transaction(con):
        store.set_kiosk_active(con, token_sha256=token_sha256, active=active)
        audit.append(
            con,
            actor=actor.username,
            event=SurveyKioskStatus(label=found.label, unit_id=found.unit_id, active=active),
            at=at,
        )


def today() -> dt.date:
    return now().date()
