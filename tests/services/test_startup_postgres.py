"""Several app processes starting together on one blank PostgreSQL database (issue 11): the migrations and the
first start's demo seeding happen once, every process comes up, and the demo accounts file matches the database."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from services.accounts.demo_accounts import read_demo_accounts
from services.accounts.users import authenticate
from store.db import connect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres_only

START = """
import sys
from pathlib import Path
from services.ops.startup import open_database
sys.stdin.readline()
open_database(Path(sys.argv[1])).close()
print("up", flush=True)
"""


def test_three_processes_starting_at_once_seed_the_demo_once(_isolated_data_dir):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(START), str(_isolated_data_dir)], env=env, cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for _ in range(3)
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outs = [proc.communicate(timeout=300) for proc in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert sum("Data demo disiapkan" in out for out, _ in outs) == 1
    con = connect(_isolated_data_dir)
    try:
        assert con.execute("SELECT count(*) FROM org_units WHERE kind = 'pemda'").fetchone()[0] == 1
        accounts = read_demo_accounts(_isolated_data_dir)
        assert len(accounts) == con.execute("SELECT count(*) FROM users").fetchone()[0] == 5
        for username, password in accounts.items():  # the file's passwords open the accounts in the database
            assert authenticate(con, username=username, password=password).username == username
    finally:
        con.close()
