"""The account page: who am I, change my password (with every refusal), log out."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_helpers import TIMEOUT, errors, login, texts

from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.accounts.users import AccountError
from ui.auth import USER_KEY


@pytest.fixture
def account_page(demo):
    def make() -> AppTest:
        at = AppTest.from_string("from app_pages import account\naccount.render()\n", default_timeout=TIMEOUT)
        login(at, "kadinsos")
        return at.run()

    return make


def _change(at: AppTest, old: str, new: str, again: str) -> AppTest:
    fields = at.text_input
    fields[0].input(old)
    fields[1].input(new)
    fields[2].input(again)
    return at.button[0].click().run()  # the form's submit button


def test_page_says_who_is_logged_in_and_with_which_role(account_page):
    at = account_page()
    assert not at.exception
    assert "Masuk sebagai kadinsos · peran: Kepala unit" in texts(at.text)


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("salah-sekali-123", "Sandi-baru-yang-panjang", "Sandi-baru-yang-panjang", "Kata sandi lama salah."),
        (None, "Sandi-baru-yang-panjang", "Sandi-lain-yang-panjang", "Kedua kata sandi tidak sama."),
        (None, "pendek1", "pendek1", "Kata sandi minimal 10 karakter"),
        (None, "1234567890123", "1234567890123", "terlalu mudah ditebak"),
    ],
)
def test_bad_password_changes_are_refused_and_the_old_password_still_works(account_page, demo, old, new, again,
                                                                           message):
    current = demo_accounts.read_demo_accounts(demo.root)["kadinsos"]
    at = _change(account_page(), current if old is None else old, new, again)
    assert any(message in e for e in errors(at)), errors(at)
    assert accounts.authenticate(demo.con(), username="kadinsos", password=current).username == "kadinsos"


def test_password_change_takes_effect(account_page, demo):
    current = demo_accounts.read_demo_accounts(demo.root)["kadinsos"]
    at = _change(account_page(), current, "Sandi-baru-yang-panjang", "Sandi-baru-yang-panjang")
    assert not errors(at)
    assert [s.value for s in at.success] == ["Kata sandi berhasil diganti."]
    assert accounts.authenticate(demo.con(), username="kadinsos", password="Sandi-baru-yang-panjang")
    with pytest.raises(AccountError):
        accounts.authenticate(demo.con(), username="kadinsos", password=current)


def test_logout_ends_the_session(account_page):
    at = account_page()
    logout = next(b for b in at.button if b.label == "Keluar")
    at = logout.click().run()
    assert USER_KEY not in at.session_state
