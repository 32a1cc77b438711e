"""An API on a fresh store with two customers' agreements and a token per role, at a fixed instant."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

import attain
from attain.engine.instant import to_us
from attain.formats.bundle import load_bundle_text
from attain.server import create_server
from attain.services.runtime import Runtime, create_runtime
from attain.services.store import apply_bundle
from attain.services.tokens import issue_token
from attain.settings import Settings

NOW = to_us(datetime(2026, 11, 15, 12, 0, 30, tzinfo=UTC))
"""The fixed instant of every API test: 15 November 2026, 12:00:30 UTC."""

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {{name: {name}}}
spec:
  title: {title}
  parties: {{provider: {{name: ACME Cloud}}, customer: {{name: {customer}}}}}
  purpose: Keeps the shop online.
  services: [{{name: {service}}}]
  effective: {{from: 2026-10-01}}
  exclusions: [{{kind: maintenance, minimumNotice: 2d}}]
  objectives:
    - name: success
      service: {service}
      indicator: {{kind: ratio, events: requests, bad: {{where: {{outcome: error}}}}}}
      target: 99%
      window: month
      alerting: {{preset: sre-workbook}}
    - name: uptime
      service: {service}
      indicator: {{kind: availability, from: incidents, events: outages}}
      target: 99.9%
      window: month
      credits: [{{below: 99.9%, atLeast: 99%, credit: 10%}}, {{below: 99%, credit: 25%}}]
    - name: metered
      service: {service}
      indicator:
        kind: ratio
        good: {{metric: {{type: Prometheus, spec: {{query: 'sum(increase(ok[1m]))'}}}}}}
        valid: {{metric: {{type: Prometheus, spec: {{query: 'sum(increase(all[1m]))'}}}}}}
      target: 99%
      window: month
"""

PEPPER = b"the API tests' token pepper"
"""The server pepper of every API made here (`ATTAIN_TOKEN_PEPPER`), so that tokens are stored keyed."""

OWN = "shop"
"""The agreement of customer `Example Shop`."""
FOREIGN = "clinic"
"""The agreement of customer `Example Clinic`."""


def agreement_text(name: str, customer: str, title: str = "Hosting SLA", service: str = "web") -> str:
    """A three-objective agreement (events ratio, incident availability, metric counts) for a customer."""
    return AGREEMENT.format(name=name, customer=customer, title=title, service=service)


@dataclass
class Api:
    """A running in-process API and its tokens by role (`customer` belongs to `Example Shop`)."""

    app: FastAPI
    runtime: Runtime
    client: TestClient
    tokens: dict[str, str]

    def as_(self, role: str) -> dict[str, str]:
        """The Authorization header of a role's token."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_api(database_url: str, data_dir: Path, max_body_bytes: int = 8 * 1024 * 1024) -> Api:
    """An API on `database_url` holding agreements `shop` (Example Shop) and `clinic` (Example Clinic)."""
    runtime = create_runtime(Settings(database_url, data_dir, token_pepper=PEPPER), clock=lambda: NOW)
    for name, customer in ((OWN, "Example Shop"), (FOREIGN, "Example Clinic")):
        bundle = load_bundle_text(agreement_text(name, customer, service=f"{name}-web"), f"{name}.yaml")
        apply_bundle(runtime.store, bundle, NOW)
    tokens = {
        role: issue_token(runtime.access, role, party, role, NOW, None).secret
        for role, party in (("admin", None), ("editor", None), ("viewer", None), ("customer", "Example Shop"))
    }
    app = create_server(runtime=runtime, max_body_bytes=max_body_bytes)
    return Api(app, runtime, TestClient(app), tokens)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def attain_serve(cwd: Path, env: dict[str, str], *options: str) -> Iterator[tuple[str, str]]:
    """`attain serve` in a subprocess on a free port: yields its base URL and the admin token it printed."""
    port = free_port()
    # the code of the tree the tests import, whatever PYTHONPATH says (a relative `src` would not reach it from cwd)
    source = str(Path(attain.__file__).resolve().parent.parent)
    env = env | {"PYTHONPATH": os.pathsep.join([source, *filter(None, [env.get("PYTHONPATH")])])}
    server = subprocess.Popen(
        [sys.executable, "-m", "attain", "serve", "--port", str(port), *options],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    drain = None
    try:
        token = read_admin_token(server)
        # The log goes on after the token: read it away, or a full pipe would stall the server mid-request.
        drain = threading.Thread(target=server.stdout.read if server.stdout else None, daemon=True)
        drain.start()
        wait_until_up(port)
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.terminate()
        server.wait(timeout=10)
        if drain is not None:
            drain.join(5)
        if server.stdout is not None:
            server.stdout.close()


def read_admin_token(server: subprocess.Popen[str]) -> str:
    """The admin token `attain serve` prints on a fresh store."""
    assert server.stdout is not None
    for line in server.stdout:
        if "admin token" in line:
            return line.rsplit(" ", 1)[-1].strip()
    raise AssertionError("attain serve printed no admin token")


def wait_until_up(port: int) -> None:
    """Wait (up to 20 s) until the server on `port` answers /healthz."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("attain serve did not answer /healthz within 20 s")
