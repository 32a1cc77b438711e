"""A new agreement version recounts event objectives and leaves counts from metric sources alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from attain.engine.instant import US_PER_MINUTE, to_us
from attain.ports import Batch, Bucket
from attain.services.store import apply_files
from attain.storage import SqlStore, connect, upgrade
from attain.testing import agreement, agreement_yaml, metric_ratio_objective


def _document(effective_from: str, target: str) -> str:
    """Agreement `web` with one objective, availability over a month, counted from Prometheus."""
    availability = metric_ratio_objective(good="sum(increase(ok[1m]))", valid="sum(increase(all[1m]))", target=target)
    return agreement_yaml(agreement(name="web", purpose="x", effective_from=effective_from, objectives=[availability]))


def test_applying_a_new_version_keeps_fetched_counts(tmp_path: Path) -> None:
    """Counts fetched from Prometheus for March survive version 2 (from March 1st), which recounts only events."""
    store = SqlStore(connect(f"sqlite:///{tmp_path}/attain.db"))
    upgrade(store._engine)
    first = tmp_path / "v1.yaml"
    first.write_text(_document("2027-01-01", "99%"), encoding="utf-8")
    apply_files(store, [first], now=0)
    march = to_us(datetime(2027, 3, 2, tzinfo=UTC))
    fetched = [Bucket("availability", march + i * US_PER_MINUTE, 99, 100) for i in range(3)]
    store.store_batch(Batch("prometheus:web:availability:x", "web", "prometheus", "test", 0, buckets=fetched), now=0)
    second = tmp_path / "v2.yaml"
    second.write_text(_document("2027-03-01", "99.5%"), encoding="utf-8")
    [applied] = apply_files(store, [second], now=1)
    assert (applied.created, applied.version.version) == (True, 2)
    assert store.buckets("web", "availability", march, march + 3 * US_PER_MINUTE) == fetched
