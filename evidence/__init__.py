"""Evidence intake and storage: check an upload by its bytes, then store it by its sha256.

    from evidence import BlobStore, inspect
    intake = inspect(data, uploaded_name)        # raises EvidenceRejected with the message to show
    BlobStore(data_dir / "evidence").put(data)   # durable before the evidence row is inserted

Imports only the standard library and ``assessment`` (no streamlit, no duckdb).
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

__all__ = [
    "ALLOWED",
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
    "safe_file_name",
]
