"""Accounts: only argon2 hashes in the database, lock-out with growing back-off, the one-time first admin,
password rules in Indonesian, and session expiry in ui/auth.py."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services.access import Actor
from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.accounts.users import AccountError, AccountLocked, LoginFailed
from services.admin import csv_import
from services.ops.startup import data_dir
from store import audit, units
from store import users as user_store
from store.db import connect, db_path, transaction
from tests.pg_server import pg_bindir

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
    monkeypatch.setattr(accounts, "now", c)
    return c


@pytest.fixture
def con(_isolated_data_dir):
    con = connect(_isolated_data_dir)
    with transaction(con):
        region = units.add_unit(con, kind="pemda", code="KAB-X", name="Kabupaten X")
        units.add_unit(con, kind="unit", code="U1", name="Unit Satu", parent_id=region)
    yield con
    con.close()


@pytest.fixture
def admin(con) -> Actor:
    return accounts.create_first_admin(con, username="ortala", display_name="Admin", password=ADMIN_PW)


def _head(con, admin: Actor) -> None:
    accounts.create_user(
        con, admin, username="kepala", display_name="Kepala", password=HEAD_PW, role="unit_head", unit_code="U1"
    )


def stored_bytes(con, root: Path) -> bytes:
    """Everything the database holds on disk: the DuckDB file and its WAL, or PostgreSQL's pg_dump of the data."""
    url = os.environ.get("KEPATUHAN_DATABASE_URL")
    if url:
        con.close()
        dump = subprocess.run([str(pg_bindir() / "pg_dump"), "--data-only", url], capture_output=True, check=True)
        return dump.stdout
    con.execute("CHECKPOINT")
    con.close()
    raw = db_path(root).read_bytes()
    wal = db_path(root).with_suffix(".duckdb.wal")
    return raw + (wal.read_bytes() if wal.exists() else b"")


def test_database_file_holds_only_argon2id_hashes(con, admin, _isolated_data_dir):
    _head(con, admin)
    accounts.reset_password(con, admin, username="kepala", new_password="reset-oleh-admin-55")
    head = accounts.authenticate(con, username="kepala", password="reset-oleh-admin-55")
    accounts.change_password(con, head, old_password="reset-oleh-admin-55", new_password="diganti-sendiri-66")
    csv_import.import_users(
        con, admin,
        b"nama_pengguna,nama_lengkap,peran,kode_unit,unit_verifikasi,kata_sandi_awal\n"
        b"pembaca1,Pembaca,viewer,,,dari-berkas-csv-77\n",
    )  # fmt: skip
    hashes = [u.password_hash for u in user_store.list_all(con)]
    assert len(hashes) == 3 and all(h.startswith("$argon2id$") for h in hashes)
    raw = stored_bytes(con, _isolated_data_dir)
    for secret in (ADMIN_PW, HEAD_PW, "reset-oleh-admin-55", "diganti-sendiri-66", "dari-berkas-csv-77"):
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw, secret


def test_demo_accounts_are_hashed_and_their_passwords_only_in_the_demo_file(_isolated_data_dir):
    con = connect(_isolated_data_dir)
    with transaction(con):
        units.add_unit(con, kind="unit", code="DINSOS-SLRT", name="SLRT")
        units.add_unit(con, kind="unit", code="DUKCAPIL", name="Dukcapil")
    created = demo_accounts.create_demo_accounts(con, _isolated_data_dir)
    assert {a.username for a in created} == {"ortala", "verifikator", "kadinsos", "kadukcapil", "pimpinan"}
    assert demo_accounts.read_demo_accounts(_isolated_data_dir) == {a.username: a.password for a in created}
    assert (_isolated_data_dir / demo_accounts.DEMO_ACCOUNTS_FILE).stat().st_mode & 0o077 == 0
    raw = stored_bytes(con, _isolated_data_dir)
    assert all(a.password.encode() not in raw for a in created)


