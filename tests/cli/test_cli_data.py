"""`kepatuhan demo`, `backup` and `restore`: round trip, and refusals that leave the old data as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from services.access import Actor
from services.answering.assessing import open_assessment, record_answer, record_tally
from services.answering.evidence_files import attach_evidence, blob_store
from services.catalog import register_file
from services.ops.demo import sample_png
from store import assessments, evidence_records, periods, units
from store.db import connect, db_path, transaction
from store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini-criteria.yaml"


def png(seed: int) -> bytes:
    return sample_png(8, 8, rgb=(seed % 256, 40, 90))


def build_data(root: Path) -> dict:
    """A data directory with answers and two evidence files; return what must survive a round trip."""
    con = connect(root)
    sha = register_file(con, MINI)
    with transaction(con):
        period = periods.add_period(con, name="Penilaian", year=dt.date.today().year, criteria_sha256=sha)
        unit = units.add_unit(con, kind="unit", code="U1", name="Unit Satu")
        units.add_product(con, unit_id=unit, code="A", name="Produk A")
    head = Actor(username="kepala", role="unit_head", unit_id=unit)
    aid = open_assessment(con, head, period_id=period, unit_id=unit).assessment.id
    record_answer(con, head, assessment_id=aid, indicator_id="IN-02", value=3)
    record_answer(con, head, assessment_id=aid, indicator_id="PR-01", subject="product:A", value=2)
    record_tally(con, head, assessment_id=aid, indicator_id="OU-01", counts={2: 21, 1: 9})
    blobs = blob_store(root)
    files = {}
    for n in range(2):
        rec = attach_evidence(
            con, blobs, head, assessment_id=aid, indicator_id="IN-02", data=png(n), file_name=f"f{n}.png"
        )
        files[rec.id] = png(n)
    state = snapshot(con, root)
    con.close()
    return {"assessment": aid, "head": head, "files": files, "state": state}


def snapshot(con, root: Path) -> dict:
    return {
        "answers": con.execute("SELECT * FROM answers ORDER BY ALL").fetchall(),
        "evidence": con.execute("SELECT * FROM evidence ORDER BY id").fetchall(),
        "audit": con.execute("SELECT * FROM audit_events ORDER BY id").fetchall(),
        "blobs": {sha: blob_store(root).get(sha) for sha in blob_store(root).iter_hashes()},
    }


def current(root: Path) -> dict:
    con = connect(root)
    try:
        return snapshot(con, root)
    finally:
        con.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- demo ---------------------------------------------------------------------------------------


def test_demo_seeds_once_then_says_it_is_there(cli, needs_ombudsman, _isolated_data_dir):
    run = cli("demo")
    assert run.code == 0, run
    assert f"Data contoh Kabupaten Sukamaju (DEMO) dibuat di {_isolated_data_dir}" in run.out
    assert db_path(_isolated_data_dir).exists()
    again = cli("demo")
    assert again.code == 0 and "sudah ada" in again.out and "tidak ada yang diubah" in again.out


def test_demo_from_the_cli_brings_the_same_accounts_as_the_apps_first_start(cli, needs_ombudsman, _isolated_data_dir):
    from services.accounts.demo_accounts import DEMO_USERS, read_demo_accounts
    from services.accounts.users import authenticate, needs_setup

    run = cli("demo")
    assert run.code == 0, run
    assert f"Akun demo dan kata sandinya: {_isolated_data_dir / 'akun-demo.txt'}" in run.out
    passwords = read_demo_accounts(_isolated_data_dir)
    assert set(passwords) == {u[0] for u in DEMO_USERS}
    con = connect(_isolated_data_dir)
    try:
        assert not needs_setup(con)  # the app opens on the login page, not the first-admin page
        assert authenticate(con, username="kadinsos", password=passwords["kadinsos"]).username == "kadinsos"
    finally:
        con.close()


def test_demo_refuses_a_database_with_real_units_unless_forced(cli, needs_ombudsman, _isolated_data_dir):
    con = connect(_isolated_data_dir)
    units.add_unit(con, kind="unit", code="ASLI", name="Unit sungguhan")
    con.close()
    run = cli("demo")
    assert run.code == 1 and "sudah berisi 1 unit sungguhan" in run.err and "--force" in run.err
    run = cli("demo", "--force")
    assert run.code == 0 and "dibuat" in run.out


# ---- backup / restore ---------------------------------------------------------------------------


def test_backup_then_restore_round_trip(cli, tmp_path, _isolated_data_dir):
    root = _isolated_data_dir
    built = build_data(root)
    archive = tmp_path / "cadangan.zip"
    run = cli("backup", "--out", archive)
    assert run.code == 0, run
    assert f"Cadangan dibuat: {archive}" in run.out and "2 berkas bukti" in run.out

    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["format"] == "kepatuhan-backup"
    assert manifest["migrations"] == sorted(name for name, _ in MIGRATIONS)
    assert {m["name"] for m in manifest["members"]} | {"manifest.json"} == names
    assert dt.datetime.fromisoformat(manifest["created_at"])
    for member in manifest["members"]:
        with zipfile.ZipFile(archive) as zf:
            data = zf.read(member["name"])
        assert hashlib.sha256(data).hexdigest() == member["sha256"] and len(data) == member["size"]

    # change things after the backup: a new answer, a lost blob
    con = connect(root)
    record_answer(con, built["head"], assessment_id=built["assessment"], indicator_id="IN-02", value=0)
    lost = next(iter(built["state"]["blobs"]))
    blob_store(root).path(lost).unlink()
    con.close()
    assert current(root) != built["state"]

    run = cli("restore", archive)
    assert run.code == 1 and "--force" in run.err  # an existing database is never replaced silently
    run = cli("restore", archive, "--force")
    assert run.code == 0, run
    assert "Data dipulihkan" in run.out and "semua sha256 cocok" in run.out
    assert current(root) == built["state"]
    con = connect(root)
    for evidence_id, data in built["files"].items():
        rec = evidence_records.get(con, evidence_id=evidence_id)
        assert blob_store(root).get(rec.sha256) == data
    assert [r.value for r in assessments.answers_for(con, assessment_id=built["assessment"], indicator_id="IN-02")] == [
        3
    ]
    con.close()
    assert not [p for p in root.iterdir() if p.name.startswith(".restore-")]


def test_restore_into_an_empty_data_dir(cli, tmp_path, _isolated_data_dir, monkeypatch):
    built = build_data(_isolated_data_dir)
    archive = tmp_path / "c.zip"
    assert cli("backup", "--out", archive).code == 0
    fresh = tmp_path / "baru"
    monkeypatch.setenv("KEPATUHAN_DATA_DIR", str(fresh))
    run = cli("restore", archive)
    assert run.code == 0, run
    assert current(fresh) == built["state"]


def rewrite(archive: Path, out: Path, *, change=None, add=None, drop=None, manifest=None) -> Path:
    """Copy an archive member by member, optionally changing, adding or dropping members."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if drop and info.filename == drop:
                continue
            data = src.read(info.filename)
            if info.filename == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif change and change[0](info.filename):
                data = change[1](data)
            dst.writestr(info.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out


def flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF])


