"""A throwaway PostgreSQL cluster for the tests (issue 11): Debian's postgresql-15 binaries, initdb into a temporary
folder, listening on 127.0.0.1 at a free port, trust authentication for the test user. initdb refuses to run
as root, so as root the server runs as the `postgres` system user the Debian package creates.

Durability settings are off (fsync, synchronous_commit): the tests check behaviour, not crash safety, and
every test database is thrown away.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

USER = "kepatuhan"


def pg_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb, or None when PostgreSQL is not installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@dataclass
class PgServer:
    bindir: Path
    folder: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement on the maintenance database (CREATE/DROP DATABASE cannot run in a transaction)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, template: str | None = None) -> str:
        name = f"kp_{uuid.uuid4().hex[:12]}"
        self.admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def use_copy(self, template: str, request, monkeypatch) -> str:
        """A fresh copy of `template` for one test: KEPATUHAN_DATABASE_URL points at it, dropped afterwards."""
        name = self.create_database(template=template)
        monkeypatch.setenv("KEPATUHAN_DATABASE_URL", self.url(name))
        request.addfinalizer(lambda: self.drop_database(name))
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        subprocess.run(
            _as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PgServer:
    bindir = pg_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="kp-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    subprocess.run(
        _as_server_user(
            [str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync", "-N"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=300"
    )
    subprocess.run(
        _as_server_user(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return PgServer(bindir=bindir, folder=folder, port=port)
