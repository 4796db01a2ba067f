"""Evidence bytes in S3-compatible object storage, with the interface of ``BlobStore`` (decision D8).

    store = S3BlobStore.from_url("s3://bukti/kepatuhan")   # endpoint and keys from the AWS_* variables
    sha = store.put(data)                                  # durable once it returns; then insert the row

A blob is the object ``<prefix>/ab/cd/<sha256>`` in the bucket. The key is computed here from the
bytes, never taken from a caller, and only 64-character lowercase hex strings ever become keys. A put
is conditional (``If-None-Match: *``): an object already under the key is not rewritten; its
LastModified is refreshed instead (a server-side copy onto itself), so that ``collect_orphans`` keeps
it for the grace period while the row that will point at it is inserted. S3 puts are atomic, so there
is never a partial object and no temp files to collect. ``open`` returns a stream that checks the
sha256 when it reaches the end; nothing is read whole unless ``get`` is asked for the bytes.

Every failure of the object store becomes a ``BlobStoreError`` with an Indonesian message that says
what to do (an unreachable endpoint, refused keys, a missing bucket).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import boto3
import botocore.exceptions as bx
from botocore.config import Config

from assessment.messages import Phrase
from evidence.blobs import READ_CHUNK, BlobNotFound, BlobStoreError, BlobWriteError, check_blob_id, copy_hashed

_SPOOL_IN_MEMORY = 8 * 1024 * 1024
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_REFUSED = {
    "403",
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "AuthorizationHeaderMalformed",
}


class EvidenceUrlError(BlobStoreError):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(key="err.s3.url", url=url, why=Phrase(f"err.part.s3url.{why}"))


class ObjectStoreUnavailable(BlobStoreError):
    """The object store did not answer (refused connection, timeout, DNS)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        super().__init__(key="err.s3.unavailable", endpoint=endpoint)


class ObjectStoreRefused(BlobStoreError):
    """The object store answered but refused the keys or the permission (or no keys are set)."""

    def __init__(self, bucket: str, code: str) -> None:
        self.code = code
        if code:
            super().__init__(key="err.s3.refused", bucket=bucket, code=code)
        else:
            super().__init__(key="err.s3.no_keys", bucket=bucket)


class BucketMissing(BlobStoreError):
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        super().__init__(key="err.s3.bucket_missing", bucket=bucket)


class ObjectWriteError(BlobWriteError):
    """The object store refused or failed a write for another reason; nothing was stored."""

    def __init__(self, code: str) -> None:
        self.code = code
        BlobStoreError.__init__(self, key="err.s3.write_failed", code=code)