TAMPERS = {
    "evidence-bytes-changed": (
        lambda a, o: rewrite(a, o, change=(lambda n: n.startswith("evidence/"), flip_last_byte)),
        "tidak cocok dengan sha256",
    ),
    "database-bytes-changed": (
        lambda a, o: rewrite(a, o, change=(lambda n: n == "kepatuhan.duckdb", flip_last_byte)),
        "tidak cocok dengan sha256",
    ),
    "member-dropped": (
        lambda a, o: rewrite(a, o, drop=next(n for n in zipfile.ZipFile(a).namelist() if n.startswith("evidence/"))),
        "hilang dari arsip",
    ),
    "extra-member": (lambda a, o: rewrite(a, o, add={"evidence/readme.txt": b"hai"}), "tidak aman"),
    "path-traversal": (lambda a, o: rewrite(a, o, add={"../../etc/cron.d/x": b"* * * * * root sh"}), "tidak aman"),
    "absolute-path": (lambda a, o: rewrite(a, o, add={"/tmp/kepatuhan-x": b"x"}), "tidak aman"),
    "traversal-in-manifest": (
        lambda a, o: rewrite(
            a, o, manifest=lambda m: {**m, "members": [*m["members"], {"name": "../x", "sha256": "0" * 64, "size": 1}]}
        ),
        "tidak sah",
    ),
    "manifest-missing": (lambda a, o: rewrite(a, o, drop="manifest.json"), "tidak ada manifest.json"),
    "not-a-kepatuhan-manifest": (lambda a, o: rewrite(a, o, manifest=lambda m: {"format": "lain"}), "bukan milik"),
    "truncated": (
        lambda a, o: (o.write_bytes(a.read_bytes()[: a.stat().st_size // 2]), o)[1],
        "bukan arsip cadangan Kepatuhan yang utuh",
    ),
    "not-a-zip": (lambda a, o: (o.write_bytes(b"%PDF-1.4 bukan zip"), o)[1], "bukan arsip cadangan"),
}


@pytest.mark.parametrize("case", TAMPERS)
def test_tampered_archive_is_refused_and_old_data_unchanged(cli, tmp_path, _isolated_data_dir, case):
    root = _isolated_data_dir
    build_data(root)
    archive = tmp_path / "asli.zip"
    assert cli("backup", "--out", archive).code == 0
    con = connect(root)  # the live data differs from the archive, so a swap would show
    units.add_unit(con, kind="unit", code="BARU", name="Unit setelah cadangan")
    con.close()
    before = current(root)
    db_before = file_hash(db_path(root))
    make, message = TAMPERS[case]
    bad = make(archive, tmp_path / f"{case}.zip")

    run = cli("restore", bad, "--force")
    assert run.code == 1, run
    assert message in run.err, run.err
    assert "Traceback" not in run.err
    assert file_hash(db_path(root)) == db_before
    assert current(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["evidence", "kepatuhan.duckdb"]
    assert not Path("/tmp/kepatuhan-x").exists()


def test_backup_refusals(cli, tmp_path, _isolated_data_dir):
    run = cli("backup", "--out", tmp_path / "a.zip")
    assert run.code == 1 and "Belum ada database" in run.err
    build_data(_isolated_data_dir)
    existing = tmp_path / "ada.zip"
    existing.write_bytes(b"lama")
    run = cli("backup", "--out", existing)
    assert run.code == 1 and "sudah ada" in run.err and existing.read_bytes() == b"lama"
    run = cli("backup", "--out", tmp_path / "tidak" / "ada" / "a.zip")
    assert run.code == 1 and "tidak ada" in run.err
    run = cli("restore", tmp_path / "hilang.zip", "--force")
    assert run.code == 1 and "tidak ditemukan" in run.err
    run = cli("backup")
    assert run.code == 2


def test_backup_and_restore_refuse_while_another_process_holds_the_database(cli_process, tmp_path, _isolated_data_dir):
    import subprocess
    import sys

    build_data(_isolated_data_dir)
    archive = tmp_path / "c.zip"
    env = {"KEPATUHAN_DATA_DIR": str(_isolated_data_dir)}
    assert cli_process("backup", "--out", archive, env=env).code == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from store.db import connect; c = connect(); print('ok', flush=True); "
         "sys.stdin.readline()"],
        cwd=ROOT, env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ok"
        db_before = file_hash(db_path(_isolated_data_dir))
        for args in (("restore", archive, "--force"), ("backup", "--out", tmp_path / "d.zip")):
            run = cli_process(*args, env=env)
            assert run.code == 1, run
            assert "Database sedang dipakai oleh proses lain" in run.err and "Traceback" not in run.err
        assert file_hash(db_path(_isolated_data_dir)) == db_before
        assert not (tmp_path / "d.zip").exists()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
