"""After the score, in a real browser: the admin imports the Ombudsman's official results from a CSV and sees
them beside the self-assessment; the unit head turns a step of the path into an action, closes it with evidence,
and the readiness board and the score follow. Screenshots at 1400, 800 and 390 px land in tests/browser/artifacts/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from browser_helpers import VIEWPORT, log_in, png_bytes, settle, shot, step_ms
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

STEP = "PG-10"  # a unit-level indicator on the demo Dinas Sosial's path to the next category
WIDTHS = (1400, 800, 390)


def new_page(browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(30_000)
    return context.new_page()


def sign_in(page: Page, server, username: str, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    expect(page.get_by_role("heading", name="Masuk ke Kepatuhan")).to_be_visible(timeout=step_ms(30.0))
    log_in(page, server, username)


def go(page: Page, nav_label: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(nav_label, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    settle(page)


def shots(page: Page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        settle(page, start_timeout=0.3)
        shot(page, f"fu-{name}-{width}")
    page.set_viewport_size(VIEWPORT)
    settle(page, start_timeout=0.3)


def metric(page: Page, label: str) -> str:
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    box = page.get_by_test_id("stMetric").filter(has=label_el)
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def score_of(page: Page) -> float:
    text = page.get_by_text(re.compile(r"^Nilai mandiri saat ini: ")).inner_text()
    number = re.search(r"saat ini: ([\d.,]+)", text).group(1)
    return float(number.replace(".", "").replace(",", "."))


def test_official_results_and_an_action_closed_with_evidence(app_server, browser, tmp_path):
    # --- the admin imports the published results and sees the comparison ----------------------------
    admin = new_page(browser)
    sign_in(admin, app_server, "ortala")
    go(admin, "Hasil resmi Ombudsman", "Hasil resmi Ombudsman")
    year = max(int(y) for y in re.findall(r"Penilaian (\d{4})", admin.content()))
    period = f"Penilaian {year}"
    csv = tmp_path / "hasil-ombudsman.csv"
    csv.write_text("periode;kode;nilai;predikat;akhiran;dimensi\n"
                   f"{period};DINSOS-SLRT;55,10;;;input=12|proses=20\n"
                   f"{period};DUKCAPIL;70,25;;;\n"
                   f"{period};KAB-SUKAMAJU;61,4;Opini Kualitas Sedang;Tanpa Maladministrasi;\n", encoding="utf-8")
    admin.get_by_role("tab", name="Impor CSV").click()
    admin.locator('input[type="file"]').set_input_files(str(csv))
    expect(admin.get_by_test_id("stFileChip")).to_have_count(1)
    admin.get_by_role("button", name="Impor", exact=True).click()
    settle(admin)
    expect(admin.get_by_text("3 baris diimpor (0 menggantikan catatan lama).")).to_be_visible()
    expect(admin.get_by_role("heading", name="Wilayah: nilai resmi Pemda dan rata-rata aplikasi")).to_be_visible()
    expect(admin.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=step_ms(30.0))
    shots(admin, "01-official")

    # --- the unit head turns a path step into an action --------------------------------------------------
    head = new_page(browser)
    sign_in(head, app_server, "kadinsos", "?unit=DINSOS-SLRT")
    expect(head.get_by_role("heading", name="Ringkasan penilaian")).to_be_visible()
    go(head, "Kesiapan kunjungan", "Kesiapan kunjungan")
    before = score_of(head)
    assert metric(head, "Tindakan terbuka") == "0"
    shots(head, "02-readiness-before")

    go(head, "Rencana tindak lanjut", "Rencana tindak lanjut")
    head.get_by_label("Penanggung jawab").first.fill("Bu Sari (Sekretariat)")
    settle(head)
    proposal = head.locator('[data-testid="stVerticalBlock"]').filter(
        has=head.locator("strong", has_text=re.compile(rf"^{STEP}$"))).filter(
        has=head.get_by_role("button", name="Jadikan tindakan")).last
    proposal.get_by_role("button", name="Jadikan tindakan").click()
    settle(head)
    expect(head.get_by_text(re.compile(r"^Tindakan dibuat: Naikkan PG-10"))).to_be_visible()
    expect(proposal.get_by_text("Sudah direncanakan")).to_be_visible()
    shots(head, "03-action-created")

    go(head, "Kesiapan kunjungan", "Kesiapan kunjungan")
    assert metric(head, "Tindakan terbuka") == "1"

    # --- ... and closes it with evidence: the score and the readiness board follow -------------------------
    go(head, "Rencana tindak lanjut", "Rencana tindak lanjut")
    status = head.get_by_test_id("stSelectbox").filter(has=head.get_by_text("Status", exact=True))
    status.click()
    head.get_by_role("option", name="Selesai", exact=True).click()
    png = tmp_path / "sk-pengaduan.png"
    png.write_bytes(png_bytes(200, 140))
    head.locator('input[type="file"]').set_input_files(str(png))
    expect(head.get_by_test_id("stFileChip")).to_have_count(1)
    head.get_by_role("button", name="Simpan", exact=True).click()
    settle(head)
    expect(head.get_by_text(re.compile(r"^Tersimpan\. Jawaban dinaikkan: PG-10"))).to_be_visible()
    assert metric(head, "Tindakan terbuka") == "0"
    expect(head.get_by_test_id("stFileChip")).to_have_count(0)  # the staged file is gone with the saved form
    shots(head, "04-action-closed")

    # a second action, by hand, due in two days: the home page reminds of it with a WhatsApp link
    manual = head.get_by_test_id("stForm").filter(has=head.get_by_text("Tambah tindakan manual"))
    manual.get_by_label("Judul tindakan").fill("Sosialisasi maklumat pelayanan kepada petugas loket")
    manual.get_by_label("Penanggung jawab").fill("Pak Budi")
    # the date field is three segments (day, month, year): type into them as a user would
    manual.get_by_label("day, Tenggat").click()
    head.keyboard.type((dt.date.today() + dt.timedelta(days=2)).strftime("%d%m%Y"))
    manual.get_by_role("button", name="Tambah tindakan").click()
    settle(head)
    expect(head.get_by_text(re.compile(r"^Tindakan dibuat: Sosialisasi maklumat"))).to_be_visible()
    go(head, "Ringkasan", "Ringkasan penilaian")
    expect(head.get_by_text(re.compile(r"^Tindakan jatuh tempo 2 hari lagi .*Sosialisasi maklumat"))).to_be_visible()
    link = head.get_by_role("link", name="Kirim lewat WhatsApp")
    assert link.first.get_attribute("href").startswith("https://wa.me/?text=Tindakan%20jatuh%20tempo")
    shots(head, "05-home-reminders")

    go(head, "Kesiapan kunjungan", "Kesiapan kunjungan")
    assert metric(head, "Tindakan terbuka") == "1"
    after = score_of(head)
    assert after == pytest.approx(before + 2.15, abs=0.011), (before, after)
    with head.expect_download() as download:
        head.get_by_role("button", name="Unduh berkas kunjungan (PDF)").click()
    assert download.value.suggested_filename.startswith("berkas-kunjungan-dinsos-slrt")
    shots(head, "06-readiness-after")

    # --- the admin's views: region actions, readiness board, simulator ---------------------------------------
    go(admin, "Rencana tindak lanjut", "Rencana tindak lanjut")
    admin.get_by_role("tab", name="Seluruh wilayah").click()
    settle(admin)
    shots(admin, "07-region-actions")
    go(admin, "Kesiapan kunjungan", "Kesiapan kunjungan")
    expect(admin.get_by_text("Unit siap dikunjungi")).to_be_visible()
    shots(admin, "08-region-readiness")
    go(admin, "Simulasi wilayah", "Simulasi wilayah")
    expect(admin.get_by_role("heading", name="Set tindakan paling sedikit lintas unit")).to_be_visible()
    shots(admin, "09-simulator")
