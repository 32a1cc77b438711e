"""A real Prometheus server on backfilled data, and the same data counted in plain Python.

The data is four hours of per-minute requests (fixed seed) ending at least four hours before now:
`promtool tsdb create-blocks-from openmetrics` writes it as blocks, which Prometheus serves as
ordinary history (the promtool documentation warns against backfilling the last three hours, the
head block's range; the margin keeps clear of it). Samples sit on whole minutes, the counter of
`code="200"` restarts from zero once, and a ten-minute scrape outage leaves samples out.

`prometheus` and `promtool` come from the Debian package (`apt-get install prometheus`); when
they are missing the tests fail saying so, unless `ATTAIN_SKIP_PROMETHEUS=1`.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

MINUTES = 240
"""Minutes of generated requests; samples at minute 0 through minute 240."""
OUTAGE = range(100, 110)
"""Sample indices the scrape missed: Prometheus has no sample there."""
RESTART = 150
"""Sample index at which the `code="200"` counter has restarted from zero (at the previous sample)."""


@dataclass(frozen=True)
class Generated:
    """Requests per minute by code, the first sample's instant (s), and which samples exist."""

    start_seconds: int
    ok: list[int]
    errors: list[int]
    samples: list[int]

    def has_increase(self, minute: int) -> bool:
        """Whether Prometheus holds a sample at both ends of minute `minute` (index)."""
        return minute in self.samples and minute + 1 in self.samples


def generate(start_seconds: int, seed: int = 20261127) -> Generated:
    """Per-minute request counts from a fixed seed; every tenth minute has no requests at all."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    ok = [0 if m % 10 == 7 else rng.randint(0, 60) for m in range(MINUTES)]
    errors = [0 if m % 10 == 7 else rng.choice([0, 0, 1, 2, 5]) for m in range(MINUTES)]
    samples = [k for k in range(MINUTES + 1) if k not in OUTAGE]
    return Generated(start_seconds, ok, errors, samples)


def openmetrics(data: Generated) -> str:
    """The counters as OpenMetrics text: value at sample k counts the requests of minutes before k."""
    lines = ["# HELP http_requests Requests served.", "# TYPE http_requests counter"]
    for k in data.samples:
        at = data.start_seconds + 60 * k
        ok = sum(data.ok[:k]) if k < RESTART else sum(data.ok[RESTART - 1 : k])
        lines.append(f'http_requests_total{{code="200"}} {ok} {at}')
        lines.append(f'http_requests_total{{code="500"}} {sum(data.errors[:k])} {at}')
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Server:
    """A running Prometheus and the data it holds."""

    url: str
    data: Generated


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"prometheus exited with {process.returncode}:\n{log.read_text()[-2000:]}", pytrace=False)
        try:
            if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"prometheus not ready after 30 s:\n{log.read_text()[-2000:]}", pytrace=False)


@pytest.fixture(scope="session")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Prometheus server on backfilled blocks of `generate`'s data, stopped at the end."""
    if os.environ.get("ATTAIN_SKIP_PROMETHEUS") == "1":
        pytest.skip("ATTAIN_SKIP_PROMETHEUS=1: real Prometheus tests skipped on request")
    binaries = {name: shutil.which(name) for name in ("prometheus", "promtool")}
    if None in binaries.values():
        pytest.fail("prometheus and promtool are needed: apt-get install prometheus", pytrace=False)
    root = tmp_path_factory.mktemp("prometheus")
    start = int(time.time()) // 3600 * 3600 - 8 * 3600
    data = generate(start)
    (root / "data.om").write_text(openmetrics(data))
    subprocess.run(
        [binaries["promtool"], "tsdb", "create-blocks-from", "openmetrics", root / "data.om", root / "tsdb"],
        check=True,
        capture_output=True,
    )
    (root / "prometheus.yml").write_text("global:\n  scrape_interval: 1m\n")
    port, log = _free_port(), root / "prometheus.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                binaries["prometheus"],
                f"--storage.tsdb.path={root / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                f"--config.file={root / 'prometheus.yml'}",
                "--storage.tsdb.retention.time=100y",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(url, process, log)
        yield Server(url, data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
