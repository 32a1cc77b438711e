"""Real receivers on loopback for the notification tests: an HTTP server, Alertmanager, an SMTP sink.

- `Hook`: a threaded HTTP server on 127.0.0.1 that records each request (path, headers, raw
  body) and answers with the statuses it is given, in order (200 once they run out).
- `run_alertmanager`: Debian's `prometheus-alertmanager` on a free loopback port with a config
  and storage directory of its own (`scripts/system-packages-alertmanager` installs it).
- `smtp_sink`: an aiosmtpd SMTP server on a free loopback port that keeps what it receives.
- `envelope`: a notice addressed as the tests need, with fixed instants.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from attain.engine.instant import to_us
from attain.engine.notices import Channel, Condition, Envelope, Notice, NoticeStatus
from attain.model.notify import EventKind

SINCE = to_us(datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
"""When the tests' condition began: 5 December 2026, 12:00 UTC."""
AT = to_us(datetime(2026, 12, 5, 12, 5, tzinfo=UTC))
"""When the tests' notice was decided: 12:05 UTC the same day."""
ALERTMANAGER = shutil.which("prometheus-alertmanager")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def condition(
    kind: EventKind = EventKind.BURN_RATE,
    key: str = "burn-rate/api/page/60m-5m",
    objective: str | None = "api",
    severity: str = "page",
    since: int = SINCE,
    facts: tuple[tuple[str, str], ...] = (("burnRate", "14.4"), ("window", "60m/5m")),
) -> Condition:
    """A condition of agreement `shop` (resolvable when it is a burn rate)."""
    return Condition(kind, key, "shop", objective, severity, since, kind is EventKind.BURN_RATE, facts)


def envelope(  # noqa: PLR0913 (each test changes one of them)
    channel: Channel = Channel.WEBHOOK,
    url: str = "",
    *,
    status: NoticeStatus = NoticeStatus.FIRING,
    language: str = "en",
    secret_env: str | None = None,
    to: tuple[str, ...] = (),
    of: Condition | None = None,
    at: int = AT,
    party: str = "provider",
) -> Envelope:
    """A notice to receiver `oncall` of agreement `shop` (titled `Shop API`) by `channel`."""
    notice = Notice("oncall", of or condition(), status, at, 1 if status is NoticeStatus.RESOLVED else 0)
    return Envelope(notice, channel, party, language, "Shop API", url, secret_env, to)


@dataclass(frozen=True)
class Request:
    """One request a `Hook` received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Hook:
    """A loopback HTTP server that records requests and answers with `statuses` in order, then 200."""

    statuses: list[int] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        """The base URL, `http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def run_hook(statuses: list[int] | None = None) -> Iterator[Hook]:
    """Serve a `Hook` on a free loopback port for the duration of the block."""
    hook = Hook(list(statuses or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hook.requests.append(Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = hook.statuses.pop(0) if hook.statuses else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "http://169.254.169.254/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


CONFIG = """\
route:
  receiver: nobody
receivers:
  - name: nobody
"""


@contextmanager
def run_alertmanager(directory: Path) -> Iterator[str]:
    """Start prometheus-alertmanager on a free loopback port; yield its base URL; stop it afterwards."""
    assert ALERTMANAGER is not None
    (directory / "alertmanager.yml").write_text(CONFIG, encoding="utf-8")
    (directory / "data").mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        ALERTMANAGER,
        f"--config.file={directory / 'alertmanager.yml'}",
        f"--storage.path={directory / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
    ]
    log = (directory / "alertmanager.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(f"alertmanager did not start: {(directory / 'alertmanager.log').read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@dataclass
class Sink:
    """What the SMTP server received: envelope sender, recipients, raw message; and what it refuses."""

    mails: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: str | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(self, *args: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        """Accept the recipient, or answer the refusal set for the test (args: server, session, envelope, address)."""
        envelope, address = args[2], args[3]
        if self.refuse is not None:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, *args: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        """Keep the message (args: server, session, envelope)."""
        envelope = args[2]
        self.mails.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def parsed(self) -> EmailMessage:
        """The one message received, parsed."""
        (mail,) = self.mails
        message = email.message_from_bytes(mail[2], policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message


@contextmanager
def smtp_sink(*, login: bool = False) -> Iterator[tuple[Sink, int]]:
    """An aiosmtpd server on a free loopback port; with `login`, AUTH LOGIN/PLAIN without TLS."""
    sink = Sink()
    port = free_port()
    options: dict[str, Any] = {}
    if login:

        def authenticate(*args: Any) -> AuthResult:
            data = args[-1]
            assert isinstance(data, LoginPassword)
            sink.logins.append((data.login.decode(), data.password.decode()))
            return AuthResult(success=True)

        options = {"authenticator": authenticate, "auth_require_tls": False}
    controller = Controller(sink, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()
