"""Every kind of audit event the services record: one frozen type per event, its fields are its payload.

A service writes `audit.append(con, actor=…, event=AnswerSet(assessment_id=…, indicator=…, …), at=…)`;
the type knows its stored name and the store writes the name and the payload as JSON, the same rows as
before the types existed. Field order is the stored key order (the trail shows details in that order).
Fields listed in `optional` are stored only when given; every other field is always stored (store/models.py).

Labels for admins live in both UI catalogs under `audit.event.<name>` (a test checks every type has one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from store.models import AssessmentEvent, Event

__all__ = ["EVENT_TYPES", "AssessmentEvent", "Event", "label_key"]

Number = int | float  # a score or count as computed: an int stays an int on disk (no 85 → 85.0)
Json = Any  # an old/new value whose shape the event's own code decides (nested dicts of plain values)


# ---- answering ---------------------------------------------------------------------------------------------


class AssessmentCreated(AssessmentEvent):
    name = "assessment.created"
    period: str
    unit: str


class AnswerSet(AssessmentEvent):
    name = "answer.set"
    indicator: str
    subject: str
    old: str | None
    new: str


class AnswerTally(AssessmentEvent):
    name = "answer.tally"
    indicator: str
    old: dict[str, int]  # subject → count before
    new: dict[str, int]  # level → count after


class AnswerCleared(AssessmentEvent):
    name = "answer.cleared"
    indicator: str
    old: dict[str, str]  # subject → value shown
    new: None = None


class NoteSet(AssessmentEvent):
    name = "note.set"
    indicator: str
    old: str | None
    new: str


class EvidenceAdded(AssessmentEvent):
    name = "evidence.added"
    indicator: str
    evidence_id: int
    file: str
    sha256: str
    size: int


class EvidenceUpdated(AssessmentEvent):
    name = "evidence.updated"
    evidence_id: int
    old: dict[str, str]  # description, date
    new: dict[str, str]


class EvidenceRemoved(AssessmentEvent):
    name = "evidence.removed"
    indicator: str
    evidence_id: int
    file: str


class AssessmentSubmitted(AssessmentEvent):
    name = "assessment.submitted"
    old: str
    new: str
    snapshot_sha256: str
    total: Number
    band: str


class AnswerImported(AssessmentEvent):
    """An answer written from an Excel file: per subject (with `subject`) or a whole tally (without)."""

    name = "answer.imported"
    optional = frozenset({"subject"})
    indicator: str
    subject: str | None = None
    old: Json
    new: Json
    file: str


class ImportCompleted(Event):
    name = "import.completed"
    period: str
    file: str
    units: int
    written: int


# ---- verification ------------------------------------------------------------------------------------------


class VerificationStarted(AssessmentEvent):
    name = "verification.started"
    old: str
    new: str


class VerificationDecided(AssessmentEvent):
    name = "verification.decided"
    indicator: str
    old: dict[str, Any] | None  # decision, value, note
    new: dict[str, Any]


class VerificationChangesRequested(AssessmentEvent):
    name = "verification.changes_requested"
    old: str
    new: str
    indicators: dict[str, str]  # indicator → the verifier's note


class VerificationCompleted(AssessmentEvent):
    name = "verification.completed"
    old: str
    new: str
    snapshot_sha256: str | None
    self_total: Number
    verified_total: Number
    band: str
    accepted: int
    adjusted: int


class AssessmentReopened(AssessmentEvent):
    name = "assessment.reopened"
    old: str
    new: str
    reason: str
    verified_by: str | None


# ---- accounts ----------------------------------------------------------------------------------------------


class LoginSucceeded(Event):
    name = "login.success"


class LoginFailure(Event):
    """Either why an unknown or inactive account was refused (`reason`), or a wrong password's count."""

    name = "login.failed"
    optional = frozenset({"reason", "failures", "locked_minutes"})
    reason: Literal["unknown_user", "inactive"] | None = None
    failures: int | None = None
    locked_minutes: int | None = None


class LoginRefusedLocked(Event):
    name = "login.refused_locked"


class UserCreated(Event):
    """By an admin (user, role, unit, verifies), from a CSV (+ csv), a demo account (+ demo) or the first admin."""

    name = "user.created"
    optional = frozenset({"user", "unit", "verifies", "csv", "demo", "first_admin"})
    user: str | None = None
    role: str
    unit: str | None = None
    verifies: list[str] | None = None
    csv: bool | None = None
    demo: bool | None = None
    first_admin: bool | None = None


class UserUpdated(Event):
    name = "user.updated"
    user: str
    old: dict[str, Any]  # role, unit_id, active, verifies
    new: dict[str, Any]
    sessions_ended: int


class UserPasswordReset(Event):
    name = "user.password_reset"
    user: str
    sessions_ended: int


class UserPasswordChanged(Event):
    name = "user.password_changed"
    sessions_ended: int


# ---- admin: units, products, periods, imports, demo --------------------------------------------------------


