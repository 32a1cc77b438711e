"""Exactly-once ingestion survives being killed: SIGKILL mid-run, restart, and every event counts once.

An 80,000-event CSV (200,000 with `ATTAIN_LONG_TESTS=1`; seeded by `ATTAIN_CRASH_SEED`, three days of January 2027, a `status` attribute good or bad, a
few rate-limited rows) is ingested by `python -m attain ingest` in a subprocess that is killed with
SIGKILL several times, restarted after each kill, then run to completion. The stored per-minute
counts must then equal the counts taken from the source rows in plain Python, and the ledger must
hold exactly one entry per chunk of `CHUNK_ROWS` rows; DuckDB's count of the CSV gives the same
minutes, and SQLite passes `integrity_check`. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from attain.formats.template import template_text
from attain.ingestion.run import CHUNK_ROWS
from attain.services.store import apply_files
from attain.storage import SqlStore, connect, upgrade
from attain.storage import schema as tables
from crash_support import LONG, SEED, check_integrity, minute_counts

SRC = Path(__file__).resolve().parents[2] / "src"
NAME = "api-latency"
EVENTS = 200_000 if LONG else 80_000
KILLS = 8 if LONG else 5
"""The first kill comes after a random delay; the others after the run has stored a batch of its own."""
BATCHES = math.ceil(EVENTS / CHUNK_ROWS)
START = datetime(2027, 1, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Source:
    """The generated CSV and its counts per minute (µs since the epoch), taken from the rows."""

    path: Path
    good: Counter[int]
    valid: Counter[int]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    """200,000 requests over three days, written as `requests.csv`, with their counts per minute."""
    rng = random.Random(SEED)  # noqa: S311 - a reproducible data set, not a secret
    path = tmp_path_factory.mktemp("crash") / "requests.csv"
    good: Counter[int] = Counter()
    valid: Counter[int] = Counter()
    start_ms = (START - EPOCH) // timedelta(milliseconds=1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("timestamp,status,rate_limited\n")
        for _ in range(EVENTS):
            at_ms = start_ms + rng.randrange(3 * 24 * 3600 * 1000)
            status = "bad" if rng.random() < 0.03 else "good"
            limited = rng.random() < 0.01
            when = EPOCH + timedelta(milliseconds=at_ms)
            handle.write(f"{when:%Y-%m-%dT%H:%M:%S}.{at_ms % 1000:03d}Z,{status},{'true' if limited else 'false'}\n")
            if limited:
                continue
            minute = at_ms // 60_000 * 60_000_000
            valid[minute] += 1
            if status == "good":
                good[minute] += 1
    return Source(path, good, valid)


def agreement_text() -> str:
    """The api-latency template with availability failing on `status: bad`; latency reads another stream."""
    text = template_text(NAME, "en")
    replacements = {
        "events: requests\n        value: latency_ms": "events: latencies\n        value: latency_ms",
        "bad: {where: {status_class: [5xx, timeout]}}": "bad: {where: {status: bad}}",
    }
    for old, new in replacements.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    return text


def start_ingestion(url: str, source: Path, data_dir: Path) -> subprocess.Popen[bytes]:
    """Start `python -m attain ingest SOURCE --agreement api-latency` on the database at `url`."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "ATTAIN_DATABASE_URL": url, "ATTAIN_DATA_DIR": str(data_dir)}
    with (data_dir / "ingest.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "attain", "ingest", str(source), "--agreement", NAME],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def wait_for_growth(process: subprocess.Popen[bytes], store: SqlStore, before: int, timeout: float = 60) -> None:
    """Return once the ledger holds more batches than `before`, while the process still runs."""
    deadline = time.monotonic() + timeout
    while len(store.ledger(NAME)) <= before:
        assert process.poll() is None, f"ingestion ended (exit {process.returncode}) before storing a batch"
        assert time.monotonic() < deadline, "no batch stored within the timeout"
        time.sleep(0.02)


def test_sigkill_and_restart_count_every_event_exactly_once(database_url: str, source: Source, tmp_path: Path) -> None:
    """Killed with SIGKILL at random points and restarted, ingestion ends with every event counted exactly once."""
    engine = connect(database_url)
    upgrade(engine)
    store = SqlStore(engine)
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(agreement_text(), encoding="utf-8")
    apply_files(store, [agreement], 0)
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible kill delays, not a secret

    after_kills = []
    for kill in range(KILLS):
        before = len(store.ledger(NAME))
        process = start_ingestion(database_url, source.path, tmp_path)
        if kill == 0:
            time.sleep(rng.uniform(0.05, 0.5))  # while it starts, reads or stores its first chunk
        else:
            wait_for_growth(process, store, before)
            time.sleep(rng.uniform(0.0, 0.05))
        assert process.poll() is None, f"ingestion finished before kill {kill + 1}; see {tmp_path / 'ingest.log'}"
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
        after_kills.append(len(store.ledger(NAME)))

    mid_ingestion = [n for n in after_kills if 0 < n < BATCHES]
    report = f"{engine.dialect.name}: ledger batches after each kill {after_kills}; {len(mid_ingestion)} mid-ingestion"
    print(report)  # noqa: T201 - shown with `pytest -s`: where the kills landed
    assert len(mid_ingestion) >= KILLS - 1, after_kills
    assert after_kills == sorted(after_kills)  # a committed batch never disappears

    final = start_ingestion(database_url, source.path, tmp_path)
    assert final.wait(timeout=120) == 0, (tmp_path / "ingest.log").read_text(encoding="utf-8")

    ledger = store.ledger(NAME)
    digest = hashlib.sha256(source.path.read_bytes()).hexdigest()
    assert len(ledger) == BATCHES == EVENTS // CHUNK_ROWS
    assert sorted(e.key for e in ledger) == sorted(f"{digest}:{NAME}:requests:{i}" for i in range(BATCHES))
    assert [e.rows for e in ledger] == [CHUNK_ROWS] * BATCHES
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.events)).scalar_one() == EVENTS
    buckets = store.buckets(NAME, "availability", 0, 2**62)
    assert {b.minute: b.good for b in buckets if b.good} == dict(source.good)
    assert {b.minute: b.valid for b in buckets} == dict(source.valid)
    assert sum(b.valid for b in buckets) == sum(source.valid.values())
    assert store.buckets(NAME, "latency", 0, 2**62) == []
    independent = minute_counts(
        "SELECT epoch_us(strptime(substr(timestamp, 1, 16), '%Y-%m-%dT%H:%M')), "
        "count(*) FILTER (WHERE status = 'good' AND rate_limited = 'false'), "
        "count(*) FILTER (WHERE rate_limited = 'false') FROM read_csv(?, all_varchar = true) GROUP BY 1",
        source.path,
    )
    assert {b.minute: (b.good, b.valid) for b in buckets} == {m: c for m, c in independent.items() if c[1]}
    check_integrity(engine)
    engine.dispose()
