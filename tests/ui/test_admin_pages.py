"""Admin pages in AppTest on the seeded demo: units & products, periods, users, CSV import, reopening.
Each page refuses non-admins, and every change lands in the database through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TIMEOUT, login
from streamlit.testing.v1 import AppTest
from ui_helpers import errors, texts

from services.access import SYSTEM
from services.accounts import users as accounts
from services.answering.assessing import open_assessment
from services.answering.results import submit
from store import assessments, audit, periods, units
from store import users as user_store

ADMIN = "ortala"


def page(function: str, module: str = "admin", user: str = ADMIN) -> AppTest:
    at = AppTest.from_string(f"from app_pages import {module}\n{module}.{function}()\n", default_timeout=TIMEOUT)
    return login(at, user).run()


def field(widgets, form: str, label: str):
    found = [w for w in widgets if w.form_id == form and w.label == label]
    assert len(found) == 1, f"{form}/{label}: {[(w.form_id, w.label) for w in widgets]}"
    return found[0]


def submit_button(at: AppTest, form: str, label: str | None = None):
    return next(b for b in at.button if b.form_id == form and (label is None or b.label == label))


def successes(at: AppTest) -> list[str]:
    return texts(at.success)


@pytest.mark.parametrize(
    ("module", "function"),
    [
        ("admin", "render_units"),
        ("admin", "render_periods"),
        ("admin", "render_reopen"),
        ("admin_users", "render_users"),
        ("admin_users", "render_import"),
        ("audit", "render"),
    ],
)
@pytest.mark.parametrize("user", ["kadinsos", "verifikator", "pimpinan"])
def test_admin_pages_refuse_everyone_else(demo, module, function, user):
    at = page(function, module, user)
    assert not at.exception
    assert errors(at) == ["Halaman ini hanya untuk admin (Ortala)."]
    assert not at.dataframe and not at.text_input


def test_units_page_shows_the_hierarchy_and_adds_a_unit(demo):
    at = page("render_units")
    assert not at.exception and at.title[0].value == "Unit & produk layanan"
    table = at.dataframe[0].value
    assert table["Kode"].iloc[0] == "KAB-SUKAMAJU" and table["Jenis"].iloc[0] == "Pemda (wilayah)"
    assert (table["Induk"] == "KAB-SUKAMAJU").sum() >= 2
    field(at.selectbox, "admin_add_unit", "Jenis").set_value("opd")
    field(at.text_input, "admin_add_unit", "Kode").set_value("dinkes-2")
    field(at.text_input, "admin_add_unit", "Nama").set_value("Dinas Kesehatan Dua")
    parent = field(at.selectbox, "admin_add_unit", "Induk")
    parent.select_index(next(i for i, o in enumerate(parent.options) if o.startswith("KAB-SUKAMAJU")))
    submit_button(at, "admin_add_unit").click()
    at.run()
    assert not at.exception and successes(at) == ["Unit DINKES-2 ditambahkan."]
    assert "DINKES-2" in set(at.dataframe[0].value["Kode"])
    added = units.unit_by_code(demo.con(), code="DINKES-2")
    assert added.kind == "opd" and added.name == "Dinas Kesehatan Dua"


def test_units_page_explains_a_refusal_and_writes_nothing(demo):
    at = page("render_units")
    before = len(units.list_units(demo.con()))
    field(at.selectbox, "admin_add_unit", "Jenis").set_value("unit")
    field(at.text_input, "admin_add_unit", "Kode").set_value("YATIM")
    field(at.text_input, "admin_add_unit", "Nama").set_value("Unit tanpa induk")
    submit_button(at, "admin_add_unit").click()
    at.run()
    assert errors(at) == ["Unit layanan harus punya induk (kode_induk): pemda atau opd."]
    assert len(units.list_units(demo.con())) == before


def test_products_add_and_answered_product_refused(demo):
    at = page("render_units")
    chooser = at.selectbox(key="admin_product_unit")
    chooser.select_index(next(i for i, o in enumerate(chooser.options) if o.startswith(f"{demo.unit().code} ")))
    at.run()
    form = f"admin_add_product:{demo.unit().code}"
    field(at.text_input, form, "Kode").set_value("BARU")
    field(at.text_input, form, "Nama").set_value("Layanan baru")
    submit_button(at, form).click()
    at.run()
    assert successes(at) == ["Produk BARU ditambahkan."], errors(at)
    answered = next(r.subject[8:] for rows in demo.view().answers.values() for r in rows if r.subject[:8] == "product:")
    form = f"admin_change_product:{demo.unit().code}"
    chooser = field(at.selectbox, form, "Produk")
    chooser.select_index(next(i for i, p in enumerate(chooser.options) if p.startswith(f"{answered} ")))
    submit_button(at, form, "Hapus produk").click()
    at.run()
    assert "sudah dijawab" in errors(at)[0]
    assert answered in [p.code for p in units.products(demo.con(), unit_id=demo.unit().id)]


def test_periods_page_creates_and_closes_a_period(demo):
    at = page("render_periods")
    assert not at.exception and len(at.dataframe[0].value) == 2
    year = dt.date.today().year + 1
    field(at.text_input, "admin_add_period", "Nama").set_value(f"Penilaian {year}")
    field(at.number_input, "admin_add_period", "Tahun").set_value(year)
    field(at.date_input, "admin_add_period", "Dibuka").set_value(dt.date(year, 1, 5))
    field(at.date_input, "admin_add_period", "Ditutup").set_value(dt.date(year, 12, 20))
    submit_button(at, "admin_add_period").click()
    at.run()
    assert successes(at) == [f"Periode 'Penilaian {year}' dibuat."], errors(at)
    created = periods.period_by_name(demo.con(), name=f"Penilaian {year}")
    assert created.status == "open" and created.criteria_sha256 == demo.open_period().criteria_sha256
    pick = at.selectbox(key="admin_period_pick")
    pick.select_index(next(i for i, x in enumerate(pick.options) if x.startswith(f"Penilaian {year}")))
    at.run()
    at.button(key=f"admin_period_closed:{created.id}").click()
    at.run()
    assert successes(at) == [f"Periode 'Penilaian {year}' ditutup."]
    assert periods.get_period(demo.con(), period_id=created.id).status == "closed"


def test_periods_page_refuses_bad_dates(demo):
    at = page("render_periods")
    field(at.text_input, "admin_add_period", "Nama").set_value("Periode terbalik")
    field(at.date_input, "admin_add_period", "Dibuka").set_value(dt.date(2030, 6, 1))
    field(at.date_input, "admin_add_period", "Ditutup").set_value(dt.date(2030, 1, 1))
    submit_button(at, "admin_add_period").click()
    at.run()
    assert any("sebelum atau sama dengan tanggal ditutup" in e for e in errors(at))
    assert periods.period_by_name(demo.con(), name="Periode terbalik") is None


def test_users_page_lists_without_hashes_adds_edits_and_resets(demo):
    at = page("render_users", "admin_users")
    table = at.dataframe[0].value
    assert {"ortala", "kadinsos", "verifikator"} <= set(table["Nama pengguna"])
    assert not any("$argon2" in str(v) for v in table.to_numpy().ravel())
    form = "admin_add_user"
    field(at.text_input, form, "Nama pengguna").set_value("kepala.pkm")
    field(at.text_input, form, "Nama lengkap").set_value("Kepala Puskesmas")
    field(at.selectbox, form, "Peran").set_value("unit_head")
    unit = field(at.selectbox, form, "Unit (untuk kepala unit)")
    unit.set_value(next(o for o in unit.options if o.startswith("PKM-")).split(" — ")[0])
    field(at.text_input, form, "Kata sandi awal").set_value("teh-manis-hangat-31")
    field(at.text_input, form, "Ulangi kata sandi").set_value("teh-manis-hangat-31")
    submit_button(at, form).click()
    at.run()
    assert successes(at) and successes(at)[0].startswith("Pengguna kepala.pkm dibuat."), errors(at)
    assert accounts.authenticate(demo.con(), username="kepala.pkm", password="teh-manis-hangat-31").role == "unit_head"
    # edit: make kadinsos a viewer, then deactivate
    pick = at.selectbox(key="admin_user_pick")
    pick.select_index(next(i for i, u in enumerate(pick.options) if u.startswith("kadinsos")))
    at.run()
    form = "admin_edit_user:kadinsos"
    field(at.selectbox, form, "Peran").set_value("viewer")
    field(at.checkbox, form, "Akun aktif").uncheck()
    submit_button(at, form).click()
    at.run()
    assert successes(at) == ["Pengguna kadinsos diperbarui."], errors(at)
    user = user_store.by_username(demo.con(), username="kadinsos")
    assert (user.role, user.active) == ("viewer", False)
    change = next(e for e in audit.events(demo.con(), event="user.updated"))
    assert change.actor == ADMIN and change.payload["old"]["role"] == "unit_head"
    assert change.payload["new"]["role"] == "viewer"
    # reset a password (also unlocks)
    form = "admin_reset_password"
    field(at.selectbox, form, "Pengguna").set_value("verifikator")
    field(at.text_input, form, "Kata sandi baru").set_value("kopi-susu-dingin-88")
    field(at.text_input, form, "Ulangi kata sandi").set_value("kopi-susu-dingin-88")
    submit_button(at, form).click()
    at.run()
    assert successes(at) == ["Kata sandi verifikator diatur ulang dan kuncinya dibuka."], errors(at)
    assert accounts.authenticate(demo.con(), username="verifikator", password="kopi-susu-dingin-88")


def test_import_page_shows_row_errors_then_imports_a_good_file(demo):
    at = page("render_import", "admin_users")
    assert len(at.get("download_button")) == 2
    uploader = at.file_uploader(key="import_file_units")
    bad = b"kode,nama,jenis,kode_induk,tipe_unit\nKEC-1,Kecamatan Satu,unit,TIDAK-ADA,\nKEC-2,,unit,KAB-SUKAMAJU,\n"
    uploader.set_value([("units.csv", bad, "text/csv")])
    submit_button(at, "import_units").click()
    at.run()
    assert errors(at)[0].startswith("Impor units.csv dibatalkan: 2 masalah ditemukan.")
    problems = at.dataframe[0].value
    assert list(problems["Letak"]) == ["baris 2", "baris 3"]
    assert "TIDAK-ADA" in problems["Masalah"].iloc[0]
    assert units.unit_by_code(demo.con(), code="KEC-1") is None
    good = b"kode,nama,jenis,kode_induk,tipe_unit\nKEC-1,Kecamatan Satu,unit,KAB-SUKAMAJU,kecamatan\n"
    at.file_uploader(key="import_file_units").set_value([("units.csv", good, "text/csv")])
    submit_button(at, "import_units").click()
    at.run()
    assert successes(at) == ["1 unit diimpor: KEC-1."], errors(at)
    assert units.unit_by_code(demo.con(), code="KEC-1").unit_type == "kecamatan"


def test_reopen_page_needs_a_reason_and_reopens(demo):
    con = demo.con()
    view = open_assessment(con, SYSTEM, period_id=demo.open_period().id, unit_id=demo.unit("DUKCAPIL").id)
    submit(con, SYSTEM, assessment_id=view.assessment.id)
    at = page("render_reopen")
    choice = at.selectbox[0]
    target = next(i for i, a in enumerate(choice.options) if "(DUKCAPIL)" in a and demo.open_period().name in a)
    choice.select_index(target)
    submit_button(at, "admin_reopen").click()
    at.run()
    assert any("alasan" in e.lower() for e in errors(at))
    assert assessments.get(con, assessment_id=view.assessment.id).status == "submitted"
    at.selectbox[0].select_index(target)
    at.text_area[0].set_value("Bukti maklumat pelayanan salah unggah")
    submit_button(at, "admin_reopen").click()
    at.run()
    assert successes(at) and "dibuka kembali" in successes(at)[0], errors(at)
    assert assessments.get(con, assessment_id=view.assessment.id).status == "reopened"
    event = next(e for e in audit.events(con, event="assessment.reopened"))
    assert event.actor == ADMIN and event.payload["reason"] == "Bukti maklumat pelayanan salah unggah"


def test_reopen_in_a_closed_period_is_explained(demo):
    at = page("render_reopen")
    choice = at.selectbox[0]
    closed = demo.closed_period().name
    choice.select_index(next(i for i, a in enumerate(choice.options) if a.startswith(closed)))
    at.text_area[0].set_value("Ingin memperbaiki data tahun lalu")
    submit_button(at, "admin_reopen").click()
    at.run()
    assert any("sudah ditutup" in e and "Buka periodenya dulu" in e for e in errors(at))


def test_english_switch_translates_the_admin_pages(demo):
    at = AppTest.from_string("from app_pages import admin\nadmin.render_units()\n", default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    login(at, ADMIN).run()
    assert at.title[0].value == "Units & service products"
    assert "Code" in at.dataframe[0].value.columns
