"""Real-browser fixtures (D4): `streamlit run app.py` on a free port and Debian's chromium via Playwright.

Reusable by every browser journey:
- ``app_server`` (module scope): a fresh data directory and a running app; ``.url``, ``.data_dir``, ``.log``.
- ``browser`` (session scope) and ``browser_page`` (per test): headless chromium, 1400×1000.
- ``shot`` fixture / ``browser_helpers.shot(page, name)``: a full-page screenshot in tests/browser/artifacts/
  (git-ignored); ``browser_helpers.settle(page)`` waits for the rerun an action started;
  ``browser_helpers.log_in(page, server, username)`` logs in with a demo account.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# test helpers live beside this file (pytest runs with --import-mode=importlib). Appended, not prepended:
# tests/ui's modules do `from conftest import …` and must keep finding tests/ui/conftest.py first.
sys.path.append(str(Path(__file__).resolve().parent))
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    WATCH_RERUNS,
    AppServer,
    shot,
    start_app,
    step_ms,
    stop_app,
)  # noqa: E402
from playwright.sync_api import expect  # noqa: E402


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    base = tmp_path_factory.mktemp("app-server")
    server = start_app(base / "data", base / "streamlit.log")
    try:
        yield server
    finally:
        stop_app(server)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) for browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser_page(browser, request) -> Iterator:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    context.set_default_timeout(step_ms())  # a step waits on the app's signal; only how long stretches with load
    expect.set_options(timeout=step_ms(10.0))
    context.add_init_script(f"({WATCH_RERUNS})()")
    page = context.new_page()
    try:
        yield page
    finally:
        failed = getattr(request.node, "report_call", None)
        if failed is not None and failed.failed:
            try:
                shot(page, f"FAILED-{request.node.name}")
            except Exception:  # noqa: BLE001 - the screenshot is a courtesy; keep the real failure
                pass
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves tests/browser/artifacts/<name>.png and returns its path."""
    return shot
