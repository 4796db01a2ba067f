"""What the public (no-login) survey page may do: open a link and submit one answer.

Anti-stuffing without outside services:
- one answer per device per unit per day (a random device token in a cookie; a kiosk registered by the admin
  is exempt), refused with a plain thank-you;
- per-client limits (client = IP, or the proxy's X-Forwarded-For when KEPATUHAN_TRUSTED_PROXY=1), counted in the
  database so that every app process shares them and a restart keeps them: above a soft limit answers are kept
  but held as suspicious; only far above it (a flood) are they refused — a busy counter behind one office router
  stays far below both;
- a honeypot field and a minimum time to fill (the page's render time is kept server-side): held as suspicious.
Held answers are stored but left out of every index until an admin decides. The proof of service is stored
only as a salted hash and counts once per unit, survey and period.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

import duckdb
from pydantic import BaseModel, ConfigDict, Field

from assessment.survey_defs import Survey
from services.common import now
from services.surveys.definitions import pinned_survey
from services.surveys.errors import SurveyRefused
from services.surveys.links import kiosk_hash, normalise_code
from store import periods, settings, units
from store import surveys as store
from store.db import transaction
from store.errors import StorageError
from store.surveys import SurveyLink

SOFT_LIMIT = 60  # answers per client per window before they are held for review
HARD_LIMIT = 600  # a flood: refused
WINDOW_SECONDS = 600
PRUNE_EVERY_SECONDS = 60
MAX_SUGGESTION = 1000
MAX_CONTACT = 120
MAX_PROOF = 64
SALT_KEY = "survey_proof_salt"


def refused(code: str) -> SurveyRefused:
    return SurveyRefused(code, key=f"err.survey.public.{code}")


class Submission(BaseModel):
    """One filled form as the page hands it over. Sizes are bounded; content is checked against the survey."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    code: str = Field(max_length=32)
    submission_id: str = Field(min_length=8, max_length=64)
    answers: dict[str, int] = Field(max_length=100)
    profile: dict[str, str] = Field(default_factory=dict, max_length=30)
    suggestion: str = Field(default="", max_length=MAX_SUGGESTION)
    contact: str = Field(default="", max_length=MAX_CONTACT)
    proof: str = Field(default="", max_length=MAX_PROOF)
    honeypot: str = Field(default="", max_length=500)
    started_at: float  # time.time() when the form was first shown (kept in the server's session state)
    device_token: str = Field(default="", max_length=128)
    kiosk_token: str = Field(default="", max_length=128)
    client: str = Field(default="", max_length=200)
    channel: str = "web"


@dataclass(frozen=True)
class PublicSurvey:
    link: SurveyLink
    survey: Survey
    unit_name: str
    product_name: str | None
    period_name: str
    kiosk_label: str | None = None


@dataclass(frozen=True)
class Receipt:
    response_id: int
    held: bool  # kept for review (the respondent still sees thanks)
    duplicate: bool  # the same form sent twice: counted once


def client_hit(con: duckdb.DuckDBPyConnection, client: str, at: float) -> int:
    """Count one answer in the client's sliding window and return the count including it.

    The window lives in the database (survey_client_hits), so every app process behind a balancer counts the same
    answers and a restart forgets nothing. The count is read after the insert: answers sent at the same moment by
    other sessions or processes are counted too, so concurrency can only make the limit stricter, never looser.
    A client already above the hard limit is refused without adding a row, so a flood cannot grow the table.
    """
    now_ms = int(at * 1000)
    since_ms = now_ms - WINDOW_SECONDS * 1000
    _prune(con, now_ms)
    before = store.count_client_hits(con, client_sha256=client, since_ms=since_ms)
    if before >= HARD_LIMIT:
        return before + 1
    store.add_client_hit(con, client_sha256=client, at_ms=now_ms)
    return store.count_client_hits(con, client_sha256=client, since_ms=since_ms)


_PRUNE = {"next_ms": 0}
_PRUNE_LOCK = threading.Lock()


def _prune(con: duckdb.DuckDBPyConnection, now_ms: int) -> None:
    """Delete hits older than the window, at most once a minute per process (one indexed DELETE)."""
    with _PRUNE_LOCK:
        if now_ms < _PRUNE["next_ms"]:
            return
        _PRUNE["next_ms"] = now_ms + PRUNE_EVERY_SECONDS * 1000
    store.prune_client_hits(con, before_ms=now_ms - WINDOW_SECONDS * 1000)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def open_survey(con: duckdb.DuckDBPyConnection, code: str, *, kiosk_token: str = "") -> PublicSurvey:
    """The survey behind a code, or SurveyRefused saying plainly why it cannot be answered."""
    cleaned = normalise_code(code)
    link = store.link_by_code(con, code=cleaned) if cleaned else None
    if link is None:
        raise refused("unknown")
    period = periods.get_period(con, period_id=link.period_id)
    unit = units.get_unit(con, unit_id=link.unit_id)
    survey = pinned_survey(con, period_id=link.period_id, survey_id=link.survey_id)
    if period is None or unit is None or survey is None:
        raise refused("unknown")
    if link.status != "open" or period.status != "open":
        raise refused("closed")
    product = units.product_by_code(con, unit_id=unit.id, code=link.product_code) if link.product_code else None
    kiosk = _kiosk(con, kiosk_token, unit.id)
    return PublicSurvey(
        link=link,
        survey=survey,
        unit_name=unit.name,
        product_name=product.name if product else None,
        period_name=period.name,
        kiosk_label=kiosk.label if kiosk else None,
    )


