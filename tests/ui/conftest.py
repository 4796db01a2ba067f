"""AppTest fixtures: a seeded demo data directory per test, pages opened on the demo Dinas Sosial.

The demo kabupaten is seeded once per session into a template directory; every test gets its
own copy under tmp_path, so tests never see each other's answers. The app's root connection is
cached (st.cache_resource) by data-directory path, so a fresh path means a fresh connection.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from services.access import SYSTEM
from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.answering.assessing import AssessmentView, open_assessment
from services.ops.startup import open_database
from store import periods, units
from store.db import connect

# test helpers live beside this file (pytest runs with --import-mode=importlib)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_helpers import APP, TIMEOUT, UNIT, USER, login  # re-exported: tests import them from here too  # noqa: E402

from ui.i18n import LANG_KEY


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template-data")
    con = open_database(root)
    if accounts.current_user(con, USER) is None:  # demo accounts come with the demo seed; make sure of them
        demo_accounts.create_demo_accounts(con, root)
    con.close()
    return root


@dataclass
class Demo:
    """The copied data directory and read access to what the app stored."""

    root: Path

    @cached_property
    def _con(self):
        # Same file, same configuration: DuckDB hands back the process's instance the app uses.
        return connect(self.root)

    def con(self):
        return self._con.cursor()

    def open_period(self):
        return next(p for p in periods.list_periods(self.con()) if p.status == "open")

    def closed_period(self):
        return next(p for p in periods.list_periods(self.con()) if p.status == "closed")

    def unit(self, code: str = UNIT):
        unit = units.unit_by_code(self.con(), code=code)
        assert unit is not None
        return unit

    def view(self, code: str = UNIT, period_id: int | None = None) -> AssessmentView:
        period_id = period_id or self.open_period().id
        return open_assessment(self.con(), SYSTEM, period_id=period_id, unit_id=self.unit(code).id)

    def values(self, indicator_id: str, code: str = UNIT) -> dict[str, float | None]:
        return {r.subject: r.value for r in self.view(code).answers.get(indicator_id, [])}


@pytest.fixture(scope="session")
def seeded_template_pg(pg_server, pg_template, tmp_path_factory: pytest.TempPathFactory):
    """The demo seeded once into a PostgreSQL database (copied per test as a template) and its data folder
    (evidence, demo accounts file)."""
    import os

    root = tmp_path_factory.mktemp("template-data-pg")
    name = pg_server.create_database(template=pg_template)
    saved = os.environ.get("KEPATUHAN_DATABASE_URL")
    os.environ["KEPATUHAN_DATABASE_URL"] = pg_server.url(name)
    try:
        con = open_database(root)
        con.close()
    finally:
        if saved is None:
            os.environ.pop("KEPATUHAN_DATABASE_URL", None)
        else:
            os.environ["KEPATUHAN_DATABASE_URL"] = saved
    return root, name


@pytest.fixture
def demo(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Demo:
    """A fresh copy of the seeded demo for this test, on this test's backend."""
    root = tmp_path / "data"
    backend = request.getfixturevalue("db_backend") if "db_backend" in request.fixturenames else "duckdb"
    if backend == "duckdb":
        shutil.copytree(request.getfixturevalue("seeded_template"), root)
    else:
        seeded_root, template = request.getfixturevalue("seeded_template_pg")
        shutil.copytree(seeded_root, root)
        request.getfixturevalue("pg_server").use_copy(template, request, monkeypatch)
    monkeypatch.setenv("KEPATUHAN_DATA_DIR", str(root))
    return Demo(root)


def _with_params(at: AppTest, unit: str | None, period: int | None, user: str = USER) -> AppTest:
    login(at, user)
    if unit is not None:
        at.query_params["unit"] = unit
    if period is not None:
        at.query_params["periode"] = str(period)
    return at


@pytest.fixture
def dimension_page(demo: Demo) -> Callable[..., AppTest]:
    """A questionnaire page of one dimension, run once, opened on the demo Dinas Sosial."""

    def make(dimension_id: str, *, unit: str | None = UNIT, period: int | None = None, lang: str | None = None):
        at = AppTest.from_string(
            f"from app_pages import dimension\ndimension.render({dimension_id!r})\n", default_timeout=TIMEOUT
        )
        if lang:
            at.session_state["lang"] = lang
        return _with_params(at, unit, period or demo.open_period().id).run()

    return make


@pytest.fixture
def results_page(demo: Demo) -> Callable[..., AppTest]:
    def make(*, unit: str | None = UNIT, period: int | None = None) -> AppTest:
        at = AppTest.from_string("from app_pages import results\nresults.render()\n", default_timeout=TIMEOUT)
        return _with_params(at, unit, period or demo.open_period().id).run()

    return make


@pytest.fixture
def app(demo: Demo) -> Callable[..., AppTest]:
    """The whole app through its router (app.py); lands on the overview."""

    def make(*, unit: str | None = UNIT, period: int | None = None, user: str = USER) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        return _with_params(at, unit, period if period is not None else demo.open_period().id, user).run()

    return make


@pytest.fixture
def language():
    """Switch the reader's language of the pure helpers (t(), number()) for one test."""

    def use(code: str) -> None:
        st.session_state[LANG_KEY] = code

    yield use
    st.session_state.pop(LANG_KEY, None)


@pytest.fixture(autouse=True)
def _on_each_backend(db_backend):
    """Every page test runs on the embedded DuckDB file and on PostgreSQL (tests/conftest.py): the demo is
    copied from a seeded DuckDB folder or a seeded PostgreSQL template database (`demo`)."""
    return db_backend
