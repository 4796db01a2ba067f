"""Questionnaire speed in a real browser (issue 9): headless chromium against `streamlit run app.py`, logged
in as the demo head of Dinas Sosial (kadinsos) on a fresh data directory with the demo seeded.

    python bench/bench_browser.py [--clicks 30] [--opens 5]

Budgets (design.md):
- answer click until the page is idle: p50 ≤ 150 ms, p95 ≤ 300 ms. On the 'Proses' page (the largest), a
  click on an option of one indicator, alternating between two values; the clock runs from the click to the
  moment Streamlit reports the script idle again and no further rerun follows (browser_helpers.settle).
- open the largest dimension page ('Proses') ≤ 1.0 s and the results page ≤ 1.0 s: from the click on the
  sidebar link to the page idle with its title shown (median of --opens, coming from the overview page).
Needs /usr/bin/chromium. Exits 1 when a budget is missed; prints the load average beside the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, WATCH_RERUNS, log_in, settle, start_app, stop_app  # noqa: E402

CLICK_P50_MS, CLICK_P95_MS = 150.0, 300.0
OPEN_BUDGET_S = 1.0
UNIT = "DINSOS-SLRT"

# time from the user's press (pointer or key, recorded in the page) to the last change of the script state,
# i.e. back to idle; Playwright's own work before the press is not counted
ELAPSED_JS = "() => window.__kpWatch.change - window.__kpMark"
MARK_JS = """() => {
    window.__kpMark = null;
    const mark = () => { if (window.__kpMark === null) window.__kpMark = performance.now(); };
    window.addEventListener("pointerdown", mark, {capture: true, once: true});
    window.addEventListener("keydown", mark, {capture: true, once: true});
}"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _open(page, server, path: str, heading: str) -> None:
    page.goto(f"{server.url}/{path}?unit={UNIT}")
    login = page.get_by_role("heading", name="Masuk ke Kepatuhan")
    target = page.get_by_role("heading", name=heading, exact=True)
    login.or_(target).first.wait_for(timeout=60_000)
    settle(page)
    if login.count():
        log_in(page, server, "kadinsos")
        target.wait_for(timeout=60_000)
        settle(page)


def bench_clicks(page, clicks: int) -> list[float]:
    card = page.locator('[data-testid="stVerticalBlock"]').filter(
        has=page.locator("strong", has_text=re.compile(r"^PR-01$"))
    ).last
    group = card.get_by_role("radiogroup").first
    labels = group.locator("label")
    ms = []
    for i in range(clicks + 2):
        target = labels.nth(i % 2)
        page.evaluate(MARK_JS)
        target.click()  # Playwright re-finds it if the rerun replaced it meanwhile
        settle(page, start_timeout=1.0, quiet=0.3)
        if i >= 2:  # the first two warm the caches
            ms.append(page.evaluate(ELAPSED_JS))
    return ms


def bench_open(page, nav_label: str, heading: str, opens: int) -> list[float]:
    nav = page.get_by_test_id("stSidebarNav")
    seconds = []
    for _ in range(opens):
        nav.get_by_text("Ringkasan", exact=True).click()
        settle(page)
        page.evaluate(MARK_JS)
        nav.get_by_text(nav_label, exact=True).click()
        page.get_by_role("heading", name=heading, exact=True).first.wait_for()
        settle(page, quiet=0.3)
        seconds.append(page.evaluate(ELAPSED_JS) / 1000)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=30)
    parser.add_argument("--opens", type=int, default=5)
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"BENCH browser_click no chromium at {CHROMIUM} FAIL")
        return 1
    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    server = start_app(base / "data", base / "streamlit.log")
    failures = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
            context.set_default_timeout(60_000)
            context.add_init_script(f"({WATCH_RERUNS})()")
            page = context.new_page()
            _open(page, server, "dimensi-proses", "Proses")
            ms = bench_clicks(page, args.clicks)
            p50, p95 = statistics.median(ms), _percentile(ms, 0.95)
            ok = p50 <= CLICK_P50_MS and p95 <= CLICK_P95_MS
            failures += not ok
            load = os.getloadavg()[0]
            print(f"answer click until idle ('Proses', {len(ms)} clicks): p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
                  f"max {max(ms):.0f} ms (budget p50 ≤ {CLICK_P50_MS:g}, p95 ≤ {CLICK_P95_MS:g}; load {load:.2f})")
            print(f"BENCH browser_click p50_ms={p50:.0f} p95_ms={p95:.0f} load={load:.2f} {'PASS' if ok else 'FAIL'}")
            for name, nav_label, heading in (
                ("open_dimension", "Proses", "Proses"),
                ("open_results", "Hasil & jalur ke zona berikutnya", "Hasil penilaian"),
            ):
                seconds = bench_open(page, nav_label, heading, args.opens)
                median = statistics.median(seconds)
                ok = median <= OPEN_BUDGET_S
                failures += not ok
                load = os.getloadavg()[0]
                print(f"open '{nav_label}': median {median:.2f} s, max {max(seconds):.2f} s over {len(seconds)} "
                      f"(budget ≤ {OPEN_BUDGET_S:g} s; load {load:.2f})")
                print(f"BENCH {name} seconds={median:.2f} load={load:.2f} {'PASS' if ok else 'FAIL'}")
            context.close()
            browser.close()
    finally:
        stop_app(server)
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
