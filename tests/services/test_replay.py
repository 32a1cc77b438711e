"""`attain diff --replay`: two versions judge the same stored months, from counts or, if the indicator changed, raw events.

October 2026: 1,000 requests, 985 `ok`, 10 `cached`, 5 `error`; November: 1,000, 960 `ok`,
20 `cached`, 20 `error`. The fee is EUR 1,000 a month.

- v1 (good: ok; target 99%; 10% below 99%, 30% below 95%):
  October 985/1000 = 98.5% (10%, EUR 100.00); November 960/1000 = 96% (10%, EUR 100.00).
- `target` (v2, same indicator, target 98%, 10% below 98%): October met, no credit; November
  96% breached, 10% = EUR 100.00. Replayed from the stored minute counts.
- `cached` (v2, good: ok or cached; target 99%): October 995/1000 = 99.5% met; November
  980/1000 = 98% breached, 10% = EUR 100.00. Its indicator differs, so it is replayed from the
  stored raw events.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from attain.engine.instant import to_us
from attain.engine.result import Status
from attain.ingestion.run import IngestOptions
from attain.services.replay import replay
from attain.services.store import apply_files, ingest_files
from attain.storage import SqlStore, connect, upgrade
from attain.testing import agreement, agreement_model

NOW = to_us(datetime(2026, 12, 4, tzinfo=UTC))


def _v1() -> dict[str, Any]:
    objective = {
        "name": "checkout",
        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {"status": "ok"}}},
        "target": "99%",
        "window": "month",
        "credits": [{"below": "99%", "atLeast": "95%", "credit": "10%"}, {"below": "95%", "credit": "30%"}],
    }
    document = agreement(objectives=[objective], effective_from="2026-10-01")
    document["spec"]["fee"] = {"amount": "1000", "currency": "EUR"}
    return document


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """v1 of `shop` applied, October and November ingested (raw events and minute counts)."""
    path = tmp_path / "shop.yaml"
    path.write_text(json.dumps(_v1()), encoding="utf-8")
    rows = []
    for month, (ok, cached, error) in ((10, (985, 10, 5)), (11, (960, 20, 20))):
        statuses = ["ok"] * ok + ["cached"] * cached + ["error"] * error
        rows += [f"2026-{month:02d}-02T{i // 60:02d}:{i % 60:02d}:00Z,{s}" for i, s in enumerate(statuses)]
    data = tmp_path / "data"
    data.mkdir()
    (data / "requests.csv").write_text("timestamp,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    found = SqlStore(engine)
    apply_files(found, [path], NOW)
    ingest_files(found, [data / "requests.csv"], "shop", NOW, IngestOptions(), None)
    yield found
    engine.dispose()


def _judged(store: SqlStore, edit: Any) -> list[tuple[Any, ...]]:
    after = copy.deepcopy(_v1())
    edit(after["spec"]["objectives"][0])
    found = replay(store, agreement_model(_v1()), agreement_model(after), date(2026, 10, 1), date(2026, 12, 1))
    rows = [
        (r.period, r.before.ratio, r.before.status, r.after.ratio, r.after.status)  # type: ignore[union-attr]
        for r in found.rows
    ]
    owed = [(p, b.payable if b else None, a.payable if a else None) for p, b, a in found.credits]
    return [*rows, *owed]


def test_a_lower_target_is_replayed_from_the_stored_counts(store: SqlStore) -> None:
    """Same indicator: the same attainment; October met under 98%, November still owes 10%."""

    def lower(objective: dict[str, Any]) -> None:
        objective["target"] = "98%"
        objective["credits"] = [{"below": "98%", "atLeast": "95%", "credit": "10%"}, {"below": "95%", "credit": "30%"}]

    assert _judged(store, lower) == [
        ("2026-10", Decimal("0.985"), Status.BREACHED, Decimal("0.985"), Status.MET),
        ("2026-11", Decimal("0.96"), Status.BREACHED, Decimal("0.96"), Status.BREACHED),
        ("2026-10", Decimal("100.00"), Decimal("0.00")),
        ("2026-11", Decimal("100.00"), Decimal("100.00")),
    ]


def test_a_changed_indicator_is_replayed_from_the_raw_events(store: SqlStore) -> None:
    """Cached answers count as good under v2: 99.5% and 98%, from the raw events, not v1's counts."""

    def cached(objective: dict[str, Any]) -> None:
        objective["indicator"]["good"] = {"where": {"status": ["ok", "cached"]}}

    assert _judged(store, cached) == [
        ("2026-10", Decimal("0.985"), Status.BREACHED, Decimal("0.995"), Status.MET),
        ("2026-11", Decimal("0.96"), Status.BREACHED, Decimal("0.98"), Status.BREACHED),
        ("2026-10", Decimal("100.00"), Decimal("0.00")),
        ("2026-11", Decimal("100.00"), Decimal("100.00")),
    ]
