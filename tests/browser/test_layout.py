"""Tablet (800 px) and phone (390 px) layouts of the unit head's pages (issue 9): the sidebar starts collapsed,
nothing scrolls sideways, the total on the results page is shown whole. Screenshots of every unit-head page
at 1400, 800 and 390 px land in tests/browser/artifacts/layout-<width>-<page>.png."""

from __future__ import annotations

import pytest
from browser_helpers import VIEWPORT, WATCH_RERUNS, log_in, settle, shot, step_ms
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

UNIT = "DINSOS-SLRT"
PAGES = (  # url path, heading
    ("ringkasan", "Dinas Sosial — Layanan SLRT"),
    ("dimensi-input", "Input"),
    ("dimensi-proses", "Proses"),
    ("dimensi-output", "Output"),
    ("dimensi-pengaduan", "Pengelolaan Pengaduan"),
    ("hasil", "Hasil penilaian"),
    ("akun", None),
)
WIDTHS = (1400, 800, 390)
CUT_JS = "e => [e, ...e.querySelectorAll('*')].every(x => x.scrollWidth <= x.clientWidth + 1)"

WIDTHS_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const block = document.querySelector('[data-testid="stMainBlockContainer"]');
    return {
        viewport: window.innerWidth,
        document: document.documentElement.scrollWidth,
        main: main ? main.scrollWidth : 0,
        mainClient: main ? main.clientWidth : 0,
        block: block ? block.scrollWidth : 0,
        blockClient: block ? block.clientWidth : 0,
    };
}"""


def _open(page: Page, server, path: str, heading: str | None) -> None:
    page.goto(f"{server.url}/{path}?unit={UNIT}")
    login = page.get_by_role("heading", name="Masuk ke Kepatuhan")
    target = page.get_by_role("heading", name=heading, exact=True) if heading else page.locator("h1").first
    expect(login.or_(target).first).to_be_visible(timeout=step_ms(30.0))
    settle(page)
    if login.count():
        log_in(page, server, "kadinsos")
        expect(target.first).to_be_visible(timeout=step_ms(30.0))
        settle(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_unit_head_pages_fit_the_screen(app_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": VIEWPORT["height"]}, locale="id-ID")
    context.set_default_timeout(30_000)
    context.add_init_script(f"({WATCH_RERUNS})()")
    page = context.new_page()
    try:
        for path, heading in PAGES:
            _open(page, app_server, path, heading)
            widths = page.evaluate(WIDTHS_JS)
            shot(page, f"layout-{width}-{path}")
            assert widths["document"] <= widths["viewport"], (path, widths)
            assert widths["main"] <= widths["mainClient"] + 1, (path, widths)  # nothing hidden off to the side
            assert widths["block"] <= widths["blockClient"] + 1, (path, widths)
            sidebar = page.get_by_test_id("stSidebar")
            if width <= 800:
                expect(sidebar, path).to_have_attribute("data-collapsed", "true")
            if path == "hasil":
                total = page.get_by_test_id("stMetric").filter(has_text="Nilai total").get_by_test_id("stMetricValue")
                expect(total).to_contain_text(" / 100,00")
                box = total.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
                whole = total.evaluate(CUT_JS)
                assert whole, "the total is cut off"
    finally:
        context.close()


def test_no_english_from_streamlit_in_the_indonesian_ui(app_server, browser_page: Page):
    """The uploader's button and size limit and the help icons' names are Indonesian (issue 9)."""
    page = browser_page
    _open(page, app_server, "dimensi-input", "Input")
    heading = page.locator("strong", has_text="IN-S01")
    card = page.locator('[data-testid="stVerticalBlock"]').filter(has=heading).last
    card.get_by_text("Bukti dukung (").first.click()
    settle(page)
    zone = card.get_by_test_id("stFileUploaderDropzone")
    expect(zone).to_contain_text("per berkas")
    expect(zone).not_to_contain_text("per file")
    expect(zone).to_contain_text("Pilih berkas")
    expect(zone).not_to_contain_text("Upload")
    english = page.evaluate(
        """() => [...document.querySelectorAll('[aria-label]')]
            .map(e => e.getAttribute('aria-label')).filter(l => /^(Help for|Show password|Hide password)/.test(l))"""
    )
    assert english == []
