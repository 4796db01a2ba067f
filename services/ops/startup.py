"""Starting the app or the CLI: the data directory, the database opened (created, migrated) and, on a first
start, the demo region with its accounts."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from services.accounts.demo_accounts import DEMO_ACCOUNTS_FILE, create_demo_accounts
from services.answering.evidence_files import blob_store
from services.ops.demo import seed_demo
from store.db import connect, startup_lock
from store.db import data_dir as configured_data_dir


def data_dir() -> Path:
    return configured_data_dir()


def open_database(root: Path) -> duckdb.DuckDBPyConnection:
    """The app's root connection: create or migrate the database; on first start seed the demo region and
    its accounts (unless KEPATUHAN_DEMO=0, which leaves a blank install with the first-admin setup page)."""
    con = connect(root)
    if os.environ.get("KEPATUHAN_DEMO", "1") != "0":
        with startup_lock(con):  # several app processes on one PostgreSQL database may start together
            seeded = seed_demo_with_accounts(con, root)
        if seeded:
            print(f"Data demo disiapkan. Akun demo dan kata sandinya: {root / DEMO_ACCOUNTS_FILE}", flush=True)
    return con


def seed_demo_with_accounts(con: duckdb.DuckDBPyConnection, root: Path) -> bool:
    """The demo region and its accounts (passwords in root/akun-demo.txt), the same from the app's first start
    and from `kepatuhan demo`. True when the demo was created now. Accounts are made only in a database with
    no user yet, so a demo added next to real accounts never brings demo logins with it."""
    if not seed_demo(con, blob_store(root)):
        return False
    create_demo_accounts(con, root)
    return True
