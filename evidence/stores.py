"""The one place that picks where evidence bytes live (decision D8).

``KEPATUHAN_EVIDENCE_URL`` unset (or empty): files under the data directory (``BlobStore``), as on one
machine. ``s3://bucket/prefix``: objects in S3-compatible storage (``S3BlobStore``), the endpoint and keys
from the standard AWS variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION). boto3 is imported only when object storage is configured.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, Protocol

from evidence.blobs import BlobStore

EVIDENCE_URL = "KEPATUHAN_EVIDENCE_URL"


class EvidenceStore(Protocol):
    """What the services use of an evidence store, whichever backend holds the bytes."""

    def exists(self, sha256: str) -> bool: ...
    def put(self, data: bytes) -> str: ...
    def put_stream(self, fileobj: BinaryIO, *, max_bytes: int | None = None) -> str: ...
    def get(self, sha256: str, *, verify: bool = False) -> bytes: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def verify(self, sha256: str) -> bool: ...
    def iter_hashes(self) -> Iterator[str]: ...
    def collect_orphans(self, referenced: Collection[str], *, older_than_seconds: float = 3600) -> list[str]: ...


def evidence_url(env: Mapping[str, str] | None = None) -> str:
    """The configured object-storage URL, or "" for files in the data directory."""
    return ((os.environ if env is None else env).get(EVIDENCE_URL) or "").strip()


def uses_object_storage(env: Mapping[str, str] | None = None) -> bool:
    return bool(evidence_url(env))


def open_evidence_store(local_root: Path, env: Mapping[str, str] | None = None) -> EvidenceStore:
    """The evidence store the configuration asks for; ``local_root`` is used when no URL is set."""
    url = evidence_url(env)
    if not url:
        return BlobStore(local_root)
    from evidence.s3_blobs import S3BlobStore

    return S3BlobStore.from_url(url, env)