class ObjectReadError(BlobStoreError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(key="err.s3.read_failed", code=code)


def parse_url(url: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` -> (bucket, prefix without slashes at either end)."""
    parts = urlsplit(url.strip())
    if parts.scheme != "s3":
        raise EvidenceUrlError(url, "scheme")
    if parts.query or parts.fragment or parts.username or parts.password or parts.port:
        raise EvidenceUrlError(url, "extra")
    bucket = parts.hostname or ""
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise EvidenceUrlError(url, "bucket")
    prefix = parts.path.removeprefix("/").rstrip("/")
    if prefix and any(seg in ("", ".", "..") for seg in prefix.split("/")):
        raise EvidenceUrlError(url, "prefix")
    return bucket, prefix


def client_from_env(env: Mapping[str, str] | None = None) -> Any:
    """A boto3 S3 client from the standard AWS variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...)."""
    env = os.environ if env is None else env
    config = Config(
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        max_pool_connections=32,
        s3={"addressing_style": "path"},
    )
    return boto3.session.Session(
        aws_access_key_id=env.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
        aws_session_token=env.get("AWS_SESSION_TOKEN") or None,
        region_name=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION") or "us-east-1",
    ).client("s3", endpoint_url=env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None, config=config)


class S3BlobStore:
    """Evidence bytes by sha256 under one prefix of one bucket (the bucket must exist)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "", *, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.clock = clock  # the "now" of collect_orphans; tests move it forward instead of waiting an hour
        self._base = f"{self.prefix}/" if self.prefix else ""

    @classmethod
    def from_url(cls, url: str, env: Mapping[str, str] | None = None) -> S3BlobStore:
        bucket, prefix = parse_url(url)
        return cls(client_from_env(env), bucket, prefix)

    def __repr__(self) -> str:
        return f"S3BlobStore('s3://{self.bucket}/{self.prefix}')"

    @property
    def endpoint(self) -> str:
        return str(getattr(self.client.meta, "endpoint_url", "") or "S3")

    # -- addressing --------------------------------------------------------------------------

    def key(self, sha256: str) -> str:
        """The object key of a blob (whether or not it exists). Raises ``InvalidBlobId``."""
        sha = check_blob_id(sha256)
        return f"{self._base}{sha[:2]}/{sha[2:4]}/{sha}"

    def exists(self, sha256: str) -> bool:
        return self._head(self.key(sha256)) is not None

    # -- writing -----------------------------------------------------------------------------

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its sha256; an existing object is not rewritten (only refreshed)."""
        sha = hashlib.sha256(data).hexdigest()
        self._put(sha, len(data), lambda: io.BytesIO(data))
        return sha

    def put_stream(self, fileobj: BinaryIO, *, max_bytes: int | None = None) -> str:
        """Like ``put`` for a readable binary file object: hashed while spooled to a local temp file (memory
        stays bounded), then uploaded. With ``max_bytes``, a longer stream raises ``ValueError`` and stores
        nothing."""
        digest = hashlib.sha256()
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
            size = copy_hashed(fileobj, spool, digest, max_bytes=max_bytes)  # type: ignore[arg-type]
            sha = digest.hexdigest()

            def rewind() -> BinaryIO:
                spool.seek(0)
                return spool  # type: ignore[return-value]

            self._put(sha, size, rewind)
        return sha

    def _put(self, sha: str, size: int, body: Callable[[], BinaryIO]) -> None:
        key = self.key(sha)
        for _ in range(3):
            try:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=key,
                    Body=body(),
                    ContentLength=size,
                    ContentType="application/octet-stream",
                    IfNoneMatch="*",
                )
                return
            except bx.ClientError as exc:
                if _code(exc) not in ("PreconditionFailed", "412"):
                    raise self._write_error(exc) from exc
            except bx.BotoCoreError as exc:
                raise self._write_error(exc) from exc
            # already there: keep it, unless it is damaged (wrong size), then write it again
            head = self._head(key)
            if head is None:
                continue  # collected between our put and the head: put it again
            if head.get("ContentLength") != size:
                try:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=body(), ContentLength=size)
                except (bx.ClientError, bx.BotoCoreError) as exc:
                    raise self._write_error(exc) from exc
                return
            if self._refresh(key):
                return
        raise ObjectWriteError("PreconditionFailed")

    def _refresh(self, key: str) -> bool:
        """Set the object's LastModified to now (copy onto itself, metadata only); False when it vanished."""
        try:
            self.client.copy_object(
                Bucket=self.bucket,
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": key},
                Metadata={"refreshed": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
                MetadataDirective="REPLACE",
                ContentType="application/octet-stream",
            )
        except bx.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return False
            raise self._write_error(exc) from exc
        except bx.BotoCoreError as exc:
            raise self._write_error(exc) from exc
        return True

    # -- reading -----------------------------------------------------------------------------

    def get(self, sha256: str, *, verify: bool = False) -> bytes:
        """The blob's bytes; with ``verify=True`` bytes that no longer hash to the name raise ``BlobNotFound``."""
        with self._body(sha256) as body:
            try:
                data = body.read()
            except (bx.BotoCoreError, OSError) as exc:
                raise self._read_error(exc) from exc
        if verify and hashlib.sha256(data).hexdigest() != sha256:
            raise BlobNotFound(sha256)
        return data

    def open(self, sha256: str) -> BinaryIO:
        """A read-only stream of the blob (the caller closes it); reading it to the end checks the sha256 and
        raises ``BlobNotFound`` when the bytes no longer match their name."""
        return _VerifyingReader(self._body(sha256), sha256, self)  # type: ignore[return-value]

    def verify(self, sha256: str) -> bool:
        """True when the blob exists and its bytes still hash to its name."""
        try:
            with self.open(sha256) as stream:
                while stream.read(READ_CHUNK):
                    pass
        except BlobNotFound:
            return False
        return True

    def iter_hashes(self) -> Iterator[str]:
        """Every stored blob's sha256, in sorted order."""
        for sha, _ in self._iter_objects():
            yield sha

    # -- housekeeping ------------------------------------------------------------------------

    def collect_orphans(self, referenced: Collection[str], *, older_than_seconds: float = 3600) -> list[str]:
        """Remove objects not in ``referenced`` whose LastModified is more than ``older_than_seconds`` ago;
        return their hashes. Each candidate is looked at again just before it is deleted, so an object a
        ``put`` refreshed in the meantime stays."""
        keep = set(referenced)
        cutoff = self.clock() - older_than_seconds
        removed = []
        for sha, modified in list(self._iter_objects()):
            if sha in keep or modified.timestamp() >= cutoff:
                continue
            key = self.key(sha)
            head = self._head(key)
            if head is None or head["LastModified"].timestamp() >= cutoff:
                continue
            try:
                self.client.delete_object(Bucket=self.bucket, Key=key)
            except (bx.ClientError, bx.BotoCoreError) as exc:
                raise self._write_error(exc) from exc
            removed.append(sha)
        return removed

    # -- internals ---------------------------------------------------------------------------

    def _iter_objects(self) -> Iterator[tuple[str, dt.datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._base)
        found = []
        try:
            for page in pages:
                for obj in page.get("Contents", ()):
                    sha = obj["Key"][len(self._base) :].split("/")
                    if len(sha) == 3 and _is_blob(*sha):
                        found.append((sha[2], obj["LastModified"]))
        except (bx.ClientError, bx.BotoCoreError) as exc:
            raise self._read_error(exc) from exc
        yield from sorted(found)

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except bx.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return None
            raise self._read_error(exc) from exc
        except bx.BotoCoreError as exc:
            raise self._read_error(exc) from exc

    def _body(self, sha256: str) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
        except bx.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                raise BlobNotFound(sha256) from None
            raise self._read_error(exc) from exc
        except bx.BotoCoreError as exc:
            raise self._read_error(exc) from exc

    def _write_error(self, exc: Exception) -> BlobStoreError:
        return self._translate(exc) or ObjectWriteError(_code(exc) or type(exc).__name__)

    def _read_error(self, exc: Exception) -> BlobStoreError:
        return self._translate(exc) or ObjectReadError(_code(exc) or type(exc).__name__)

    def _translate(self, exc: Exception) -> BlobStoreError | None:
        if isinstance(exc, bx.ConnectionError | bx.HTTPClientError):  # refused, DNS, connect or read timeout
            return ObjectStoreUnavailable(self.endpoint)
        if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
            return ObjectStoreRefused(self.bucket, "")
        code = _code(exc)
        if code == "NoSuchBucket":
            return BucketMissing(self.bucket)
        if code in _REFUSED:
            return ObjectStoreRefused(self.bucket, code)
        return None


class _VerifyingReader(io.RawIOBase):
    """A blob's object body that hashes what passes through and refuses a mismatch at the end."""

    def __init__(self, body: Any, sha256: str, store: S3BlobStore) -> None:
        self._body = body
        self._sha = sha256
        self._store = store
        self._digest = hashlib.sha256()
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            chunk = self._body.read(len(buffer))
        except (bx.BotoCoreError, OSError) as exc:
            raise self._store._read_error(exc) from exc
        if not chunk:
            if not self._done and len(buffer):
                self._done = True
                if self._digest.hexdigest() != self._sha:
                    raise BlobNotFound(self._sha)
            return 0
        self._digest.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        return super().read(size) or b""

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._body.close()
        super().close()


def _is_blob(first: str, second: str, sha: str) -> bool:
    return len(sha) == 64 and re.fullmatch(r"[0-9a-f]{64}", sha) is not None and sha[:2] == first and sha[2:4] == second


def _code(exc: Exception) -> str:
    if isinstance(exc, bx.ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""
