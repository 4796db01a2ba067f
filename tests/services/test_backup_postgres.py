"""Backup and restore of the scaled deployment (issue 11) through the operator's commands: `kepatuhan backup` /
`kepatuhan restore` with KEPATUHAN_DATABASE_URL set use pg_dump / pg_restore and a hashed listing of the
evidence objects; a damaged or incomplete archive is refused whole and the database stays as it was."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from services.answering.assessing import record_answer
from services.answering.evidence_files import attach_evidence, evidence_download
from services.ops.demo import sample_png
from store import assessments
from store.db import connect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres_only


def kepatuhan(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def answered(w) -> dict[tuple[str, str], float | None]:
    return {(a.indicator_id, a.subject): a.value for a in assessments.answers(w.con, assessment_id=w.assessment)}


def fill(w) -> str:
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    record = attach_evidence(
        w.con, w.blobs, w.head, assessment_id=w.assessment, indicator_id="IN-02",
        data=sample_png(6, 4, rgb=(10, 90, 30)), file_name="papan.png",
    )  # fmt: skip
    return record.sha256


def test_backup_then_restore_brings_the_database_back_and_the_objects_are_checked(s3_evidence_env, world, tmp_path):
    w = world
    sha = fill(w)
    before = answered(w)
    archive = tmp_path / "cadangan.zip"

    made = kepatuhan("backup", "--out", str(archive))
    assert made.returncode == 0, made.stderr
    assert "Cadangan PostgreSQL dibuat" in made.stdout and "1 berkas bukti didaftar" in made.stdout
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        listing = json.loads(zf.read("evidence.json"))
    assert manifest["evidence_in"] == "object_storage" and [o["sha256"] for o in listing] == [sha]

    # the unit keeps working after the backup; the restore brings back the state of the backup
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0, expected_revision=1)
    refused = kepatuhan("restore", str(archive))
    assert refused.returncode != 0 and "sudah berisi data" in refused.stderr and "Traceback" not in refused.stderr
    assert answered(w)[("IN-02", "unit")] == 0.0  # refused: nothing changed

    done = kepatuhan("restore", str(archive), "--force")
    assert done.returncode == 0, done.stderr
    fresh = connect(w.root)
    try:
        rows = assessments.answers(fresh, assessment_id=w.assessment)
        assert {(a.indicator_id, a.subject): a.value for a in rows} == before
        evidence_id = fresh.execute("SELECT id FROM evidence WHERE sha256 = ?", [sha]).fetchone()[0]
        download = evidence_download(fresh, w.blobs, w.head, evidence_id=evidence_id)
        assert download.file_name == "papan.png"
    finally:
        fresh.close()


def _rewrite(archive: Path, out: Path, change) -> None:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda name, data: data[:-40] + bytes(40) if name == "database.pgdump" else data, "tidak cocok"),
        (lambda name, data: None if name == "evidence.json" else data, "evidence.json"),
        (lambda name, data: data.replace(b"kepatuhan-backup-postgresql", b"lain") if name == "manifest.json" else data,
         "bukan milik cadangan"),
    ],
    ids=["dump-bytes-changed", "listing-missing", "foreign-manifest"],
)
def test_a_damaged_archive_is_refused_whole(s3_evidence_env, world, tmp_path, damage, words):
    w = world
    fill(w)
    archive = tmp_path / "cadangan.zip"
    assert kepatuhan("backup", "--out", str(archive)).returncode == 0
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0, expected_revision=1)
    bad = tmp_path / "rusak.zip"
    _rewrite(archive, bad, damage)
    result = kepatuhan("restore", str(bad), "--force")
    assert result.returncode != 0 and words in result.stderr and "Traceback" not in result.stderr
    assert "tidak diubah" in result.stderr
    assert answered(w)[("IN-02", "unit")] == 0.0


def test_an_object_missing_from_the_store_refuses_the_restore(s3_evidence_env, world, tmp_path):
    w = world
    sha = fill(w)
    archive = tmp_path / "cadangan.zip"
    assert kepatuhan("backup", "--out", str(archive)).returncode == 0
    w.blobs.client.delete_object(Bucket=w.blobs.bucket, Key=w.blobs.key(sha))
    result = kepatuhan("restore", str(archive), "--force")
    assert result.returncode != 0 and "tidak ada di penyimpanan objek" in result.stderr
    assert sha[:12] in result.stderr


def test_evidence_on_disk_travels_inside_the_archive(world, tmp_path):
    w = world
    sha = fill(w)
    archive = tmp_path / "cadangan.zip"
    made = kepatuhan("backup", "--out", str(archive))
    assert made.returncode == 0 and "di dalam arsip" in made.stdout, made.stderr
    w.blobs.path(sha).unlink()  # the disk lost the file; the archive has it
    done = kepatuhan("restore", str(archive), "--force")
    assert done.returncode == 0, done.stderr
    assert w.blobs.verify(sha)
    with zipfile.ZipFile(archive) as zf:
        assert f"evidence/{sha[:2]}/{sha[2:4]}/{sha}" in zf.namelist()
        assert io.BytesIO(zf.read("database.pgdump")).read(5) == b"PGDMP"
