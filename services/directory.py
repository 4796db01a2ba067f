"""Read-only lists for pickers and navigation: periods and the units an actor may see."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from services.accounts import DEMO_ACCOUNTS_FILE, create_demo_accounts
from services.actor import Actor
from services.demo import seed_demo
from services.evidence_files import blob_store
from store import periods, units
from store.db import connect
from store.db import data_dir as configured_data_dir
from store.models import OrgUnit, Period


def data_dir() -> Path:
    return configured_data_dir()


def open_database(root: Path) -> duckdb.DuckDBPyConnection:
    """The app's root connection: create or migrate the database; on first start seed the demo region and
    its accounts (unless KEPATUHAN_DEMO=0, which leaves a blank install with the first-admin setup page)."""
    con = connect(root)
    if os.environ.get("KEPATUHAN_DEMO", "1") != "0" and seed_demo_with_accounts(con, root):
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


def list_periods(con: duckdb.DuckDBPyConnection) -> list[Period]:
    return periods.list_periods(con)


def visible_units(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[OrgUnit]:
    return [u for u in units.list_units(con, kind="unit") if actor.can_read_unit(u.id)]
