"""Bulk import of units and users from CSV: every bad row is reported, and nothing is written unless the
whole file is valid (one transaction).

units.csv: kode,nama,jenis,kode_induk,tipe_unit
users.csv: nama_pengguna,nama_lengkap,peran,kode_unit,unit_verifikasi,kata_sandi_awal
(unit_verifikasi: unit codes separated by ';'). The separator may be ',' or ';' (Excel in Indonesia).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import duckdb

from assessment.errors import KepatuhanError
from services.access import Actor, require_admin
from services.accounts.users import ROLES, USERNAME, check_password_rules, hash_password
from services.admin.setup import KINDS, code_problem, normalize_code, placement_problem
from services.audit_events import UnitsImported, UserCreated, UsersImported
from services.common import now
from store import audit, units
from store import users as user_store
from store.db import transaction

UNIT_COLUMNS = ("kode", "nama", "jenis", "kode_induk", "tipe_unit")
UNIT_REQUIRED = ("kode", "nama", "jenis")
USER_COLUMNS = ("nama_pengguna", "nama_lengkap", "peran", "kode_unit", "unit_verifikasi", "kata_sandi_awal")
USER_REQUIRED = ("nama_pengguna", "peran", "kata_sandi_awal")
ROLE_ALIASES = {
    "admin": "admin",
    "ortala": "admin",
    "verifier": "verifier",
    "verifikator": "verifier",
    "unit_head": "unit_head",
    "kepala_unit": "unit_head",
    "kepala unit": "unit_head",
    "viewer": "viewer",
    "pembaca": "viewer",
}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class ImportRejected(KepatuhanError):
    """The file was refused; `problems` lists every reason ('baris N: …'). Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = sorted(problems, key=_line_of)  # stable: a row's reasons stay in the order found
        head = "Impor dibatalkan, tidak ada data yang disimpan. Perbaiki berkasnya lalu unggah lagi:"
        super().__init__("\n".join([head, *self.problems]))


def _line_of(problem: str) -> int:
    head = problem.split(":", 1)[0]
    return int(head[6:]) if head.startswith("baris ") and head[6:].isdigit() else 0


@dataclass(frozen=True)
class ImportResult:
    created: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, str]


