"""A citizen's survey in a real browser on a 390 px phone: open the QR link, answer, send, thanks.
Also: typing the poster's code at /survei, an unknown code. Screenshots at 390, 800 and 1400 px."""

from __future__ import annotations

import hashlib
import json
import re
import time

import pytest
from browser_helpers import log_in, settle, shot, start_app, step_ms, stop_app
from playwright.sync_api import expect

from services.access import SYSTEM
from services.ops.startup import open_database
from services.surveys import links
from services.surveys.public import Submission, submit
from store import periods, units
from store.db import connect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# Lighthouse's throttled mobile profile ("slow 4G"): 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip.
SLOW_PHONE_NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
# Every control a person can touch on the page (the honeypot is hidden from people; Streamlit's skip link shows
# only on keyboard focus and the scroll area is no control), sized as the finger meets it: a radio by its label.
TOUCH_TARGETS = """() => {
    const sel = 'a[href], button, input, textarea, select, [role="radio"], [role="checkbox"], [role="button"],'
        + ' [role="combobox"], [tabindex]:not([tabindex="-1"])';
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
        if (el.closest('.st-key-survey_hp') || el.matches('[data-testid="stMain"], main')) continue;
        if (el.tagName === 'A' && /skip to main content/i.test(el.textContent)) continue;
        if (!el.checkVisibility()) continue;
        const kind = el.closest('.st-key-survey_lang') ? 'language'
            : el.type === 'submit' ? 'send' : (el.type || el.tagName).toLowerCase();
        const touched = (el.type === 'radio' || el.type === 'checkbox') ? el.closest('label') : el;
        const box = touched.getBoundingClientRect();
        out.push({kind, label: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40),
                  width: Math.round(box.width), height: Math.round(box.height)});
    }
    return out;
}"""
# Scroll areas other than the page itself whose content overflows: a thumb scrolling there gets stuck.
SCROLL_TRAPS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(el => {
    const style = getComputedStyle(el);
    return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.tagName !== 'TEXTAREA';
}).map(el => el.getAttribute('data-testid') || el.className)"""


@pytest.fixture(scope="module")
def survey_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("survey-server")
    root = base / "data"
    con = open_database(root)  # the demo region, then a link made before the app holds the database
    period = next(p for p in periods.list_periods(con) if p.status == "open")
    unit = units.unit_by_code(con, code="DINSOS-SLRT")
    link = links.create_link(con, SYSTEM, period_id=period.id, unit_id=unit.id, survey_id="skm-2017")
    for n, row in enumerate(([4, 3, 3, 2, 4, 3, 4, 2, 3], [3, 3, 2, 1, 3, 3, 4, 3, 3], [4, 4, 3, 4, 4, 4, 4, 3, 4])):
        answers = {f"U{i}": v for i, v in enumerate(row, 1)}
        submit(
            con,
            Submission(
                code=link.code,
                submission_id=f"seed-submission-{n}",
                answers=answers,
                started_at=time.time() - 60,
                device_token=f"seed-device-{n}",
                suggestion="Ruang tunggu <b>panas</b>" if n else "",
                profile={"jenis-kelamin": "Perempuan"},
            ),
        )
    links.set_population(con, SYSTEM, period_id=period.id, unit_id=unit.id, survey_id="skm-2017", population=500)
    con.close()
    server = start_app(root, base / "streamlit.log")
    try:
        yield server, link.code, period.id
    finally:
        stop_app(server)


def answer_all(page, value_label_index: int = 3) -> None:
    groups = page.get_by_test_id("stRadio")
    for n in range(9):
        groups.nth(n).get_by_test_id("stRadioOption").nth(value_label_index).click()


def test_a_respondent_answers_on_a_phone(browser, survey_server):
    server, code, period_id = survey_server
    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?s={code}")
        expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible(timeout=step_ms(30.0))
        expect(page.get_by_text("Dinas Sosial — Layanan SLRT")).to_be_visible()
        assert page.get_by_label("Nama pengguna").count() == 0
        assert page.get_by_test_id("stSidebarNav").count() == 0
        shot(page, "survey-390-form")
        # every control a respondent can touch is a target a thumb hits (WCAG 2.5.5: at least 44 × 44 CSS px):
        # the language switch, every choice of the questions and of the profile, the text boxes, the send button
        targets = page.evaluate(TOUCH_TARGETS)
        small = [t for t in targets if min(t["width"], t["height"]) < 44]
        kinds = {t["kind"] for t in targets}
        assert small == [], small
        assert len([t for t in targets if t["kind"] == "radio"]) >= 9 * 4 + 2 + 5 + 6 + 5, targets  # questions, profile
        assert {"language", "radio", "textarea", "text", "send"} <= kinds, kinds
        answer_all(page)
        page.wait_for_timeout(20_500)  # a real person takes at least the minimum time
        page.get_by_label("Saran untuk perbaikan layanan (tidak wajib)").fill("Antrean <b>terlalu</b> lama")
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_text("Terima kasih! Jawaban Anda sudah kami terima.")).to_be_visible()
        shot(page, "survey-390-thanks")
        # the same phone again the same day: told plainly
        page.goto(f"{server.url}/?s={code}")
        expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible(timeout=step_ms(30.0))
        answer_all(page, 2)
        page.get_by_role("button", name="Kirim jawaban").click()
        expect(page.get_by_text("Perangkat ini sudah mengirim jawaban untuk layanan ini hari ini")).to_be_visible()
    finally:
        context.close()


def test_typing_the_code_and_an_unknown_code(browser, survey_server):
    server, code, _ = survey_server
    page = browser.new_page(viewport={"width": 800, "height": 900})
    try:
        page.goto(f"{server.url}/survei")
        expect(page.get_by_label("Kode survei (tertulis di poster)")).to_be_visible(timeout=step_ms(30.0))
        page.get_by_label("Kode survei (tertulis di poster)").fill(f"{code[:3].lower()} {code[3:]}")
        page.get_by_role("button", name="Buka survei").click()
        expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
        settle(page)
        shot(page, "survey-800-form")
        page.set_viewport_size({"width": 1400, "height": 900})
        page.get_by_role("radio").first.wait_for()
        page.get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name="Public Satisfaction Survey")).to_be_visible()
        shot(page, "survey-1400-form-en")
        page.goto(f"{server.url}/?s=ZZZZZZ")
        expect(page.get_by_text(re.compile("Kode survei tidak dikenal"))).to_be_visible(timeout=step_ms(30.0))
        shot(page, "survey-1400-unknown")
    finally:
        page.close()


def test_staff_survey_pages(browser, survey_server):
    server, _, _ = survey_server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server.url}/survei-hasil")
        log_in(page, server, "ortala")
        expect(page.get_by_role("heading", name="Hasil survei")).to_be_visible(timeout=step_ms(30))
        page.goto(f"{server.url}/survei-hasil?unit=DINSOS-SLRT")
        expect(page.get_by_text("IKM", exact=True).first).to_be_visible(timeout=step_ms(30))
        settle(page)
        shot(page, "survey-staff-results-1400")
        page.set_viewport_size({"width": 800, "height": 1000})
        shot(page, "survey-staff-results-800")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "survey-staff-results-390")
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{server.url}/survei-tautan?unit=DINSOS-SLRT")
        expect(page.get_by_role("heading", name="Tautan survei dan poster")).to_be_visible(timeout=step_ms(30))
        settle(page)
        shot(page, "survey-staff-links-1400")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "survey-staff-links-390")
    finally:
        page.close()


def test_a_whole_survey_over_a_slow_phone_connection(browser, tmp_path):
    """A respondent on a throttled mobile connection completes the survey on one page with taps only."""
    root = tmp_path / "data"
    con = open_database(root)
    period = next(p for p in periods.list_periods(con) if p.status == "open")
    unit = units.unit_by_code(con, code="DINSOS-SLRT")
    code = links.create_link(con, SYSTEM, period_id=period.id, unit_id=unit.id, survey_id="skm-2017").code
    con.close()
    server = start_app(root, tmp_path / "streamlit.log")
    context = browser.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_PHONE_NETWORK)
        page.goto(f"{server.url}/?s={code}", timeout=step_ms(90.0))
        expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible(timeout=step_ms(90.0))
        address = page.url
        assert page.evaluate(SCROLL_TRAPS) == []
        groups = page.get_by_test_id("stRadio")
        expect(groups).to_have_count(9 + 4, timeout=step_ms(30.0))  # nine elements, four profile questions
        # what a respondent has to do: one tap per element, then send; the profile is four optional taps
        taps = 0
        chosen = [4, 3, 3, 2, 4, 3, 4, 3, 4]
        for n, value in enumerate(chosen):
            groups.nth(n).get_by_test_id("stRadioOption").nth(value - 1).tap()
            taps += 1
        profile = ["Perempuan", "30–39 tahun", "SMA/SMK", "Wiraswasta"]
        for n, option in enumerate(profile, start=9):
            groups.nth(n).get_by_test_id("stRadioOption").filter(has_text=option).tap()
            taps += 1
        page.wait_for_timeout(20_500)  # a real person takes at least the minimum time (the survey's min_seconds)
        page.get_by_role("button", name="Kirim jawaban").tap()
        taps += 1
        expect(page.get_by_text("Terima kasih! Jawaban Anda sudah kami terima.")).to_be_visible(timeout=step_ms(60.0))
        # one page, no "next" step, nothing typed: 9 answers + 4 profile choices + send
        assert taps == 9 + 4 + 1 and page.url == address
        shot(page, "survey-390-slow-thanks")
        device = next(c["value"] for c in context.cookies() if c["name"] == "kepatuhan_perangkat")
    finally:
        context.close()
        stop_app(server)
    con = connect(root, read_only=True)
    try:
        rows = con.execute(
            "SELECT answers, profile, status, channel FROM survey_responses WHERE device_sha256 = ?",
            [hashlib.sha256(device.encode()).hexdigest()],
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 1
    answers, stored_profile, status, channel = rows[0]
    assert json.loads(answers) == {f"U{i}": v for i, v in enumerate(chosen, 1)}
    assert json.loads(stored_profile) == dict(zip(["jenis-kelamin", "umur", "pendidikan", "pekerjaan"], profile))
    assert (status, channel) == ("accepted", "web")