class UnitCreated(Event):
    name = "unit.created"
    code: str
    kind: str
    old: None = None
    new: str
    parent: str | None


class UnitRenamed(Event):
    name = "unit.renamed"
    code: str
    old: dict[str, str | None]  # name, unit_type
    new: dict[str, str | None]


class ProductCreated(Event):
    name = "product.created"
    unit: str
    product: str
    old: None = None
    new: str


class ProductRenamed(Event):
    name = "product.renamed"
    unit: str
    product: str
    old: str
    new: str


class ProductRemoved(Event):
    name = "product.removed"
    unit: str
    product: str
    old: str
    new: None = None


class PeriodCreated(Event):
    name = "period.created"
    period: str
    old: None = None
    new: dict[str, Any]  # year, criteria, sha256, opens, closes
    visit: list[dt.date | None]


class PeriodStatus(Event):
    name = "period.status"
    period: str
    old: str
    new: str


class UnitsImported(Event):
    name = "import.units"
    old: None = None
    new: list[str]  # codes created


class UsersImported(Event):
    name = "import.users"
    old: None = None
    new: list[str]  # usernames created


class DemoSeeded(Event):
    name = "demo.seeded"
    region: str


# ---- surveys -----------------------------------------------------------------------------------------------


class SurveyLinkCreated(Event):
    name = "survey.link_created"
    unit: str
    period: str
    survey: str
    code: str
    product: str | None
    counter: str | None


class SurveyLinkStatus(Event):
    name = "survey.link_status"
    code: str
    old: str
    new: str


class SurveyPopulation(Event):
    name = "survey.population"
    unit_id: int
    period_id: int
    survey: str
    old: int | None
    new: int


class SurveyKioskAdded(Event):
    name = "survey.kiosk_added"
    unit_id: int
    label: str


class SurveyKioskStatus(Event):
    name = "survey.kiosk_status"
    label: str
    unit_id: int
    active: bool


class SurveyResponseDecided(Event):
    name = "survey.response_decided"
    response: int
    unit_id: int
    survey: str
    flags: str
    old: str
    new: str
    note: str


class SurveyOutputFed(AssessmentEvent):
    name = "survey.output_fed"
    survey: str
    fed: dict[str, int]  # indicator → respondents
    kept: list[str]  # indicators a unit head overrode, left as they are


class SurveyTallyOverride(AssessmentEvent):
    name = "survey.tally_override"
    indicator: str
    reason: str


class SurveyPaperImported(Event):
    name = "survey.paper_imported"
    code: str
    rows: int


# ---- follow-up and official results ------------------------------------------------------------------------


class FollowupActionCreated(AssessmentEvent):
    name = "followup.action_created"
    assessment_id: int | None = Field(exclude=True)  # None when the unit has not started this period
    action_id: int
    unit_id: int
    period: str
    source: str
    indicators: list[str]
    title: str
    owner: str
    due: str  # ISO date
    expected_points: Number


class FollowupActionUpdated(AssessmentEvent):
    name = "followup.action_updated"
    assessment_id: int | None = Field(exclude=True)
    action_id: int
    unit_id: int
    old: dict[str, Any]
    new: dict[str, Any]
    file: str | None
    raised: list[str]


class FollowupVisitWindowSet(Event):
    name = "followup.visit_window_set"
    period: str
    old: list[str]  # [from, to], '' when unset
    new: list[str]


class FollowupContactSet(Event):
    name = "followup.contact_set"
    old: dict[str, str]  # email, phone
    new: dict[str, str]


class FollowupSmtpSet(Event):
    name = "followup.smtp_set"
    new: dict[str, str]


class FollowupEmailSent(Event):
    name = "followup.email_sent"
    to: str
    items: int


class FollowupEmailFailed(Event):
    name = "followup.email_failed"
    to: str
    reason: str


class OfficialResultRecorded(Event):
    name = "official.result_recorded"
    period: str
    unit: str
    old: dict[str, Any] | None  # score, label, suffix
    new: dict[str, Any]  # score, label, suffix, dimensions


class OfficialProductRecorded(Event):
    name = "official.product_recorded"
    period: str
    unit: str
    product: str
    kind: str
    old: str | None
    new: str


class OfficialImported(Event):
    name = "official.imported"
    kind: str  # 'hasil' | 'produk'
    rows: int
    replaced: int


# ---- the registry --------------------------------------------------------------------------------------------


def _registry() -> dict[str, type[Event]]:
    found: dict[str, type[Event]] = {}
    for value in list(globals().values()):
        if isinstance(value, type) and issubclass(value, Event) and "name" in value.__dict__:
            if value.name in found:
                raise RuntimeError(f"audit event name {value.name!r} is used by two types")
            found[value.name] = value
    return dict(sorted(found.items()))


EVENT_TYPES: dict[str, type[Event]] = _registry()


def label_key(name: str) -> str:
    """The catalog key of an event's label (ui/i18n/catalog_*.py)."""
    return f"audit.event.{name}"
