"""`attain ingest --buckets-only` survives SIGKILL: killed at random points, restarted, every minute counted once.

A Parquet file of requests (seeded, three days of January 2027, `status` good or bad, a few
rate-limited rows, written in row groups of `GROUP_ROWS`) is ingested per-minute-counts-only by
`python -m attain ingest --buckets-only` in a subprocess killed with SIGKILL `KILLS` times, then run
to completion. The stored minute counts must equal DuckDB's count over the same file, the ledger
must hold one entry per row group whose rows add up to the file's, and SQLite must pass
`integrity_check`. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.ingestion.test_crash import NAME, agreement_text

from attain.services.store import apply_files
from attain.storage import SqlStore, connect, upgrade
from crash_support import LONG, SEED, check_integrity, kill_at_random_points, minute_counts, rng, run_env

GROUP_ROWS = 500_000 if LONG else 200_000
GROUPS = 48 if LONG else 32
"""Enough that the work outlasts start-up: at ~7M rows/s, 10 groups were stored before most kills landed."""
START_US = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000


@pytest.fixture(scope="module")
def requests_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`GROUPS` row groups of requests over three days, timestamps as UTC instants in microseconds."""
    chance = np.random.default_rng(SEED)
    rows = GROUPS * GROUP_ROWS
    table = pa.table(
        {
            "timestamp": pa.array(
                START_US + chance.integers(0, 3 * 86_400 * 1_000_000, rows), type=pa.timestamp("us", tz="UTC")
            ),
            "status": pa.array(np.where(chance.random(rows) < 0.03, "bad", "good")),
            "rate_limited": pa.array(chance.random(rows) < 0.01),
        }
    )
    path = tmp_path_factory.mktemp("crash-buckets") / "requests.parquet"
    pq.write_table(table, path, row_group_size=GROUP_ROWS)
    return path


def test_sigkill_during_buckets_only_ingestion_loses_and_doubles_nothing(
    database_url: str, requests_parquet: Path, tmp_path: Path
) -> None:
    """Killed at random points and restarted, the per-minute counts equal DuckDB's count of the file."""
    engine = connect(database_url)
    upgrade(engine)
    store = SqlStore(engine)
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(agreement_text(), encoding="utf-8")
    apply_files(store, [agreement], 0)
    log = tmp_path / "ingest.log"
    command = [sys.executable, "-m", "attain", "ingest", str(requests_parquet), "--agreement", NAME, "--buckets-only"]

    def start() -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            return subprocess.Popen(command, env=run_env(database_url, tmp_path), stdout=out, stderr=subprocess.STDOUT)

    kills = kill_at_random_points(start, lambda: len(store.ledger(NAME)), GROUPS, rng(2), startup_seconds=1.5)
    print(f"{engine.dialect.name} ingest --buckets-only: {kills.summary(GROUPS)}")  # noqa: T201 - pytest -s
    assert start().wait(timeout=300) == 0, log.read_text(encoding="utf-8")

    ledger = store.ledger(NAME)
    assert len(ledger) == len({e.key for e in ledger}) == GROUPS
    assert sum(e.rows for e in ledger) == GROUPS * GROUP_ROWS
    expected = minute_counts(
        "SELECT epoch_us(timestamp) // 60000000 * 60000000, "
        "count(*) FILTER (WHERE status = 'good' AND NOT rate_limited), count(*) FILTER (WHERE NOT rate_limited) "
        "FROM read_parquet(?) GROUP BY 1",
        requests_parquet,
    )
    buckets = store.buckets(NAME, "availability", 0, 2**62)
    assert {b.minute: (b.good, b.valid) for b in buckets} == {m: c for m, c in expected.items() if c[1]}
    assert store.buckets(NAME, "latency", 0, 2**62) == []
    check_integrity(engine)
    engine.dispose()
