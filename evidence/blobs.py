"""Content-addressed store of evidence bytes (decision D1).

    store = BlobStore(data_dir / "evidence")
    sha = store.put(data)          # durable once it returns; then insert the evidence row
    store.get(sha) == data

A blob lives at ``root/ab/cd/<sha256>``. ``put`` writes a temp file in the same directory,
fsyncs it, renames it over the final name and fsyncs the directory, so a crash leaves either no
file or the whole file under that name, never a partial one. Only 64-character lowercase hex
strings ever become paths. Stray files (temp files of interrupted writes, blobs no row points
at) are removed by ``collect_orphans`` after a grace period, so that an upload whose row is not
inserted yet is never collected.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from assessment.errors import KepatuhanError

_SHA256 = re.compile(r"[0-9a-f]{64}")
_FAN = re.compile(r"[0-9a-f]{2}")
_TMP_PREFIX = ".tmp-"
_GC_PREFIX = ".gc-"
_STREAM_DIR = "tmp"
_CHUNK = 1024 * 1024


READ_CHUNK = _CHUNK  # how much a store reads or copies at a time (shared with evidence/s3_blobs.py)


class BlobStoreError(KepatuhanError):
    """A problem of the evidence file store; str() is the message to show."""


class InvalidBlobId(BlobStoreError):
    def __init__(self) -> None:
        super().__init__(key="err.blob.invalid_id")


class BlobNotFound(BlobStoreError):
    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(key="err.blob.not_found", sha=sha256[:12])


class BlobWriteError(BlobStoreError):
    def __init__(self, cause: OSError) -> None:
        self.cause = cause
        super().__init__(key="err.blob.write_failed", detail=cause.strerror or type(cause).__name__)


class BlobStore:
    """Evidence bytes by sha256 under one root directory (created on first write)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"BlobStore({str(self.root)!r})"

    # -- addressing --------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        """Where the blob lives (whether or not it exists). Raises ``InvalidBlobId``."""
        sha = _check(sha256)
        return self.root / sha[:2] / sha[2:4] / sha

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    # -- writing -----------------------------------------------------------------------------

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its sha256; an existing blob is not rewritten."""
        sha = hashlib.sha256(data).hexdigest()
        final = self.path(sha)
        if _refresh(final, len(data)):
            return sha
        try:
            self._ensure_dir(final.parent)
            fd, tmp_name = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{sha[:16]}-", dir=final.parent)
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                    _drop_cache(out.fileno())
                os.replace(tmp, final)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
            _fsync_dir(final.parent)
        except OSError as exc:
            raise BlobWriteError(exc) from exc
        return sha

    def put_stream(self, fileobj: BinaryIO, *, max_bytes: int | None = None) -> str:
        """Like ``put`` for a readable binary file object, hashing while copying (constant memory).

        With ``max_bytes``, a stream longer than that raises ``ValueError`` and stores nothing;
        check sizes with ``evidence.inspect`` before, where the user-facing message lives.
        """
        digest = hashlib.sha256()
        try:
            staging = self.root / _STREAM_DIR
            self._ensure_dir(staging)
            fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=staging)
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as out:
                    size = copy_hashed(fileobj, out, digest, max_bytes=max_bytes)
                    out.flush()
                    os.fsync(out.fileno())
                    _drop_cache(out.fileno())
                sha = digest.hexdigest()
                final = self.path(sha)
                if _refresh(final, size):
                    tmp.unlink()
                    return sha
                self._ensure_dir(final.parent)
                os.replace(tmp, final)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
            _fsync_dir(final.parent)
            _fsync_dir(staging)
        except OSError as exc:
            raise BlobWriteError(exc) from exc
        return sha

    # -- reading -----------------------------------------------------------------------------

    def get(self, sha256: str, *, verify: bool = False) -> bytes:
        """The blob's bytes; with ``verify=True`` a blob whose bytes no longer hash to its
        name raises ``BlobNotFound`` too (it is as good as lost)."""
        try:
            data = self.path(sha256).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise BlobNotFound(sha256) from None
        if verify and hashlib.sha256(data).hexdigest() != sha256:
            raise BlobNotFound(sha256)
        return data

    def open(self, sha256: str) -> BinaryIO:
        """A read-only binary file object on the blob; the caller closes it."""
        try:
            return self.path(sha256).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise BlobNotFound(sha256) from None

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and its bytes still hash to its name."""
        digest = hashlib.sha256()
        try:
            with self.path(sha256).open("rb") as blob:
                while chunk := blob.read(_CHUNK):
                    digest.update(chunk)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return False
        return digest.hexdigest() == sha256

    def iter_hashes(self) -> Iterator[str]:
        """Every stored blob's sha256, in sorted order."""
        for _, sha in self._iter_entries():
            yield sha

    # -- housekeeping ------------------------------------------------------------------------

    def collect_orphans(self, referenced: Collection[str], *, older_than_seconds: float = 3600) -> list[str]:
        """Remove blobs not in ``referenced`` and stale temp files, both only when last written
        (or re-``put``) more than ``older_than_seconds`` ago; return the removed blobs' hashes.

        ``referenced`` must be read (from the evidence rows) before calling: a blob put after
        that is younger than the grace period and stays. ``put`` of content already stored
        refreshes its mtime, so an in-flight upload of an old orphan's bytes keeps it too.
        """
        keep = set(referenced)
        cutoff = time.time() - older_than_seconds
        removed = []
        for path, sha in self._iter_entries():
            if sha in keep:
                continue
            if _collect(path, cutoff):
                removed.append(sha)
        for stale in self._iter_temp_files():
            with contextlib.suppress(OSError):
                if stale.stat().st_mtime < cutoff:
                    stale.unlink()
        return removed

    # -- internals ---------------------------------------------------------------------------

    def _ensure_dir(self, directory: Path) -> None:
        """Create ``directory`` (and parents) making each new entry durable in its parent."""
        if directory.is_dir():
            return
        missing = []
        probe = directory
        while not probe.is_dir():
            missing.append(probe)
            if probe.parent == probe:
                break
            probe = probe.parent
        for new in reversed(missing):
            try:
                new.mkdir()
            except FileExistsError:
                if not new.is_dir():
                    raise
                continue
            _fsync_dir(new.parent)

    def _iter_entries(self) -> Iterator[tuple[Path, str]]:
        for first in _sorted_dirs(self.root):
            for second in _sorted_dirs(first):
                prefix = first.name + second.name
                for entry in sorted(_scandir(second), key=lambda e: e.name):
                    name = entry.name
                    if _SHA256.fullmatch(name) and name.startswith(prefix) and entry.is_file(follow_symlinks=False):
                        yield Path(entry.path), name

    def _iter_temp_files(self) -> Iterator[Path]:
        for first in _sorted_dirs(self.root):
            for second in _sorted_dirs(first):
                for entry in _scandir(second):
                    if entry.name.startswith((_TMP_PREFIX, _GC_PREFIX)) and entry.is_file(follow_symlinks=False):
                        yield Path(entry.path)
        for entry in _scandir(self.root / _STREAM_DIR):
            if entry.name.startswith(_TMP_PREFIX) and entry.is_file(follow_symlinks=False):
                yield Path(entry.path)


