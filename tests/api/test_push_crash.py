"""An HTTP push loop survives SIGKILL of the client and of `attain serve`: nothing lost, nothing twice (issue 19).

A client process reads seeded batches of requests from a JSON Lines file (one batch a line) and
pushes each to `POST /api/v1/agreements/api-latency/events` with `Idempotency-Key: push-N`,
retrying a batch until the server answers 201. The client is SIGKILLed at random points `KILLS`
times and restarted from the first batch; then `attain serve` itself is SIGKILLed in the middle of
a run and restarted on the same port `RESTARTS` times while the client retries. At the end the
ledger holds one entry per key and the minute counts equal DuckDB's count of the file. Runs on
SQLite and PostgreSQL against a real uvicorn.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from tests.ingestion.test_crash import NAME, agreement_text

from api_support import free_port
from attain.engine.instant import to_us
from attain.services.runtime import create_runtime
from attain.services.store import apply_files
from attain.services.tokens import issue_token
from attain.settings import Settings
from crash_support import LONG, check_integrity, kill_at_random_points, minute_counts, rng, run_env

BATCHES = 120 if LONG else 40
ROWS = 50
RESTARTS = 10 if LONG else 2
START = datetime(2026, 11, 2, tzinfo=UTC)

CLIENT = """\
import json, sys, time
import httpx

base, token, path, prefix = sys.argv[1:5]
headers = {"Authorization": f"Bearer {token}"}
with open(path, encoding="utf-8") as lines:
    for number, line in enumerate(lines):
        while True:
            try:
                answer = httpx.post(f"{base}/api/v1/agreements/api-latency/events", content=line,
                                    headers=headers | {"Idempotency-Key": f"{prefix}-{number}",
                                                       "Content-Type": "application/json"}, timeout=10)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            if answer.status_code == 201:
                break
            if answer.status_code < 500:
                sys.exit(f"batch {number}: {answer.status_code} {answer.text}")
            time.sleep(0.05)
"""


def write_batches(path: Path, salt: int) -> None:
    """`BATCHES` lines of `ROWS` requests each over two days of November 2026 (3% bad, 1% rate-limited)."""
    chance = rng(salt)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(BATCHES):
            rows = []
            for _ in range(ROWS):
                at = START + timedelta(milliseconds=chance.randrange(2 * 86_400_000))
                rows.append(
                    {
                        "timestamp": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                        "status": "bad" if chance.random() < 0.03 else "good",
                        "rate_limited": chance.random() < 0.01,
                    }
                )
            out.write(json.dumps({"stream": "requests", "rows": rows}) + "\n")


class Server:
    """`attain serve` on one port, killed and started again at will."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.env = run_env(url, data_dir)
        self.port = free_port()
        self.log = data_dir / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait for /healthz."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "attain", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120  # a loaded CI machine starts the server slowly
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"attain serve did not start: {self.log.read_text(encoding='utf-8')}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        """Stop the server if it runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def kill(self) -> None:
        """SIGKILL the server."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file in tmp_path, or the session's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/attain.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """A running server on the test's database holding api-latency (from November 2026), and an editor token."""
    runtime = create_runtime(Settings(database_url, tmp_path))
    agreement = tmp_path / "agreement.yaml"
    text = agreement_text().replace("effective: {from: 2027-01-01}", "effective: {from: 2026-11-01}")
    agreement.write_text(text, encoding="utf-8")
    now = to_us(datetime.now(UTC))
    apply_files(runtime.store, [agreement], now)
    token = issue_token(runtime.access, "editor", None, "crash", now, None).secret
    runtime.engine.dispose()
    running = Server(database_url, tmp_path)
    running.start()
    yield running, token
    running.stop()


def test_a_push_loop_killed_and_a_server_restarted_store_every_batch_once(
    database_url: str, server: tuple[Server, str], tmp_path: Path
) -> None:
    """Client kills and server restarts mid-loop: one ledger entry per key, counts equal DuckDB's over the input."""
    running, token = server
    batches = {prefix: tmp_path / f"{prefix}.jsonl" for prefix in ("kill", "restart")}
    for salt, path in enumerate(batches.values()):
        write_batches(path, salt)
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    base = f"http://127.0.0.1:{running.port}"
    store = create_runtime(Settings(database_url, tmp_path)).store
    client_log = tmp_path / "client.log"

    def client(prefix: str = "kill") -> subprocess.Popen[bytes]:
        with client_log.open("ab") as out:
            command = [sys.executable, str(tmp_path / "client.py"), base, token, str(batches[prefix]), prefix]
            return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)

    def pushed() -> int:
        return len(store.ledger(NAME))

    kills = kill_at_random_points(client, pushed, BATCHES, rng(4), startup_seconds=1.0)
    print(f"{store.engine.dialect.name} push loop: {kills.summary(BATCHES)}")  # noqa: T201 - pytest -s
    assert client().wait(timeout=120) == 0, client_log.read_text(encoding="utf-8")

    chance = rng(5)
    loop = client("restart")
    restarts = []
    for goal in sorted(chance.sample(range(BATCHES // 2), RESTARTS)):
        while pushed() < BATCHES + goal:
            assert loop.poll() is None, client_log.read_text(encoding="utf-8")
            time.sleep(0.01)
        running.kill()
        restarts.append(pushed() - BATCHES)
        running.start()
    assert loop.wait(timeout=120) == 0, client_log.read_text(encoding="utf-8")
    print(f"{store.engine.dialect.name} serve SIGKILLed after batches {restarts} of {BATCHES}")  # noqa: T201

    ledger = store.ledger(NAME)
    keys = [f"api:{NAME}:requests:{prefix}-{n}" for prefix in batches for n in range(BATCHES)]
    assert sorted(e.key for e in ledger) == sorted(keys)
    assert sum(e.rows for e in ledger) == 2 * BATCHES * ROWS
    expected = minute_counts(
        "SELECT epoch_us(r.timestamp) // 60000000 * 60000000, "
        "count(*) FILTER (WHERE r.status = 'good' AND NOT r.rate_limited), count(*) FILTER (WHERE NOT r.rate_limited) "
        "FROM (SELECT unnest(rows) AS r FROM read_json(?, format = 'newline_delimited')) GROUP BY 1",
        tmp_path / "*.jsonl",
    )
    buckets = store.buckets(NAME, "availability", 0, 2**62)
    assert {b.minute: (b.good, b.valid) for b in buckets} == {m: c for m, c in expected.items() if c[1]}
    check_integrity(store.engine)
    store.engine.dispose()
