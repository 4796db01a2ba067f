"""Migrations: blank → head, an old fixture → head with its data intact, idempotent reruns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from store.db import connect, db_path
from store.errors import StorageError
from store.migrations import MIGRATIONS, applied, migrate

pytestmark = pytest.mark.duckdb_only  # the DuckDB file and its fixtures; PostgreSQL: tests/store/test_store_postgres.py

TABLES = {
    "criteria_sets", "org_units", "service_products", "periods", "assessments", "answers", "indicator_notes",
    "evidence", "users", "audit_events", "settings", "schema_migrations",
}  # fmt: skip


def tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_blank_to_head_creates_every_table_and_records_names(tmp_path):
    con = duckdb.connect(str(tmp_path / "blank.duckdb"))
    done = migrate(con)
    assert done == [name for name, _ in MIGRATIONS]
    assert TABLES <= tables(con)
    assert applied(con) == sorted(name for name, _ in MIGRATIONS)
    indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {"idx_evidence_assessment", "idx_audit_assessment", "idx_assessments_period"} <= indexes


def test_second_run_is_a_no_op(tmp_path):
    con = duckdb.connect(str(tmp_path / "twice.duckdb"))
    migrate(con)
    before = con.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()
    assert migrate(con) == []
    assert con.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall() == before


def test_connect_migrates_and_reconnect_keeps_data(_isolated_data_dir):
    con = connect(_isolated_data_dir)
    con.execute("INSERT INTO settings VALUES ('k', 'v')")
    con.close()
    assert db_path(_isolated_data_dir).exists()
    con = connect(_isolated_data_dir)
    assert con.execute("SELECT value FROM settings WHERE key = 'k'").fetchone() == ("v",)
    assert applied(con) == sorted(name for name, _ in MIGRATIONS)
    con.close()


OLD_SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schema-001_initial.sql"


def _frozen_sql() -> str:
    lines = OLD_SCHEMA.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("-- ")).strip()


def test_the_shipped_first_migration_is_unchanged():
    """A shipped migration is history: change the schema with a new migration, never by editing an old one."""
    assert dict(MIGRATIONS)["001_initial"].strip() == _frozen_sql()


def test_old_fixture_to_head_keeps_its_data(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    # the database as the first release left it, built from the frozen text, not from today's code
    for statement in (s.strip() for s in _frozen_sql().split(";")):
        if statement:
            con.execute(statement)
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO schema_migrations VALUES ('001_initial', current_timestamp)")
    assert applied(con) == ["001_initial"]
    at = dt.datetime(2023, 8, 1, 10, 0)
    con.execute("INSERT INTO org_units (kind, code, name) VALUES ('unit', 'U1', 'Unit Satu')")
    con.execute("INSERT INTO periods (name, year, criteria_sha256) VALUES ('Penilaian 2023', 2023, 'abc')")
    con.execute("INSERT INTO assessments (period_id, unit_id) VALUES (1, 1)")
    con.execute("INSERT INTO answers VALUES (1, 'IN-01', 'respondent:1', 3, 1, 1, 'budi', ?)", [at])
    con.execute(
        "INSERT INTO audit_events (\"at\", actor, event, assessment_id, payload) "
        "VALUES (?, 'budi', 'answer.set', 1, '{}')",
        [at],
    )
    con.close()

    con = duckdb.connect(str(path))
    assert migrate(con) == [name for name, _ in MIGRATIONS[1:]]
    assert applied(con) == sorted(name for name, _ in MIGRATIONS)
    assert con.execute("SELECT code, name FROM org_units").fetchall() == [("U1", "Unit Satu")]
    assert con.execute("SELECT indicator_id, subject, value, updated_by, updated_at FROM answers").fetchall() == [
        ("IN-01", "respondent:1", 3.0, "budi", at)
    ]
    assert con.execute("SELECT count(*) FROM audit_events").fetchone() == (1,)
    # sequences continue after the old rows
    new_id = con.execute(
        "INSERT INTO org_units (kind, code, name) VALUES ('unit', 'U2', 'Dua') RETURNING id"
    ).fetchone()
    assert new_id == (2,)


def test_database_from_a_newer_version_is_refused(tmp_path):
    con = duckdb.connect(str(tmp_path / "newer.duckdb"))
    migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES ('999_from_the_future', current_timestamp)")
    with pytest.raises(StorageError, match="versi Kepatuhan yang lebih baru"):
        migrate(con)


def test_failed_migration_leaves_database_unchanged(tmp_path, monkeypatch):
    import store.migrations as m

    con = duckdb.connect(str(tmp_path / "broken.duckdb"))
    migrate(con, upto="001_initial")
    monkeypatch.setattr(
        m, "MIGRATIONS", [*m.MIGRATIONS, ("999_broken", "CREATE TABLE t_ok (a INT); CREATE TABLE broken (")]
    )
    with pytest.raises(StorageError, match="999_broken"):
        migrate(con)
    # the real ones were applied, each in its own transaction; the broken one left nothing behind
    assert applied(con) == sorted(name for name, _ in m.MIGRATIONS[:-1])
    assert "t_ok" not in tables(con)