def read_rows(data: bytes, columns: tuple[str, ...], required: tuple[str, ...]) -> tuple[list[_Row], list[str]]:
    """Decode and parse. File-level problems (encoding, not a CSV, header) refuse the file at once;
    row-level ones (wrong column count, empty required cell) are returned with the good rows."""
    if not data.strip():
        raise ImportRejected(["berkas: kosong. Isi baris judul kolom dan paling sedikit satu baris data."])
    if len(data) > MAX_BYTES:
        raise ImportRejected([f"berkas: terlalu besar (maksimal {MAX_BYTES // (1024 * 1024)} MB)."])
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRejected(["berkas: ini berkas Excel, bukan CSV. Di Excel pilih Simpan Sebagai → CSV UTF-8."])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportRejected(["berkas: berkas UTF-16, bukan UTF-8. Di Excel pilih Simpan Sebagai → CSV UTF-8."])
    if b"\x00" in data[:4096]:
        raise ImportRejected(["berkas: bukan CSV (berisi data biner). Unggah berkas teks .csv."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [f"baris {line}: berkas bukan UTF-8. Di Excel pilih Simpan Sebagai → CSV UTF-8 (dipisah koma)."]
        ) from None
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (csv.Error, StopIteration):
        raise ImportRejected(["baris 1: bukan CSV yang bisa dibaca."]) from None
    missing = [c for c in required if c not in header]
    if missing:
        expected = ",".join(columns)
        raise ImportRejected(
            [f"baris 1: kolom wajib tidak ada: {', '.join(missing)}. Baris judul harus: {expected}"]
            + ([] if len(header) > 1 else ["berkas: ini tampaknya bukan CSV (hanya satu kolom)."])
        )
    unknown = [h for h in header if h and h not in columns]
    problems = (
        [f"baris 1: kolom tidak dikenal: {', '.join(unknown)} (yang dikenal: {','.join(columns)})"] if unknown else []
    )
    rows: list[_Row] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(f"baris {reader.line_num}: {len(record)} kolom, seharusnya {len(header)}")
                continue
            values = {c: "" for c in columns}
            values.update({h: cell.strip() for h, cell in zip(header, record, strict=True) if h in columns})
            rows.append(_Row(reader.line_num, values))
            if len(rows) > MAX_ROWS:
                raise ImportRejected([f"berkas: lebih dari {MAX_ROWS} baris; bagi menjadi beberapa berkas."])
    except csv.Error as exc:
        problems.append(f"baris {reader.line_num}: bukan CSV yang benar ({exc}); periksa tanda kutip.")
    if not rows and not problems:
        raise ImportRejected(["berkas: hanya berisi baris judul; tidak ada data untuk diimpor."])
    good = []
    for row in rows:
        empty = [c for c in required if not row.values[c]]
        if empty:
            problems.append(f"baris {row.line}: kolom {', '.join(repr(c) for c in empty)} kosong")
        else:
            good.append(row)
    return good, problems


# ---- units -------------------------------------------------------------------------------------


def import_units(con: duckdb.DuckDBPyConnection, actor: Actor, data: bytes) -> ImportResult:
    require_admin(actor)
    rows, problems = read_rows(data, UNIT_COLUMNS, UNIT_REQUIRED)
    existing = {u.code: u for u in units.list_units(con)}
    in_file: dict[str, tuple[int, str]] = {}  # code -> (line, kind)
    for row in rows:
        code = normalize_code(row.values["kode"])
        kind = row.values["jenis"].strip().lower()
        why = code_problem(code)
        if why:
            problems.append(f"baris {row.line}: {why}")
        elif code in existing:
            problems.append(f"baris {row.line}: kode '{code}' sudah ada di database")
        elif code in in_file:
            problems.append(f"baris {row.line}: kode '{code}' ganda (sudah ada di baris {in_file[code][0]})")
        else:
            in_file[code] = (row.line, kind)
        if kind not in KINDS:
            problems.append(f"baris {row.line}: jenis '{row.values['jenis']}' tidak dikenal; isi pemda, opd atau unit")
        if len(row.values["nama"]) > 120:
            problems.append(f"baris {row.line}: nama terlalu panjang (maksimal 120 karakter)")
    for row in rows:
        kind = row.values["jenis"].strip().lower()
        if kind not in KINDS:
            continue
        parent_code = normalize_code(row.values["kode_induk"])
        parent_kind = None
        if parent_code:
            if parent_code in existing:
                parent_kind = existing[parent_code].kind
            elif parent_code in in_file:
                parent_kind = in_file[parent_code][1]
            else:
                problems.append(f"baris {row.line}: kode_induk '{parent_code}' tidak dikenal (tidak ada di database "
                                "maupun di berkas ini)")  # fmt: skip
                continue
        why = placement_problem(kind, parent_kind if parent_kind in KINDS else None, parent_code)
        if why:
            problems.append(f"baris {row.line}: {why}")
    if problems:
        raise ImportRejected(problems)
    ordered = sorted(rows, key=lambda r: KINDS.index(r.values["jenis"].strip().lower()))
    at = now()
    created: list[str] = []
    with transaction(con):
        ids = {code: u.id for code, u in existing.items()}
        for row in ordered:
            code = normalize_code(row.values["kode"])
            parent_code = normalize_code(row.values["kode_induk"])
            ids[code] = units.add_unit(
                con,
                kind=row.values["jenis"].strip().lower(),  # type: ignore[arg-type]
                code=code,
                name=" ".join(row.values["nama"].split()),
                parent_id=ids[parent_code] if parent_code else None,
                unit_type=row.values["tipe_unit"] or None,
            )
            created.append(code)
        audit.append(con, actor=actor.username, event=UnitsImported(old=None, new=created), at=at)
    return ImportResult(len(created), tuple(created))


# ---- users -------------------------------------------------------------------------------------


def import_users(con: duckdb.DuckDBPyConnection, actor: Actor, data: bytes) -> ImportResult:
    require_admin(actor)
    rows, problems = read_rows(data, USER_COLUMNS, USER_REQUIRED)
    unit_ids = {u.code: u.id for u in units.list_units(con)}
    service_units = {u.code for u in units.list_units(con, kind="unit")}
    taken = {u.username for u in user_store.list_all(con)}
    seen: dict[str, int] = {}
    planned = []
    for row in rows:
        n = row.line
        username = row.values["nama_pengguna"].strip().lower()
        role = ROLE_ALIASES.get(row.values["peran"].strip().lower())
        unit_code = normalize_code(row.values["kode_unit"])
        verifies = [normalize_code(c) for c in row.values["unit_verifikasi"].split(";") if c.strip()]
        password = row.values["kata_sandi_awal"]
        if not USERNAME.match(username):
            problems.append(f"baris {n}: nama pengguna '{username}' tidak valid (3–40 huruf kecil, angka, . _ -)")
        elif username in taken:
            problems.append(f"baris {n}: nama pengguna '{username}' sudah dipakai")
        elif username in seen:
            problems.append(f"baris {n}: nama pengguna '{username}' ganda (sudah ada di baris {seen[username]})")
        else:
            seen[username] = n
        if role is None:
            problems.append(
                f"baris {n}: peran '{row.values['peran']}' tidak dikenal; isi salah satu: {', '.join(ROLES)} "
                "(atau verifikator, kepala_unit, pembaca)"
            )
        if unit_code and unit_code not in unit_ids:
            problems.append(f"baris {n}: kode_unit '{unit_code}' tidak ditemukan")
        if role == "unit_head" and not unit_code:
            problems.append(f"baris {n}: kepala unit wajib punya kode_unit")
        elif role == "unit_head" and unit_code in unit_ids and unit_code not in service_units:
            problems.append(f"baris {n}: kode_unit '{unit_code}' bukan unit layanan (jenis unit)")
        for code in verifies:
            if code not in unit_ids:
                problems.append(f"baris {n}: unit_verifikasi '{code}' tidak ditemukan")
        if verifies and role not in ("verifier", None):
            problems.append(f"baris {n}: unit_verifikasi hanya untuk peran verifier")
        try:
            check_password_rules(password, username)
        except KepatuhanError as exc:
            problems.append(f"baris {n}: kata sandi awal lemah — {exc}")
        planned.append((username, row.values["nama_lengkap"], role, unit_code, verifies, password))
    if problems:
        raise ImportRejected(problems)
    hashed = [hash_password(p[5]) for p in planned]  # slow on purpose (argon2): do it before the transaction
    at = now()
    with transaction(con):
        for (username, display, role, unit_code, verifies, _), password_hash in zip(planned, hashed, strict=True):
            user_id = user_store.add(
                con,
                username=username,
                display_name=" ".join(display.split()) or username,
                password_hash=password_hash,
                role=role,  # type: ignore[arg-type]
                unit_id=unit_ids[unit_code] if unit_code else None,
                at=at,
            )
            if role == "verifier":
                user_store.set_verifier_units(con, user_id=user_id, unit_ids={unit_ids[c] for c in verifies})
            audit.append(
                con,
                actor=actor.username,
                event=UserCreated(user=username, role=role, unit=unit_code or None, verifies=verifies, csv=True),
                at=at,
            )
        audit.append(con, actor=actor.username, event=UsersImported(old=None, new=list(seen)), at=at)
    return ImportResult(len(planned), tuple(p[0] for p in planned))
