"""Shared test fixtures. Append new fixtures; do not remove others'."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Tests never touch real data: KEPATUHAN_DATA_DIR points at a fresh temporary folder."""
    root = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("KEPATUHAN_DATA_DIR", str(root))
    monkeypatch.delenv("KEPATUHAN_DEBUG", raising=False)
    return root
