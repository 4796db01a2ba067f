"""Backup and restore of a whole data directory: the DuckDB file and every evidence blob, in one zip.

The archive holds ``manifest.json`` (format, created_at, the schema migrations, and the sha256 and
size of every other member), ``kepatuhan.duckdb`` (copied after a CHECKPOINT, while this process
holds the database lock) and ``evidence/ab/cd/<sha256>`` for every blob.

Restore checks the archive before it touches anything: member names (no traversal, nothing the
manifest does not list), every size and sha256, that the database opens and was not made by a newer
version. It extracts into a temporary folder inside the data directory, then moves the old files
aside and the new ones in with os.replace, moving the old ones back if any step fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import duckdb

from assessment.errors import KepatuhanError
from assessment.messages import Phrase
from evidence import BlobStore, uses_object_storage
from store.db import DB_FILE, EVIDENCE_DIR, db_path, evidence_root
from store.errors import StorageError, translate
from store.migrations import MIGRATIONS, applied

FORMAT = "kepatuhan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024
_BLOB_MEMBER = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
_MAX_MANIFEST = 64 * 1024 * 1024


class BackupError(KepatuhanError):
    """A backup that cannot be written, or an archive that is refused; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    evidence_files: int
    database_bytes: int
    total_bytes: int
    migrations: tuple[str, ...]


@dataclass(frozen=True)
class RestoreSummary:
    root: Path
    evidence_files: int
    created_at: str
    migrations: tuple[str, ...]
    replaced_existing: bool


# ---- backup ------------------------------------------------------------------------------------


