"""The dashboard in a real browser: uvicorn on 127.0.0.1 over SQLite and PostgreSQL, Debian's chromium.

Each run loads the demo into the database, starts `uvicorn` in a subprocess with the clock held
at the demo's instant, and drives chromium through Playwright (no browser download: the
executable is /usr/bin/chromium). Any console error, uncaught page error or CSP violation fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api_support import free_port
from attain.services.tokens import issue_token
from attain.storage import connect
from attain.storage.access import SqlAccess

from .conftest import CUSTOMER, FIXED, build_demo

pytest.importorskip("playwright.sync_api", reason="the playwright client is not installed")
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
TESTS = Path(__file__).resolve().parent.parent
START_SECONDS = 30


@dataclass(frozen=True)
class Server:
    """A running dashboard: its base URL and the secrets of an admin and a customer token."""

    url: str
    admin: str
    customer: str


def _tokens(url: str) -> tuple[str, str]:
    engine = connect(url)
    access = SqlAccess(engine)
    admin = issue_token(access, "admin", None, "browser admin", FIXED, None).secret
    customer = issue_token(access, "customer", CUSTOMER, "browser customer", FIXED, None).secret
    engine.dispose()
    return admin, customer


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"uvicorn exited with {process.returncode}: {log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"the dashboard did not answer at {base} within {START_SECONDS} s")


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, demo_db: Path, tmp_path: Path) -> Iterator[Server]:
    """Uvicorn serving the demo from a SQLite file, or from PostgreSQL."""
    if request.param == "sqlite":
        shutil.copy(demo_db, tmp_path / "a.db")
        url = f"sqlite:///{tmp_path}/a.db"
    else:
        url = request.getfixturevalue("postgres_url")
        build_demo(url, tmp_path)
    admin, customer = _tokens(url)
    port = free_port()
    env = os.environ | {"ATTAIN_DATABASE_URL": url, "ATTAIN_DATA_DIR": str(tmp_path), "ATTAIN_TEST_NOW": str(FIXED)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "web.dashboard_support:server_app",
        "--app-dir",
        str(TESTS),
    ]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    log = tmp_path / "uvicorn.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(base, process, log)
            yield Server(base, admin, customer)
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-packages does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


def _watch(page: Page) -> list[str]:
    """Collect the page's console errors (CSP violations among them) and uncaught errors."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _sign_in(page: Page, base: str, secret: str) -> None:
    page.goto(f"{base}/")
    assert page.url == f"{base}/login?next=%2F"
    page.fill("#token", secret)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_dashboard_in_chromium(server: Server, browser: Browser) -> None:
    """Log in, open the overview, click into an agreement, see its charts drawn, switch to Chinese, then as a customer."""
    context = browser.new_context()
    page = context.new_page()
    errors = _watch(page)
    _sign_in(page, server.url, server.admin)
    assert page.locator("#overview tbody tr").count() == 10

    page.locator('#overview a[href="/agreements/cloud-uptime"]').first.click()
    page.wait_for_url(f"{server.url}/agreements/cloud-uptime")
    page.locator("#chart-compute-availability-daily[data-drawn]").wait_for(state="attached", timeout=15_000)
    assert errors == []  # a CSP violation (eval refused) shows here, and the chart is marked failed
    chart = page.locator('#chart-compute-availability-daily[data-drawn="true"] svg')
    assert chart.locator(".mark-line path").count() > 0
    assert chart.locator(".mark-symbol path").count() == 27  # one point for each day from Nov 1 to Nov 27
    # the month's burn-down: budget left, the even spend and the projection, one line each
    burn = page.locator('#chart-storage-availability-burn[data-drawn="true"] svg .mark-line.role-mark path')
    burn.first.wait_for(timeout=15_000)
    assert burn.count() == 3

    page.click('nav.lang a[hreflang="zh-CN"]')
    page.wait_for_url(f"{server.url}/agreements/cloud-uptime")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("figcaption").first.inner_text().startswith("每日达成率")
    page.locator('#chart-compute-availability-daily[data-drawn="true"] svg').wait_for(timeout=15_000)

    page.click("form.logout button")
    page.wait_for_url(f"{server.url}/login")
    _sign_in(page, server.url, server.customer)
    rows = page.locator("#overview tbody tr")
    assert {rows.nth(i).get_attribute("data-agreement") for i in range(rows.count())} == {"cloud-uptime"}
    assert "support-desk" not in page.content()
    assert errors == []

    foreign = page.goto(f"{server.url}/agreements/support-desk")
    assert foreign is not None
    assert foreign.status == 404
    assert "没有名为 support-desk 的协议" in page.inner_text("main")
    assert all("404" in error for error in errors)  # the browser logs the 404 response itself, nothing else
    context.close()


def _shoot(page: Page, tmp_path: Path, name: str) -> None:
    """A full-page screenshot, kept in the test's folder (and in $ATTAIN_SCREENSHOTS when set, to look at)."""
    shot = page.screenshot(full_page=True)
    (tmp_path / f"{name}.png").write_bytes(shot)
    folder = os.environ.get("ATTAIN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(shot)


def _drawn(page: Page, chart: str) -> None:
    page.locator(f'#{chart}[data-drawn="true"] svg').wait_for(timeout=15_000)


def _structure(page: Page) -> None:
    """What every agreement page over time shows: the picker, and each chart drawn."""
    assert page.locator("#range-picker input[type=radio]").count() == 4
    for chart in ("chart-availability-daily", "chart-availability-rate", "chart-latency-burn", "chart-latency-rate"):
        _drawn(page, chart)
    assert page.locator('.chart[data-drawn="failed"]').count() == 0


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_dashboard_over_time_in_chromium(server: Server, browser: Browser, tmp_path: Path, language: str) -> None:
    """Summary, range picker, burn rate with bands and factors, burn-down lines, drill-down; no console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    context.add_cookies([{"name": "attain_lang", "value": language, "url": server.url}])
    page = context.new_page()
    errors = _watch(page)
    _sign_in(page, server.url, server.admin)
    summary = page.locator("#summary .summary-item")
    assert summary.count() == 4
    assert sum(int(summary.nth(i).get_attribute("data-count") or 0) for i in range(4)) == 10
    _shoot(page, tmp_path, f"overview-{language}")

    page.goto(f"{server.url}/agreements/api-latency")
    _structure(page)
    rate = page.locator("#chart-availability-rate svg")
    assert rate.locator(".mark-rect.role-mark path").count() > 0  # alert and incident bands
    assert rate.locator(".mark-rule.role-mark line").count() == 4  # the four SRE workbook tiers' factors
    burn = page.locator("#chart-availability-burn svg .mark-line.role-mark path")
    assert burn.count() == 3  # budget left, even spend, projection
    legend = "均匀消耗" if language == "zh-CN" else "Even spend"
    assert legend in (page.locator("#chart-availability-burn svg").text_content() or "")
    _shoot(page, tmp_path, f"agreement-{language}")

    page.check('#range-picker input[value="90d"]')
    page.click("#range-picker button[type=submit]")
    page.wait_for_url(f"{server.url}/agreements/api-latency?range=90d*")
    _structure(page)
    assert page.locator("#chart-availability-daily svg .mark-symbol path").count() == 90
    _shoot(page, tmp_path, f"agreement-90d-{language}")

    page.locator(".bad-minutes a").first.click()
    page.wait_for_url(f"{server.url}/agreements/api-latency/objectives/*")
    assert page.locator("#drill-events tbody tr").count() > 0
    assert page.locator("#drill-counts tr.bad-minute").count() == 1
    _shoot(page, tmp_path, f"drill-{language}")
    assert errors == []
    context.close()
