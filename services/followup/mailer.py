"""E-mail reminders, only when SMTP is configured in settings (nothing is sent otherwise).

Host, port, sender, STARTTLS and user name are settings an admin edits; the password, when the server needs
one, comes from the environment (KEPATUHAN_SMTP_PASSWORD) so it never sits in the database or a backup.
One digest per user per day at most.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import duckdb

from services.access import Actor, require_admin
from services.audit_events import FollowupEmailFailed, FollowupEmailSent, FollowupSmtpSet
from services.common import now, today
from services.followup.common import FollowupError
from services.followup.reminders import EMAIL, Reminder, get_contact
from store import audit, settings
from store.db import transaction

KEYS = ("smtp.host", "smtp.port", "smtp.sender", "smtp.starttls", "smtp.username")
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool
    username: str = ""


def smtp_settings(con: duckdb.DuckDBPyConnection) -> SmtpSettings | None:
    """The configured SMTP server, or None (then no e-mail is ever sent)."""
    host = (settings.get(con, key="smtp.host") or "").strip()
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(settings.get(con, key="smtp.port") or 25),
        sender=settings.get(con, key="smtp.sender") or "",
        starttls=settings.get(con, key="smtp.starttls") == "1",
        username=settings.get(con, key="smtp.username") or "",
    )


def save_smtp_settings(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, host: str, port: int | str, sender: str, starttls: bool,
    username: str = "",
) -> SmtpSettings | None:  # fmt: skip
    """Admin: set (or, with an empty host, switch off) the SMTP server."""
    require_admin(actor)
    host = (host or "").strip()
    if host and (len(host) > 253 or any(c.isspace() for c in host)):
        raise FollowupError(key="err.smtp.host")
    try:
        port_no = int(port)
    except (TypeError, ValueError):
        raise FollowupError(key="err.smtp.port_nan") from None
    if not 1 <= port_no <= 65535:
        raise FollowupError(key="err.smtp.port_range")
    sender = (sender or "").strip()
    if host and not EMAIL.match(sender):
        raise FollowupError(key="err.smtp.sender")
    values = {"smtp.host": host, "smtp.port": str(port_no), "smtp.sender": sender,
              "smtp.starttls": "1" if starttls else "0", "smtp.username": (username or "").strip()}  # fmt: skip
    with transaction(con):
        for key, value in values.items():
            settings.put(con, key=key, value=value)
        audit.append(con, actor=actor.username, event=FollowupSmtpSet(new={k: v for k, v in values.items()}), at=now())
    return smtp_settings(con)


def _sent_key(username: str) -> str:
    return f"reminder.emailed.{username}"


def send_digest(
    con: duckdb.DuckDBPyConnection, actor: Actor, items: list[Reminder], *, day: dt.date | None = None
) -> str:
    """Mail the user's reminders once a day. Returns what happened: 'not_configured', 'no_address', 'nothing',
    'already_sent', 'sent' or 'failed' (the app keeps working when the mail server does not answer)."""
    smtp = smtp_settings(con)
    if smtp is None:
        return "not_configured"
    address = get_contact(con, actor).email
    if not address:
        return "no_address"
    if not items:
        return "nothing"
    day = day or today()
    if settings.get(con, key=_sent_key(actor.username)) == day.isoformat():
        return "already_sent"
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = address
    msg["Subject"] = f"Kepatuhan: {len(items)} hal menunggu Anda ({day:%d-%m-%Y})"
    msg.set_content("\n".join(["Yth. " + actor.username + ",", "", *[f"- {r.text}" for r in items], "",
                               "Buka aplikasi Kepatuhan untuk menindaklanjuti.", "-- pesan otomatis"]))  # fmt: skip
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.username:
                server.login(smtp.username, os.environ.get("KEPATUHAN_SMTP_PASSWORD", ""))
            server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        with transaction(con):
            audit.append(
                con,
                actor=actor.username,
                event=FollowupEmailFailed(to=address, reason=f"{type(exc).__name__}: {exc}"[:300]),
                at=now(),
            )
        return "failed"
    with transaction(con):
        settings.put(con, key=_sent_key(actor.username), value=day.isoformat())
        audit.append(con, actor=actor.username, event=FollowupEmailSent(to=address, items=len(items)), at=now())
    return "sent"
