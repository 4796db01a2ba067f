"""Ortala's journey in a real browser over the demo kabupaten: region overview → heatmap → drill into the
weakest unit → download its Excel workbook and PDF rapor (and the region's workbook). Screenshots of every
step land in tests/browser/artifacts/region-*.png."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, log_in, next_frame, settle, wait_for_rendered
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from services.access import Actor
from services.answering.evidence_files import blob_store
from services.ops.demo import seed_demo
from services.region.overview import region_overview
from store.db import connect
from ui.i18n import CATALOGS

pytestmark = pytest.mark.browser
ID = CATALOGS["id"]


@pytest.fixture(scope="module")
def expected():
    """The same demo seeded in a database of our own (the app's is locked by its process)."""
    root = Path(tempfile.mkdtemp(prefix="region-expected-"))
    con = connect(root)
    seed_demo(con, blob_store(root))
    ov = region_overview(con, Actor(username="uji", role="admin"))
    con.close()
    return ov


def tall_shot(page: Page, name: str, height: int = 2600) -> Path:
    """Screenshot the whole page: Streamlit scrolls inside its own container, so grow the viewport first."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    wait_for_rendered(page)
    next_frame(page)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def metric_value(page: Page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def download(page: Page, button: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).first.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_region_overview_heatmap_drill_down_and_downloads(app_server, browser_page: Page, expected, tmp_path):
    page = browser_page
    page.goto(app_server.url)
    settle(page)
    log_in(page, app_server, "ortala")
    page.get_by_test_id("stSidebarNav").get_by_text(ID["nav.region.overview"], exact=True).click()
    expect(page.get_by_role("heading", name=ID["region.title"]).first).to_be_visible()
    settle(page)

    # overview: the region score, category and statuses as the service computes them
    region = expected.region
    assert metric_value(page, ID["region.score"]) == f"{region.score:.2f}".replace(".", ",")
    assert metric_value(page, "Kategori") == region.band.code
    assert metric_value(page, ID["region.assessed"]) == "7 dari 7"
    expect(page.get_by_text(f"Zona {region.band.zone}").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    tall_shot(page, "region-overview")

    # heatmap: one row per unit, the weakest on top
    heat = page.get_by_test_id("stPlotlyChart").filter(has=page.locator("g.hm"))
    heat.scroll_into_view_if_needed()
    expect(heat).to_be_visible()
    weakest = expected.weakest
    ticks = heat.locator(".ytick text")
    expect(ticks.filter(has_text=weakest.name)).to_have_count(1)
    assert ticks.count() == 7
    heat.screenshot(path=str(ARTIFACTS / "region-heatmap.png"))

    # the region workbook
    region_xlsx = download(page, ID["region.download.xlsx"], tmp_path)
    wb = load_workbook(region_xlsx)
    assert wb.sheetnames == ["Ringkasan", "Unit", "Jawaban", "Bukti", "Rencana Perbaikan"]
    assert len(list(wb["Unit"].iter_rows(min_row=2))) == 7

    # drill into the weakest unit (the picker offers it first)
    picker = page.get_by_role("combobox", name=ID["region.drill.pick"])
    expect(picker).to_have_value(re.compile(rf"^{re.escape(weakest.name)} · "))
    page.get_by_role("link", name=ID["region.drill.open"]).click()
    expect(page.get_by_role("heading", name=weakest.name).first).to_be_visible()
    settle(page)
    assert re.search(rf"wilayah-unit\?unit={re.escape(weakest.code)}", page.url)
    total = metric_value(page, "Nilai total")
    assert total == f"{weakest.total:.2f}".replace(".", ",") + " / 100,00"
    expect(page.get_by_text(ID["region.unit.read_only"])).to_be_visible()
    tall_shot(page, "region-unit", height=3200)

    # the unit's Excel workbook and PDF rapor
    unit_xlsx = download(page, ID["region.download.xlsx"], tmp_path)
    assert unit_xlsx.name.endswith(f"-{weakest.code}.xlsx")
    wb = load_workbook(unit_xlsx)
    units = [r for r in wb["Unit"].iter_rows(min_row=2, values_only=True)]
    assert len(units) == 1 and units[0][2] == weakest.name
    unit_pdf = download(page, ID["region.download.pdf"], tmp_path)
    reader = PdfReader(io.BytesIO(unit_pdf.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).replace("—", "-").split())
    assert f"Rapor Penilaian Mandiri - {weakest.name}".replace("—", "-") in text
    assert f"{weakest.total:.2f}".replace(".", ",") in text and "Rencana perbaikan" in text

    # back to the region, then the trends across the two demo years
    page.get_by_role("link", name=ID["region.unit.back"]).click()
    expect(page.get_by_role("heading", name=ID["region.title"]).first).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_text(ID["nav.region.trends"], exact=True).click()
    expect(page.get_by_role("heading", name=ID["region.trends.title"]).first).to_be_visible()
    settle(page)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    tall_shot(page, "region-trends")
