"""A real Alertmanager (Debian's `prometheus-alertmanager`) delivers its webhook to a real `attain serve`: fire, resolve.

Both run on loopback: an alert posted to Alertmanager's `/api/v2/alerts` reaches attain through a
`webhook_configs` receiver authorised by `http_config.authorization` with an admin token, opens an
incident, and the resolved alert ends it; the downtime in the status is then exactly the alert's span.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from api_support import agreement_text, attain_serve, free_port

ALERTMANAGER = shutil.which("prometheus-alertmanager")
pytestmark = pytest.mark.skipif(ALERTMANAGER is None, reason="Debian's prometheus-alertmanager is not installed")

CONFIG = """\
route:
  receiver: attain
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: attain
    webhook_configs:
      - url: {url}/api/v1/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials_file: {token_file}
"""


@contextmanager
def alertmanager(directory: Path, attain_url: str, token: str) -> Iterator[str]:
    """Alertmanager on a free loopback port sending to attain; yields its base URL."""
    token_file = directory / "token"
    token_file.write_text(token, encoding="utf-8")
    config = directory / "alertmanager.yml"
    config.write_text(CONFIG.format(url=attain_url, token_file=token_file), encoding="utf-8")
    port, cluster = free_port(), free_port()
    assert ALERTMANAGER is not None
    process = subprocess.Popen(
        [
            ALERTMANAGER,
            f"--config.file={config}",
            f"--storage.path={directory / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            f"--cluster.listen-address=127.0.0.1:{cluster}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _answers(f"{base}/-/ready"), "Alertmanager did not get ready")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _wait(done: Callable[[], bool], message: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_real_alertmanager_fires_and_resolves_an_incident(tmp_path: Path) -> None:
    """Fired 30 minutes ago and resolved 13 minutes ago: 17 minutes of downtime, the incident opened then closed."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    start, end = now - timedelta(minutes=30), now - timedelta(minutes=13)
    if start.month != now.month:
        pytest.skip("the alert would start in last month; the status shows this month's downtime")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ATTAIN_DATA_DIR": str(tmp_path / "attain")}
    with attain_serve(tmp_path, env) as (attain_url, token):
        auth = {"Authorization": f"Bearer {token}"}
        text = agreement_text("shop", "Example Shop").replace("2026-10-01", f"{now.year}-{now.month:02d}-01")
        applied = httpx.post(
            f"{attain_url}/api/v1/agreements", content=text, headers=auth | {"content-type": "application/yaml"}
        )
        assert applied.status_code < 300, applied.text
        (tmp_path / "am").mkdir()
        with alertmanager(tmp_path / "am", attain_url, token) as am:
            labels = {"alertname": "ShopDown", "agreement": "shop", "objective": "uptime", "severity": "critical"}

            def consumed() -> str:
                """This month's downtime in minutes: it tells whether the incident arrived and whether it ended."""
                status = httpx.get(f"{attain_url}/api/v1/agreements/shop/objectives/uptime", headers=auth).json()
                return str(status["periods"][-1]["budget"]["consumed"])

            fired = httpx.post(f"{am}/api/v2/alerts", json=[{"labels": labels, "startsAt": _iso(start)}])
            assert fired.status_code == 200, fired.text
            _wait(lambda: consumed() != "0", "the firing alert did not reach attain")
            assert int(consumed()) >= 30  # open: counted until the evaluated minute, 30 or more after the start
            resolved = [{"labels": labels, "startsAt": _iso(start), "endsAt": _iso(end)}]
            assert httpx.post(f"{am}/api/v2/alerts", json=resolved).status_code == 200
            _wait(lambda: consumed() == "17", "the resolved alert did not end the incident")
