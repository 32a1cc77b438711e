"""SSRF: `attain fetch --url` refuses link-local, metadata and (unless allowed) loopback addresses, redirects included."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from api_support import agreement_text
from attain.notify.failure import AddressRefused
from attain.services.fetch import guarded_client
from cli_support import Cli

WINDOW = ["--from", "2026-11-01T00:00:00Z", "--to", "2026-11-01T01:00:00Z"]


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP listener on 127.0.0.2 that records each connection: its port and the record."""
    server = socket.create_server(("127.0.0.2", 0))
    server.settimeout(0.2)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except OSError:
                continue
            seen.append(str(address))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(2)
    server.close()


@pytest.fixture
def redirector(listener: tuple[int, list[str]]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that answers every request with a redirect to the 127.0.0.2 listener."""
    target = f"http://127.0.0.2:{listener[0]}/api/v1/query_range"

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(307)
            self.send_header("Location", target)
            self.end_headers()

        def do_POST(self) -> None:
            self.do_GET()

        def log_message(self, *args: object) -> None:
            del args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def stored(attain: Cli, tmp_path: Path) -> Cli:
    """The CLI with an agreement whose `metered` objective reads Prometheus."""
    path = tmp_path / "shop.yaml"
    path.write_text(agreement_text("shop", "Example Shop"), encoding="utf-8")
    assert attain("apply", path).returncode == 0
    return attain


@pytest.mark.parametrize(
    ("url", "allow", "reason"),
    [
        ("http://169.254.169.254/", "169.254.169.254", "link-local, metadata"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254", "link-local, metadata"),
        ("http://[::ffff:169.254.169.254]/", "169.254.0.0/16", "link-local, metadata"),
        ("http://metadata.google.internal/", "metadata.google.internal", "cloud metadata service"),
        ("http://0.0.0.0:9090/", "0.0.0.0", "unspecified"),  # noqa: S104 - a URL under test, not a bind
        ("file:///etc/passwd", "localhost", "only http:// and https://"),
    ],
)
def test_fetch_never_reaches_metadata_or_link_local(stored: Cli, url: str, allow: str, reason: str) -> None:
    """Allowed or not, a link-local, metadata or unspecified URL is refused with exit 1 and the reason."""
    result = stored("fetch", "shop", "--url", url, *WINDOW, "--allow-address", allow)
    assert result.returncode == 1
    assert reason in result.stderr


def test_fetch_refuses_loopback_unless_allowed(stored: Cli, listener: tuple[int, list[str]]) -> None:
    """127.0.0.2 is refused without --allow-address (nothing connects); allowed, the request goes out."""
    port, seen = listener
    refused = stored("fetch", "shop", "--url", f"http://127.0.0.2:{port}", *WINDOW)
    assert refused.returncode == 1
    assert "is a loopback address; pass --allow-address 127.0.0.2" in refused.stderr
    assert seen == []
    allowed = stored("fetch", "shop", "--url", f"http://127.0.0.2:{port}", *WINDOW, "--allow-address", "127.0.0.0/8")
    assert allowed.returncode != 0  # the listener hangs up without an answer
    assert seen != []


def test_a_redirect_to_a_refused_address_is_not_followed(
    stored: Cli, redirector: str, listener: tuple[int, list[str]]
) -> None:
    """A source at an allowed address that redirects to 127.0.0.2: the CLI follows no redirect, nothing connects there."""
    result = stored("fetch", "shop", "--url", redirector, *WINDOW, "--allow-address", "127.0.0.1")
    assert result.returncode != 0
    assert "HTTP 307" in result.stderr
    assert listener[1] == []


def test_the_guard_checks_each_hop_of_a_followed_redirect(redirector: str, listener: tuple[int, list[str]]) -> None:
    """Were redirects followed, the hook sees the redirected request too and refuses it before it connects."""
    with guarded_client(["127.0.0.1"]) as client, pytest.raises(AddressRefused, match=r"127\.0\.0\.2"):
        client.get(redirector, follow_redirects=True)
    assert listener[1] == []
