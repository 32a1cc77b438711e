"""DNS rebinding: every outbound client connects to the address its guard checked, never to a second DNS answer.

A fake resolver (socket.getaddrinfo, monkeypatched) answers `rebind.test` with 127.0.0.2 (allowed in
these tests) the first time and 127.0.0.1 (not allowed) every time after; an HTTP server listens on
each address, on the same port. A guard that resolved to check and let httpx resolve again to
connect would reach 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from attain.notify.address import check_source_url
from attain.notify.failure import AddressRefused
from attain.notify.pinned import PinnedTransport
from attain.notify.post import post
from attain.services.fetch import guarded_client

NAME = "rebind.test"


class Recorder(BaseHTTPRequestHandler):
    """Records each request (method, path, Host header) on the server's `seen` list; answers 200 `{}`."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self.server.seen.append((self.command, self.path, self.headers.get("host")))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self) -> None:
        """Record and answer a GET."""
        self._answer()

    def do_POST(self) -> None:
        """Record and answer a POST."""
        self._answer()

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""
        del args


@pytest.fixture
def servers() -> Iterator[tuple[int, list[Any], list[Any]]]:
    """HTTP servers on 127.0.0.2 (the checked answer) and 127.0.0.1 (the rebound one) on one port: port, seen, seen."""
    checked = ThreadingHTTPServer(("127.0.0.2", 0), Recorder)
    port = checked.server_address[1]
    rebound = ThreadingHTTPServer(("127.0.0.1", port), Recorder)
    running = []
    for server in (checked, rebound):
        server.seen = []  # type: ignore[attr-defined]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append(server)
    yield port, checked.seen, rebound.seen  # type: ignore[attr-defined]
    for server in running:
        server.shutdown()
        server.server_close()


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Resolve `rebind.test` to 127.0.0.2 once, then to 127.0.0.1; other names as usual. Yields the names looked up."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.2" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return lookups


def test_fetch_connects_to_the_checked_address_not_to_a_rebound_one(
    servers: tuple[int, list[Any], list[Any]], rebinding: list[str]
) -> None:
    """`attain fetch`'s client resolves the name once and reaches 127.0.0.2 with the name in Host; 127.0.0.1 sees nothing."""
    port, checked, rebound = servers
    with guarded_client(["127.0.0.2"]) as client:
        response = client.get(f"http://{NAME}:{port}/api/v1/query")
    assert response.status_code == 200
    assert checked == [("GET", "/api/v1/query", f"{NAME}:{port}")]
    assert rebound == []
    assert rebinding == [NAME]


@pytest.mark.usefixtures("rebinding")
def test_a_second_request_is_checked_again_and_refused_when_the_name_now_reaches_loopback(
    servers: tuple[int, list[Any], list[Any]],
) -> None:
    """The second request of one client resolves again (127.0.0.1 now): refused before it connects anywhere."""
    port, checked, rebound = servers
    with guarded_client(["127.0.0.2"]) as client:
        client.get(f"http://{NAME}:{port}/first")
        with pytest.raises(AddressRefused, match=r"rebind\.test resolves to 127\.0\.0\.1"):
            client.get(f"http://{NAME}:{port}/second")
    assert [path for _, path, _ in checked] == ["/first"]
    assert rebound == []


def test_webhooks_post_to_the_checked_address_not_to_a_rebound_one(
    servers: tuple[int, list[Any], list[Any]], rebinding: list[str]
) -> None:
    """A webhook or Alertmanager send resolves the name once and posts to 127.0.0.2; 127.0.0.1 sees nothing."""
    port, checked, rebound = servers
    post(f"http://{NAME}:{port}/hook", b"{}", {}, ["127.0.0.2"], 5)
    assert checked == [("POST", "/hook", f"{NAME}:{port}")]
    assert rebound == []
    assert rebinding == [NAME]


@pytest.mark.usefixtures("rebinding")
def test_each_hop_of_a_followed_redirect_is_checked_and_pinned(servers: tuple[int, list[Any], list[Any]]) -> None:
    """Were a redirect followed to the same name, the hop resolves again, and 127.0.0.1 is refused before connecting."""
    port, checked, rebound = servers

    def redirect(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start":
            return httpx.Response(307, headers={"location": f"http://{NAME}:{port}/next"})
        return httpx.Response(200)

    seen: list[tuple[str, str, str | None]] = []

    def recorded(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url.host), request.url.path, request.headers.get("host")))
        return redirect(request)

    transport = PinnedTransport(lambda url: check_source_url(url, ["127.0.0.2"]), inner=httpx.MockTransport(recorded))
    with httpx.Client(transport=transport) as client, pytest.raises(AddressRefused, match=r"127\.0\.0\.1"):
        client.get(f"http://{NAME}:{port}/start", follow_redirects=True)
    assert seen == [("127.0.0.2", "/start", f"{NAME}:{port}")]
    assert checked == rebound == []


def test_https_keeps_the_name_for_tls_while_connecting_to_the_address() -> None:
    """On https the pinned request goes to the address, with the name as Host and as the TLS server name (SNI)."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    import ipaddress  # noqa: PLC0415 - only here

    transport = PinnedTransport(lambda _url: ipaddress.ip_address("192.0.2.7"), inner=httpx.MockTransport(record))
    with httpx.Client(transport=transport) as client:
        client.get("https://hooks.example.com/x")
    [request] = seen
    assert str(request.url) == "https://192.0.2.7/x"
    assert request.headers["host"] == "hooks.example.com"
    assert request.extensions["sni_hostname"] == "hooks.example.com"
