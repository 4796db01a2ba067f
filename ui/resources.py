"""The only place with st.cache_resource: one root DuckDB connection per server process (D2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from services.answering.evidence_files import blob_store
from services.ops.startup import data_dir, open_database


@st.cache_resource(show_spinner=False)
def _root(root: str) -> Any:
    return open_database(Path(root))


@st.cache_resource(show_spinner=False)
def _blobs(root: str) -> Any:
    return blob_store(Path(root))


def connection() -> Any:
    """A cursor of the root connection, one per browser session (DuckDB's thread-safe pattern)."""
    root = str(data_dir())
    key = f"_cursor::{root}"
    if key not in st.session_state:
        st.session_state[key] = _root(root).cursor()
    return st.session_state[key]


def blobs() -> Any:
    return _blobs(str(data_dir()))
