"""Evidence intake and storage: check an upload by its bytes, then store it by its sha256.

    from evidence import BlobStore, inspect
    intake = inspect(data, uploaded_name)        # raises EvidenceRejected with the message to show
    BlobStore(data_dir / "evidence").put(data)   # durable before the evidence row is inserted
    open_evidence_store(data_dir / "evidence")   # the same, or S3 when KEPATUHAN_EVIDENCE_URL=s3://...

Imports only the standard library and ``assessment`` (no streamlit, no duckdb); boto3 only for S3.
"""

from evidence.blobs import BlobNotFound, BlobStore, BlobStoreError, BlobWriteError, InvalidBlobId
from evidence.intake import (
    ALLOWED,
    IMAGE_TYPES,
    MAX_BYTES,
    EvidenceRejected,
    Intake,
    inspect,
    safe_file_name,
)
from evidence.stores import EVIDENCE_URL, EvidenceStore, open_evidence_store, uses_object_storage

__all__ = [
    "ALLOWED",
    "EVIDENCE_URL",
    "EvidenceStore",
    "IMAGE_TYPES",
    "MAX_BYTES",
    "BlobNotFound",
    "BlobStore",
    "BlobStoreError",
    "BlobWriteError",
    "EvidenceRejected",
    "InvalidBlobId",
    "Intake",
    "inspect",
    "open_evidence_store",
    "safe_file_name",
    "uses_object_storage",
]
