"""Backup and restore of the scaled deployment (issue 11): PostgreSQL through Debian's pg_dump / pg_restore, and
the evidence as a hashed listing of the object store (or, with evidence on the local disk, the files themselves).

The archive (zip) holds ``manifest.json`` (format, created_at, the schema migrations, where the evidence lives,
and the sha256 and size of every other member), ``database.pgdump`` (pg_dump's custom format), ``evidence.json``
(sha256 and size of every evidence object) and, for evidence on disk, ``evidence/ab/cd/<sha256>``. Objects in an
object store stay there (the store keeps its own copies); the listing proves which must exist.

Restore checks everything before it touches the database: member names, sizes and hashes, that pg_restore can
read the dump, that no migration is newer than this version, that every listed object is in the target store.
Then pg_restore replaces the database in ONE transaction (--single-transaction), so a failure leaves the old
database as it was. Stop the app processes first: a restore replaces what they read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from evidence import open_evidence_store, uses_object_storage
from services.ops.backup import (
    MANIFEST,
    BackupError,
    add_member,
    extract_checked,
    read_manifest,
    reason_of,
    refused,
)
from store.db import evidence_root
from store.migrations import MIGRATIONS, applied

FORMAT = "kepatuhan-backup-postgresql"
FORMAT_VERSION = 1
DUMP = "database.pgdump"
LISTING = "evidence.json"
_BLOB_MEMBER = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
_MAX_SMALL = 256 * 1024 * 1024  # manifest and listing are read whole
_TOOL_TIMEOUT_S = 6 * 3600


@dataclass(frozen=True)
class PgBackupSummary:
    path: Path
    evidence_objects: int
    evidence_in: str  # "object_storage" or "archive"
    database_bytes: int
    migrations: tuple[str, ...]


@dataclass(frozen=True)
class PgRestoreSummary:
    evidence_objects: int
    created_at: str
    migrations: tuple[str, ...]
    replaced_existing: bool


def create_backup(con: Any, url: str, out: Path, *, root: Path) -> PgBackupSummary:
    """Dump the database at ``url`` and list (or copy) every evidence object into one archive at ``out``."""
    out = Path(out)
    if out.exists():
        raise BackupError(key="err.backup.exists", path=out)
    if not out.parent.is_dir():
        raise BackupError(key="err.backup.no_folder", path=out.parent)
    migrations = tuple(applied(con))
    blobs = open_evidence_store(evidence_root(root))
    in_store = uses_object_storage()
    staging = Path(tempfile.mkdtemp(prefix=".backup-", dir=out.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        dump = staging / DUMP
        _tool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)], url, "dump")
        members: list[dict[str, Any]] = []
        listing: list[dict[str, Any]] = []
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            with dump.open("rb") as src:
                members.append(add_member(zf, DUMP, src, compress=False))
            for sha in sorted(blobs.iter_hashes()):
                if in_store:  # listed, read once to prove it is whole
                    listing.append({"sha256": sha, "size": _checked_size(blobs, sha)})
                    continue
                with blobs.open(sha) as src:
                    entry = add_member(zf, f"evidence/{sha[:2]}/{sha[2:4]}/{sha}", src, compress=False)
                if entry["sha256"] != sha:
                    raise BackupError(key="err.backup.blob_damaged", sha=sha[:12])
                members.append(entry)
                listing.append({"sha256": sha, "size": entry["size"]})
            listing_bytes = json.dumps(listing, indent=1).encode("utf-8")
            listing_file = staging / LISTING
            listing_file.write_bytes(listing_bytes)
            with listing_file.open("rb") as src:
                members.append(add_member(zf, LISTING, src))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "migrations": list(migrations),
                "evidence_in": "object_storage" if in_store else "archive",
                "members": members,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        with tmp.open("rb") as done:
            os.fsync(done.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        raise BackupError(key="err.backup.write_failed", path=out, why=exc.strerror or exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            tmp.unlink()
    return PgBackupSummary(
        path=out,
        evidence_objects=len(listing),
        evidence_in=manifest["evidence_in"],
        database_bytes=members[0]["size"],
        migrations=migrations,
    )


def restore_backup(archive: Path, url: str, *, root: Path, force: bool = False, con: Any) -> PgRestoreSummary:
    """Replace the database at ``url`` (and add the archived evidence) from an archive; refuse a bad archive
    whole, before anything is changed."""
    archive = Path(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise BackupError(key="err.backup.not_found", path=archive) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(key="err.backup.not_archive", path=archive, why=reason_of(exc)) from exc
    blobs = open_evidence_store(evidence_root(root))
    with zf:
        manifest = read_manifest(zf, archive, expected_format=FORMAT)
        expected = _check_members(zf, manifest, archive)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
        try:
            for name, (sha, size) in expected.items():
                extract_checked(zf, name, sha, size, staging / PurePosixPath(name), archive)
            migrations = tuple(manifest.get("migrations") or ())
            if not all(isinstance(m, str) for m in migrations):
                raise refused(archive, "manifest_broken")
            if set(migrations) - {name for name, _ in MIGRATIONS}:
                raise refused(archive, "newer")
            try:
                _tool("pg_restore", ["--list", str(staging / DUMP)], None, "restore")
            except BackupError:
                raise refused(archive, "db_unreadable", why="pg_restore --list") from None
            listing = _read_listing(staging / LISTING, archive)
            archived = {m.group(3) for n in expected if (m := _BLOB_MEMBER.match(n))}
            for sha, _size in listing:
                if sha not in archived and not blobs.exists(sha):
                    raise refused(archive, "object_missing", sha=sha[:12])
            existed = _has_data(con)
            if existed and not force:
                raise BackupError(key="err.backup.target_has_pg")
            for sha in sorted(archived):  # content-addressed: adding is safe even if the restore then fails
                with (staging / "evidence" / sha[:2] / sha[2:4] / sha).open("rb") as src:
                    blobs.put_stream(src)
            _tool(
                "pg_restore",
                ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner",
                 "--no-privileges", str(staging / DUMP)],
                url, "restore",
            )  # fmt: skip
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return PgRestoreSummary(
        evidence_objects=len(listing),
        created_at=str(manifest.get("created_at", "")),
        migrations=migrations,
        replaced_existing=existed,
    )


# --- the archive --------------------------------------------------------------------------------------------
def _check_members(zf: zipfile.ZipFile, manifest: dict[str, Any], archive: Path) -> dict[str, tuple[str, int]]:
    """The zip's names and the manifest's must be the same known set; name → (sha256, size)."""
    expected: dict[str, tuple[str, int]] = {}
    for entry in manifest["members"]:
        name = entry.get("name") if isinstance(entry, dict) else None
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        blob = _BLOB_MEMBER.match(name) if isinstance(name, str) else None
        if (
            not isinstance(name, str)
            or not (name in (DUMP, LISTING) or (blob and blob.group(3)[:4] == blob.group(1) + blob.group(2)))
            or not isinstance(sha, str)
            or not re.fullmatch(r"[0-9a-f]{64}", sha)
            or isinstance(size, bool)
            or not isinstance(size, int)
            or size < 0
            or (name == LISTING and size > _MAX_SMALL)
        ):
            raise refused(archive, "bad_member", name=str(name)[:120])
        if blob and blob.group(3) != sha:
            raise refused(archive, "blob_sha", name=name)
        if name in expected:
            raise refused(archive, "member_twice", name=name)
        expected[name] = (sha, size)
    for required in (DUMP, LISTING):
        if required not in expected:
            raise refused(archive, "no_database", file=required)
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


def _read_listing(path: Path, archive: Path) -> list[tuple[str, int]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise refused(archive, "manifest_broken_why", why=reason_of(exc)) from None
    out: list[tuple[str, int]] = []
    for item in raw if isinstance(raw, list) else [None]:
        sha = item.get("sha256") if isinstance(item, dict) else None
        size = item.get("size") if isinstance(item, dict) else None
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha) or not isinstance(size, int):
            raise refused(archive, "manifest_broken")
        out.append((sha, size))
    return out


# --- the database and its tools --------------------------------------------------------------------------
def _has_data(con: Any) -> bool:
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM org_units) OR EXISTS (SELECT 1 FROM users)").fetchone()[0])


def _checked_size(blobs: Any, sha: str) -> int:
    digest, size = hashlib.sha256(), 0
    with blobs.open(sha) as src:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    if digest.hexdigest() != sha:
        raise BackupError(key="err.backup.blob_damaged", sha=sha[:12])
    return size


def tool_path(name: str) -> str | None:
    """pg_dump / pg_restore: on PATH (Debian's wrappers), else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: p.parent.parent.name)
    return str(candidates[-1]) if candidates else None


def _tool(name: str, args: list[str], url: str | None, what: str) -> None:
    """Run pg_dump / pg_restore; the password goes in the environment, never on the command line."""
    exe = tool_path(name)
    if exe is None:
        raise BackupError(key="err.backup.pg_tools", tool=name)
    env = dict(os.environ)
    argv = [exe, *args]
    if url is not None:
        params = conninfo_to_dict(url)
        password = params.pop("password", None)
        if password:
            env["PGPASSWORD"] = str(password)
        argv += ["--dbname", make_conninfo(**params)]
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=_TOOL_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(key=f"err.backup.pg_{what}_failed", why=reason_of(exc)) from exc
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1][:300]
        raise BackupError(key=f"err.backup.pg_{what}_failed", why=why)
