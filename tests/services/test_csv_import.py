"""CSV bulk import of units and users: good files, every kind of bad row reported as 'baris N: …',
file-level refusals, and all-or-nothing (a single bad row writes nothing)."""

from __future__ import annotations

import pytest

from services.access import AccessDenied
from services.accounts import users as accounts
from services.admin import csv_import
from services.admin.csv_import import ImportRejected
from store import audit, units
from store import users as user_store

UNITS_HEADER = "kode,nama,jenis,kode_induk,tipe_unit\n"
USERS_HEADER = "nama_pengguna,nama_lengkap,peran,kode_unit,unit_verifikasi,kata_sandi_awal\n"
PW = "awal-yang-panjang-42"


def table(con, name: str) -> list:
    order = {"org_units": "id", "users": "id", "verifier_assignments": "user_id, unit_id", "audit_events": "id"}
    return con.execute(f"SELECT * FROM {name} ORDER BY {order[name]}").fetchall()


def state(con) -> dict:
    return {n: table(con, n) for n in ("org_units", "users", "verifier_assignments", "audit_events")}


def refused(con, call, data: str | bytes) -> list[str]:
    before = state(con)
    with pytest.raises(ImportRejected) as info:
        call(con, ADMIN, data.encode("utf-8") if isinstance(data, str) else data)
    assert state(con) == before, "a refused import wrote something"
    assert str(info.value).startswith("Impor dibatalkan, tidak ada data yang disimpan.")
    return info.value.problems


ADMIN = None  # set per test by the fixture below


@pytest.fixture(autouse=True)
def _admin(world):
    global ADMIN
    ADMIN = world.admin
    yield
    ADMIN = None


# ---- units -------------------------------------------------------------------------------------


def test_good_units_file_in_any_order_with_parents_from_db_and_file(world):
    w = world
    data = UNITS_HEADER + (
        "PKM-1,Puskesmas Satu,unit,DINKES,puskesmas\n"  # parent defined further down
        "dinkes,Dinas Kesehatan,opd,KAB-X,\n"
        "KEC-A,Kecamatan A,unit,KAB-X,kecamatan\n"
    )
    result = csv_import.import_units(w.con, w.admin, data.encode())
    assert result.created == 3 and set(result.codes) == {"PKM-1", "DINKES", "KEC-A"}
    pkm = units.unit_by_code(w.con, code="PKM-1")
    assert units.get_unit(w.con, unit_id=pkm.parent_id).code == "DINKES" and pkm.unit_type == "puskesmas"
    event = audit.events(w.con, limit=1)[0]
    assert event.event == "import.units" and event.actor == "admin" and set(event.payload["new"]) == set(result.codes)


def test_semicolon_separated_excel_file_with_bom(world):
    w = world
    data = "\ufeffkode;nama;jenis;kode_induk;tipe_unit\r\nDINSOS;Dinas Sosial;opd;KAB-X;\r\n".encode()
    assert csv_import.import_units(w.con, w.admin, data).codes == ("DINSOS",)


def test_every_bad_unit_row_is_reported_and_nothing_is_written(world):
    w = world
    data = UNITS_HEADER + (
        "OK-1,Baik,opd,KAB-X,\n"  # line 2 is fine, but is not written either
        "U1,Sudah ada,unit,KAB-X,\n"
        "X-3,Jenis aneh,kantor,KAB-X,\n"
        "X-4,,unit,KAB-X,\n"
        "X-5,Induk hilang,unit,TIDAK-ADA,\n"
        "X-6,Ganda,unit,KAB-X,\n"
        "X-6,Ganda lagi,unit,KAB-X,\n"
        "X-8,OPD di bawah OPD,opd,OK-1,\n"
        "X-9,Pemda berinduk,pemda,KAB-X,\n"
        "X-10,Unit tanpa induk,unit,,\n"
        "X-11,Kurang kolom,unit\n"
        "kode salah!,Kode aneh,unit,KAB-X,\n"
    )
    problems = refused(w.con, csv_import.import_units, data)
    expected = [
        ("baris 3:", "'U1' sudah ada di database"),
        ("baris 4:", "jenis 'kantor' tidak dikenal"),
        ("baris 5:", "kolom 'nama' kosong"),
        ("baris 6:", "kode_induk 'TIDAK-ADA' tidak dikenal"),
        ("baris 8:", "'X-6' ganda (sudah ada di baris 7)"),
        ("baris 9:", "induk harus lebih tinggi"),
        ("baris 10:", "tidak punya induk"),
        ("baris 11:", "harus punya induk"),
        ("baris 12:", "3 kolom, seharusnya 5"),
        ("baris 13:", "tidak valid"),
    ]
    assert len(problems) == len(expected), problems
    for (where, why), got in zip(expected, problems, strict=True):
        assert got.startswith(where) and why in got, got


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (b"kode,nama,jenis\n", "hanya berisi baris judul"),
        (b"kode,nama\nX,Y\n", "kolom wajib tidak ada: jenis"),
        ("kode,nama,jenis,kode_induk\nDINSOS,Dinas Sosial Café,opd,KAB-X\n".encode("latin-1"), "bukan UTF-8"),
        ("kode,nama,jenis\nX,Y,opd\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "berkas Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bukan CSV"),
        (b"Ini surat biasa, bukan tabel.\nSalam.\n", "kolom wajib tidak ada"),
        (b'kode,nama,jenis,kode_induk\n"DINSOS,Dinas,opd,KAB-X\n', "bukan CSV yang benar"),
        (b"kode,nama,jenis,alamat\nX,Y,opd,Jl. A\n", "kolom tidak dikenal: alamat"),
    ],
)
def test_file_level_refusals(world, data, message):
    problems = refused(world.con, csv_import.import_units, data)
    assert any(message in p for p in problems), problems
    assert all(p.startswith(("baris ", "berkas:")) for p in problems)


