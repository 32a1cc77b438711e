"""Markup in every text field of an agreement stays text: in the HTML and PDF documents and in the dashboard.

The payload puts a `<script>`, a `javascript:` link, an `<img src=file://…>` and CSS
`url(http://127.0.0.2:PORT/)` into each free-text field. A listener on 127.0.0.2 counts the
connections anything makes to it; the PDF's URL fetcher is a spy; the dashboard is opened in
Debian's chromium with every request recorded, and the page is asked whether any script ran.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from api_support import NOW, attain_serve
from attain.formats.bundle import load_bundle_text
from attain.reports.contract import render_contract
from attain.reports.document import Format
from attain.reports.pdf import RefusingFetcher, html_to_pdf
from attain.services.store import apply_bundle
from attain.storage import SqlStore, connect, upgrade

CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Listener:
    """A TCP listener on 127.0.0.2 that counts every connection made to it."""

    port: int
    connections: list[str] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """The address the payload's CSS points at, listening, so that a fetch would be seen."""
    server = socket.create_server(("127.0.0.2", 0))
    server.settimeout(0.2)
    seen = Listener(server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except OSError:
                continue
            seen.connections.append(str(address))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield seen
    stop.set()
    thread.join(2)
    server.close()


def payload(port: int, field_name: str) -> str:
    """Markup that would run script, follow a link, read a file and fetch a URL if it were not text."""
    return (
        f"{field_name}<script>window.__pwned='{field_name}'</script>"
        f"<a href=\"javascript:window.__pwned='{field_name}'\">click</a>"
        f'<img src="file:///etc/passwd" onerror="window.__pwned=\'{field_name}\'">'
        f'<div style="background:url(http://127.0.0.2:{port}/{field_name})">x</div>'
        f"<style>body{{background:url(http://127.0.0.2:{port}/css-{field_name})}}</style>"
    )


FIELDS = (
    "title", "purpose", "provider", "contact", "address", "representative", "customer", "scope",
    "service_title", "service_description", "owner", "objective_title", "objective_description",
    "exclusion", "changes", "termination",
)  # fmt: skip
"""Every free-text field the payload goes into (names are checked by the format, so they cannot carry it)."""


def hostile_agreement(port: int) -> str:
    """An agreement whose every free-text field holds the payload (YAML single-quoted, so taken literally)."""
    p = {name: "'" + payload(port, name).replace("'", "''") + "'" for name in FIELDS}
    return f"""\
apiVersion: attain/v1
kind: Agreement
metadata: {{name: hostile}}
spec:
  title: {p["title"]}
  purpose: {p["purpose"]}
  parties:
    provider: {{name: {p["provider"]}, contact: {p["contact"]}, address: {p["address"]}}}
    customer: {{name: {p["customer"]}, representative: {p["representative"]}}}
  scope: {{description: {p["scope"]}}}
  services: [{{name: web, title: {p["service_title"]}, description: {p["service_description"]}, owner: {p["owner"]}}}]
  effective: {{from: 2026-10-01}}
  exclusions: [{{kind: maintenance, description: {p["exclusion"]}, minimumNotice: 2d}}]
  changes: {{clause: {p["changes"]}}}
  termination: {{clause: {p["termination"]}}}
  objectives:
    - name: success
      title: {p["objective_title"]}
      description: {p["objective_description"]}
      service: web
      indicator: {{kind: ratio, events: requests, bad: {{where: {{outcome: error}}}}}}
      target: 99%
      window: month
"""


def _agreement(port: int) -> Any:
    [agreement] = load_bundle_text(hostile_agreement(port), "hostile.yaml").agreements
    return agreement


def test_every_field_carries_the_payload(listener: Listener) -> None:
    """The agreement loads with the payload verbatim (so the other tests attack the fields, not a refusal)."""
    spec = _agreement(listener.port).spec
    assert spec.title == payload(listener.port, "title")
    assert spec.purpose == payload(listener.port, "purpose")
    assert spec.parties.customer.name == payload(listener.port, "customer")
    assert spec.services[0].description == payload(listener.port, "service_description")


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_html_contract_escapes_every_field(listener: Listener, language: str) -> None:
    """In the HTML contract, no field's tag survives as markup: each `<script>` is `&lt;script&gt;`."""
    html = render_contract(_agreement(listener.port), language, Format.HTML).decode()
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert "<style>body{background:url(" not in html
    shown = [name for name in FIELDS if f"{name}&lt;script&gt;" in html]
    assert len(shown) >= 12, shown


class SpyFetcher(RefusingFetcher):
    """The PDF's fetcher, recording every URL WeasyPrint asks for."""

    asked: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.asked = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Record the URL, then do what the real fetcher does."""
        self.asked.append(url)
        return super().fetch(url, headers)


def test_the_pdf_contract_fetches_nothing(listener: Listener) -> None:
    """Laid out as PDF, the hostile contract asks the fetcher for no URL at all, and nothing reaches 127.0.0.2."""
    html = render_contract(_agreement(listener.port), "en", Format.HTML).decode()
    spy = SpyFetcher()
    pdf = html_to_pdf(html, spy)
    assert pdf.startswith(b"%PDF-")
    assert spy.asked == []
    assert listener.connections == []


def test_the_pdf_fetcher_refuses_live_markup(listener: Listener) -> None:
    """Even markup that does reach WeasyPrint (file:// image, http:// CSS, javascript: link) is refused by the spy, never fetched."""
    port = listener.port
    html = (
        f"<html><head><style>body{{background:url(http://127.0.0.2:{port}/css)}}</style>"
        f'<link rel="stylesheet" href="http://127.0.0.2:{port}/sheet.css"></head><body>'
        f'<img src="file:///etc/passwd"><img src="http://127.0.0.2:{port}/img.png">'
        f'<a href="javascript:alert(1)">x</a><div style="background:url(file:///etc/hostname)">y</div></body></html>'
    )
    spy = SpyFetcher()
    assert html_to_pdf(html, spy).startswith(b"%PDF-")
    assert set(spy.asked) == set(spy.refused)
    assert {url.split("/")[0] for url in spy.asked} <= {"file:", "http:"}
    assert f"http://127.0.0.2:{port}/img.png" in spy.asked
    assert "file:///etc/passwd" in spy.asked
    assert listener.connections == []


@pytest.fixture
def served(tmp_path: Path, listener: Listener) -> Iterator[tuple[str, str]]:
    """`attain serve` holding the hostile agreement: its URL and a customer token for the hostile party."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    apply_bundle(SqlStore(engine), load_bundle_text(hostile_agreement(listener.port), "hostile.yaml"), NOW)
    env = os.environ | {"ATTAIN_DATA_DIR": str(tmp_path), "ATTAIN_TOKEN_PEPPER": "hostile"}
    env.pop("ATTAIN_DATABASE_URL", None)
    with attain_serve(tmp_path, env) as (base, admin):
        yield base, admin
    engine.dispose()


def test_the_dashboard_runs_no_script_and_sends_no_request(served: tuple[str, str], listener: Listener) -> None:
    """In chromium, the overview, the agreement, its contract and the API's HTML contract run no payload and fetch only same-origin."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-packages does)")
    from playwright.sync_api import Request, sync_playwright  # noqa: PLC0415

    base, admin = served
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        context = browser.new_context(extra_http_headers={"Authorization": f"Bearer {admin}"})
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))

        def record(request: Request) -> None:
            requested.append(request.url)

        context.on("request", record)
        for path in ("/", "/agreements/hostile", "/agreements/hostile/contract", "/agreements/hostile/dealings"):
            response = page.goto(base + path)
            assert response is not None
            assert response.status == 200, path
            policy = response.headers["content-security-policy"]
            assert policy.startswith(("default-src 'self'", "default-src 'none'")), path
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__pwned") is None, path
            for link in page.locator("a").all():
                assert not (link.get_attribute("href") or "").lower().startswith("javascript:"), path
        response = page.goto(f"{base}/api/v1/agreements/hostile/contract?format=html")
        assert response is not None
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None
        browser.close()
    assert requested, "the browser made no request at all"
    assert [url for url in requested if not url.startswith(base)] == []
    assert listener.connections == []