def test_lock_out_after_five_failures_with_growing_back_off(con, admin, clock):
    _head(con, admin)

    def locked_for() -> float:
        user = user_store.by_username(con, username="kepala")
        return (user.locked_until - clock.at).total_seconds() / 60 if user.locked_until else 0

    for _ in range(1, 5):
        with pytest.raises(LoginFailed, match=f"^{re.escape(accounts.LOGIN_REFUSED)}$") as info:
            accounts.authenticate(con, username="kepala", password="salah-salah-salah")
        assert not isinstance(info.value, AccountLocked) and locked_for() == 0
    with pytest.raises(AccountLocked, match=f"^{re.escape(accounts.LOGIN_REFUSED)}$"):
        accounts.authenticate(con, username="kepala", password="salah-salah-salah")
    assert locked_for() == 1
    # the right password during the lock is refused too, in the same words: it does not reveal it was right
    with pytest.raises(AccountLocked, match=f"^{re.escape(accounts.LOGIN_REFUSED)}$"):
        accounts.authenticate(con, username="kepala", password=HEAD_PW)
    locks = []
    for _ in range(3):  # each further failure after the lock ends doubles the wait
        clock.advance(minutes=61)
        with pytest.raises(AccountLocked):
            accounts.authenticate(con, username="kepala", password="salah-salah-salah")
        locks.append(locked_for())
    assert locks == [2, 4, 8]
    user = user_store.by_username(con, username="kepala")
    assert user.failed_logins == 8 and user.locked_until == clock.at + dt.timedelta(minutes=8)
    clock.advance(minutes=7)
    with pytest.raises(AccountLocked):
        accounts.authenticate(con, username="kepala", password=HEAD_PW)
    clock.advance(minutes=2)
    actor = accounts.authenticate(con, username="kepala", password=HEAD_PW)
    assert actor.role == "unit_head" and actor.unit_id is not None
    assert user_store.by_username(con, username="kepala").failed_logins == 0
    kinds = [e.event for e in audit.events(con, actor="kepala")]
    assert kinds.count("login.failed") == 8 and kinds.count("login.refused_locked") == 2 and kinds[0] == "login.success"


def test_back_off_is_capped_at_an_hour():
    assert [accounts._lock_minutes(n) for n in (4, 5, 6, 10, 11, 30)] == [0, 1, 2, 32, 60, 60]


def test_unknown_and_inactive_users_get_the_same_answer_as_a_wrong_password(con, admin):
    _head(con, admin)
    accounts.update_user(con, admin, username="kepala", display_name="Kepala", role="unit_head", unit_code="U1",
                         active=False)  # fmt: skip
    for name, pw in (("tidakada", "apa-saja-123"), ("kepala", HEAD_PW)):
        with pytest.raises(LoginFailed, match=f"^{re.escape(accounts.LOGIN_REFUSED)}$"):
            accounts.authenticate(con, username=name, password=pw)
    assert accounts.current_user(con, "kepala") is None


def test_unknown_users_get_no_attempt_count_or_lock_that_only_real_accounts_would_get(con, admin):
    """Six tries each: an unknown name and a real one read alike at every step (no 'Sisa N', no 'dikunci')."""
    _head(con, admin)
    for _ in range(6):
        answers = []
        for name in ("kepala", "tidak-ada-orang"):
            with pytest.raises(LoginFailed) as info:
                accounts.authenticate(con, username=name, password="salah-salah-salah")
            answers.append(str(info.value))
        assert answers[0] == answers[1] == accounts.LOGIN_REFUSED


@pytest.mark.parametrize("light_hash", [False, True])
def test_every_refusal_costs_one_full_argon2_verification(con, admin, clock, monkeypatch, light_hash):
    """Unknown user, inactive user, wrong password, locked account and success: the same argon2 work each."""
    _head(con, admin)
    if light_hash:  # a demo account keeps its light hash until its first login
        user = user_store.by_username(con, username="kepala")
        with transaction(con):
            user_store.set_password(
                con, user_id=user.id, password_hash=demo_accounts._demo_hasher.hash(HEAD_PW), at=clock.at
            )
    full: list[str] = []
    original = accounts._verify

    def counting(password_hash: str, password: str) -> bool:
        if not accounts._hasher.check_needs_rehash(password_hash):
            full.append(password_hash)
        return original(password_hash, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    tries = [("tidak-ada", "x" * 12)] + [("kepala", "salah-salah-salah")] * 6 + [("kepala", HEAD_PW)]
    for name, pw in tries:
        full.clear()
        with pytest.raises(LoginFailed):
            accounts.authenticate(con, username=name, password=pw)
        assert len(full) == 1, (name, pw)


def test_first_admin_only_once(con):
    accounts.create_first_admin(con, username="ortala", display_name="Admin", password=ADMIN_PW)
    assert not accounts.needs_setup(con)
    with pytest.raises(AccountError, match="Admin pertama sudah dibuat"):
        accounts.create_first_admin(con, username="penyusup", display_name="X", password="Kunci-Lain-12345")
    assert [u.username for u in user_store.list_all(con)] == ["ortala"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek1", "minimal 10 karakter"),
        ("1234567890123", "terlalu mudah ditebak"),
        ("aaaaaaaaaaaa", "terlalu mudah ditebak"),
        ("ortala-ortala-2025", "tidak boleh memuat nama pengguna"),
    ],
)
def test_weak_passwords_are_refused_in_indonesian(con, password, message):
    with pytest.raises(AccountError, match=message):
        accounts.create_first_admin(con, username="ortala", display_name="Admin", password=password)
    assert accounts.needs_setup(con)


def test_non_admin_cannot_manage_users(con, admin):
    from services.access import AccessDenied

    _head(con, admin)
    head = accounts.authenticate(con, username="kepala", password=HEAD_PW)
    with pytest.raises(AccessDenied):
        accounts.create_user(con, head, username="baru", display_name="", password="cukup-panjang-99", role="admin")
    with pytest.raises(AccessDenied):
        accounts.reset_password(con, head, username="ortala", new_password="ambil-alih-admin-1")
    with pytest.raises(AccessDenied):
        accounts.list_users(con, head)


