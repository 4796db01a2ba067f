"""The login gate of app.py: login page, wrong password, navigation per role, first-admin setup, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from conftest import TIMEOUT, login
from streamlit.testing.v1 import AppTest
from ui_helpers import APP, errors, texts

from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.accounts.sessions import IDLE
from ui.auth import SESSION_KEY, USER_KEY


@pytest.fixture
def nav(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every st.navigation call the router makes, as {section: [page titles]}."""
    seen: list[dict[str, list[str]]] = []
    original = st.navigation

    def record(pages, *args, **kwargs):
        sections = pages if isinstance(pages, dict) else {"": pages}
        seen.append({name: [p.title for p in items] for name, items in sections.items()})
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", record)
    return seen


def fill_login(at: AppTest, username: str, password: str) -> AppTest:
    next(w for w in at.text_input if w.label == "Nama pengguna").set_value(username)
    next(w for w in at.text_input if w.label == "Kata sandi").set_value(password)
    next(b for b in at.button if b.label == "Masuk").click()
    return at.run()


def test_logged_out_user_sees_only_the_login_page(demo, nav):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Masuk ke Kepatuhan"
    # every app URL answers with the login while logged out (deep links survive the login)
    assert set(nav[-1]) == {""} and set(nav[-1][""]) == {"Masuk ke Kepatuhan"}
    assert any("akun-demo.txt" in c for c in texts(at.caption))


def test_wrong_password_and_unknown_user_get_the_same_words(demo, nav):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    fill_login(at, "ortala", "bukan-kata-sandinya")
    assert errors(at) == [accounts.LOGIN_REFUSED]
    assert USER_KEY not in at.session_state and SESSION_KEY not in at.session_state
    fill_login(at, "tidak-ada-orangnya", "bukan-kata-sandinya")
    assert errors(at) == [accounts.LOGIN_REFUSED]
    fill_login(at, "", "")
    assert errors(at) == ["Isi nama pengguna dan kata sandi."]


def test_admin_login_shows_the_administration_section(demo, nav):
    password = demo_accounts.read_demo_accounts(demo.root)["ortala"]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    fill_login(at, "ortala", password)
    assert not at.exception and at.session_state[USER_KEY] == "ortala"
    sections = nav[-1]
    assert sections["Administrasi"] == [
        "Unit & produk", "Periode", "Pengguna", "Impor CSV", "Buka kembali penilaian", "Jejak audit",
    ]  # fmt: skip
    assert "Akun" in sections and "Penilaian unit" in sections
    assert "Masuk sebagai ortala" in texts(at.sidebar.caption)


def test_unit_head_navigation_has_no_admin_or_region_section(demo, nav):
    password = demo_accounts.read_demo_accounts(demo.root)["kadinsos"]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    fill_login(at, "kadinsos", password)
    assert not at.exception
    sections = nav[-1]
    assert "Administrasi" not in sections and "Wilayah (Ortala)" not in sections and "Verifikasi" not in sections
    assert set(sections) == {"Penilaian unit", "Survei", "Tindak lanjut", "Akun"}
    assert sections["Survei"] == ["Tautan survei", "Hasil survei"]  # issue 12: own unit only (checked in services)


@pytest.mark.parametrize("user", ["pimpinan", "verifikator"])
def test_viewer_and_verifier_have_no_admin_section(demo, nav, user):
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT), user).run()
    assert not at.exception and "Administrasi" not in nav[-1]


def test_fresh_install_without_demo_shows_the_one_time_setup(monkeypatch, nav):
    monkeypatch.setenv("KEPATUHAN_DEMO", "0")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert at.title[0].value == "Siapkan admin pertama"
    assert set(nav[-1]) == {""} and set(nav[-1][""]) == {"Siapkan admin pertama"}
    fields = {w.label: w for w in at.text_input}
    fields["Nama pengguna"].set_value("kabag.ortala")
    fields["Nama lengkap"].set_value("Kabag Ortala")
    fields["Kata sandi"].set_value("pendek")
    fields["Ulangi kata sandi"].set_value("pendek")
    next(b for b in at.button if b.label == "Buat admin dan masuk").click()
    at.run()
    assert errors(at) == ["Kata sandi minimal 10 karakter. Gunakan frasa yang mudah Anda ingat."]
    fields = {w.label: w for w in at.text_input}
    fields["Kata sandi"].set_value("sawah-hijau-pagi-2025")
    fields["Ulangi kata sandi"].set_value("sawah-hijau-pagi-2025")
    next(b for b in at.button if b.label == "Buat admin dan masuk").click()
    at.run()
    assert not at.exception and at.session_state[USER_KEY] == "kabag.ortala"
    assert "Administrasi" in nav[-1]
    # the setup page is gone for good: a new browser session gets the login page
    again = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert again.title[0].value == "Masuk ke Kepatuhan"


def test_expired_session_returns_to_login_with_a_message(demo, nav):
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT), "kadinsos", idle=IDLE + dt.timedelta(seconds=1))
    at.run()
    assert at.title[0].value == "Masuk ke Kepatuhan"
    assert texts(at.info) == [
        "Sesi Anda berakhir karena tidak aktif selama 30 menit. Silakan masuk lagi; semua jawaban sudah tersimpan."
    ]
    assert USER_KEY not in at.session_state
