"""What needs the user, shown on login: due and overdue actions, assessments returned for changes,
verifications waiting. Each reminder carries a wa.me link with the message filled in — the server sends
nothing to WhatsApp; it only opens the user's own app."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

import duckdb

from services.access import Actor
from services.audit_events import FollowupContactSet
from services.common import now, today
from services.followup.common import FollowupError
from services.verification.review import queue
from store import assessments, audit, periods, units
from store import followup_actions as action_store
from store import official_results as contacts
from store.db import transaction

DUE_SOON_DAYS = 3  # peers remind three days and one day before (domain/updates-2025.md §4)
MAX_REMINDERS = 20
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class Reminder:
    kind: str  # 'action_overdue' | 'action_due' | 'returned' | 'verification'
    text: str
    period_id: int
    unit_code: str
    wa_link: str = ""


@dataclass(frozen=True)
class Contact:
    email: str
    phone: str


def normalise_phone(phone: str) -> str:
    """Indonesian mobile numbers as wa.me wants them: digits with the country code (0812… → 62812…)."""
    digits = re.sub(r"[\s\-().]", "", phone or "")
    if not digits:
        return ""
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not 9 <= len(digits) <= 15:
        raise FollowupError(key="err.contact.phone")
    return digits


def wa_link(text: str, phone: str = "") -> str:
    return f"https://wa.me/{phone}?text={quote(text, safe='')}"


def get_contact(con: duckdb.DuckDBPyConnection, actor: Actor) -> Contact:
    row = contacts.contact(con, username=actor.username)
    return Contact(row.email, row.phone) if row else Contact("", "")


def set_contact(con: duckdb.DuckDBPyConnection, actor: Actor, *, email: str, phone: str) -> Contact:
    """The user's own e-mail address and WhatsApp number for reminders (both optional)."""
    email = (email or "").strip()
    if email and not EMAIL.match(email):
        raise FollowupError(key="err.contact.email")
    phone = normalise_phone(phone)
    old = get_contact(con, actor)
    with transaction(con):
        contacts.put_contact(con, username=actor.username, email=email, phone=phone)
        audit.append(
            con,
            actor=actor.username,
            event=FollowupContactSet(
                old={"email": old.email, "phone": old.phone}, new={"email": email, "phone": phone}
            ),
            at=now(),
        )
    return Contact(email, phone)


def _open_periods(con) -> list:
    return [p for p in periods.list_periods(con) if p.status == "open"]


def reminders(con: duckdb.DuckDBPyConnection, actor: Actor, *, day: dt.date | None = None) -> list[Reminder]:
    """The short list for this user, most urgent first (at most MAX_REMINDERS)."""
    day = day or today()
    phone = get_contact(con, actor).phone
    names = {u.id: u for u in units.list_units(con)}
    out: list[Reminder] = []
    for period in _open_periods(con):
        if actor.role == "unit_head" and actor.unit_id is not None:
            scope = [actor.unit_id]
        elif actor.role in ("admin", "system"):
            scope = None
        elif actor.role == "verifier":
            scope = sorted(actor.verifier_units)
        else:
            scope = []
        rows = action_store.for_period(con, period_id=period.id, unit_ids=scope) if scope != [] else []
        for a in rows:
            if not a.is_open or a.due_date > day + dt.timedelta(days=DUE_SOON_DAYS):
                continue
            unit = names.get(a.unit_id)
            code = unit.code if unit else "?"
            late = (day - a.due_date).days
            if late > 0:
                text = f"Tindakan lewat tenggat {late} hari ({code}): {a.title} — PJ {a.owner}"
                kind = "action_overdue"
            else:
                when = "hari ini" if late == 0 else f"{-late} hari lagi"
                text = f"Tindakan jatuh tempo {when} ({code}): {a.title} — PJ {a.owner}"
                kind = "action_due"
            out.append(Reminder(kind, text, period.id, code))
        if actor.role == "unit_head" and actor.unit_id is not None:
            row = assessments.find(con, period_id=period.id, unit_id=actor.unit_id)
            if row is not None and row.status == "reopened" and row.submitted_at is not None:
                code = names[actor.unit_id].code
                out.append(Reminder("returned", f"Penilaian {period.name} ({code}) dikembalikan untuk perbaikan. "
                                    "Lihat catatan verifikator lalu kirim ulang.", period.id, code))  # fmt: skip
        if actor.role in ("verifier", "admin"):
            for item in queue(con, actor, period_id=period.id):
                out.append(Reminder("verification", f"Verifikasi menunggu: {item.unit_name} ({period.name}), "
                                    f"dikirim {item.submitted_at:%d-%m-%Y}." if item.submitted_at else
                                    f"Verifikasi menunggu: {item.unit_name} ({period.name}).",
                                    period.id, item.unit_code))  # fmt: skip
    order = {"action_overdue": 0, "returned": 1, "action_due": 2, "verification": 3}
    out.sort(key=lambda r: order[r.kind])
    return [Reminder(r.kind, r.text, r.period_id, r.unit_code, wa_link(r.text, phone)) for r in out[:MAX_REMINDERS]]
