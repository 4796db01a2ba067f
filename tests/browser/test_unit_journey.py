"""The unit head's journey in a real browser: log in, pick the unit, answer, attach evidence, reload,
see the score move, submit. Screenshots of every page land in tests/browser/artifacts/."""

from __future__ import annotations

import re

import pytest
from browser_helpers import ROOT, log_in, png_bytes, settle, shot, step_ms
from playwright.sync_api import Page, expect

from assessment import load_criteria

pytestmark = pytest.mark.browser

CRITERIA = load_criteria(ROOT / "criteria" / "ombudsman-2023.yaml")
INDICATORS = CRITERIA.indicators_by_id()
UNIT_NAME = "Dinas Sosial — Layanan SLRT"
PRODUCTS = ("Rekomendasi PBI-JK", "Surat Keterangan Tidak Mampu", "Rujukan ODGJ terlantar")


def option(indicator_id: str, value: float) -> str:
    return f"{value:g} · {INDICATORS[indicator_id].option(value).label}"


def card(page: Page, indicator_id: str):
    """The bordered card of one indicator on a questionnaire page."""
    heading = page.locator("strong", has_text=re.compile(rf"^{re.escape(indicator_id)}$"))
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=heading).last


def radio(page: Page, indicator_id: str, value: float, group: str = "Jawaban"):
    name = re.compile(rf"^{re.escape(option(indicator_id, value))}")
    return card(page, indicator_id).get_by_role("radiogroup", name=group, exact=True).get_by_role("radio", name=name)


def answer(page: Page, indicator_id: str, value: float, group: str = "Jawaban") -> None:
    """Click the option's label, like a user, and wait for the saved confirmation."""
    target = card(page, indicator_id).get_by_role("radiogroup", name=group, exact=True)
    target.get_by_text(option(indicator_id, value), exact=True).click()
    expect(page.get_by_text(f"Jawaban {indicator_id} tersimpan").first).to_be_visible()
    settle(page)
    # the card reruns on its own (a fragment): until that run ends the old answer group may still be on show
    expect(card(page, indicator_id).get_by_role("radiogroup", name=group, exact=True)).to_have_count(1)
    expect(radio(page, indicator_id, value, group)).to_be_checked()


