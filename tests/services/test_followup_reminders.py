"""Reminders on login, the wa.me link, and e-mail only when SMTP is configured (a local aiosmtpd server)."""

from __future__ import annotations

import datetime as dt
import socket
from urllib.parse import parse_qs, urlparse

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from services.access import AccessDenied, Actor
from services.answering.assessing import record_answer
from services.answering.results import submit
from services.followup import mailer, reminders
from services.followup.common import FollowupError
from services.verification.decisions import decide, request_changes, start_review
from store import audit
from store import followup_actions as store
from store.db import transaction

TODAY = dt.date.today()


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _action(w, title: str, due: dt.date) -> int:
    with transaction(w.con):
        return store.add(w.con, period_id=w.period, unit_id=w.unit, title=title, indicators=[], source="manual",
                         owner="Pak Budi", due_date=due, expected_points=0, actor="x", at=dt.datetime.now())


def test_unit_head_sees_overdue_then_due_actions_with_a_whatsapp_link(world):
    _action(world, "Jauh", TODAY + dt.timedelta(days=20))
    _action(world, "Besok", TODAY + dt.timedelta(days=1))
    _action(world, "Telat", TODAY - dt.timedelta(days=2))
    reminders.set_contact(world.con, world.head, email="", phone="0812-3456-7890")
    items = reminders.reminders(world.con, world.head)
    assert [r.kind for r in items] == ["action_overdue", "action_due"]
    assert "lewat tenggat 2 hari" in items[0].text and "Telat" in items[0].text and "1 hari lagi" in items[1].text
    link = urlparse(items[0].wa_link)
    assert link.netloc == "wa.me" and link.path == "/6281234567890"
    assert parse_qs(link.query)["text"] == [items[0].text]
    assert reminders.reminders(world.con, world.other_head) == []


def test_an_action_due_today_is_due_not_overdue(world):
    _action(world, "Hari ini", TODAY)
    items = reminders.reminders(world.con, world.head)
    assert [(r.kind, "jatuh tempo hari ini" in r.text) for r in items] == [("action_due", True)]


def test_returned_assessment_and_waiting_verification_are_reminded(world):
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    submit(world.con, world.head, assessment_id=world.assessment)
    verifier = Actor(username="ver", role="verifier", verifier_units=frozenset({world.unit}))
    assert [r.kind for r in reminders.reminders(world.con, verifier)] == ["verification"]
    assert [r.kind for r in reminders.reminders(world.con, world.admin)] == ["verification"]
    start_review(world.con, verifier, assessment_id=world.assessment)
    decide(world.con, verifier, assessment_id=world.assessment, indicator_id="IN-02", decision="change_requested",
           note="Foto ramp tidak terlihat")  # fmt: skip
    request_changes(world.con, verifier, assessment_id=world.assessment)
    items = reminders.reminders(world.con, world.head)
    assert [r.kind for r in items] == ["returned"] and "dikembalikan" in items[0].text


def test_contact_input_is_checked_and_audited(world):
    with pytest.raises(FollowupError, match="e-mail tidak valid"):
        reminders.set_contact(world.con, world.head, email="bukan-email", phone="")
    with pytest.raises(FollowupError, match="Nomor WhatsApp tidak valid"):
        reminders.set_contact(world.con, world.head, email="", phone="12ab")
    assert reminders.get_contact(world.con, world.head) == reminders.Contact("", "")
    reminders.set_contact(world.con, world.head, email="sari@dinsos.go.id", phone="+62 812 1111 2222")
    assert reminders.get_contact(world.con, world.head) == reminders.Contact("sari@dinsos.go.id", "6281211112222")
    assert audit.events(world.con, event="followup.contact_set")[0].actor == "kepala1"


def test_no_email_is_sent_when_smtp_is_not_configured(world, smtp_server):
    controller, inbox = smtp_server
    _action(world, "Telat", TODAY - dt.timedelta(days=1))
    reminders.set_contact(world.con, world.head, email="sari@dinsos.go.id", phone="")
    items = reminders.reminders(world.con, world.head)
    assert mailer.send_digest(world.con, world.head, items) == "not_configured"
    assert inbox.messages == []


def test_digest_is_mailed_once_a_day_when_smtp_is_configured(world, smtp_server):
    controller, inbox = smtp_server
    _action(world, "Pasang papan standar pelayanan", TODAY - dt.timedelta(days=1))
    with pytest.raises(AccessDenied):
        mailer.save_smtp_settings(world.con, world.head, host="127.0.0.1", port=controller.port,
                                  sender="kepatuhan@kab.go.id", starttls=False)  # fmt: skip
    mailer.save_smtp_settings(world.con, world.admin, host="127.0.0.1", port=controller.port,
                              sender="kepatuhan@kab.go.id", starttls=False)  # fmt: skip
    items = reminders.reminders(world.con, world.head)
    assert mailer.send_digest(world.con, world.head, items) == "no_address"
    reminders.set_contact(world.con, world.head, email="sari@dinsos.go.id", phone="")
    assert mailer.send_digest(world.con, world.head, items) == "sent"
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "sari@dinsos.go.id" and "Pasang papan standar pelayanan" in message.get_payload()
    assert mailer.send_digest(world.con, world.head, items) == "already_sent" and len(inbox.messages) == 1
    assert mailer.send_digest(world.con, world.head, items, day=TODAY + dt.timedelta(days=1)) == "sent"


def test_an_unreachable_mail_server_is_reported_not_raised(world):
    mailer.save_smtp_settings(world.con, world.admin, host="127.0.0.1", port=_free_port(),
                              sender="kepatuhan@kab.go.id", starttls=False)  # fmt: skip
    reminders.set_contact(world.con, world.head, email="sari@dinsos.go.id", phone="")
    _action(world, "Telat", TODAY - dt.timedelta(days=1))
    assert mailer.send_digest(world.con, world.head, reminders.reminders(world.con, world.head)) == "failed"
    assert audit.events(world.con, event="followup.email_failed")


@pytest.mark.parametrize(("fields", "message"), [({"port": "x"}, "Port SMTP harus angka"),
                                                  ({"port": 0}, "antara 1 dan 65535"),
                                                  ({"sender": "nope"}, "Alamat pengirim"),
                                                  ({"host": "smtp host"}, "tidak valid")])  # fmt: skip
def test_bad_smtp_settings_are_refused(world, fields, message):
    base = {"host": "smtp.kab.go.id", "port": 587, "sender": "a@kab.go.id", "starttls": True}
    with pytest.raises(FollowupError, match=message):
        mailer.save_smtp_settings(world.con, world.admin, **{**base, **fields})
    assert mailer.smtp_settings(world.con) is None