def _kiosk(con: duckdb.DuckDBPyConnection, token: str, unit_id: int) -> store.Kiosk | None:
    if not token:
        return None
    found = store.kiosk(con, token_sha256=kiosk_hash(token))
    return found if found and found.active and found.unit_id == unit_id else None


def _salt(con: duckdb.DuckDBPyConnection) -> str:
    salt = settings.get(con, key=SALT_KEY)
    if salt is None:
        settings.put(con, key=SALT_KEY, value=secrets.token_hex(32))
        salt = settings.get(con, key=SALT_KEY)
    return salt or ""


def proof_hash(salt: str, scope: str, proof: str) -> str:
    normal = "".join(ch for ch in proof.upper() if ch.isalnum())
    return hashlib.sha256(f"{salt}|{scope}|{normal}".encode()).hexdigest()


def _clean_answers(survey: Survey, sub: Submission) -> tuple[dict[str, int], dict[str, str]]:
    answers: dict[str, int] = {}
    for q in survey.questions:
        value = sub.answers.get(q.id)
        if value is None:
            if q.required:
                raise refused("incomplete")
            continue
        if q.option(value) is None:
            raise refused("invalid")
        answers[q.id] = value
    if set(sub.answers) - {q.id for q in survey.questions}:
        raise refused("invalid")
    profile: dict[str, str] = {}
    for field in survey.profile:
        chosen = sub.profile.get(field.id)
        if chosen:
            if chosen not in {o.id for o in field.options}:
                raise refused("invalid")
            profile[field.id] = chosen
    return answers, profile


def submit(con: duckdb.DuckDBPyConnection, sub: Submission, *, clock: float | None = None) -> Receipt:
    """Store one answer (accepted or held for review) exactly once per submission id."""
    existing = store.response_by_submission(con, submission_id=sub.submission_id)
    if existing is not None:
        return Receipt(existing.id, existing.status != "accepted", duplicate=True)
    public = open_survey(con, sub.code, kiosk_token=sub.kiosk_token)
    survey, link = public.survey, public.link
    answers, profile = _clean_answers(survey, sub)
    at = now()
    wall = clock if clock is not None else time.time()
    kiosk = public.kiosk_label is not None
    flags: list[str] = []
    if sub.honeypot:
        flags.append("honeypot")
    seconds = max(0, int(wall - sub.started_at))
    if wall - sub.started_at < survey.min_seconds:
        flags.append("terlalu-cepat")
    client = _digest(sub.client)
    if client and not kiosk:
        count = client_hit(con, client, wall)
        if count > HARD_LIMIT:
            raise refused("rate")
        if count > SOFT_LIMIT:
            flags.append("banyak-dari-jaringan-sama")
    device = _digest(sub.device_token)
    if (
        device
        and not kiosk
        and store.device_answered(
            con, device_sha256=device, unit_id=link.unit_id, survey_id=link.survey_id, day=at.date()
        )
    ):
        raise refused("already")
    proof = sub.proof.strip()
    if survey.proof_of_service == "required" and not proof:
        raise refused("proof")
    contact = sub.contact.strip() if survey.contact == "optional" else ""
    suggestion = sub.suggestion.strip() if survey.suggestion else ""
    status = "suspicious" if flags else "accepted"
    try:
        with transaction(con):
            if proof and survey.proof_of_service != "none":
                scope = f"{link.period_id}:{link.unit_id}:{link.survey_id}"
                if not store.use_proof(con, scope=scope, proof_sha256=proof_hash(_salt(con), scope, proof), at=at):
                    raise refused("proof_used")
            response_id = store.add_response(
                con,
                submission_id=sub.submission_id,
                link=link,
                channel="kiosk" if kiosk else sub.channel,
                at=at,
                answers=answers,
                profile=profile,
                suggestion=suggestion,
                contact=contact,
                device_sha256=device,
                client_sha256=client,
                seconds=seconds,
                status=status,
                flags=",".join(flags),
            )
    except StorageError:
        again = store.response_by_submission(con, submission_id=sub.submission_id)
        if again is not None:  # the same form sent twice at once: the other request stored it
            return Receipt(again.id, again.status != "accepted", duplicate=True)
        raise
    return Receipt(response_id, held=bool(flags), duplicate=False)