def go(page: Page, nav_label: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(nav_label, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    settle(page)


def headline(page: Page) -> tuple[str, str, str]:
    """(total, category line, zone badge) as shown on the results page."""
    total = page.get_by_test_id("stMetric").filter(has_text="Nilai total").get_by_test_id("stMetricValue")
    category = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^Kategori:")).first
    zone = page.get_by_text(re.compile(r"Zona (hijau|kuning|merah)$")).first  # the badge; its icon is text too
    zone_text = re.search(r"Zona (hijau|kuning|merah)", zone.inner_text()).group(0)
    return total.inner_text().strip(), category.inner_text().strip(), zone_text


def band_of(total_text: str) -> tuple[str, str]:
    total = float(total_text.split("/")[0].strip().replace(".", "").replace(",", "."))
    band = next(b for b in CRITERIA.bands if b.min <= round(total, 2) <= b.max)
    return f"Kategori: {band.code} — {band.label}", f"Zona {band.zone}"


def test_unit_head_journey(app_server, browser_page: Page, tmp_path):
    page = browser_page
    page.goto(app_server.url)
    expect(page.get_by_role("heading", name="Masuk ke Kepatuhan")).to_be_visible(timeout=step_ms(30.0))
    shot(page, "01-login")
    log_in(page, app_server, "kadinsos")

    # the unit head picks their unit in the sidebar
    expect(page.get_by_role("heading", name="Ringkasan penilaian")).to_be_visible()
    unit_box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Unit layanan")
    unit_box.click()
    page.get_by_role("option", name=re.compile(rf"^{UNIT_NAME}")).click()
    settle(page)
    expect(page.get_by_role("heading", name=UNIT_NAME)).to_be_visible()
    expect(page.get_by_text("data contoh (DEMO)")).to_be_visible()
    assert "unit=DINSOS-SLRT" in page.url
    shot(page, "02-overview")

    go(page, "Hasil & jalur ke zona berikutnya", "Hasil penilaian")
    before = headline(page)
    assert before[1:] == band_of(before[0]), before
    shot(page, "03-results-before")

    # Input: two unanswered indicators, one per unit and one per interviewed official
    go(page, "Input", "Input")
    answer(page, "IN-S01", 3)
    answer(page, "IN-K01", 0, group="Responden 1")
    expect(card(page, "IN-S01").get_by_text(re.compile(r"Tersimpan .* oleh kadinsos"))).to_be_visible()

    # evidence for IN-S01 (answer 3 needs a file)
    s01 = card(page, "IN-S01")
    expect(s01.get_by_text("berisiko hilang")).to_be_visible()
    s01.get_by_text("Bukti dukung (0)").click()
    png = tmp_path / "jadwal-pengawasan.png"
    png.write_bytes(png_bytes(240, 160))
    s01.locator('input[type="file"]').set_input_files(str(png))
    expect(s01.get_by_test_id("stFileChip")).to_have_count(1)  # the chosen file is staged
    s01.get_by_label("Keterangan bukti").fill("Jadwal dan laporan pengawasan internal 2026")
    s01.get_by_role("button", name="Simpan bukti").click()
    expect(page.get_by_text("1 berkas bukti tersimpan").first).to_be_visible()
    settle(page)
    expect(card(page, "IN-S01").get_by_text("Bukti dukung (1)")).to_be_visible()
    expect(card(page, "IN-S01").get_by_text(re.compile(r"^jadwal-pengawasan\.png · "))).to_be_visible()  # still open
    expect(card(page, "IN-S01").get_by_text("berisiko hilang")).to_have_count(0)
    card(page, "IN-S01").scroll_into_view_if_needed()
    shot(page, "04-input-answered", whole=False)

    # Proses: the unit head corrects two per-product answers that were too generous (the demo's Dinas Sosial
    # sits just above the C/D boundary, so this moves it into the red zone), and answers PR-12 for one product
    go(page, "Proses", "Proses")
    for indicator_id in ("PR-01", "PR-02"):
        for product in PRODUCTS:
            answer(page, indicator_id, 0, group=product)
    answer(page, "PR-12", 3, group="Surat Keterangan Tidak Mampu")
    card(page, "PR-01").scroll_into_view_if_needed()
    shot(page, "05-proses-answered", whole=False)

    # a reload starts a new Streamlit session (the login may be remembered); everything comes back from DuckDB
    page.reload()
    login = page.get_by_role("heading", name="Masuk ke Kepatuhan")
    expect(login.or_(page.get_by_role("heading", name="Proses", exact=True)).first).to_be_visible(timeout=step_ms(30.0))
    settle(page)
    shot(page, "06a-after-reload", whole=False)
    if login.count():  # without a remembered session the user logs in again
        log_in(page, app_server, "kadinsos")
    go(page, "Proses", "Proses")
    for product in PRODUCTS:
        expect(radio(page, "PR-01", 0, product)).to_be_checked()
    expect(radio(page, "PR-12", 3, "Surat Keterangan Tidak Mampu")).to_be_checked()
    go(page, "Input", "Input")
    expect(radio(page, "IN-S01", 3)).to_be_checked()
    expect(radio(page, "IN-K01", 0, "Responden 1")).to_be_checked()
    s01 = card(page, "IN-S01")
    s01.get_by_text("Bukti dukung (1)").click()
    expect(s01.get_by_text(re.compile(r"^jadwal-pengawasan\.png · "))).to_be_visible()
    expect(s01.get_by_text("Jadwal dan laporan pengawasan internal 2026")).to_be_visible()
    s01.scroll_into_view_if_needed()
    shot(page, "06b-input-after-reload", whole=False)

    go(page, "Hasil & jalur ke zona berikutnya", "Hasil penilaian")
    after = headline(page)
    assert after[1:] == band_of(after[0]), after
    assert after[0] != before[0], (before, after)
    assert after[1] != before[1] and after[2] != before[2], (
        f"the journey's answers should move the demo Dinas Sosial across a band: {before} → {after}"
    )
    shot(page, "07-results-after")

    # submit: tick the confirmation, press the button, get the snapshot hash
    submit = page.get_by_role("button", name="Kirim dan bekukan")
    expect(submit).to_be_disabled()
    page.get_by_text("Saya sudah memeriksa jawaban dan bukti, dan siap mengirim.").click()
    settle(page)
    expect(submit).to_be_enabled()
    submit.click()
    expect(page.get_by_text(re.compile(r"^Penilaian sudah dikirim pada "))).to_be_visible()
    settle(page)
    # the receipt: a short reference a kepala dinas can read out; the full hash behind its toggle
    receipt = page.get_by_text(re.compile(r"^Penilaian sudah dikirim pada ")).inner_text()
    reference = re.search(r"Nomor bukti kirim: ([0-9A-F]{4}-[0-9A-F]{4})", receipt)
    assert reference, receipt
    page.get_by_text("Sidik lengkap snapshot (sha256) untuk pemeriksa").click()
    expect(page.get_by_test_id("stCode")).to_be_visible()
    sha = page.get_by_test_id("stCode").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", sha), sha
    assert sha.startswith(reference.group(1).replace("-", "").lower()), (reference.group(1), sha)
    expect(page.get_by_role("button", name="Kirim dan bekukan")).to_have_count(0)
    shot(page, "08-results-submitted")

    go(page, "Input", "Input")
    expect(page.get_by_text("Penilaian sudah dikirim dan dibekukan").first).to_be_visible()
    expect(radio(page, "IN-S01", 3)).to_be_disabled()
    expect(radio(page, "IN-S01", 2)).to_be_disabled()
    expect(page.locator('input[type="file"]')).to_have_count(0)
    shot(page, "09-input-read-only", whole=False)
    go(page, "Ringkasan", "Ringkasan penilaian")
    expect(page.get_by_test_id("stMetric").filter(has_text="Status")).to_contain_text("Sudah dikirim")
    shot(page, "10-overview-submitted")
