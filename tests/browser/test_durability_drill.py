"""Durability drill in a real browser: three sessions save answers at once (two on the same assessment), the
server is killed with SIGKILL mid-stream and restarted; no acknowledged answer is lost, no value appears that
nobody entered, and the two sessions on one assessment never silently overwrite each other.

An answer counts as acknowledged when the UI confirms it: the rerun after the click is over, the clicked card
shows no error and its radio, rebuilt from the database (D3), shows the clicked value. A click the UI did not
confirm may still have landed, so an answer is lost only when the database holds neither the last acknowledged
value nor a value clicked after it. The counts are printed (-s) for the closing note."""

from __future__ import annotations

import os
import re
import signal

import pytest
from browser_helpers import ROOT, log_in, settle, start_app, step_ms, stop_app
from playwright.sync_api import Page, expect

from assessment import load_criteria
from services.accounts import demo_accounts
from services.accounts import users as accounts
from services.ops.startup import open_database
from store import assessments, periods, units
from store.db import connect

pytestmark = pytest.mark.browser

ROUNDS = 6
SESSIONS = (("A", "kadinsos", "DINSOS-SLRT", "IN-K01"), ("B", "kadinsos", "DINSOS-SLRT", "IN-K04"),
            ("C", "kadukcapil", "DUKCAPIL", "IN-K01"))  # fmt: skip
INDICATORS = load_criteria(ROOT / "criteria" / "ombudsman-2023.yaml").indicators_by_id()


def _card(page: Page, indicator_id: str):
    heading = page.locator("strong", has_text=re.compile(rf"^{re.escape(indicator_id)}$"))
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=heading).last


def _group(page: Page, indicator_id: str, group: str):
    return _card(page, indicator_id).get_by_role("radiogroup", name=group, exact=True)


def _click(page: Page, indicator_id: str, group: str, value: int) -> None:
    """Click the option's label, like a user."""
    label = f"{value:g} · {INDICATORS[indicator_id].option(value).label}"
    _group(page, indicator_id, group).get_by_text(label, exact=True).click()


def _shown(page: Page, indicator_id: str, group: str) -> int | None:
    radios = _group(page, indicator_id, group).get_by_role("radio")
    for n in range(radios.count()):
        if radios.nth(n).is_checked():
            return n
    return None


def _stored(data_dir) -> dict[tuple[str, str, str], float | None]:
    con = connect(data_dir)
    try:
        period = next(p for p in periods.list_periods(con) if p.status == "open")
        out = {}
        for _, _, code, _ in SESSIONS:
            row = assessments.find(con, period_id=period.id, unit_id=units.unit_by_code(con, code=code).id)
            for a in assessments.answers(con, assessment_id=row.id):
                out[(code, a.indicator_id, a.subject)] = a.value
        return out
    finally:
        con.close()


