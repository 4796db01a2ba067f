"""Tally entry at full typing speed in a real browser (issue 9): four counts typed with no pause, moving on
with Tab, a click and Enter, must all be stored under their own level; the running total shows against the
expected sample. The stored values are read from the database after the app has stopped."""

from __future__ import annotations

import re

import pytest
from browser_helpers import log_in, settle, start_app, step_ms, stop_app
from playwright.sync_api import Page, expect

from services.ops.startup import open_database
from store import assessments

pytestmark = pytest.mark.browser

UNIT = "DINSOS-SLRT"
LEVELS = ("0 · Mengalami", "1 · Melihat/mendengar", "2 · Ragu", "3 · Tidak ada")


@pytest.fixture
def own_server(tmp_path):
    """A server of this test alone: it is stopped before the database is read (DuckDB allows one writer)."""
    server = start_app(tmp_path / "data", tmp_path / "streamlit.log")
    try:
        yield server
    finally:
        stop_app(server)


def _card(page: Page):
    heading = page.locator("strong", has_text=re.compile(r"^OUT-02$"))
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=heading).last


def _field(page: Page, level: str):
    return _card(page).get_by_test_id("stNumberInput").filter(has_text=level).locator("input")


def _stored(data_dir) -> dict[str, int]:
    con = open_database(data_dir)
    try:
        rows = con.execute(
            "SELECT a.id FROM assessments a JOIN org_units u ON u.id = a.unit_id WHERE u.code = ?", [UNIT]
        ).fetchall()
        out: dict[str, int] = {}
        for (assessment_id,) in rows:
            for r in assessments.answers(con, assessment_id=assessment_id):
                if r.indicator_id == "OUT-02":
                    out[r.subject] = r.count
        return out
    finally:
        con.close()


def _open_output_page(page: Page, server) -> None:
    """A deep link: the login first when the session is not remembered, then the page asked for."""
    page.goto(f"{server.url}/dimensi-output?unit={UNIT}")
    login = page.get_by_role("heading", name="Masuk ke Kepatuhan")
    heading = page.get_by_role("heading", name="Output", exact=True)
    expect(login.or_(heading).first).to_be_visible(timeout=step_ms(30.0))
    settle(page)
    if login.count():
        log_in(page, server, "kadinsos")
    expect(heading).to_be_visible(timeout=step_ms(30.0))
    settle(page)


def test_counts_typed_at_full_speed_are_all_stored_under_their_level(own_server, browser_page: Page):
    page = browser_page
    _open_output_page(page, own_server)
    first = _field(page, LEVELS[0])
    expect(first).to_have_value("0")

    # no waiting between fields: type, Tab, type, click the next field, type, Tab, type, Enter
    first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    _field(page, LEVELS[2]).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    settle(page, start_timeout=2.0)

    # the running total against the expected sample, on the page
    expect(_card(page).get_by_text(re.compile(r"^Terisi 30 dari 30 responden yang diharapkan"))).to_be_visible()
    for level, value in zip(LEVELS, ("4", "7", "8", "11"), strict=True):
        expect(_field(page, level)).to_have_value(value)

    # a second burst corrects two levels just as fast (click, type, click, type, Enter)
    _field(page, LEVELS[1]).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    _field(page, LEVELS[3]).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("13")
    page.keyboard.press("Enter")
    settle(page, start_timeout=2.0)
    expect(_card(page).get_by_text(re.compile(r"^Terisi 30 dari 30 responden yang diharapkan"))).to_be_visible()

    # after a reload the fields come from the database
    _open_output_page(page, own_server)
    for level, value in zip(LEVELS, ("4", "5", "8", "13"), strict=True):
        expect(_field(page, level)).to_have_value(value)

    stop_app(own_server)
    assert _stored(own_server.data_dir) == {"tally:0": 4, "tally:1": 5, "tally:2": 8, "tally:3": 13}
