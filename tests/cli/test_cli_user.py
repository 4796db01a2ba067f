"""`kepatuhan user add`: the first admin without a browser, later users as the system; password via getpass
(asked twice) or --password-stdin, never as an argument."""

from __future__ import annotations

import io

import pytest

from services.accounts import users as accounts
from store import audit
from store import users as user_store
from store.db import connect

PW = "gunung-salak-pagi-71"


@pytest.fixture
def stdin(monkeypatch):
    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return feed


def _db(root):
    return connect(root)


def test_first_admin_from_stdin_then_a_unit_head(cli, stdin, _isolated_data_dir):
    stdin(PW + "\n")
    run = cli("user", "add", "--username", "Kabag.Ortala", "--role", "admin", "--display-name", "Kabag Ortala",
              "--password-stdin")  # fmt: skip
    assert run.code == 0 and "Admin pertama 'kabag.ortala' dibuat" in run.out, run
    con = _db(_isolated_data_dir)
    try:
        from store import units
        from store.db import transaction

        with transaction(con):
            units.add_unit(con, kind="unit", code="U1", name="Unit Satu")
        user = user_store.by_username(con, username="kabag.ortala")
        assert user.role == "admin" and user.password_hash.startswith("$argon2id$")
        assert accounts.authenticate(con, username="kabag.ortala", password=PW).is_admin
    finally:
        con.close()
    stdin("kepala-unit-satu-99\n")
    run = cli("user", "add", "--username", "kepala1", "--role", "unit_head", "--unit", "U1", "--password-stdin")
    assert run.code == 0 and "Pengguna 'kepala1' (unit_head) dibuat." in run.out, run
    con = _db(_isolated_data_dir)
    try:
        event = audit.events(con, event="user.created", limit=1)[0]
        assert event.actor.startswith("cli:") and event.payload["user"] == "kepala1"
    finally:
        con.close()


def test_first_account_must_be_an_admin(cli, stdin):
    stdin(PW + "\n")
    run = cli("user", "add", "--username", "pembaca", "--role", "viewer", "--password-stdin")
    assert run.code == 1 and "admin pertama" in run.err


def test_password_asked_twice_with_getpass(cli, monkeypatch):
    answers = iter([PW, PW + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    run = cli("user", "add", "--username", "ortala", "--role", "admin")
    assert run.code == 1 and "Kedua kata sandi tidak sama" in run.err
    answers = iter([PW, PW])
    run = cli("user", "add", "--username", "ortala", "--role", "admin")
    assert run.code == 0, run


def test_weak_password_and_no_terminal_are_refused(cli, stdin, monkeypatch):
    stdin("pendek\n")
    run = cli("user", "add", "--username", "ortala", "--role", "admin", "--password-stdin")
    assert run.code == 1 and "minimal 10 karakter" in run.err
    stdin("")
    run = cli("user", "add", "--username", "ortala", "--role", "admin")
    assert run.code == 1 and "--password-stdin" in run.err


def test_unknown_role_is_a_usage_error(cli):
    run = cli("user", "add", "--username", "x1", "--role", "raja")
    assert run.code == 2 and "pilihan tidak dikenal" in run.err
