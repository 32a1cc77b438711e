"""`attain pull` survives SIGKILL: killed at random points and run again, every objective's counts stored once.

A SQLite "warehouse" file holds seeded request rows (three days of November 2026, an HTTP status
each); the agreement has `OBJECTIVES` SQL-backed ratio objectives over it, each a batch of its own.
`python -m attain pull` over the three days is SIGKILLed `KILLS` times at random points and run
again to the end: the ledger holds one batch per objective, and every objective's minute counts
equal DuckDB's count of the same rows written as CSV. Runs with the store on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from attain.services.store import apply_files
from attain.storage import SqlStore, connect, upgrade
from crash_support import LONG, check_integrity, kill_at_random_points, minute_counts, rng, run_env

NAME = "warehouse"
ROWS = 1_000_000 if LONG else 300_000
LIMITS = (200, 300, 400, 500, 600)
"""Objective `under-N` counts a request good when its status is below N."""
START = datetime(2026, 11, 2, tzinfo=UTC)

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {{name: {name}}}
spec:
  title: Warehouse SLA
  parties: {{provider: {{name: ACME Cloud}}, customer: {{name: Example Shop}}}}
  purpose: Counts requests where they live.
  services: [{{name: web}}]
  effective: {{from: 2026-10-01}}
  objectives:
{objectives}
"""
OBJECTIVE = """\
    - name: under-{limit}
      service: web
      indicator:
        kind: ratio
        valid: {{metric: {{type: SQL, spec: {{url: '{url}', table: requests, timestamp: ts}}}}}}
        good: {{metric: {{type: SQL, spec: {{where: "status < {limit}"}}}}}}
      target: 99%
      window: month
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store: a SQLite file in tmp_path, or the session's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/attain.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The warehouse SQLite file and the same rows as CSV (`ts` ISO 8601 text in UTC, `status`)."""
    chance = rng(6)
    folder = tmp_path_factory.mktemp("warehouse")
    rows = []
    for _ in range(ROWS):
        at = START + timedelta(seconds=chance.randrange(3 * 86_400))
        rows.append((at.strftime("%Y-%m-%dT%H:%M:%SZ"), chance.choice((200, 200, 200, 302, 404, 500, 503))))
    database, text = folder / "warehouse.db", folder / "requests.csv"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE requests (ts TEXT NOT NULL, status INTEGER NOT NULL)")
        conn.executemany("INSERT INTO requests VALUES (?, ?)", rows)
    conn.close()
    text.write_text("ts,status\n" + "".join(f"{ts},{status}\n" for ts, status in rows), encoding="utf-8")
    return database, text


def test_sigkill_during_pull_stores_each_objective_once(
    database_url: str, warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    """Killed at random points and run again, each objective's counts equal DuckDB's, stored once."""
    database, text = warehouse
    engine = connect(database_url)
    try:
        upgrade(engine)
        store = SqlStore(engine)
        objectives = "".join(OBJECTIVE.format(limit=limit, url=f"sqlite:///{database}") for limit in LIMITS)
        agreement = tmp_path / "warehouse.yaml"
        agreement.write_text(AGREEMENT.format(name=NAME, objectives=objectives), encoding="utf-8")
        apply_files(store, [agreement], 0)
        log = tmp_path / "pull.log"
        end = START + timedelta(days=3)
        command = [sys.executable, "-m", "attain", "pull", NAME, "--from", START.isoformat(), "--to", end.isoformat()]

        def start() -> subprocess.Popen[bytes]:
            with log.open("ab") as out:
                return subprocess.Popen(
                    command, env=run_env(database_url, tmp_path), stdout=out, stderr=subprocess.STDOUT
                )

        kills = kill_at_random_points(start, lambda: len(store.ledger(NAME)), len(LIMITS), rng(7), startup_seconds=3.0)
        print(f"{engine.dialect.name} pull: {kills.summary(len(LIMITS))}")  # noqa: T201 - pytest -s
        assert start().wait(timeout=300) == 0, log.read_text(encoding="utf-8")

        ledger = store.ledger(NAME)
        assert len(ledger) == len({e.key for e in ledger}) == len(LIMITS)
        for limit in LIMITS:
            expected = minute_counts(
                "SELECT epoch_us(strptime(substr(ts, 1, 16), '%Y-%m-%dT%H:%M')), count(*) FILTER (WHERE status < ?), "
                "count(*) FROM read_csv(?, all_varchar = true, types = {'status': 'INTEGER'}) GROUP BY 1",
                limit,
                text,
            )
            buckets = store.buckets(NAME, f"under-{limit}", 0, 2**62)
            assert {b.minute: (b.good, b.valid) for b in buckets if b.valid} == expected
        check_integrity(engine)
    finally:
        engine.dispose()  # also when an assertion fails: an open connection would fail a later test
