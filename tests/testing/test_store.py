"""`MemoryStore` stands in for `SqlStore` under the services: same evaluations, results and ledger.

The contract itself (every method, on SQLite, PostgreSQL and memory) is tested in
tests/storage/test_store_contract.py; here the services run on both stores side by side.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from attain.engine.instant import to_us
from attain.formats.results import evaluation_data
from attain.formats.template import template_text
from attain.ingestion.run import IngestOptions
from attain.ports import Batch, Bucket, Store
from attain.services.store import apply_files, evaluate_period, evaluate_stored, ingest_files
from attain.storage import SqlStore, connect, upgrade
from attain.testing import MemoryStore

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "attain" / "samples"
NOW = to_us(datetime(2027, 3, 1, tzinfo=UTC))
MINUTE = 60_000_000


def _run(store: Store, template: str, directory: Path) -> tuple[Any, ...]:
    """Apply a template, ingest its sample files, store January's results and evaluate at NOW."""
    path = directory / f"{template}.yaml"
    path.write_text(template_text(template, "en"), encoding="utf-8")
    [applied] = apply_files(store, [path], now=NOW)
    name = applied.version.name
    reports = ingest_files(store, sorted((SAMPLES / template).iterdir()), name, NOW, IngestOptions(), None)
    results = evaluate_period(store, name, "2027-01", NOW)
    evaluated = json.dumps(evaluation_data(evaluate_stored(store, name, NOW).evaluation), sort_keys=True)
    return [r.rows for r in reports], results, store.results(name), store.ledger(), evaluated


@pytest.mark.parametrize("template", ["cloud-uptime", "api-latency", "support-desk", "cloud-backup"])
def test_services_give_the_same_answers_on_memory_and_sqlite(template: str, tmp_path: Path) -> None:
    """Ingesting a template's samples and evaluating them gives equal rows, results, ledger and evaluation."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    on_sqlite = _run(SqlStore(engine), template, tmp_path)
    engine.dispose()
    in_memory = _run(MemoryStore(), template, tmp_path)
    assert in_memory == on_sqlite
    assert in_memory[2], "January has stored results to compare"


def test_the_generation_changes_with_every_write_and_only_then() -> None:
    """(batches, newest batch time, versions, recounted versions): each write moves it, a no-op does not."""
    store = MemoryStore()
    assert store.generation() == (0, 0, 0, 0)
    store.apply("web", "v: 1\n", date(2027, 1, 1), "active", now=5)
    assert store.generation() == (0, 0, 1, 1)
    store.apply("web", "v: 1\n", date(2027, 1, 1), "active", now=6)
    assert store.generation() == (0, 0, 1, 1)
    store.apply("web", "v: 2\n", date(2027, 2, 1), "active", now=7)
    assert store.generation() == (0, 0, 2, 1)
    batch = Batch("k", "web", "requests", "test", 1, buckets=[Bucket("availability", 0, 1, 1)])
    assert store.store_batch(batch, now=9)
    assert not store.store_batch(batch, now=11)
    assert store.generation() == (1, 9, 2, 1)
    store.mark_recounted("web", 2, now=12)
    assert store.generation() == (1, 9, 2, 2)


def test_instances_share_nothing() -> None:
    """What one MemoryStore holds, a new one does not."""
    first = MemoryStore()
    first.store_batch(Batch("k", "web", "requests", "test", 1, buckets=[Bucket("a", MINUTE, 1, 1)]), now=0)
    second = MemoryStore()
    assert (second.has_batch("k"), second.ledger(), second.buckets("web", "a", 0, 2 * MINUTE)) == (False, [], [])
    assert first.buckets("web", "a", 0, 2 * MINUTE) == [Bucket("a", MINUTE, 1, 1)]
