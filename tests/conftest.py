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
    from services.surveys.public import CLIENT_WINDOW
    from store import periods, units
    from store.db import connect, transaction

    CLIENT_WINDOW.clear()
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
