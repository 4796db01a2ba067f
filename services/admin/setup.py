"""Administration by the Ortala admin: units and their hierarchy, service products, reopening, the users table.

Periods live in services/period_admin.py. Every function checks require_admin first and writes one audit event
with the old and the new value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from assessment.errors import KepatuhanError
from assessment.messages import Phrase
from services.access import Actor, require_admin
from services.audit_events import ProductCreated, ProductRemoved, ProductRenamed, UnitCreated, UnitRenamed
from services.common import NotFound, now
from services.verification import decisions as verification
from store import assessments, audit, periods, units
from store import users as user_store
from store.assessments import AssessmentLabel
from store.db import transaction
from store.models import OrgUnit, Product

KINDS = ("pemda", "opd", "unit")
_RANK = {"pemda": 0, "opd": 1, "unit": 2}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
REOPENABLE = ("submitted", "in_review", "verified")


class AdminError(KepatuhanError):
    """An administration request that cannot be carried out as asked."""


# ---- checks shared with the CSV import ---------------------------------------------------------


def normalize_code(code: str | None) -> str:
    return (code or "").strip().upper()


def code_problem(code: str, what: str = "unit") -> Phrase | None:
    """What is wrong with a unit or product (`what`: unit, produk) code, as a phrase (None when it is fine)."""
    if not code:
        return Phrase("err.part.code_empty", what=Phrase(f"err.part.what.{what}"))
    if not CODE.match(code):
        return Phrase("err.part.code_invalid", what=Phrase(f"err.part.what.{what}"), code=code)
    return None


def placement_problem(kind: str, parent_kind: str | None, parent_code: str = "") -> Phrase | None:
    """Why a unit of this kind cannot sit under that parent (None when it can)."""
    if kind not in KINDS:
        return Phrase("err.part.kind_unknown", kind=kind)
    if kind == "pemda":
        return Phrase("err.part.pemda_top") if parent_kind else None
    if parent_kind is None:
        key = "err.part.needs_parent_or_opd" if kind == "unit" else "err.part.needs_parent"
        return Phrase(key, label=Phrase(f"err.part.kind.{kind}"))
    if _RANK[parent_kind] >= _RANK[kind]:
        return Phrase("err.part.parent_rank", parent=parent_code, parent_kind=parent_kind, kind=kind)
    return None


def _name(name: str, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise AdminError(key="err.admin.name_required", what=Phrase(f"err.part.what.{what}"))
    if len(name) > 120:
        raise AdminError(key="err.admin.name_long", what=Phrase(f"err.part.what.{what}"))
    return name


# ---- units and hierarchy -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitNode:
    """A unit in the hierarchy listing, with its depth and its parent's code."""

    unit: OrgUnit
    depth: int
    parent_code: str | None
    products: int


