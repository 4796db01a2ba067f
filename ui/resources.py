"""The only place with st.cache_resource: one root DuckDB connection per server process (D2)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from evidence import BlobStore
from services.demo import seed_demo
from services.evidence_files import blob_store
from store.db import connect, data_dir


@st.cache_resource(show_spinner=False)
def _root(root: str) -> duckdb.DuckDBPyConnection:
    con = connect(Path(root))
    seed_demo(con, blob_store(Path(root)))
    return con


@st.cache_resource(show_spinner=False)
def _blobs(root: str) -> BlobStore:
    return blob_store(Path(root))


def connection() -> duckdb.DuckDBPyConnection:
    """A cursor of the root connection, one per browser session (DuckDB's thread-safe pattern)."""
    root = str(data_dir())
    key = f"_cursor::{root}"
    if key not in st.session_state:
        st.session_state[key] = _root(root).cursor()
    return st.session_state[key]


def blobs() -> BlobStore:
    return _blobs(str(data_dir()))
