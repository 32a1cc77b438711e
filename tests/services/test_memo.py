"""The evaluation memo: the same status as a fresh evaluation, without re-reading counts of unchanged data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from attain.engine.instant import US_PER_MINUTE, to_us
from attain.ports import Batch, Bucket
from attain.reports.evaluation import evaluation_data
from attain.services.memo import EvaluationMemo, read_counts
from attain.services.store import apply_files, status
from attain.storage import SqlStore, connect, upgrade
from attain.storage.access import SqlAccess

DOCUMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: web}
spec:
  title: Web
  parties: {provider: {name: P}, customer: {name: C}}
  purpose: x
  effective: {from: 2027-01-01}
  objectives:
    - name: availability
      indicator:
        kind: ratio
        good: {metric: {type: Prometheus, spec: {query: 'sum(increase(ok[1m]))'}}}
        valid: {metric: {type: Prometheus, spec: {query: 'sum(increase(all[1m]))'}}}
      target: 99%
      window: month
      alerting: {preset: sre-workbook}
    - name: latency
      indicator:
        kind: ratio
        good: {metric: {type: Prometheus, spec: {query: 'sum(increase(fast[1m]))'}}}
        valid: {metric: {type: Prometheus, spec: {query: 'sum(increase(all[1m]))'}}}
      target: 95%
      window: 30d
"""
AT = to_us(datetime(2027, 3, 2, 12, 0, tzinfo=UTC))


class CountingStore(SqlStore):
    """A SqlStore that counts its minute-count reads."""

    reads = 0

    def count_rows(self, *arguments: Any) -> tuple[Any, Any, Any, Any]:
        """Count the read, then read."""
        self.reads += 1
        return super().count_rows(*arguments)


@pytest.fixture
def store(tmp_path: Path) -> CountingStore:
    """A SQLite store holding agreement `web` and two hours of counts before AT (with a bad minute)."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    created = CountingStore(engine)
    path = tmp_path / "web.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    apply_files(created, [path], now=0)
    minutes = [AT - (120 - i) * US_PER_MINUTE for i in range(120)]
    rows = [
        Bucket(o, m, 0 if i == 100 else 98, 100) for o in ("availability", "latency") for i, m in enumerate(minutes)
    ]
    _store(created, "first", rows)
    return created


def _store(store: SqlStore, key: str, rows: list[Bucket]) -> None:
    assert store.store_batch(Batch(key, "web", "prometheus", "test", 0, buckets=rows), now=0)


def _json(store: SqlStore, at: int, memo: Any = None) -> str:
    [found] = status(store, ["web"], at, memo)
    return json.dumps(evaluation_data(found.evaluation) | {"adjustments": found.adjustments}, sort_keys=True)


def test_a_memo_gives_the_status_a_fresh_evaluation_gives(store: CountingStore) -> None:
    """With and without the memo the status JSON is the same, minute after minute."""
    memo, generation = EvaluationMemo(), SqlAccess(store._engine).generation()
    for minute in range(3):
        at = AT + minute * US_PER_MINUTE
        assert _json(store, at, memo.view(generation)) == _json(store, at)
    assert "availability" in _json(store, AT)


def test_the_minute_turning_reads_no_counts_again(store: CountingStore) -> None:
    """Same data, next minutes: the counts are read once per objective, then served from the memo."""
    memo, generation = EvaluationMemo(), SqlAccess(store._engine).generation()
    _json(store, AT, memo.view(generation))
    assert (store.reads, memo.misses, memo.hits) == (2, 2, 0)
    _json(store, AT + US_PER_MINUTE, memo.view(generation))
    _json(store, AT + 5 * US_PER_MINUTE, memo.view(generation))
    assert (store.reads, memo.misses, memo.hits) == (2, 2, 4)


def test_new_data_under_a_new_generation_is_read(store: CountingStore) -> None:
    """A batch stored after the memo read changes the generation; the memo then reads again and sees it."""
    access = SqlAccess(store._engine)
    memo, before = EvaluationMemo(), access.generation()
    old = _json(store, AT, memo.view(before))
    _store(store, "late", [Bucket("availability", AT - 30 * US_PER_MINUTE, 0, 50)])
    after = access.generation()
    assert after != before
    new = _json(store, AT, memo.view(after))
    assert new != old
    assert new == _json(store, AT)
    assert memo.misses == 4


def test_rows_stamped_ahead_of_the_instant_are_counted_when_it_comes(store: CountingStore) -> None:
    """A minute stored before its time is within the memo's horizon: the evaluation of that minute counts it."""
    _store(store, "ahead", [Bucket("availability", AT + 2 * US_PER_MINUTE, 0, 1000)])
    memo, generation = EvaluationMemo(), SqlAccess(store._engine).generation()
    _json(store, AT, memo.view(generation))
    later = AT + 3 * US_PER_MINUTE
    remembered = _json(store, later, memo.view(generation))
    assert store.reads == 2, "served from the memo"
    assert remembered == _json(store, later)
    current = [json.loads(text)["objectives"][0]["periods"][-1]["valid"] for text in (_json(store, AT), remembered)]
    assert current == ["12000", "13000"], "March so far: 120 minutes of 100, then the minute stamped ahead"


def test_the_memo_keeps_within_its_budget(store: CountingStore) -> None:
    """Beyond its byte budget the memo drops the oldest counts; answers stay the same."""
    one = read_counts(store, "web", "availability", AT - 200 * US_PER_MINUTE, AT)
    assert (one.first_minute, one.good.size, one.good.dtype.name) == (AT - 120 * US_PER_MINUTE, 120, "int32")
    assert (int(one.good.sum()), int(one.valid.sum())) == (119 * 98, 120 * 100)
    memo = EvaluationMemo(budget_bytes=one.good.nbytes * 2 + 1)  # room for one objective's two arrays
    generation = SqlAccess(store._engine).generation()
    assert _json(store, AT, memo.view(generation)) == _json(store, AT)
    assert memo.bytes <= memo.budget_bytes
    assert memo.bytes == one.good.nbytes * 2


def test_counts_beyond_int32_are_kept_as_int64(store: CountingStore) -> None:
    """A minute with more than 2³¹ − 1 events keeps 64-bit counts (exact)."""
    huge = 3_000_000_000
    _store(store, "huge", [Bucket("latency", AT - 10 * US_PER_MINUTE, huge - 98, huge - 100)])
    found = read_counts(store, "web", "latency", AT - 200 * US_PER_MINUTE, AT)
    assert found.valid.dtype.name == "int64"
    assert int(found.valid[110]) == huge
