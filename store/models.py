"""Rows as typed, frozen models; repositories return these, never raw tuples."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

UnitKind = Literal["pemda", "opd", "unit"]
AssessmentStatus = Literal["draft", "submitted", "in_review", "verified", "reopened"]
Role = Literal["admin", "verifier", "unit_head", "viewer"]
EDITABLE_STATUSES: tuple[str, ...] = ("draft", "reopened")


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CriteriaSet(Row):
    sha256: str
    id: str
    version: str
    title: str
    yaml: str


class OrgUnit(Row):
    id: int
    parent_id: int | None
    kind: UnitKind
    code: str
    name: str
    unit_type: str | None
    is_demo: bool


class Product(Row):
    id: int
    unit_id: int
    code: str
    name: str


class Period(Row):
    id: int
    name: str
    year: int
    criteria_sha256: str
    opens: dt.date | None
    closes: dt.date | None
    visit_from: dt.date | None
    visit_to: dt.date | None
    status: Literal["open", "closed"]


class AssessmentRow(Row):
    id: int
    period_id: int
    unit_id: int
    status: AssessmentStatus
    snapshot_sha256: str | None
    submitted_at: dt.datetime | None
    submitted_by: str | None
    created_at: dt.datetime
    verified_by: str | None = None
    verified_at: dt.datetime | None = None

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class AnswerRow(Row):
    assessment_id: int
    indicator_id: str
    subject: str
    value: float | None
    count: int
    revision: int
    updated_by: str
    updated_at: dt.datetime


class NoteRow(Row):
    assessment_id: int
    indicator_id: str
    note: str
    revision: int
    updated_by: str
    updated_at: dt.datetime


VerificationDecision = Literal["accept", "adjust", "change_requested"]


class VerificationRow(Row):
    """The verifier's decision on one indicator; verified_value / verified_na only for 'adjust'."""

    assessment_id: int
    indicator_id: str
    decision: VerificationDecision
    verified_value: float | None
    verified_na: bool
    note: str
    revision: int
    verified_by: str
    verified_at: dt.datetime


class EvidenceRecord(Row):
    id: int
    assessment_id: int
    indicator_id: str
    sha256: str
    file_name: str
    media_type: str
    size: int
    effective_date: dt.date | None
    description: str
    uploaded_by: str
    uploaded_at: dt.datetime
    removed_at: dt.datetime | None
    removed_by: str | None


class User(Row):
    id: int
    username: str
    display_name: str
    password_hash: str
    role: Role
    unit_id: int | None
    failed_logins: int
    locked_until: dt.datetime | None
    active: bool
    created_at: dt.datetime
    last_failed_at: dt.datetime | None = None
    password_changed_at: dt.datetime | None = None


class AuditEvent(Row):
    id: int
    at: dt.datetime
    actor: str
    event: str
    assessment_id: int | None
    payload: dict[str, Any]


class Event(BaseModel):
    """One kind of audit event, as it is written: the fields are its payload, in the order they are stored.

    The kinds the services record are in services/audit_events.py; `append` in store/audit.py writes any of
    them. Fields named in `optional` are stored only when the caller gave them (even as None), so one kind can
    have a few shapes (the first admin is created without a `user` field); every other field is always stored.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: ClassVar[str]
    optional: ClassVar[frozenset[str]] = frozenset()

    def payload(self) -> dict[str, Any]:
        return self.model_dump(exclude={f for f in self.optional if f not in self.model_fields_set})


class AssessmentEvent(Event):
    """An event about one assessment: its id goes to the row's assessment_id column, not into the payload."""

    assessment_id: int = Field(exclude=True)
