"""`attain fetch` survives SIGKILL: killed at random points and run again, every objective's counts stored once.

A fake Prometheus (a threaded HTTP server in the test process, on 127.0.0.1 and a free port)
answers `/api/v1/query_range` from seeded request events kept as CSV: per minute, the requests of
one objective (`valid`) and those with a code below 500 (`good`), evaluated at the minute's end
like `increase(...[1m])`. Each answer waits `DELAY` seconds so that the kills land between requests
and between the stored batches (one per objective). `python -m attain fetch` over three days is
SIGKILLed `KILLS` times at random points and run again to the end: the ledger holds one batch per
objective, and every objective's minute counts equal DuckDB's count of the CSV. `fetch` reaches
the loopback server through `--allow-address 127.0.0.1` (it refuses loopback otherwise). Runs with
the store on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from attain.services.store import apply_files
from attain.storage import SqlStore, connect, upgrade
from crash_support import LONG, check_integrity, kill_at_random_points, minute_counts, rng, run_env

NAME = "scraped"
ROWS = 600_000 if LONG else 150_000
OBJECTIVES = 24 if LONG else 6
DELAY = 0.5
"""Seconds each answer of the fake Prometheus waits."""
START = datetime(2026, 11, 2, tzinfo=UTC)
DAYS = 3


def valid_query(k: int) -> str:
    """The PromQL of objective `o{k}`'s valid requests."""
    return f'sum(increase(requests_total{{objective="o{k}"}}[1m]))'


def good_query(k: int) -> str:
    """The PromQL of objective `o{k}`'s good requests."""
    return f'sum(increase(requests_total{{objective="o{k}",code!~"5.."}}[1m]))'


def agreement() -> dict[str, object]:
    """`scraped`: `OBJECTIVES` Prometheus-backed ratio objectives, in force from October 2026."""
    objectives = [
        {
            "name": f"o{k}",
            "service": "web",
            "indicator": {
                "kind": "ratio",
                "valid": {"metric": {"type": "Prometheus", "spec": {"query": valid_query(k)}}},
                "good": {"metric": {"type": "Prometheus", "spec": {"query": good_query(k)}}},
            },
            "target": "99%",
            "window": "month",
        }
        for k in range(OBJECTIVES)
    ]
    return {
        "apiVersion": "attain/v1",
        "kind": "Agreement",
        "metadata": {"name": NAME},
        "spec": {
            "title": "Scraped SLA",
            "parties": {"provider": {"name": "ACME Cloud"}, "customer": {"name": "Example Shop"}},
            "purpose": "Counts requests Prometheus scraped.",
            "services": [{"name": "web"}],
            "effective": {"from": "2026-10-01"},
            "objectives": objectives,
        },
    }


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeded request events as CSV: `ts` (ISO 8601, UTC), `objective` (0 … OBJECTIVES - 1), `code`."""
    chance = rng(8)
    lines = ["ts,objective,code\n"]
    for _ in range(ROWS):
        at = START + timedelta(seconds=chance.randrange(DAYS * 86_400))
        code = chance.choice((200, 200, 200, 200, 302, 404, 500, 503))
        lines.append(f"{at.strftime('%Y-%m-%dT%H:%M:%SZ')},{chance.randrange(OBJECTIVES)},{code}\n")
    path = tmp_path_factory.mktemp("prometheus-events") / "events.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def answers(events: Path) -> dict[str, Counter[int]]:
    """{query: {minute start (s since the epoch): requests}}, counted in plain Python (Prometheus' part)."""
    series: dict[str, Counter[int]] = {}
    for k in range(OBJECTIVES):
        series[valid_query(k)], series[good_query(k)] = Counter(), Counter()
    with events.open(encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            ts, number, code = line.rstrip("\n").split(",")
            minute = int(datetime.strptime(ts[:16], "%Y-%m-%dT%H:%M").replace(tzinfo=UTC).timestamp())
            series[valid_query(int(number))][minute] += 1
            if int(code) < 500:
                series[good_query(int(number))][minute] += 1
    return series


@pytest.fixture(scope="module")
def prometheus(events: Path) -> Iterator[str]:
    """The fake Prometheus' base URL; it answers range queries over `events` after `DELAY` seconds."""
    series = answers(events)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            counts = series[form["query"][0]]
            first, last = int(form["start"][0]), int(form["end"][0])
            values = [[at, str(counts[at - 60])] for at in range(first, last + 1, 60)]
            body = {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": values}]}}
            time.sleep(DELAY)
            data = json.dumps(body).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client was killed while it waited: what the test does

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class' name
            """Quiet: pytest shows no access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store: a SQLite file in tmp_path, or the session's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/attain.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_sigkill_during_fetch_stores_each_objective_once(
    database_url: str, events: Path, prometheus: str, tmp_path: Path
) -> None:
    """Killed at random points and run again, each objective's counts equal DuckDB's, stored once."""
    engine = connect(database_url)
    upgrade(engine)
    store = SqlStore(engine)
    path = tmp_path / "scraped.json"
    path.write_text(json.dumps(agreement()), encoding="utf-8")
    apply_files(store, [path], 0)
    log = tmp_path / "fetch.log"
    end = START + timedelta(days=DAYS)
    command = [sys.executable, "-m", "attain", "fetch", NAME, "--url", prometheus]
    command += ["--from", START.isoformat(), "--to", end.isoformat(), "--timeout", "60"]
    command += ["--allow-address", "127.0.0.1"]  # `fetch` refuses loopback unless allowed (issue 19, SSRF)

    def start() -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            return subprocess.Popen(command, env=run_env(database_url, tmp_path), stdout=out, stderr=subprocess.STDOUT)

    kills = kill_at_random_points(start, lambda: len(store.ledger(NAME)), OBJECTIVES, rng(9), startup_seconds=4.0)
    print(f"{engine.dialect.name} fetch: {kills.summary(OBJECTIVES)}")  # noqa: T201 - pytest -s
    assert start().wait(timeout=300) == 0, log.read_text(encoding="utf-8")

    ledger = store.ledger(NAME)
    assert len(ledger) == len({e.key for e in ledger}) == OBJECTIVES
    for k in range(OBJECTIVES):
        expected = minute_counts(
            "SELECT epoch_us(strptime(substr(ts, 1, 16), '%Y-%m-%dT%H:%M')), count(*) FILTER (WHERE code < 500), "
            "count(*) FROM read_csv(?, all_varchar = true, types = {'objective': 'INTEGER', 'code': 'INTEGER'}) "
            "WHERE objective = ? GROUP BY 1",
            events,
            k,
        )
        buckets = store.buckets(NAME, f"o{k}", 0, 2**62)
        assert {b.minute: (b.good, b.valid) for b in buckets if b.valid} == expected
        assert sum(v for _, v in expected.values()) == sum(b.valid for b in buckets)
    check_integrity(engine)
    engine.dispose()