def unit_tree(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[UnitNode]:
    """Every pemda, OPD and unit in hierarchy order (parent before its children)."""
    require_admin(actor)
    every = units.list_units(con)
    by_id = {u.id: u for u in every}
    kids: dict[int | None, list[OrgUnit]] = {}
    for u in every:
        parent = u.parent_id if u.parent_id in by_id else None
        kids.setdefault(parent, []).append(u)
    out: list[UnitNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in sorted(kids.get(parent, []), key=lambda x: (_RANK[x.kind], x.name)):
            code = by_id[u.parent_id].code if u.parent_id in by_id else None
            out.append(UnitNode(u, depth, code, len(units.products(con, unit_id=u.id)) if u.kind == "unit" else 0))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def _unit(con: duckdb.DuckDBPyConnection, code: str) -> OrgUnit:
    unit = units.unit_by_code(con, code=normalize_code(code))
    if unit is None:
        raise NotFound(key="err.unit.not_found", code=code)
    return unit


def add_unit(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    kind: str,
    code: str,
    name: str,
    parent_code: str | None = None,
    unit_type: str | None = None,
) -> int:
    require_admin(actor)
    code = normalize_code(code)
    problem = code_problem(code)
    if problem:
        raise AdminError(key="err.admin.problem", problem=problem.sentence())
    name = _name(name, "unit")
    parent = _unit(con, parent_code) if normalize_code(parent_code) else None
    problem = placement_problem(kind, parent.kind if parent else None, parent.code if parent else "")
    if problem:
        raise AdminError(key="err.admin.problem", problem=problem.sentence())
    unit_type = (unit_type or "").strip() or None
    with transaction(con):
        if units.unit_by_code(con, code=code):
            raise AdminError(key="err.unit.code_taken", code=code)
        unit_id = units.add_unit(
            con, kind=kind, code=code, name=name, parent_id=parent.id if parent else None, unit_type=unit_type
        )
        audit.append(
            con,
            actor=actor.username,
            event=UnitCreated(code=code, kind=kind, old=None, new=name, parent=parent.code if parent else None),
            at=now(),
        )
    return unit_id


def rename_unit(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, code: str, name: str, unit_type: str | None = None
) -> None:
    require_admin(actor)
    unit = _unit(con, code)
    name = _name(name, "unit")
    unit_type = (unit_type or "").strip() or None
    if name == unit.name and unit_type == unit.unit_type:
        return
    with transaction(con):
        units.rename_unit(con, unit_id=unit.id, name=name, unit_type=unit_type)
        audit.append(
            con,
            actor=actor.username,
            event=UnitRenamed(
                code=unit.code,
                old={"name": unit.name, "unit_type": unit.unit_type},
                new={"name": name, "unit_type": unit_type},
            ),
            at=now(),
        )


# ---- service products --------------------------------------------------------------------------


def list_products(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_code: str) -> list[Product]:
    require_admin(actor)
    return units.products(con, unit_id=_unit(con, unit_code).id)


def _service_unit(con: duckdb.DuckDBPyConnection, unit_code: str) -> OrgUnit:
    unit = _unit(con, unit_code)
    if unit.kind != "unit":
        raise AdminError(key="err.admin.products_only_units", code=unit.code, kind=unit.kind)
    return unit


def _product(con: duckdb.DuckDBPyConnection, unit: OrgUnit, code: str) -> Product:
    product = units.product_by_code(con, unit_id=unit.id, code=normalize_code(code))
    if product is None:
        raise NotFound(key="err.product.not_found", code=code, unit=unit.name)
    return product


def _refuse_if_answered(con: duckdb.DuckDBPyConnection, unit: OrgUnit, product: Product, doing: str) -> None:
    answered = units.product_answer_count(con, unit_id=unit.id, code=product.code)
    if answered:
        raise AdminError(
            key="err.admin.product_answered", product=product.name, n=answered, doing=Phrase(f"err.part.doing.{doing}")
        )


def add_product(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_code: str, code: str, name: str) -> int:
    """A new product counts as unanswered in the unit's open assessments, so it cannot join a frozen one."""
    require_admin(actor)
    unit = _service_unit(con, unit_code)
    code = normalize_code(code)
    problem = code_problem(code, "produk")
    if problem:
        raise AdminError(key="err.admin.problem", problem=problem.sentence())
    name = _name(name, "produk")
    open_ids = {p.id for p in periods.list_periods(con) if p.status == "open"}
    frozen = [a for a in assessments.list_for_unit(con, unit_id=unit.id) if a.period_id in open_ids and not a.editable]
    if frozen:
        raise AdminError(key="err.admin.product_frozen", unit=unit.name)
    with transaction(con):
        if units.product_by_code(con, unit_id=unit.id, code=code):
            raise AdminError(key="err.product.code_taken", code=code, unit=unit.name)
        product_id = units.add_product(con, unit_id=unit.id, code=code, name=name)
        audit.append(
            con, actor=actor.username, event=ProductCreated(unit=unit.code, product=code, old=None, new=name), at=now()
        )
    return product_id


def rename_product(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_code: str, code: str, name: str) -> None:
    require_admin(actor)
    unit = _service_unit(con, unit_code)
    product = _product(con, unit, code)
    name = _name(name, "produk")
    if name == product.name:
        return
    _refuse_if_answered(con, unit, product, "rename")
    with transaction(con):
        units.rename_product(con, product_id=product.id, name=name)
        audit.append(
            con,
            actor=actor.username,
            event=ProductRenamed(unit=unit.code, product=product.code, old=product.name, new=name),
            at=now(),
        )


def remove_product(con: duckdb.DuckDBPyConnection, actor: Actor, *, unit_code: str, code: str) -> None:
    require_admin(actor)
    unit = _service_unit(con, unit_code)
    product = _product(con, unit, code)
    _refuse_if_answered(con, unit, product, "remove")
    with transaction(con):
        units.remove_product(con, product_id=product.id)
        audit.append(
            con,
            actor=actor.username,
            event=ProductRemoved(unit=unit.code, product=product.code, old=product.name, new=None),
            at=now(),
        )


# ---- reopening a submitted assessment ----------------------------------------------------------


def reopenable(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[AssessmentLabel]:
    """Assessments that are submitted, in review or verified: the ones an admin may reopen."""
    require_admin(actor)
    return assessments.labelled(con, statuses=REOPENABLE)


def reopen_assessment(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int, reason: str) -> None:
    """Give a frozen assessment back to its unit, with the reason in the audit trail (verification's reopen
    does the transition); refused while its period is closed, since the unit could not change anything then."""
    require_admin(actor)
    row = assessments.get(con, assessment_id=assessment_id)
    if row is None:
        raise NotFound(key="err.assessment.not_found")
    period = periods.get_period(con, period_id=row.period_id)
    if period is not None and period.status != "open" and row.status in REOPENABLE:
        raise AdminError(key="err.admin.reopen_closed_period", period=period.name)
    verification.reopen(con, actor, assessment_id=assessment_id, reason=reason)


# ---- users, as the admin's table shows them -----------------------------------------------------


@dataclass(frozen=True)
class UserLine:
    """A user without the password hash: role, unit and verifier units by code, lock state."""

    username: str
    display_name: str
    role: str
    unit_code: str | None
    verifies: tuple[str, ...]
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None


def user_lines(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[UserLine]:
    require_admin(actor)
    codes = {u.id: u.code for u in units.list_units(con)}
    out = []
    for user in user_store.list_all(con):
        verifies = user_store.verifier_units(con, user_id=user.id) if user.role == "verifier" else frozenset()
        out.append(
            UserLine(
                username=user.username,
                display_name=user.display_name,
                role=user.role,
                unit_code=codes.get(user.unit_id) if user.unit_id else None,
                verifies=tuple(sorted(codes[i] for i in verifies if i in codes)),
                active=user.active,
                failed_logins=user.failed_logins,
                locked_until=user.locked_until,
            )
        )
    return out