def copy_hashed(source: BinaryIO, target: BinaryIO, digest: Any, *, max_bytes: int | None = None) -> int:
    """Copy in chunks while hashing (constant memory); returns the size. Past ``max_bytes`` it raises
    ``ValueError`` and the caller drops what was written (both stores' ``put_stream``)."""
    size = 0
    while chunk := source.read(_CHUNK):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise ValueError(f"stream is longer than max_bytes={max_bytes}")
        digest.update(chunk)
        target.write(chunk)
    return size


def check_blob_id(sha256: object) -> str:
    """``sha256`` itself when it is a 64-character lowercase hex string; else ``InvalidBlobId``."""
    return _check(sha256)


def _check(sha256: object) -> str:
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise InvalidBlobId()
    return sha256


def _refresh(final: Path, size: int) -> bool:
    """True when a complete blob is already at ``final``; its mtime is then set to now, which
    keeps ``collect_orphans`` off it during the grace period."""
    try:
        if final.stat().st_size != size:
            return False
        os.utime(final)
    except FileNotFoundError:
        return False
    except OSError:
        return final.is_file() and final.stat().st_size == size
    return True


def _collect(path: Path, cutoff: float) -> bool:
    """Remove one unreferenced blob if it is older than ``cutoff``; True when removed.

    The blob is first renamed aside, then its mtime is checked again: a ``put`` that touched it
    between the first check and the rename wins, and the blob is put back.
    """
    try:
        before = path.stat()
    except FileNotFoundError:
        return False
    if before.st_mtime >= cutoff:
        return False
    aside = path.with_name(f"{_GC_PREFIX}{path.name}-{secrets.token_hex(4)}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    if aside.stat().st_mtime_ns != before.st_mtime_ns:
        os.replace(aside, path)
        return False
    aside.unlink()
    _fsync_dir(path.parent)
    return True


def _drop_cache(fd: int) -> None:
    """Let the kernel drop the just-synced pages of a blob from the page cache.

    Evidence is written once and read rarely; without this every upload grows the page cache
    (evicting the database's pages), and on the benchmark VM writes slowed from 0.4 ms to 5.5 ms
    per 2 MB once the cache had grown by a gigabyte or two. Harmless where unsupported.
    """
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def _fsync_dir(directory: Path) -> None:
    """Make a rename or new entry in ``directory`` durable (a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _scandir(directory: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _sorted_dirs(directory: Path) -> list[Path]:
    return [
        Path(entry.path)
        for entry in sorted(_scandir(directory), key=lambda e: e.name)
        if _FAN.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
    ]
