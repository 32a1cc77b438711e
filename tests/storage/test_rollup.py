"""The hourly and daily rollups stay the exact sums of the stored minutes, on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np

from attain.ports import Batch, Bucket, CountBatch
from attain.storage import SqlStore

MINUTE = 60_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


def _sums(store: SqlStore, resolution: str) -> list[tuple[int, int, int]]:
    """(start, good, valid) of objective `a` at a resolution."""
    _, start, good, valid = store.count_rows("acme", ["a"], resolution, 0, 2**62)
    return list(zip(start.tolist(), good.tolist(), valid.tolist(), strict=True))


def test_batches_add_to_hours_and_days(store: SqlStore) -> None:
    """Two batches with minutes in two hours and two days sum to hand-computed rollups."""
    first = [Bucket("a", T0, 1, 2), Bucket("a", T0 + 59 * MINUTE, 3, 3), Bucket("a", T0 + HOUR, 0, 1)]
    second = [Bucket("a", T0, 1, 1), Bucket("a", T0 + DAY + 5 * MINUTE, 2, 4)]
    store.store_batch(Batch("k1", "acme", "api", "x", 3, buckets=first), now=T0)
    store.store_batch(Batch("k2", "acme", "api", "x", 2, buckets=second), now=T0)
    assert _sums(store, "hour") == [(T0, 5, 6), (T0 + HOUR, 0, 1), (T0 + DAY, 2, 4)]
    assert _sums(store, "day") == [(T0, 5, 7), (T0 + DAY, 2, 4)]


def test_count_batches_write_minutes_and_rollups_once(store: SqlStore) -> None:
    """A count batch adds its rows to minutes, hours and days; the same key again stores nothing."""
    batch = CountBatch(
        "c1",
        "acme",
        "api",
        "x",
        6,
        ["a"],
        np.array([0, 0], dtype=np.int64),
        np.array([T0, T0 + 61 * MINUTE], dtype=np.int64),
        np.array([2, 3], dtype=np.int64),
        np.array([2, 4], dtype=np.int64),
    )
    assert store.store_counts(batch, now=T0)
    assert not store.store_counts(batch, now=T0)
    assert _sums(store, "minute") == [(T0, 2, 2), (T0 + 61 * MINUTE, 3, 4)]
    assert _sums(store, "hour") == [(T0, 2, 2), (T0 + HOUR, 3, 4)]
    assert _sums(store, "day") == [(T0, 5, 6)]
    [(good, valid)] = [(int(g[0]), int(v[0])) for g, v in store.count_sums("acme", ["a"], "minute", T0, [T0 + DAY])]
    assert (good, valid) == (5, 6)


def test_replacing_minutes_recomputes_the_rollups(store: SqlStore) -> None:
    """After replace_buckets from the second hour on, hours and days are the sums of what is left and new."""
    buckets = [Bucket("a", T0 + 10 * MINUTE, 1, 1), Bucket("a", T0 + HOUR + 10 * MINUTE, 5, 5)]
    store.store_batch(Batch("k1", "acme", "api", "x", 2, buckets=buckets), now=T0)
    store.replace_buckets("acme", "a", T0 + HOUR, [Bucket("a", T0 + HOUR + 20 * MINUTE, 1, 2)])
    assert _sums(store, "hour") == [(T0, 1, 1), (T0 + HOUR, 1, 2)]
    assert _sums(store, "day") == [(T0, 2, 3)]