def _open(browser, server, user: str, code: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(step_ms(30.0))
    page.goto(f"{server.url}/dimensi-input?unit={code}")  # a deep link survives the login
    expect(page.get_by_role("heading", name="Masuk ke Kepatuhan")).to_be_visible(timeout=step_ms(30.0))
    log_in(page, server, user)
    expect(page.get_by_role("heading", name="Input", exact=True).first).to_be_visible(timeout=step_ms(30.0))
    settle(page)
    return page


def test_acknowledged_answers_survive_a_sigkill(browser, tmp_path):
    data = tmp_path / "data"
    con = open_database(data)  # the demo kabupaten and its accounts, as a first start makes them
    if accounts.current_user(con, "kadinsos") is None:
        demo_accounts.create_demo_accounts(con, data)
    con.close()
    baseline = _stored(data)
    server = start_app(data, tmp_path / "run2.log")
    pages = {name: _open(browser, server, user, code) for name, user, code, _ in SESSIONS}
    acked: dict[tuple[str, str, str], list[float]] = {}  # key -> values the UI confirmed, in order
    clicked: dict[tuple[str, str, str], set[float]] = {}  # key -> every value any session clicked
    since_ack: dict[tuple[str, str, str], set[float]] = {}  # key -> values clicked after its last acknowledgement
    in_flight: dict[tuple[str, str, str], float] = {}
    refused_conflicts = 0
    try:
        for round_no in range(ROUNDS + 1):
            last = round_no == ROUNDS
            targets = []
            for name, _, code, indicator in SESSIONS:
                group = f"Responden {round_no % 4 + 1}"
                page = pages[name]
                current = _shown(page, indicator, group)
                value = ((current if current is not None else 0) + 1 + round_no) % 4
                if value == current:
                    value = (value + 1) % 4
                targets.append((name, code, indicator, group, value))
            if round_no == 2:  # A and B answer the same unit-level indicator from pages of the same revision
                a_now = _shown(pages["A"], "IN-S01", "Jawaban")
                v_a, v_b = [v for v in range(4) if v != a_now][:2]
                targets += [
                    ("A", "DINSOS-SLRT", "IN-S01", "Jawaban", v_a),
                    ("B", "DINSOS-SLRT", "IN-S01", "Jawaban", v_b),
                ]
            for name, code, indicator, group, value in targets:  # fire every click before waiting on any
                subject = "unit" if group == "Jawaban" else f"respondent:{group.split()[-1]}"
                key = (code, indicator, subject)
                clicked.setdefault(key, set()).add(float(value))
                since_ack.setdefault(key, set()).add(float(value))
                _click(pages[name], indicator, group, value)
                if last:
                    in_flight[key] = float(value)
            if last:
                os.killpg(server.process.pid, signal.SIGKILL)  # mid-stream: these saves are not yet confirmed
                server.process.wait()  # SIGKILL cannot be ignored: the process is gone at once
                break
            for name, code, indicator, group, value in targets:
                page = pages[name]
                settle(page)
                subject = "unit" if group == "Jawaban" else f"respondent:{group.split()[-1]}"
                errors = _card(page, indicator).get_by_test_id("stAlertContentError")  # this card's own refusal
                if errors.count() and indicator == "IN-S01":
                    refused_conflicts += 1
                    continue
                expect(_group(page, indicator, group).get_by_role("radio").nth(value)).to_be_checked()
                if _shown(page, indicator, group) == value and not errors.count():
                    key = (code, indicator, subject)
                    acked.setdefault(key, []).append(float(value))
                    since_ack[key] = set()
    finally:
        for page in pages.values():
            page.context.close()
        if server.process.poll() is None:
            stop_app(server)
    # restart on the same data: the app comes back, then the database is read with the server down again
    stop_app(start_app(data, tmp_path / "run3.log"))
    stored = _stored(data)
    lost = [k for k, values in acked.items() if stored.get(k) != values[-1] and stored.get(k) not in since_ack[k]]
    invented = [
        k for k, v in stored.items()
        if v != baseline.get(k) and v not in clicked.get(k, set())
    ]  # fmt: skip
    shared = acked.get(("DINSOS-SLRT", "IN-S01", "unit"), [])
    total = sum(len(v) for v in acked.values())
    print(f"\nDRILL acknowledged={total} keys={len(acked)} in_flight={len(in_flight)} lost={len(lost)} "
          f"invented={len(invented)} shared_acks={len(shared)} conflicts_refused={refused_conflicts}")  # fmt: skip
    # the drill must have exercised real saves; how many are confirmed depends on how the clicks race (a click
    # on a page made stale by the other session on the same assessment is refused, by design)
    assert total >= ROUNDS
    assert lost == [] and invented == []
    # the two sessions on one assessment: at most one of the two same-revision saves may win, the other is refused
    assert len(shared) + refused_conflicts == 2 and len(shared) <= 1, (shared, refused_conflicts)
    if shared:
        assert stored[("DINSOS-SLRT", "IN-S01", "unit")] == shared[-1]
