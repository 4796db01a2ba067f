"""Who is acting and what they may do: every `can_…` and `require_…` rule of the services lives here.

Every service takes an Actor and calls one of these rules before it reads or writes."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.errors import KepatuhanError


class AccessDenied(KepatuhanError):
    """The actor's role or unit scope does not allow this."""


@dataclass(frozen=True)
class Actor:
    username: str
    role: str  # admin | verifier | unit_head | viewer | system
    unit_id: int | None = None
    verifier_units: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "system")

    def can_read_unit(self, unit_id: int) -> bool:
        if self.role in ("admin", "system", "viewer"):
            return True
        if self.role == "verifier":
            return unit_id in self.verifier_units
        return self.role == "unit_head" and self.unit_id == unit_id

    def can_answer_for(self, unit_id: int) -> bool:
        if self.role in ("admin", "system"):
            return True
        return self.role == "unit_head" and self.unit_id == unit_id


SYSTEM = Actor(username="sistem", role="system")


def require_read(actor: Actor, unit_id: int) -> None:
    if not actor.can_read_unit(unit_id):
        raise AccessDenied(key="err.access.read_unit")


def require_answer(actor: Actor, unit_id: int) -> None:
    if not actor.can_answer_for(unit_id):
        raise AccessDenied(key="err.access.answer_unit")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(key="err.access.admin_only")


def can_verify(actor: Actor, unit_id: int) -> bool:
    if actor.role in ("admin", "system"):
        return True
    return actor.role == "verifier" and unit_id in actor.verifier_units


def require_verify(actor: Actor, unit_id: int) -> None:
    if not can_verify(actor, unit_id):
        raise AccessDenied(key="err.access.verify_unit")


def can_plan(actor: Actor, unit_id: int) -> bool:
    """Admin, the unit's own head, and the verifier assigned to the unit may plan and update its actions."""
    if actor.role in ("admin", "system"):
        return True
    if actor.role == "unit_head":
        return actor.unit_id == unit_id
    return actor.role == "verifier" and unit_id in actor.verifier_units


def require_plan(actor: Actor, unit_id: int) -> None:
    require_read(actor, unit_id)
    if not can_plan(actor, unit_id):
        raise AccessDenied(key="err.access.plan_unit")


def require_manage_surveys(actor: Actor, unit_id: int) -> None:
    """Survey links of a unit are managed by the admin and by whoever may answer for the unit."""
    if not actor.is_admin:
        require_answer(actor, unit_id)
