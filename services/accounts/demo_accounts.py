"""Demo accounts: generated passwords, written once to a file in the data directory (mode 600).

Accounts are made only in a database with no user yet, so a demo never brings demo logins next to real ones."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import duckdb
from argon2 import PasswordHasher

from services.accounts.users import ROLE_LABELS, unit_id_for
from services.audit_events import UserCreated
from services.common import now
from store import audit, units
from store import users as user_store
from store.db import transaction

DEMO_ACCOUNTS_FILE = "akun-demo.txt"
# Demo accounts are hashed with light parameters so the first start stays fast; authenticate() re-hashes
# them with the full parameters at their first login (check_needs_rehash).
_demo_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    scope: str


DEMO_USERS = (
    ("ortala", "Admin Ortala (demo)", "admin", None),
    ("verifikator", "Verifikator Inspektorat (demo)", "verifier", None),
    ("kadinsos", "Kepala Dinas Sosial (demo)", "unit_head", "DINSOS-SLRT"),
    ("kadukcapil", "Kepala Disdukcapil (demo)", "unit_head", "DUKCAPIL"),
    ("pimpinan", "Pimpinan daerah (demo, baca saja)", "viewer", None),
)


def create_demo_accounts(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[DemoAccount]:
    """Demo accounts with generated passwords, written once to data_dir/akun-demo.txt (mode 600)."""
    if user_store.count(con) != 0:
        return []
    demo_units = [u.code for u in units.list_units(con, kind="unit") if u.is_demo]
    accounts = []
    at = now()
    with transaction(con):
        for username, display, role, unit_code in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            unit_id = unit_id_for(con, unit_code) if unit_code else None
            user_id = user_store.add(
                con,
                username=username,
                display_name=display,
                password_hash=_demo_hasher.hash(password),
                role=role,
                unit_id=unit_id,
                at=at,
            )
            if role == "verifier":
                user_store.set_verifier_units(con, user_id=user_id, unit_ids={unit_id_for(con, c) for c in demo_units})
            scope = unit_code or ("semua unit demo" if role in ("verifier",) else "seluruh wilayah")
            accounts.append(DemoAccount(username, password, role, scope))
            audit.append(con, actor="sistem", event=UserCreated(user=username, role=role, demo=True), at=at)
    _write_demo_file(data_dir / DEMO_ACCOUNTS_FILE, accounts)
    return accounts


def _write_demo_file(path: Path, accounts: list[DemoAccount]) -> None:
    lines = [
        "# Akun DEMO Kepatuhan — kata sandi dibuat acak saat data demo pertama kali disiapkan.",
        "# Hanya untuk mencoba aplikasi. Jangan dipakai untuk data sungguhan.",
        "",
    ]
    lines += [f"{a.username:<12} {a.password:<20} {ROLE_LABELS[a.role]:<16} {a.scope}" for a in accounts]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def read_demo_accounts(data_dir: Path) -> dict[str, str]:
    """username → password from the demo file (for the CLI's one-time print and for tests)."""
    path = data_dir / DEMO_ACCOUNTS_FILE
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            parts = line.split()
            out[parts[0]] = parts[1]
    return out