def create_backup(con: duckdb.DuckDBPyConnection, out: Path, *, root: Path) -> BackupSummary:
    """Write one archive of the data directory ``root``; ``con`` is this process's connection to it.

    The caller must keep ``con`` the only writer while this runs (the CLI holds the file lock).
    The archive is written to a temporary name and renamed into place when complete.
    """
    _refuse_object_storage("err.backup.object_storage")
    out = Path(out)
    if out.exists():
        raise BackupError(key="err.backup.exists", path=out)
    if not out.parent.is_dir():
        raise BackupError(key="err.backup.no_folder", path=out.parent)
    try:
        con.execute("CHECKPOINT")
        migrations = tuple(applied(con))
    except duckdb.Error as exc:
        raise translate(exc) from exc
    source_db = db_path(root)
    wal = source_db.with_name(source_db.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StorageError(key="err.backup.wal")
    blobs = BlobStore(evidence_root(root))
    members: list[dict[str, Any]] = []
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            with source_db.open("rb") as src:
                members.append(add_member(zf, DB_FILE, src))
            count = 0
            for sha in blobs.iter_hashes():
                name = f"{EVIDENCE_DIR}/{sha[:2]}/{sha[2:4]}/{sha}"
                with blobs.path(sha).open("rb") as src:
                    entry = add_member(zf, name, src, compress=False)
                if entry["sha256"] != sha:
                    raise BackupError(key="err.backup.blob_damaged", sha=sha[:12])
                members.append(entry)
                count += 1
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "migrations": list(migrations),
                "members": members,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        with tmp.open("rb") as done:
            os.fsync(done.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        raise BackupError(key="err.backup.write_failed", path=out, why=exc.strerror or exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return BackupSummary(
        path=out,
        evidence_files=count,
        database_bytes=members[0]["size"],
        total_bytes=sum(m["size"] for m in members),
        migrations=migrations,
    )


def _refuse_object_storage(key: str) -> None:
    """Backup and restore cover the data folder only; with evidence in object storage they would silently
    leave every evidence file out (or restore them where nothing reads them), so they refuse whole."""
    if uses_object_storage():
        raise BackupError(key=key)


def add_member(zf: zipfile.ZipFile, name: str, src: BinaryIO, *, compress: bool = True) -> dict[str, Any]:
    info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    digest = hashlib.sha256()
    size = 0
    with zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"name": name, "sha256": digest.hexdigest(), "size": size}


# ---- restore -----------------------------------------------------------------------------------


def restore_backup(archive: Path, *, root: Path, force: bool = False) -> RestoreSummary:
    """Replace the data directory's database and evidence with the archive's; refuse a bad archive.

    Nothing in ``root`` changes unless every member checks out; a failure while swapping puts the
    old files back.
    """
    _refuse_object_storage("err.restore.object_storage")
    archive = Path(archive)
    target_db = db_path(root)
    existed = target_db.exists()
    if existed and not force:
        raise BackupError(key="err.backup.target_has_db", path=root)
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise BackupError(key="err.backup.not_found", path=archive) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(key="err.backup.not_archive", path=archive, why=reason_of(exc)) from exc
    with zf:
        manifest = read_manifest(zf, archive)
        expected = _check_members(zf, manifest, archive)
        if existed:
            _ensure_not_in_use(target_db)
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
        try:
            for name, (sha, size) in expected.items():
                extract_checked(zf, name, sha, size, staging / PurePosixPath(name), archive)
            (staging / EVIDENCE_DIR).mkdir(exist_ok=True)
            migrations = _check_database(staging / DB_FILE, archive)
            _swap(staging, root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreSummary(
        root=root,
        evidence_files=sum(1 for n in expected if n.startswith(f"{EVIDENCE_DIR}/")),
        created_at=str(manifest.get("created_at", "")),
        migrations=migrations,
        replaced_existing=existed,
    )


def reason_of(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__


def refused(archive: Path, why: str, **params: object) -> BackupError:
    """The archive refused, `why` naming the reason (err.part.backup.<why> in the message catalogs)."""
    return BackupError(key="err.backup.refused", archive=archive, what=Phrase(f"err.part.backup.{why}", **params))


def read_manifest(zf: zipfile.ZipFile, archive: Path, *, expected_format: str = FORMAT) -> dict[str, Any]:
    """The archive's manifest.json, refused unless it is ours (this format, this version) and lists members."""
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise refused(archive, "no_manifest") from None
    if info.file_size > _MAX_MANIFEST:
        raise refused(archive, "manifest_big")
    try:
        manifest = json.loads(zf.read(info).decode("utf-8"))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refused(archive, "manifest_broken_why", why=reason_of(exc)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != expected_format:
        raise refused(archive, "manifest_foreign")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise refused(
            archive, "format_version", version=manifest.get("format_version")
        )
    if not isinstance(manifest.get("members"), list):
        raise refused(archive, "manifest_no_members")
    return manifest


def _safe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return False
    if name in (MANIFEST, DB_FILE):
        return True
    m = _BLOB_MEMBER.match(name)
    return bool(m and m.group(3)[:2] == m.group(1) and m.group(3)[2:4] == m.group(2))


def _check_members(zf: zipfile.ZipFile, manifest: dict[str, Any], archive: Path) -> dict[str, tuple[str, int]]:
    """Names in the zip and in the manifest must be the same safe set; return name -> (sha256, size)."""
    for info in zf.infolist():
        if not _safe_member_name(info.filename):
            raise refused(archive, "unsafe_name", name=info.filename[:120])
        if info.is_dir():
            raise refused(archive, "unexpected_dir", name=info.filename[:120])
    expected: dict[str, tuple[str, int]] = {}
    for entry in manifest["members"]:
        if not isinstance(entry, dict):
            raise refused(archive, "manifest_broken")
        name, sha, size = entry.get("name"), entry.get("sha256"), entry.get("size")
        if (
            not isinstance(name, str)
            or not _safe_member_name(name)
            or name == MANIFEST
            or not isinstance(sha, str)
            or not re.fullmatch(r"[0-9a-f]{64}", sha)
            or isinstance(size, bool)
            or not isinstance(size, int)
            or size < 0
        ):
            raise refused(archive, "bad_member", name=str(name)[:120])
        if name in expected:
            raise refused(archive, "member_twice", name=name)
        blob = _BLOB_MEMBER.match(name)
        if blob and blob.group(3) != sha:
            raise refused(archive, "blob_sha", name=name)
        expected[name] = (sha, size)
    if DB_FILE not in expected:
        raise refused(archive, "no_database", file=DB_FILE)
    in_zip = [i.filename for i in zf.infolist() if i.filename != MANIFEST]
    if len(in_zip) != len(set(in_zip)):
        raise refused(archive, "duplicate_names")
    extra = set(in_zip) - set(expected)
    if extra:
        raise refused(archive, "unlisted", name=sorted(extra)[0][:120])
    missing = set(expected) - set(in_zip)
    if missing:
        raise refused(archive, "missing", name=sorted(missing)[0])
    return expected


def extract_checked(zf: zipfile.ZipFile, name: str, sha: str, size: int, dest: Path, archive: Path) -> None:
    digest = hashlib.sha256()
    written = 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(name) as src, dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > size:
                    raise refused(archive, "too_big", name=name)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
        raise refused(archive, "member_broken", name=name, why=reason_of(exc)) from None
    except OSError as exc:
        raise BackupError(key="err.backup.restore_write", why=exc.strerror or exc) from exc
    if written != size or digest.hexdigest() != sha:
        raise refused(archive, "member_sha", name=name)


def _check_database(path: Path, archive: Path) -> tuple[str, ...]:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise refused(archive, "db_unreadable", why=str(exc).splitlines()[0][:160]) from None
    try:
        rows = con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
    except duckdb.Error:
        raise refused(archive, "db_foreign") from None
    finally:
        con.close()
    names = tuple(r[0] for r in rows)
    unknown = set(names) - {name for name, _ in MIGRATIONS}
    if unknown:
        raise refused(archive, "newer")
    with contextlib.suppress(OSError):
        path.with_name(path.name + ".wal").unlink()
    return names


def _ensure_not_in_use(target_db: Path) -> None:
    """Refuse while another process (the running app) holds the database."""
    try:
        duckdb.connect(str(target_db)).close()
    except duckdb.Error as exc:
        raise translate(exc) from exc


def _swap(staging: Path, root: Path) -> None:
    """Move the old database (+ .wal) and evidence aside, the new ones in; undo on failure."""
    aside = staging / ".old"
    aside.mkdir()
    db = root / DB_FILE
    pairs = [  # (live path, new path from staging)
        (db, staging / DB_FILE),
        (db.with_name(DB_FILE + ".wal"), None),
        (root / EVIDENCE_DIR, staging / EVIDENCE_DIR),
    ]
    moved_aside: list[Path] = []
    moved_in: list[Path] = []
    try:
        for live, _ in pairs:
            if live.exists():
                os.replace(live, aside / live.name)
                moved_aside.append(live)
        for live, new in pairs:
            if new is not None:
                os.replace(new, live)
                moved_in.append(live)
        _fsync_dir(root)
    except OSError as exc:
        for live in moved_in:
            with contextlib.suppress(OSError):
                os.replace(live, staging / ("failed-" + live.name))
        for live in moved_aside:
            with contextlib.suppress(OSError):
                os.replace(aside / live.name, live)
        raise BackupError(key="err.backup.restore_swap", why=exc.strerror or exc) from exc


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
