from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assessment import load_criteria
from store import criteria_sets, periods, units
from store.db import connect

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini-criteria.yaml"
AT = dt.datetime(2024, 7, 1, 9, 30)


@pytest.fixture
def con(_isolated_data_dir):
    con = connect(_isolated_data_dir)
    yield con
    con.close()


@pytest.fixture
def setup(con):
    """A criteria set, a period, a region with one unit and its assessment: ids in a dict."""
    criteria = load_criteria(MINI)
    sha = criteria_sets.save(con, criteria=criteria, yaml_text=MINI.read_text(encoding="utf-8"))
    period = periods.add_period(con, name="Penilaian 2024", year=2024, criteria_sha256=sha)
    region = units.add_unit(con, kind="pemda", code="KAB-X", name="Kabupaten X")
    unit = units.add_unit(con, kind="unit", code="U1", name="Unit Satu", parent_id=region)
    from store import assessments

    row = assessments.get_or_create(con, period_id=period, unit_id=unit)
    return {"sha": sha, "period": period, "region": region, "unit": unit, "assessment": row.id}


@pytest.fixture(autouse=True)
def _on_each_backend(db_backend):
    """Every test here runs on the embedded DuckDB file and on PostgreSQL (tests/conftest.py)."""
    return db_backend
