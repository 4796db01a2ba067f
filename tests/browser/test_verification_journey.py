"""Verification in a real browser: the unit head submits → the verifier adjusts two answers with notes and asks
for one change → the unit head fixes it and resubmits → the verifier completes → the admin sees the self and
the verified score side by side and downloads the berita acara. Screenshots land in tests/browser/artifacts/."""

from __future__ import annotations

import io
import re

import pytest
from browser_helpers import VIEWPORT, log_in, settle, shot, step_ms
from playwright.sync_api import Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

UNIT_NAME = "Dinas Sosial — Layanan SLRT"
NOTE_S02 = "Maklumat pelayanan tidak terpasang di ruang tunggu saat kunjungan verifikasi."
NOTE_PR01 = "Persyaratan SKTM dan ODGJ tidak dipublikasikan di papan informasi."
NOTE_S03 = "Lampirkan SK penetapan standar pelayanan yang sudah ditandatangani kepala dinas."


def new_page(browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(30_000)
    return context.new_page()


def sign_in(page: Page, server, username: str) -> None:
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Masuk ke Kepatuhan")).to_be_visible(timeout=step_ms(30.0))
    log_in(page, server, username)
    expect(page.get_by_role("heading", name="Ringkasan penilaian")).to_be_visible()


def pick_unit(page: Page) -> None:
    settle(page)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Unit layanan")
    option = page.get_by_role("option", name=re.compile(rf"^{UNIT_NAME}"))
    for _ in range(3):  # a click that lands while the sidebar still reflows does not open the list
        box.click()
        try:
            option.wait_for(timeout=step_ms(3.0))
            break
        except Exception:  # noqa: BLE001 - try the click again
            page.keyboard.press("Escape")
    option.click()
    settle(page)
    expect(page.get_by_role("heading", name=UNIT_NAME)).to_be_visible()


def go(page: Page, nav_label: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(nav_label, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    settle(page)


def card(page: Page, indicator_id: str):
    heading = page.locator("strong", has_text=re.compile(rf"^{re.escape(indicator_id)}$"))
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=heading).last


def tab(page: Page, title: str) -> None:
    page.get_by_role("tab", name=re.compile(rf"^{re.escape(title)} · ")).click()
    settle(page)


def own_values(page: Page, indicator_id: str) -> set[str]:
    """The values of the unit's answer shown on the verifier's card ('2 · …' lines, per product or once)."""
    text = card(page, indicator_id).inner_text()
    return set(re.findall(r"(?:^|: )(\d+) · ", text, flags=re.MULTILINE))


def decide(page: Page, indicator_id: str, kind: str, note: str, value: str | None = None) -> None:
    """Open the indicator's 'adjust or request' form, fill it in and save, like a verifier."""
    c = card(page, indicator_id)
    c.get_by_text("Sesuaikan nilai atau minta perbaikan").click()
    c.get_by_text(kind, exact=True).click()
    if value is not None:
        c.get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name=re.compile(rf"^{value} · ")).click()
    c.get_by_label("Catatan").fill(note)
    c.get_by_role("button", name="Simpan keputusan").click()
    # saved: the toast says so, and the card states the decision (the toast fades after a few seconds, so on a
    # busy machine the card's state is what is still there to see)
    told = page.get_by_text(f"Keputusan {indicator_id} tersimpan")
    decided = card(page, indicator_id).get_by_text(re.compile(r"^(Disesuaikan: |Perbaikan diminta)"))
    expect(told.or_(decided).first).to_be_visible()
    settle(page)


def accept_rest(page: Page) -> None:
    """Press 'accept every undecided indicator' on each dimension tab that still has one."""
    for title in ("Input", "Proses", "Output", "Pengelolaan Pengaduan"):
        tab(page, title)
        button = page.get_by_role("button", name=re.compile(r"^Terima semua yang belum diputuskan"))
        if button.count():
            button.click()
            expect(page.get_by_text(re.compile(r"^\d+ indikator diterima\.$")).first).to_be_visible()
            settle(page)


def submit(page: Page) -> None:
    go(page, "Hasil & jalur ke zona berikutnya", "Hasil penilaian")
    page.get_by_text("Saya sudah memeriksa jawaban dan bukti, dan siap mengirim.").click()
    settle(page)
    page.get_by_role("button", name="Kirim dan bekukan").click()
    expect(page.get_by_text(re.compile(r"^Penilaian sudah dikirim pada "))).to_be_visible()
    settle(page)


def open_from_queue(page: Page) -> None:
    go(page, "Antrean verifikasi", "Antrean verifikasi")
    start = page.get_by_role("button", name="Mulai verifikasi")
    row = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_text(UNIT_NAME, exact=True)).filter(has=start)
    row.last.get_by_role("button", name="Mulai verifikasi").click()
    expect(page.get_by_role("heading", name="Tinjau penilaian", exact=True)).to_be_visible()
    settle(page)
    expect(page.get_by_role("heading", name=UNIT_NAME)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Sedang diverifikasi")).first).to_be_visible()


def test_verification_journey(app_server, browser, tmp_path):
    # 1. the unit head submits
    head = new_page(browser)
    sign_in(head, app_server, "kadinsos")
    pick_unit(head)
    submit(head)
    shot(head, "v01-unit-submitted")

    # 2. the verifier reviews: adjusts two answers with notes, asks for one change, returns it to the unit
    verifier = new_page(browser)
    sign_in(verifier, app_server, "verifikator")
    go(verifier, "Antrean verifikasi", "Antrean verifikasi")
    expect(verifier.get_by_text(UNIT_NAME, exact=True)).to_be_visible()
    shot(verifier, "v02-queue")
    open_from_queue(verifier)
    shot(verifier, "v03-review-start")

    s02 = own_values(verifier, "IN-S02")
    assert len(s02) == 1, s02  # a unit indicator: one answer
    adjusted_s02 = "0" if s02 != {"0"} else "3"
    decide(verifier, "IN-S02", "Sesuaikan nilai", NOTE_S02, adjusted_s02)
    expect(card(verifier, "IN-S02").get_by_text(re.compile(rf"Disesuaikan: {adjusted_s02} · "))).to_be_visible()
    decide(verifier, "IN-S03", "Minta perbaikan ke unit", NOTE_S03)
    expect(card(verifier, "IN-S03").get_by_text("Perbaikan diminta", exact=False).first).to_be_visible()

    tab(verifier, "Proses")
    pr01 = card(verifier, "PR-01")
    pr01.get_by_text("Bukti dukung (1)").click()
    with verifier.expect_download() as evidence:
        pr01.get_by_role("button", name="Unduh").first.click()
    assert evidence.value.suggested_filename.endswith(".png")
    assert evidence.value.path().read_bytes().startswith(b"\x89PNG")
    adjusted_pr01 = "0" if own_values(verifier, "PR-01") != {"0"} else "3"
    decide(verifier, "PR-01", "Sesuaikan nilai", NOTE_PR01, adjusted_pr01)
    shot(verifier, "v04-review-decided")

    expect(verifier.get_by_role("button", name="Selesaikan verifikasi")).to_be_disabled()
    verifier.get_by_role("button", name="Kembalikan ke unit").click()
    expect(verifier.get_by_text(re.compile(r"dikembalikan ke unit")).first).to_be_visible()
    settle(verifier)
    shot(verifier, "v05-returned")

    # 3. the unit head sees the comment beside the indicator, fixes the answer and resubmits
    go(head, "Ringkasan", "Ringkasan penilaian")
    expect(head.get_by_text(re.compile(r"Verifikator mengembalikan penilaian ini.*IN-S03"))).to_be_visible()
    shot(head, "v06-unit-overview-returned")
    go(head, "Input", "Input")
    s03 = card(head, "IN-S03")
    expect(s03.get_by_text(NOTE_S03)).to_be_visible()
    group = s03.get_by_role("radiogroup", name="Jawaban", exact=True)
    new_value = "2" if group.get_by_role("radio", name=re.compile(r"^3 · ")).is_checked() else "3"
    group.get_by_text(re.compile(rf"^{new_value} · ")).click()
    expect(head.get_by_text("Jawaban IN-S03 tersimpan").first).to_be_visible()
    settle(head)
    shot(head, "v07-unit-fixed")
    submit(head)
    shot(head, "v08-unit-resubmitted")

    # 4. the verifier reviews again: the changed indicator is flagged, earlier decisions stay; completes
    open_from_queue(verifier)
    expect(card(verifier, "IN-S03").get_by_text("Diubah unit, periksa lagi.")).to_be_visible()
    expect(card(verifier, "IN-S02").get_by_text(re.compile(rf"Disesuaikan: {adjusted_s02} · "))).to_be_visible()
    shot(verifier, "v09-review-again")
    card(verifier, "IN-S03").get_by_role("button", name="Terima").click()
    expect(verifier.get_by_text("Keputusan IN-S03 tersimpan").first).to_be_visible()
    settle(verifier)
    accept_rest(verifier)
    verifier.get_by_text("Saya sudah memeriksa semua indikator beserta buktinya.").click()
    settle(verifier)
    verifier.get_by_role("button", name="Selesaikan verifikasi").click()
    expect(verifier.get_by_text(re.compile(r"^Verifikasi selesai pada ")).first).to_be_visible()
    settle(verifier)
    expect(verifier.get_by_role("button", name="Unduh berita acara (PDF)")).to_be_visible()
    shot(verifier, "v10-verified")

    # 5. the admin sees the self and the verified score side by side and downloads the berita acara
    admin = new_page(browser)
    sign_in(admin, app_server, "ortala")
    pick_unit(admin)
    go(admin, "Hasil & jalur ke zona berikutnya", "Hasil penilaian")
    expect(admin.get_by_role("heading", name="Hasil verifikasi", exact=True)).to_be_visible()
    mine = admin.get_by_test_id("stMetric").filter(has_text="Skor penilaian mandiri").get_by_test_id("stMetricValue")
    theirs = admin.get_by_test_id("stMetric").filter(has_text="Skor terverifikasi").get_by_test_id("stMetricValue")
    self_total, verified_total = mine.inner_text().split("/")[0].strip(), theirs.inner_text().split("/")[0].strip()
    assert self_total != verified_total, (self_total, verified_total)
    expect(admin.get_by_text("Perbedaan dengan penilaian mandiri (2 indikator)")).to_be_visible()
    expect(admin.get_by_test_id("stTable").first).to_be_visible()
    shot(admin, "v11-admin-results")
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Unduh berita acara (PDF)").click()
    assert download.value.suggested_filename.startswith("berita-acara-verifikasi-DINSOS-SLRT")
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (UNIT_NAME, self_total, verified_total, "IN-S02", "PR-01", NOTE_S02, NOTE_PR01, "verifikator",
                     "kadinsos"):  # fmt: skip
        assert expected in text, expected
    (tmp_path / "berita-acara.pdf").write_bytes(data)
    for p in (head, verifier, admin):
        p.context.close()