def test_latin1_error_names_the_line(world):
    data = (UNITS_HEADER + "A-1,Baik,opd,KAB-X,\nA-2,Kantor Café,opd,KAB-X,\n").encode("latin-1")
    assert refused(world.con, csv_import.import_units, data)[0].startswith("baris 3: berkas bukan UTF-8")


# ---- users -------------------------------------------------------------------------------------


def test_good_users_file(world):
    w = world
    data = USERS_HEADER + (
        f"Kepala.U1,Kepala Unit Satu,kepala_unit,u1,,{PW}\n"
        f"verif1,Verifikator,verifikator,,U1;U2,{PW}\n"
        f"pimpinan,Pimpinan,pembaca,,,{PW}\n"
        f"ortala2,Admin kedua,admin,,,{PW}\n"
    )
    result = csv_import.import_users(w.con, w.admin, data.encode())
    assert result.codes == ("kepala.u1", "verif1", "pimpinan", "ortala2")
    head = user_store.by_username(w.con, username="kepala.u1")
    assert (head.role, head.unit_id) == ("unit_head", w.unit) and head.password_hash.startswith("$argon2id$")
    verifier = accounts.authenticate(w.con, username="verif1", password=PW)
    assert verifier.verifier_units == {w.unit, w.other_unit}
    assert {u.role for u in user_store.list_all(w.con)} == {"unit_head", "verifier", "viewer", "admin"}
    created = [e for e in audit.events(w.con) if e.event == "user.created"]
    assert len(created) == 4 and all(PW not in str(e.payload) for e in created)


def test_every_bad_user_row_is_reported_and_nothing_is_written(world):
    w = world
    accounts.create_user(w.con, w.admin, username="sudahada", display_name="", password=PW, role="viewer")
    data = USERS_HEADER + (
        f"baik,Baik,viewer,,,{PW}\n"
        f"sudahada,Dobel db,viewer,,,{PW}\n"
        f"raja1,Raja,raja,,,{PW}\n"
        f"kepala9,Tanpa unit,unit_head,,,{PW}\n"
        f"kepala8,Unit hilang,unit_head,NOPE,,{PW}\n"
        "lemah1,Lemah,viewer,,,12345\n"
        f"ganda,Ganda,viewer,,,{PW}\n"
        f"ganda,Ganda lagi,viewer,,,{PW}\n"
        f"v9,Nama pendek,viewer,,,{PW}\n"
        f"verif9,Unit verifikasi hilang,verifier,,U1;NOPE,{PW}\n"
        f"pembaca9,Pembaca bukan verifikator,viewer,,U1,{PW}\n"
        "tanpasandi,Tanpa sandi,viewer,,,\n"
        f"kepala7,Kepala pemda,unit_head,KAB-X,,{PW}\n"
    )
    problems = refused(w.con, csv_import.import_users, data)
    expected = [
        ("baris 3:", "'sudahada' sudah dipakai"),
        ("baris 4:", "peran 'raja' tidak dikenal"),
        ("baris 5:", "kepala unit wajib punya kode_unit"),
        ("baris 6:", "kode_unit 'NOPE' tidak ditemukan"),
        ("baris 7:", "kata sandi awal lemah"),
        ("baris 9:", "'ganda' ganda (sudah ada di baris 8)"),
        ("baris 10:", "nama pengguna 'v9' tidak valid"),
        ("baris 11:", "unit_verifikasi 'NOPE' tidak ditemukan"),
        ("baris 12:", "unit_verifikasi hanya untuk peran verifier"),
        ("baris 13:", "kolom 'kata_sandi_awal' kosong"),
        ("baris 14:", "bukan unit layanan"),
    ]
    assert len(problems) == len(expected), problems
    for (where, why), got in zip(expected, problems, strict=True):
        assert got.startswith(where) and why in got, got
    assert user_store.by_username(w.con, username="baik") is None


def test_users_file_missing_a_required_column(world):
    data = "nama_pengguna,peran\nbudi,viewer\n"
    problems = refused(world.con, csv_import.import_users, data)
    assert problems == [
        "baris 1: kolom wajib tidak ada: kata_sandi_awal. Baris judul harus: "
        "nama_pengguna,nama_lengkap,peran,kode_unit,unit_verifikasi,kata_sandi_awal"
    ]


def test_only_admins_import(world):
    w = world
    for actor in (w.head, w.viewer):
        with pytest.raises(AccessDenied):
            csv_import.import_units(w.con, actor, (UNITS_HEADER + "X,Y,opd,KAB-X,\n").encode())
        with pytest.raises(AccessDenied):
            csv_import.import_users(w.con, actor, (USERS_HEADER + f"budi,B,admin,,,{PW}\n").encode())
