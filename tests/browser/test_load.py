"""A bounded load in CI (issue 11): simulated unit heads answering in real chromium for a fixed time, on one app
process (the embedded default) and on two app processes behind the balancer (the local cluster). Each leg
reports p50/p95 of an answer click (press → page idle) and asserts zero lost writes: every answer a page showed
as saved is what the database holds. Budgets are benchmarks' business (bench/bench_cluster.py); here a lost
write, a user who could not work, or a leg with no click at all fails.
"""

from __future__ import annotations

import os
import shutil

import pytest
from browser_helpers import start_app, stop_app
from load_harness import lost_writes, prepare_users, run_load

pytestmark = pytest.mark.browser

USERS = int(os.environ.get("KEPATUHAN_LOAD_USERS", "20"))
SECONDS = float(os.environ.get("KEPATUHAN_LOAD_SECONDS", "60"))
REGION = "KAB-SUKAMAJU"  # the demo region (services.ops.demo.REGION_CODE)


def _report(label: str, result, capsys) -> None:
    with capsys.disabled():
        print(
            f"\nLOAD {label}: {USERS} users for {SECONDS:.0f} s, {result.clicks} clicks, "
            f"p50 {result.quantile(0.5):.0f} ms, p95 {result.quantile(0.95):.0f} ms, load {os.getloadavg()[0]:.2f}"
        )


def test_one_process_loses_no_acknowledged_answer(tmp_path, capsys, monkeypatch):
    from services.ops.startup import open_database
    from store.db import connect

    root = tmp_path / "data"
    monkeypatch.delenv("KEPATUHAN_DATABASE_URL", raising=False)
    con = open_database(root)  # the demo, as on a first start; the users are made before the app holds the file
    users = prepare_users(con, USERS, region_code=REGION)
    con.close()
    server = start_app(root, tmp_path / "streamlit.log")
    try:
        result = run_load(server.url, users, SECONDS)
    finally:
        stop_app(server)
    _report("1 process (embedded DuckDB)", result, capsys)
    assert result.errors == [] and result.unacknowledged == []
    assert result.clicks >= USERS and len(result.acknowledged) == USERS
    con = connect(root)
    try:
        assert lost_writes(con, users, result) == []
    finally:
        con.close()
    shutil.rmtree(root, ignore_errors=True)