def test_admin_cannot_demote_or_deactivate_themselves(con, admin):
    with pytest.raises(AccountError, match="akun Anda sendiri"):
        accounts.update_user(
            con, admin, username="ortala", display_name="A", role="viewer", unit_code=None, active=True
        )


# ---- session expiry (ui/auth.py) ---------------------------------------------------------------

SESSION_SCRIPT = """
import streamlit as st
from ui.auth import session_actor
actor = session_actor()
st.text(f"actor={actor.username if actor else None}")
st.text(f"expired={st.session_state.get('auth_expired', False)}")
"""


@pytest.fixture
def app_data(_isolated_data_dir, monkeypatch):
    monkeypatch.setenv("KEPATUHAN_DEMO", "0")
    con = connect(_isolated_data_dir)
    with transaction(con):
        units.add_unit(con, kind="unit", code="U1", name="Unit Satu")
    admin = accounts.create_first_admin(con, username="ortala", display_name="Admin", password=ADMIN_PW)
    _head(con, admin)
    con.close()
    return _isolated_data_dir


def _session(user: str = "kepala", *, idle: dt.timedelta = dt.timedelta(0)) -> AppTest:
    """The app's own session check, run with a real login token last used `idle` ago."""
    from services.accounts.sessions import start_session
    from services.common import now
    from store.login_sessions import digest

    con = connect(data_dir())
    token = start_session(con, accounts.current_user(con, user))
    con.execute("UPDATE login_sessions SET last_seen = ? WHERE token_sha256 = ?", [now() - idle, digest(token)])
    con.close()
    at = AppTest.from_string(SESSION_SCRIPT, default_timeout=30)
    at.session_state["auth_session"] = token
    return at.run()


def _last_seen(token: str) -> dt.datetime:
    from store.login_sessions import digest

    con = connect(data_dir())
    try:
        return con.execute("SELECT last_seen FROM login_sessions WHERE token_sha256 = ?", [digest(token)]).fetchone()[0]
    finally:
        con.close()


def test_active_session_is_kept_and_refreshed(app_data):
    from services.accounts.sessions import IDLE

    at = _session(idle=IDLE - dt.timedelta(minutes=1))
    assert [t.value for t in at.text] == ["actor=kepala", "expired=False"]
    from services.common import now

    assert now() - _last_seen(at.session_state["auth_session"]) < dt.timedelta(minutes=1)


def test_idle_session_expires_with_a_flag_for_the_login_message(app_data):
    from services.accounts.sessions import IDLE

    at = _session(idle=IDLE + dt.timedelta(seconds=5))
    assert [t.value for t in at.text] == ["actor=None", "expired=True"]
    assert "auth_user" not in at.session_state and "auth_session" not in at.session_state


def test_a_user_name_in_the_session_without_a_token_is_no_login(app_data):
    at = AppTest.from_string(SESSION_SCRIPT, default_timeout=30)
    at.session_state["auth_user"] = "kepala"
    at.run()
    assert [t.value for t in at.text] == ["actor=None", "expired=False"]


def test_deactivated_user_loses_the_session_at_once(app_data):
    at = _session()
    assert at.text[0].value == "actor=kepala"
    con = connect(app_data)
    admin = accounts.current_user(con, "ortala")
    accounts.update_user(con, admin, username="kepala", display_name="K", role="unit_head", unit_code="U1",
                         active=False)  # fmt: skip
    accounts.update_user(con, admin, username="kepala", display_name="K", role="unit_head", unit_code="U1",
                         active=True)  # fmt: skip
    con.close()
    at.run()  # reactivated in between: the ended session stays ended
    assert [t.value for t in at.text] == ["actor=None", "expired=False"]


def test_many_logins_of_one_account_at_once_all_get_in(con, admin, _isolated_data_dir):
    """An Ortala office shares one account on many PCs; on PostgreSQL the logins run in parallel transactions
    and must not refuse each other as 'changed elsewhere' (each also proves one wrong password at once counts)."""
    import threading

    _head(con, admin)
    handles = [connect(_isolated_data_dir) for _ in range(12)]
    barrier = threading.Barrier(len(handles))
    outcomes: list[str] = []

    def log_in(handle, n: int) -> None:
        barrier.wait()
        try:
            accounts.authenticate(handle, username="kepala", password=HEAD_PW if n % 4 else "salah-sandi-9999")
            outcomes.append("in")
        except LoginFailed:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - what the user would have seen
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=log_in, args=(h, n)) for n, h in enumerate(handles)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for h in handles:
        if h is not con:
            h.close()
    assert sorted(outcomes) == ["in"] * 9 + ["refused"] * 3
    assert user_store.by_username(con, username="kepala").failed_logins == 3
