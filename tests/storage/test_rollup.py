"""The hourly and daily rollups stay the exact sums of the stored minutes, on SQLite, PostgreSQL and in memory."""

from __future__ import annotations

import numpy as np

from attain.ports import Batch, Bucket, CountBatch, Store

MINUTE = 60_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


def _sums(store: Store, resolution: str) -> list[tuple[int, int, int]]:
    """(start, good, valid) of objective `a` at a resolution."""
    _, start, good, valid = store.count_rows("acme", ["a"], resolution, 0, 2**62)
    return list(zip(start.tolist(), good.tolist(), valid.tolist(), strict=True))


def test_batches_add_to_hours_and_days(store: Store) -> None:
    """Two batches with minutes in two hours and two days sum to hand-computed rollups."""
    first = [Bucket("a", T0, 1, 2), Bucket("a", T0 + 59 * MINUTE, 3, 3), Bucket("a", T0 + HOUR, 0, 1)]
    second = [Bucket("a", T0, 1, 1), Bucket("a", T0 + DAY + 5 * MINUTE, 2, 4)]
    store.store_batch(Batch("k1", "acme", "api", "x", 3, buckets=first), now=T0)
    store.store_batch(Batch("k2", "acme", "api", "x", 2, buckets=second), now=T0)
    assert _sums(store, "hour") == [(T0, 5, 6), (T0 + HOUR, 0, 1), (T0 + DAY, 2, 4)]
    assert _sums(store, "day") == [(T0, 5, 7), (T0 + DAY, 2, 4)]


def test_count_batches_write_minutes_and_rollups_once(store: Store) -> None:
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


def _count_batch(key: str, objectives: list[str], rows: list[tuple[int, int, int, int]]) -> CountBatch:
    """A count batch of (objective index, minute, good, valid) rows."""
    columns = [np.array([r[k] for r in rows], dtype=np.int64) for k in range(4)]
    return CountBatch(key, "acme", "api", "x", sum(r[3] for r in rows), objectives, *columns)


def test_count_batches_in_one_transaction_skip_known_and_repeated_keys(store: Store) -> None:
    """Batches stored together add up (a shared minute once per batch); a known or repeated key adds nothing."""
    known = _count_batch("c0", ["a"], [(0, T0, 1, 1)])
    assert store.store_counts(known, now=T0)
    batches = [
        _count_batch("c1", ["a", "b"], [(0, T0, 2, 3), (1, T0 + 5 * MINUTE, 1, 1)]),
        known,
        _count_batch("c2", ["b", "a"], [(1, T0, 4, 4), (1, T0 + HOUR, 0, 2)]),
        _count_batch("c1", ["a"], [(0, T0, 100, 100)]),
    ]
    assert store.store_count_batches(batches, now=T0) == [True, False, True, False]
    assert _sums(store, "minute") == [(T0, 7, 8), (T0 + HOUR, 0, 2)]  # 1 + 2 + 4 good, 1 + 3 + 4 valid
    assert _sums(store, "hour") == [(T0, 7, 8), (T0 + HOUR, 0, 2)]
    assert _sums(store, "day") == [(T0, 7, 10)]
    _, start, good, valid = store.count_rows("acme", ["b"], "minute", 0, 2**62)
    assert (start.tolist(), good.tolist(), valid.tolist()) == ([T0 + 5 * MINUTE], [1], [1])
    assert sorted(e.key for e in store.ledger("acme")) == ["c0", "c1", "c2"]
    assert store.store_count_batches([batches[0], batches[2]], now=T0) == [False, False]
    assert _sums(store, "day") == [(T0, 7, 10)]


def test_replacing_minutes_recomputes_the_rollups(store: Store) -> None:
    """After replace_buckets from the second hour on, hours and days are the sums of what is left and new."""
    buckets = [Bucket("a", T0 + 10 * MINUTE, 1, 1), Bucket("a", T0 + HOUR + 10 * MINUTE, 5, 5)]
    store.store_batch(Batch("k1", "acme", "api", "x", 2, buckets=buckets), now=T0)
    store.replace_buckets("acme", "a", T0 + HOUR, [Bucket("a", T0 + HOUR + 20 * MINUTE, 1, 2)])
    assert _sums(store, "hour") == [(T0, 1, 1), (T0 + HOUR, 1, 2)]
    assert _sums(store, "day") == [(T0, 2, 3)]


def test_count_sums_per_end_in_the_order_asked(store: Store) -> None:
    """Sums over `[start, end)` come per end, in the order of the objectives asked, zero for one with no counts."""
    buckets = [Bucket("b", T0, 1, 2), Bucket("a", T0 + MINUTE, 3, 4), Bucket("b", T0 + HOUR, 5, 6)]
    store.store_batch(Batch("k1", "acme", "api", "x", 3, buckets=buckets), now=T0)
    sums = store.count_sums("acme", ["b", "none", "a"], "minute", T0, [T0 + MINUTE, T0 + 2 * MINUTE, T0 + DAY])
    assert [(g.tolist(), v.tolist()) for g, v in sums] == [
        ([1, 0, 0], [2, 0, 0]),
        ([1, 0, 3], [2, 0, 4]),
        ([6, 0, 3], [8, 0, 4]),
    ]
    owner, start, good, valid = store.count_rows("acme", ["b", "a"], "hour", T0, T0 + DAY)
    assert list(zip(owner.tolist(), start.tolist(), good.tolist(), valid.tolist(), strict=True)) == [
        (1, T0, 3, 4),
        (0, T0, 1, 2),
        (0, T0 + HOUR, 5, 6),
    ]


def test_minute_sums_from_any_minute_to_any_minutes_equal_the_minutes_stored(store: Store) -> None:
    """Sums of minutes over ranges starting and ending anywhere in an hour equal the sums of the stored minutes.

    Minutes in three hours of two objectives, counts up to 40,000 (2-byte arrays) and one of 3·10⁹
    (8 bytes); ranges from every 7th minute to several ends, each checked against the stored
    minutes summed here.
    """
    minutes = [
        (o, T0 + m * MINUTE, (m * 37 + o) % 40_000, (m * 37 + o) % 40_000 + m % 3)
        for o in (0, 1)
        for m in range(0, 180, 2)
    ]
    minutes.append((1, T0 + 101 * MINUTE, 3_000_000_000, 3_000_000_001))
    buckets = [Bucket("ab"[o], t, g, v) for o, t, g, v in minutes]
    store.store_batch(Batch("k1", "acme", "api", "x", len(buckets), buckets=buckets), now=T0)
    for first in range(0, 181, 7):
        start = T0 + first * MINUTE - 5_000_000  # also between minute starts
        ends = [start + k * MINUTE for k in (1, 13, 59, 61, 120)]
        found = store.count_sums("acme", ["a", "b"], "minute", start, ends)
        for end, (good, valid) in zip(ends, found, strict=True):
            for o in (0, 1):
                inside = [(g, v) for p, t, g, v in minutes if p == o and start <= t < end]
                assert (int(good[o]), int(valid[o])) == (sum(g for g, _ in inside), sum(v for _, v in inside))
