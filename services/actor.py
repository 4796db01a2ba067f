"""Who is acting. Every service takes an Actor and checks role and unit scope itself."""

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
        raise AccessDenied("Anda tidak berhak melihat data unit ini. Hubungi admin Ortala bila ini keliru.")


def require_answer(actor: Actor, unit_id: int) -> None:
    if not actor.can_answer_for(unit_id):
        raise AccessDenied("Anda tidak berhak mengisi penilaian unit ini. Hanya kepala unit tersebut atau admin.")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied("Hanya admin (Ortala) yang boleh melakukan ini.")
