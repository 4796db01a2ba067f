"""The audit trail page: filters per assessment, user, event type and dates; typed text shown as plain text."""

from __future__ import annotations

import datetime as dt

from conftest import TIMEOUT, login
from streamlit.testing.v1 import AppTest
from ui_helpers import texts

from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.answering.assessing import record_note

HOSTILE = "<b>tebal</b><script>alert('x')</script> **bukan markdown**"


def audit_page(user: str = "ortala") -> AppTest:
    at = AppTest.from_string("from app_pages import audit\naudit.render()\n", default_timeout=TIMEOUT)
    return login(at, user).run()


def _table(at: AppTest):
    return at.dataframe[0].value


def test_admin_sees_the_trail_newest_first_with_old_and_new(demo):
    con = demo.con()
    view = demo.view()
    head = accounts.current_user(con, "kadinsos")
    indicator = view.criteria.dimensions[0].indicators[0].id
    record_note(con, head, assessment_id=view.assessment.id, indicator_id=indicator, note="catatan pertama")
    record_note(con, head, assessment_id=view.assessment.id, indicator_id=indicator, note=HOSTILE)
    at = audit_page()
    assert not at.exception and at.title[0].value == "Jejak audit"
    table = _table(at)
    assert list(table.columns) == ["Waktu", "Pengguna", "Peristiwa", "Penilaian", "Lama", "Baru", "Rincian"]
    newest = table.iloc[0]
    assert (newest["Pengguna"], newest["Peristiwa"]) == ("kadinsos", "Catatan diubah")
    assert (newest["Lama"], newest["Baru"]) == ("catatan pertama", HOSTILE)
    assert newest["Penilaian"] == f"{demo.open_period().name} · {view.unit.name}"
    # typed text is never rendered as HTML or markdown anywhere on the page
    assert not at.get("html") and all("<script" not in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 1
    assert any(c.startswith(f"{len(table)} peristiwa") for c in texts(at.caption))


def test_filters_per_assessment_user_event_and_date(demo):
    con = demo.con()
    view = demo.view()
    head = accounts.current_user(con, "kadinsos")
    indicator = view.criteria.dimensions[0].indicators[0].id
    record_note(con, head, assessment_id=view.assessment.id, indicator_id=indicator, note="cek filter")
    at = audit_page()
    every = len(_table(at))
    at.selectbox(key="audit_assessment").set_value(view.assessment.id)
    at.run()
    assert set(_table(at)["Penilaian"]) == {f"{demo.open_period().name} · {view.unit.name}"}
    assert len(_table(at)) < every
    at.selectbox(key="audit_assessment").set_value(None)
    at.selectbox(key="audit_user").set_value("sistem")
    at.run()
    assert set(_table(at)["Pengguna"]) == {"sistem"}
    at.selectbox(key="audit_event").set_value("user.created")
    at.run()
    assert set(_table(at)["Peristiwa"]) == {"Pengguna dibuat"} and len(_table(at)) == 5
    yesterday = dt.date.today() - dt.timedelta(days=1)
    at.selectbox(key="audit_user").set_value(None)
    at.selectbox(key="audit_event").set_value(None)
    at.date_input(key="audit_to").set_value(yesterday)
    at.run()
    assert not at.dataframe and texts(at.info) == ["Tidak ada peristiwa yang cocok dengan saringan ini."]
    at.date_input(key="audit_from").set_value(dt.date.today())
    at.run()
    assert texts(at.warning) == ["Tanggal awal harus sebelum tanggal akhir."]


def test_logins_and_role_changes_are_in_the_trail(demo):
    con = demo.con()
    password = demo_accounts.read_demo_accounts(demo.root)["kadinsos"]
    accounts.authenticate(con, username="kadinsos", password=password)
    admin = accounts.current_user(con, "ortala")
    accounts.update_user(con, admin, username="kadinsos", display_name="Kadinsos", role="viewer", unit_code=None,
                         active=True)  # fmt: skip
    at = audit_page()
    table = _table(at)
    assert "Berhasil masuk" in set(table["Peristiwa"])
    change = table[table["Peristiwa"] == "Pengguna diubah (peran/unit/aktif)"].iloc[0]
    assert "peran: unit_head" in change["Lama"] and "peran: viewer" in change["Baru"]


def test_viewer_and_verifier_cannot_open_the_trail(demo):
    for user in ("pimpinan", "verifikator", "kadinsos"):
        at = audit_page(user)
        assert texts(at.error) == ["Halaman ini hanya untuk admin (Ortala)."] and not at.dataframe
