"""Helpers of the real-browser journeys: start/stop `streamlit run`, wait for reruns, screenshots, login."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from services.ops.demo import sample_png

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
START_TIMEOUT = 60.0
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def patience() -> float:
    """How many times longer than on a quiet machine a step may take: the load per core now, at least 1.

    Every wait in the journeys waits on a signal of the app (its script state, the element a step produces);
    this only stretches how long a signal may take before the journey counts as stuck, so a machine at load 7-13
    runs the suite slower instead of failing it.
    """
    try:
        load = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        load = 1.0
    return min(max(1.0, load), 10.0)


def step_ms(base_seconds: float = 20.0) -> int:
    """The timeout of one step (a click's rerun, an element appearing), in milliseconds, stretched by load."""
    return int(base_seconds * 1000 * patience())


def next_frame(page) -> None:
    """Wait until the browser has laid out and painted what changed (two animation frames), not a fixed time."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@dataclass
class AppServer:
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(data_dir: Path, log: Path, port: int | None = None) -> AppServer:
    """Start `streamlit run app.py` in its own process group; returns once /_stcore/health answers."""
    port = port or free_port()
    env = {**os.environ, "KEPATUHAN_DATA_DIR": str(data_dir)}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    out = log.open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = AppServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, log=log, process=process)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        if health_ok(server.url):
            return server
        time.sleep(0.1)
    stop_app(server)
    raise RuntimeError(f"streamlit did not answer /_stcore/health within {START_TIMEOUT:.0f} s")


def health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:  # noqa: S310 - local URL
            return resp.status == 200
    except OSError:
        return False


def stop_app(server: AppServer) -> None:
    """Stop the whole process group of the server we started (and only that one)."""
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)


def shot(page, name: str, *, whole: bool = True, max_height: int = 8000) -> Path:
    """Save a screenshot under tests/browser/artifacts/<name>.png.

    Streamlit scrolls inside its main container, so a "full page" browser screenshot shows only the
    viewport; with ``whole`` the page is scrolled to the top and the viewport stretched to the content's
    height for the picture. ``whole=False`` keeps the current scroll position (scroll to what matters first).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    wait_for_rendered(page)
    size = page.viewport_size
    if whole:
        page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 0; }"
    )
    if whole and size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, max_height)})
        wait_for_rendered(page)
        next_frame(page)
        page.screenshot(path=str(path))
        page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path))
    return path


def wait_for_rendered(page, timeout: float | None = None) -> None:
    """Widgets, charts and tables load their code lazily: wait until nothing is a placeholder any more."""
    page.wait_for_function(
        """() => {
            // only what is on show: a table in a closed expander or a hidden tab never draws
            const shown = (sel) => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility());
            const charts = shown('[data-testid="stPlotlyChart"]');
            const tables = shown('[data-testid="stDataFrame"]');
            const pending = document.querySelector(
                '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]'
            );
            return !pending && charts.every(c => c.querySelector('.main-svg'))
                && tables.every(t => t.querySelector('canvas'));
        }""",
        timeout=(timeout * 1000) if timeout else step_ms(15.0),
    )


# Records, in the page, when the user last acted (pointer, key, input) and when Streamlit's script state last
# changed, so settle() knows whether a rerun is still to come without waiting a fixed time for it.
WATCH_RERUNS = """() => {
    if (window.__kpWatch) return true;
    const watch = (window.__kpWatch = {input: 0, change: 0, attached: false});
    const mark = () => { watch.input = performance.now(); };
    for (const name of ["pointerdown", "keydown", "input", "change"]) window.addEventListener(name, mark, true);
    const attach = () => {
        const app = document.querySelector('[data-testid="stApp"]');
        if (!app) return false;
        new MutationObserver(() => { watch.change = performance.now(); })
            .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
        return (watch.attached = true);
    };
    if (!attach()) {
        const timer = setInterval(() => { if (attach()) clearInterval(timer); }, 25);
    }
    return false;
}"""

SETTLED = """([startMs, quietMs]) => {
    const watch = window.__kpWatch;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!watch || !watch.attached || !app) return false;
    if (app.getAttribute("data-test-script-state") !== "notRunning") return false;
    const now = performance.now();
    if (watch.input > watch.change) return now - watch.input >= startMs;  // the action's rerun may yet start
    return now - watch.change >= quietMs;
}"""


def watch_reruns(page) -> bool:
    """Install the rerun watcher (also done by an init script in ``browser_page``); True if it was there."""
    return bool(page.evaluate(WATCH_RERUNS))


def settle(page, *, start_timeout: float = 1.0, timeout: float = 30.0, quiet: float = 0.25) -> None:
    """Wait for the rerun an action triggered: it may take a moment to start, then must finish.

    With the watcher in place this returns as soon as the rerun is over; an action that starts no rerun
    costs ``start_timeout``.
    """
    slow = patience()
    start_timeout, timeout = start_timeout * slow, timeout * slow
    if watch_reruns(page):
        page.wait_for_function(SETTLED, arg=[start_timeout * 1000, quiet * 1000], timeout=timeout * 1000)
        return
    running = '[data-testid="stApp"][data-test-script-state="running"]'
    try:
        page.wait_for_selector(running, timeout=start_timeout * 1000)
    except Exception:  # noqa: BLE001 - the rerun may already be over
        pass
    page.wait_for_selector(IDLE, timeout=timeout * 1000)


def demo_password(server: AppServer, username: str) -> str:
    from services.accounts.demo_accounts import read_demo_accounts

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        password = read_demo_accounts(server.data_dir).get(username)
        if password:
            return password
        time.sleep(0.2)
    raise AssertionError(f"no demo password for {username} in {server.data_dir}")


def close_dialogs(page) -> None:
    """Close a modal Streamlit shows over the page (e.g. its own "Page not found" after a reload)."""
    dialog = page.get_by_role("dialog")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="detached", timeout=5000)


def log_in(page, server: AppServer, username: str) -> None:
    """Fill the login form as a user would."""
    close_dialogs(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(demo_password(server, username))
    page.get_by_role("button", name="Masuk", exact=True).click()
    settle(page)


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    """A valid PNG (a striped sign board)."""
    green, white = (30, 127, 55), (240, 240, 240)
    return sample_png(width, height, pixel=lambda x, y: green if (x // 8 + y // 8) % 2 else white)
