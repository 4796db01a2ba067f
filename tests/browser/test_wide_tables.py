"""Wide tables fit a 1400 px screen with the sidebar open (issue 9): the region league table, the points table on
the results page and the users table on the admin page show no horizontal scrollbar of their own."""

from __future__ import annotations

import pytest
from browser_helpers import VIEWPORT, WATCH_RERUNS, log_in, settle, shot, step_ms
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# the data grid's scroller: wider content than its box means a horizontal scrollbar
OVERFLOW_JS = """e => { const s = e.querySelector('.dvn-scroller'); return s ? s.scrollWidth - s.clientWidth : -1; }"""

TABLES = (  # user, url path, a column heading of the table, screenshot name
    ("kadinsos", "hasil?unit=DINSOS-SLRT", "Poin diperoleh", "points"),
    ("ortala", "wilayah", "Kurang poin", "league"),
    ("ortala", "admin-pengguna", "Unit verifikasi", "users"),
)


@pytest.mark.parametrize(("user", "path", "heading", "name"), TABLES, ids=[t[3] for t in TABLES])
def test_wide_table_fits_1400_px(app_server, browser, user, path, heading, name):
    context = browser.new_context(viewport={"width": 1400, "height": VIEWPORT["height"]}, locale="id-ID")
    context.set_default_timeout(step_ms())
    context.add_init_script(f"({WATCH_RERUNS})()")
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/{path}")
        expect(page.get_by_label("Nama pengguna")).to_be_visible(timeout=step_ms(60))
        log_in(page, app_server, user)
        settle(page)  # every table of the page is there before one is picked by its header
        # the header exactly: a longer header that merely starts the same ("Kurang poin ke …") is another table
        table = page.get_by_test_id("stDataFrame").filter(has=page.get_by_text(heading, exact=True)).first
        table.scroll_into_view_if_needed()
        expect(table.locator(".dvn-scroller")).to_be_visible()
        settle(page)
        shot(page, f"wide-1400-{name}", whole=False)
        assert table.evaluate(OVERFLOW_JS) == 0, f"{name}: the table scrolls sideways at 1400 px"
    finally:
        context.close()
