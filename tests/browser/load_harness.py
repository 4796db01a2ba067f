"""A bounded load of unit heads answering in real chromium (issue 11), shared by the load test and bench_cluster.

Each simulated user is a unit head of a unit of their own (so no two users contend for one answer), logged in
through the session cookie the login page would set, on the 'Proses' page. They click an answer option, wait
until the page is idle again (the clock runs from the press to idle, as in bench_browser), note what the page
acknowledged, think 1.5–3 s, and click again until the time is up. After the run every acknowledged answer must
be what the database holds: a write the page showed as saved and the database lost is a lost write.

All users share one chromium (a browser context each): on a 2-core machine the browser's own work competes with
the app's, so the figures are an upper bound of what a user on their own machine waits.
"""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import time
from dataclasses import dataclass, field

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, SETTLED, WATCH_RERUNS

MARK_JS = """() => {
    window.__kpMark = null;
    const mark = () => { if (window.__kpMark === null) window.__kpMark = performance.now(); };
    window.addEventListener("pointerdown", mark, {capture: true, once: true});
}"""
ELAPSED_JS = "() => window.__kpWatch.change - window.__kpMark"
SESSION_COOKIE = "kepatuhan_sesi"  # ui.auth.COOKIE


@dataclass(frozen=True)
class LoadUser:
    unit_code: str
    username: str
    token: str


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: dict[str, float] = field(default_factory=dict)  # unit code → last value the page showed saved
    clicks: int = 0
    unacknowledged: list[str] = field(default_factory=list)  # clicks the page did not show as saved
    errors: list[str] = field(default_factory=list)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prepare_users(con, count: int, *, region_code: str, prefix: str = "BEBAN") -> list[LoadUser]:
    """`count` units under the region, each with a unit head and a live login session (what a login starts)."""
    from services.access import Actor
    from services.accounts.sessions import start_session
    from services.accounts.users import create_user, current_user
    from services.admin.setup import add_product, add_unit

    admin = Actor(username="uji-beban", role="admin")
    users = []
    for n in range(1, count + 1):
        code, username = f"{prefix}-{n:02d}", f"beban{n:02d}"
        add_unit(con, admin, kind="unit", code=code, name=f"Unit beban {n}", parent_code=region_code)
        add_product(con, admin, unit_code=code, code="SKTM", name="Surat Keterangan Tidak Mampu")
        create_user(
            con, admin, username=username, display_name=f"Kepala beban {n}", password=secrets.token_urlsafe(16),
            role="unit_head", unit_code=code,
        )  # fmt: skip
        users.append(LoadUser(code, username, start_session(con, current_user(con, username))))
    return users


def _answer_group(page):
    """The options of PR-01 (the first indicator on 'Proses', asked per product) — the radio group of its card."""
    card = page.locator('[data-testid="stVerticalBlock"]').filter(
        has=page.locator("strong", has_text=re.compile(r"^PR-01$"))
    ).last
    return card.get_by_role("radiogroup").first


async def _user(browser, base_url: str, user: LoadUser, clock: _Clock, result: LoadResult, rng) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    try:
        context.set_default_timeout(120_000)
        await context.add_cookies([{"name": SESSION_COOKIE, "value": user.token, "url": base_url}])
        await context.add_init_script(f"({WATCH_RERUNS})()")
        page = await context.new_page()
        await page.goto(f"{base_url}/dimensi-proses?unit={user.unit_code}")
        await page.get_by_role("heading", name="Proses", exact=True).first.wait_for()
        await page.wait_for_function(SETTLED, arg=[1000, 300])
        group = _answer_group(page)
        labels = group.locator("label")
        await labels.first.wait_for()
        await clock.ready()  # the measured minute starts when every user has the page open
        n = 0
        await asyncio.sleep(rng.uniform(0.0, 3.0))  # think time: users do not all start at one instant
        while time.monotonic() < clock.deadline:
            target = labels.nth(n % 2)
            value = float(re.match(r"\s*(\d+(?:[.,]\d+)?)", await target.inner_text()).group(1).replace(",", "."))
            await page.evaluate(MARK_JS)
            await target.click()
            await page.wait_for_function(SETTLED, arg=[1000, 250])
            result.latencies_ms.append(await page.evaluate(ELAPSED_JS))
            result.clicks += 1
            # acknowledged: the page, rebuilt from the database after the save, shows this option chosen
            if await labels.nth(n % 2).locator("input").is_checked():
                result.acknowledged[user.unit_code] = value
            else:
                result.unacknowledged.append(f"{user.unit_code} click {n}")
            n += 1
            await asyncio.sleep(rng.uniform(1.5, 3.0))  # think time: a simulated user's pace, not a wait on the app
    except Exception as exc:  # noqa: BLE001 - one user's failure is counted and reported, not fatal
        result.errors.append(f"{user.username}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        clock.gone()
    finally:
        await context.close()


class _Clock:
    """Starts the measured time once every user has opened the page (opening 50 pages is not the load asked for)."""

    def __init__(self, users: int, seconds: float) -> None:
        self.waiting, self.seconds, self.deadline = users, seconds, float("inf")
        self.started = asyncio.Event()

    async def ready(self) -> None:
        self.gone()
        await self.started.wait()

    def gone(self) -> None:
        self.waiting -= 1
        if self.waiting <= 0 and not self.started.is_set():
            self.deadline = time.monotonic() + self.seconds
            self.started.set()


async def _run(base_url: str, users: list[LoadUser], seconds: float) -> LoadResult:
    from playwright.async_api import async_playwright

    result = LoadResult()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            clock = _Clock(len(users), seconds)
            rng = random.Random(11)
            await asyncio.gather(*(_user(browser, base_url, u, clock, result, rng) for u in users))
        finally:
            await browser.close()
    return result


def run_load(base_url: str, users: list[LoadUser], seconds: float) -> LoadResult:
    """Run the load on a thread of its own: the caller may already be inside Playwright's sync event loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _run(base_url, users, seconds)).result()


def lost_writes(con, users: list[LoadUser], result: LoadResult) -> list[str]:
    """Units whose last acknowledged answer is not what the database holds (the only answer each user gave)."""
    lost = []
    for user in users:
        if user.unit_code not in result.acknowledged:
            continue
        rows = con.execute(
            "SELECT a.value FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "JOIN org_units u ON u.id = s.unit_id WHERE u.code = ?",
            [user.unit_code],
        ).fetchall()
        if [r[0] for r in rows] != [result.acknowledged[user.unit_code]]:
            lost.append(f"{user.unit_code}: page {result.acknowledged[user.unit_code]}, database {rows}")
    return lost
