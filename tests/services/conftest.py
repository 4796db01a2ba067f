from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence import BlobStore
from services.access import Actor
from services.answering.assessing import open_assessment
from services.answering.evidence_files import blob_store
from services.catalog import register_file
from store import periods, units
from store.db import connect, transaction

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini-criteria.yaml"


@dataclass
class World:
    con: object
    blobs: BlobStore
    root: Path
    sha: str
    period: int
    closed_period: int
    unit: int
    other_unit: int
    head: Actor
    other_head: Actor
    admin: Actor
    viewer: Actor
    assessment: int

    def snapshot(self) -> dict[str, list]:
        """Every row that a refused action must leave alone."""
        out = {}
        for table, order in [
            ("answers", "assessment_id, indicator_id, subject"),
            ("indicator_notes", "assessment_id, indicator_id"),
            ("evidence", "id"),
            ("audit_events", "id"),
            ("assessments", "id"),
            ("periods", "id"),
        ]:
            out[table] = self.con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        out["blobs"] = sorted(self.blobs.iter_hashes())
        return out


@pytest.fixture
def world(_isolated_data_dir) -> World:
    root = _isolated_data_dir
    con = connect(root)
    sha = register_file(con, MINI)
    today = dt.date.today()
    with transaction(con):
        period = periods.add_period(
            con, name=f"Penilaian {today.year}", year=today.year, criteria_sha256=sha,
            opens=today - dt.timedelta(days=30), closes=today + dt.timedelta(days=60),
        )  # fmt: skip
        closed = periods.add_period(
            con, name="Penilaian lama", year=today.year - 1, criteria_sha256=sha, status="closed"
        )
        region = units.add_unit(con, kind="pemda", code="KAB-X", name="Kabupaten X")
        unit = units.add_unit(con, kind="unit", code="U1", name="Unit Satu", parent_id=region)
        other = units.add_unit(con, kind="unit", code="U2", name="Unit Dua", parent_id=region)
        units.add_product(con, unit_id=unit, code="A", name="Produk A")
        units.add_product(con, unit_id=unit, code="B", name="Produk B")
    head = Actor(username="kepala1", role="unit_head", unit_id=unit)
    view = open_assessment(con, head, period_id=period, unit_id=unit)
    w = World(
        con=con, blobs=blob_store(root), root=root, sha=sha, period=period, closed_period=closed, unit=unit,
        other_unit=other, head=head, other_head=Actor(username="kepala2", role="unit_head", unit_id=other),
        admin=Actor(username="admin", role="admin"), viewer=Actor(username="lihat", role="viewer"),
        assessment=view.assessment.id,
    )  # fmt: skip
    yield w
    con.close()


@pytest.fixture(autouse=True)
def _on_each_backend(db_backend):
    """Every test here runs on the embedded DuckDB file and on PostgreSQL (tests/conftest.py)."""
    return db_backend


@pytest.fixture(scope="session")
def demo_seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo kabupaten seeded once per session into a DuckDB data folder (copied per test by demo_copy)."""
    from services.ops.demo import seed_demo

    root = tmp_path_factory.mktemp("demo-seeded")
    saved = os.environ.pop("KEPATUHAN_DATABASE_URL", None)
    try:
        con = connect(root)
        seed_demo(con, blob_store(root))
        con.close()
    finally:
        if saved is not None:
            os.environ["KEPATUHAN_DATABASE_URL"] = saved
    return root


@pytest.fixture(scope="session")
def demo_seeded_pg(pg_server, pg_template, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo kabupaten seeded once per session into a PostgreSQL database (a template) and its evidence
    folder."""
    from services.ops.demo import seed_demo
    from store.postgres import open_pool

    root = tmp_path_factory.mktemp("demo-seeded-pg")
    name = pg_server.create_database(template=pg_template)
    con = open_pool(pg_server.url(name), max_size=2)
    try:
        seed_demo(con, blob_store(root))
    finally:
        con.close()
    return root, name


@pytest.fixture
def demo_copy(db_backend: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the seeded demo for this test, on this test's backend: returns its data folder (on
    PostgreSQL, KEPATUHAN_DATABASE_URL then points at a copy of the seeded database)."""
    root = tmp_path / "data"
    if db_backend == "duckdb":
        shutil.copytree(request.getfixturevalue("demo_seeded"), root)
        return root
    seeded_root, template = request.getfixturevalue("demo_seeded_pg")
    shutil.copytree(seeded_root, root)
    request.getfixturevalue("pg_server").use_copy(template, request, monkeypatch)
    return root
