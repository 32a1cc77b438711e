"""The evaluation memo: the same status as a fresh evaluation, without re-reading counts of unchanged data."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, to_us
from attain.formats.results import evaluation_data
from attain.ports import Batch, Bucket
from attain.services.measurements import read_counts
from attain.services.memo import EvaluationMemo
from attain.services.store import apply_files, status
from attain.storage import SqlStore, connect, upgrade
from attain.storage.access import SqlAccess
from attain.testing import agreement, agreement_yaml, metric_ratio_objective


def _document(effective_from: str = "2027-01-01", target: str = "99%") -> str:
    """Agreement `web`: availability (a month, alerting) and latency (30 days) from Prometheus counts."""
    availability = metric_ratio_objective(
        good="sum(increase(ok[1m]))", valid="sum(increase(all[1m]))", target=target, alerting="sre-workbook"
    )
    latency = metric_ratio_objective(
        "latency", good="sum(increase(fast[1m]))", valid="sum(increase(all[1m]))", target="95%", window="30d"
    )
    document = agreement(name="web", purpose="x", effective_from=effective_from, objectives=[availability, latency])
    return agreement_yaml(document)


DOCUMENT = _document()
AT = to_us(datetime(2027, 3, 2, 12, 0, tzinfo=UTC))


class CountingStore(SqlStore):
    """A SqlStore that records its count reads: (objective, resolution, start, end)."""

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self.calls: list[tuple[str, str, int, int]] = []

    @property
    def reads(self) -> int:
        """How many minute-count reads were made."""
        return sum(1 for c in self.calls if c[1] == "minute")

    def count_rows(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> tuple[Any, Any, Any, Any]:
        """Record the read, then read."""
        self.calls += [(o, resolution, start, end) for o in objectives]
        return super().count_rows(agreement, objectives, resolution, start, end)


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
    """A batch stored after the memo read changes the generation; only the day it touched is read again."""
    access = SqlAccess(store._engine)
    memo, before = EvaluationMemo(), access.generation()
    old = _json(store, AT, memo.view(before))
    _store(store, "late", [Bucket("availability", AT - 30 * US_PER_MINUTE, 0, 50)])
    after = access.generation()
    assert after != before
    store.calls.clear()
    new = _json(store, AT, memo.view(after))
    assert new != old
    assert new == _json(store, AT)
    midnight = to_us(datetime(2027, 3, 2, tzinfo=UTC))
    window = (
        to_us(datetime(2027, 1, 1, tzinfo=UTC)),
        to_us(datetime(2027, 3, 4, tzinfo=UTC)),
    )  # version 1 on; AT + 1 day, up to midnight
    assert store.calls[:3] == [
        ("availability", "day", *window),
        ("availability", "minute", midnight, midnight + US_PER_DAY),
        ("latency", "day", *window),
    ], "day sums of the kept range, then the minutes of the one day that changed; latency unchanged"
    assert (memo.misses, memo.patches, memo.hits) == (2, 2, 0)


def test_a_new_version_reads_the_counts_whole(store: CountingStore, tmp_path: Path) -> None:
    """A new version (and its recount) changes the versions' key: kept counts are not patched but read again."""
    access = SqlAccess(store._engine)
    memo = EvaluationMemo()
    _json(store, AT, memo.view(access.generation()))
    path = tmp_path / "v2.yaml"
    path.write_text(_document(effective_from="2027-03-01", target="99.5%"), encoding="utf-8")
    apply_files(store, [path], now=1)
    assert _json(store, AT, memo.view(access.generation())) == _json(store, AT)
    assert (memo.misses, memo.patches) == (4, 0)


@settings(max_examples=25, deadline=None)
@given(
    batches=st.lists(
        st.lists(
            st.tuples(st.sampled_from(["availability", "latency"]), st.integers(-4 * 1440, 60), st.integers(0, 3)),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_patched_counts_equal_a_fresh_read(batches: list[list[tuple[str, int, int]]]) -> None:
    """Whatever is added, to which days (the past, today, ahead of the instant), the memo equals a fresh evaluation."""
    with tempfile.TemporaryDirectory() as folder:
        engine = connect(f"sqlite:///{folder}/attain.db")
        upgrade(engine)
        store = SqlStore(engine)
        path = Path(folder) / "web.yaml"
        path.write_text(DOCUMENT, encoding="utf-8")
        apply_files(store, [path], now=0)
        access, memo = SqlAccess(engine), EvaluationMemo()
        assert _json(store, AT, memo.view(access.generation())) == _json(store, AT)
        for number, batch in enumerate(batches):
            rows = [Bucket(o, AT + m * US_PER_MINUTE, bad, bad + 2) for o, m, bad in batch]
            _store(store, f"b{number}", rows)
            assert _json(store, AT, memo.view(access.generation())) == _json(store, AT)
        assert memo.misses == 2
        engine.dispose()


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
    # One objective's entry: two int32 arrays of 120 minutes, and two int64 day sums over the 62 days
    # of 2027-01-01 (version 1) to 2027-03-04 (the day after AT + 1 day): 960 + 992 bytes.
    entry = 2 * 120 * 4 + 2 * 62 * 8
    memo = EvaluationMemo(budget_bytes=entry + 1)  # room for one objective's entry, not two
    generation = SqlAccess(store._engine).generation()
    assert _json(store, AT, memo.view(generation)) == _json(store, AT)
    assert memo.bytes == entry


def test_counts_beyond_int32_are_kept_as_int64(store: CountingStore) -> None:
    """A minute with more than 2³¹ − 1 events keeps 64-bit counts (exact)."""
    huge = 3_000_000_000
    _store(store, "huge", [Bucket("latency", AT - 10 * US_PER_MINUTE, huge - 98, huge - 100)])
    found = read_counts(store, "web", "latency", AT - 200 * US_PER_MINUTE, AT)
    assert found.valid.dtype.name == "int64"
    assert int(found.valid[110]) == huge


def test_an_agreement_not_yet_in_force_gives_the_fresh_status_through_the_memo(store: CountingStore) -> None:
    """Before the effective date (and the stored data), the memo gives the fresh status instead of failing."""
    memo, generation = EvaluationMemo(), SqlAccess(store._engine).generation()
    before = to_us(datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
    assert _json(store, before, memo.view(generation)) == _json(store, before)
