"""Login sessions end for real: after exactly the idle limit, never to resume once ended, kept alive by activity,
and ended for every other browser of a user whose password, rights or account changed."""

from __future__ import annotations

import datetime as dt

import pytest

from services.access import Actor
from services.accounts import sessions
from services.accounts import users as accounts
from store import units
from store.db import connect, transaction

ADMIN_PW = "Rahasia-Admin-7391"
HEAD_PW = "kopi-tubruk-pagi-2044"


class Clock:
    def __init__(self) -> None:
        self.at = dt.datetime(2025, 3, 3, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(sessions, "now", c)
    monkeypatch.setattr(accounts, "now", c)
    return c


@pytest.fixture
def con(_isolated_data_dir):
    con = connect(_isolated_data_dir)
    with transaction(con):
        region = units.add_unit(con, kind="pemda", code="KAB-X", name="Kabupaten X")
        units.add_unit(con, kind="unit", code="U1", name="Unit Satu", parent_id=region)
        units.add_unit(con, kind="unit", code="U2", name="Unit Dua", parent_id=region)
    yield con
    con.close()


@pytest.fixture
def admin(con) -> Actor:
    return accounts.create_first_admin(con, username="ortala", display_name="Admin", password=ADMIN_PW)


@pytest.fixture
def head(con, admin) -> Actor:
    accounts.create_user(
        con, admin, username="kepala", display_name="Kepala", password=HEAD_PW, role="unit_head", unit_code="U1"
    )
    return accounts.current_user(con, "kepala")


def alive(con, token: str) -> bool:
    return sessions.resume_session(con, token)[0] is not None


def test_the_idle_limit_is_thirty_minutes_to_the_second(con, head, clock):
    just_inside, just_outside = sessions.start_session(con, head), sessions.start_session(con, head)
    clock.advance(minutes=30)
    assert alive(con, just_inside)  # exactly 30 minutes idle: still alive
    clock.advance(seconds=1)
    assert sessions.resume_session(con, just_outside) == (None, "expired")  # 30 min 1 s: over
    assert sessions.resume_session(con, just_outside) == (None, "invalid")  # and it stays over


def test_a_session_used_29_minutes_ago_lives_and_one_used_31_minutes_ago_does_not(con, head, clock):
    a, b = sessions.start_session(con, head), sessions.start_session(con, head)
    clock.advance(minutes=29)
    assert alive(con, a)
    clock.advance(minutes=2)
    assert not alive(con, b)


def test_activity_keeps_a_session_alive_past_the_idle_limit(con, head, clock):
    token = sessions.start_session(con, head)
    for _ in range(6):  # a request every 20 minutes for two hours
        clock.advance(minutes=20)
        assert alive(con, token)
    clock.advance(minutes=31)  # then nothing for 31 minutes
    assert not alive(con, token)


def test_an_ended_session_never_resumes(con, head, clock):
    token = sessions.start_session(con, head)
    sessions.end_session(con, token)
    assert sessions.resume_session(con, token) == (None, "invalid")
    clock.advance(seconds=1)
    assert sessions.resume_session(con, token) == (None, "invalid")
    assert alive(con, sessions.start_session(con, head))  # a new login works


def test_changing_ones_password_ends_every_other_session_but_keeps_this_one(con, head, clock):
    here, laptop, phone = (sessions.start_session(con, head) for _ in range(3))
    accounts.change_password(con, head, old_password=HEAD_PW, new_password="sandi-baru-yang-kuat-9", current_token=here)
    assert alive(con, here)
    assert not alive(con, laptop) and not alive(con, phone)


def test_admin_reset_ends_every_session_of_the_user(con, admin, head, clock):
    tokens = [sessions.start_session(con, head) for _ in range(2)]
    other = sessions.start_session(con, admin)
    accounts.reset_password(con, admin, username="kepala", new_password="reset-oleh-admin-55")
    assert not any(alive(con, t) for t in tokens)
    assert alive(con, other)  # the admin's own session is untouched


@pytest.mark.parametrize(
    ("change", "ends"),
    [
        ({"role": "viewer", "unit_code": None}, True),
        ({"unit_code": "U2"}, True),
        ({"active": False}, True),
        ({"display_name": "Kepala Baru"}, False),
    ],
)
def test_role_scope_or_deactivation_end_every_session(con, admin, head, clock, change, ends):
    tokens = [sessions.start_session(con, head) for _ in range(2)]
    fields = {"display_name": "Kepala", "role": "unit_head", "unit_code": "U1", "active": True} | change
    accounts.update_user(con, admin, username="kepala", **fields)
    if fields["active"] is False:  # reactivation does not bring the ended sessions back
        accounts.update_user(con, admin, username="kepala", **(fields | {"active": True}))
    assert [alive(con, t) for t in tokens] == [not ends, not ends]
