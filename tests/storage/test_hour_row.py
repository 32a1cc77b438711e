"""Minutes stored in hour rows read back exactly as the per-minute sums of what was written, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal, localcontext
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from attain.ports import Batch, Bucket, CountBatch
from attain.storage import SqlStore, connect, upgrade
from attain.storage.hour_bytes import minute_ints
from attain.storage.hour_row import Hours, decode_ints, encode_ints

MINUTE = 60_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z in µs, on a whole day
_agreements = itertools.count()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """The conftest's empty database on each backend, migrated; each test writes agreements of its own."""
    upgrade(engine)
    return engine


def _agreement() -> str:
    return f"a{next(_agreements)}"


def _expected(writes: list[list[Bucket]]) -> dict[tuple[str, int], tuple[int, int, int, Decimal]]:
    """Per (objective, minute): the plain sums of every bucket written (decimals summed at 100 digits)."""
    found: dict[tuple[str, int], tuple[int, int, int, Decimal]] = {}
    with localcontext(prec=100):
        for batch in writes:
            for b in batch:
                good, valid, count, total = found.get((b.objective, b.minute), (0, 0, 0, Decimal(0)))
                found[b.objective, b.minute] = (
                    good + b.good,
                    valid + b.valid,
                    count + b.value_count,
                    total + b.value_sum,
                )
    return found


buckets = st.lists(
    st.builds(
        Bucket,
        st.sampled_from(["a", "b", "c"]),
        st.integers(-70, 200).map(lambda m: T0 + m * MINUTE),  # the hours before, of, and after T0
        st.integers(0, 2**40),
        st.integers(0, 2**40),
        st.integers(0, 300),
        st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(buckets, min_size=1, max_size=4), st.integers(-90, 250), st.integers(-90, 250))
def test_any_batches_of_minutes_read_back_as_their_per_minute_sums(
    migrated: Engine, writes: list[list[Bucket]], low: int, high: int
) -> None:
    """Buckets in any split into batches (repeats included) read back per minute as the dict of their sums."""
    store, agreement = SqlStore(migrated), _agreement()
    for n, batch in enumerate(writes):
        assert store.store_batch(Batch(f"{agreement}-{n}", agreement, "s", "test", len(batch), buckets=batch), now=0)
    expected = _expected(writes)
    start, end = T0 + min(low, high) * MINUTE, T0 + max(low, high) * MINUTE
    for objective in ("a", "b", "c"):
        want = [
            Bucket(objective, minute, *expected[objective, minute])
            for minute in sorted(m for o, m in expected if o == objective and start <= m < end)
        ]
        got = store.buckets(agreement, objective, start, end)
        assert got == want
        assert [str(b.value_sum) for b in got] == [str(b.value_sum) for b in want]
    owner, minute, good, valid = store.count_rows(agreement, ["c", "a", "b"], "minute", start, end)
    rows = sorted(zip(owner.tolist(), minute.tolist(), good.tolist(), valid.tolist(), strict=True))
    index = {"c": 0, "a": 1, "b": 2}
    assert rows == sorted((index[o], m, g, v) for (o, m), (g, v, _, _) in expected.items() if start <= m < end)
    [(sum_good, sum_valid)] = store.count_sums(agreement, ["a", "b", "c"], "minute", start, [end])
    for i, objective in enumerate("abc"):
        mine = [(g, v) for (o, m), (g, v, _, _) in expected.items() if o == objective and start <= m < end]
        assert (int(sum_good[i]), int(sum_valid[i])) == (sum(g for g, _ in mine), sum(v for _, v in mine))


def test_count_batches_and_buckets_add_up_in_one_hour_row(migrated: Engine) -> None:
    """The bulk counts of `attain ingest --buckets-only` and ordinary buckets add into the same minutes."""
    store, agreement = SqlStore(migrated), _agreement()
    minute = np.array([T0, T0 + 59 * MINUTE, T0 + HOUR, T0], dtype=np.int64)
    counts = CountBatch(
        f"{agreement}-c", agreement, "s", "f", 10, ["x", "y"], np.array([0, 0, 0, 1]), minute,
        np.array([1, 2, 3, 4]), np.array([5, 6, 7, 8]),
    )  # fmt: skip
    assert store.store_counts(counts, now=0)
    batch = [Bucket("x", T0 + 59 * MINUTE, 10, 10, 1, Decimal("0.25")), Bucket("y", T0 + MINUTE, 0, 0)]
    assert store.store_batch(Batch(f"{agreement}-b", agreement, "s", "f", 2, buckets=batch), now=0)
    assert store.buckets(agreement, "x", 0, 2**62) == [
        Bucket("x", T0, 1, 5),
        Bucket("x", T0 + 59 * MINUTE, 12, 16, 1, Decimal("0.25")),
        Bucket("x", T0 + HOUR, 3, 7),
    ]
    assert store.buckets(agreement, "y", 0, 2**62) == [Bucket("y", T0, 4, 8), Bucket("y", T0 + MINUTE, 0, 0)]
    _, start, good, valid = store.count_rows(agreement, ["x"], "hour", 0, 2**62)
    assert (start.tolist(), good.tolist(), valid.tolist()) == ([T0, T0 + HOUR], [13, 3], [21, 7])
    _, start, good, valid = store.count_rows(agreement, ["x", "y"], "day", 0, 2**62)
    assert (start.tolist(), good.tolist(), valid.tolist()) == ([T0, T0], [16, 4], [28, 8])


def test_a_read_from_the_middle_of_an_hour_returns_only_its_minutes(migrated: Engine) -> None:
    """Ranges that start and end inside hours cut the hour rows to the minutes in range."""
    store, agreement = SqlStore(migrated), _agreement()
    written = [Bucket("x", T0 + m * MINUTE, m, m + 1) for m in (-1, 0, 30, 59, 60, 61, 119, 120)]
    assert store.store_batch(Batch(f"{agreement}-1", agreement, "s", "f", 8, buckets=written), now=0)
    assert [b.minute for b in store.buckets(agreement, "x", T0 + 30 * MINUTE, T0 + 61 * MINUTE)] == [
        T0 + 30 * MINUTE,
        T0 + 59 * MINUTE,
        T0 + 60 * MINUTE,
    ]
    [(good, valid)] = store.count_sums(agreement, ["x"], "minute", T0, [T0 + 60 * MINUTE])
    assert (int(good[0]), int(valid[0])) == (0 + 30 + 59, 1 + 31 + 60)


def test_replacing_from_the_middle_of_an_hour_keeps_its_earlier_minutes(migrated: Engine) -> None:
    """replace_buckets from minute 30 keeps minutes 0..29 of that hour; the rollups follow."""
    store, agreement = SqlStore(migrated), _agreement()
    written = [Bucket("x", T0 + m * MINUTE, 1, 2, 1, Decimal("0.5")) for m in (0, 29, 30, 59, 60)]
    assert store.store_batch(Batch(f"{agreement}-1", agreement, "s", "f", 5, buckets=written), now=0)
    store.replace_buckets(agreement, "x", T0 + 30 * MINUTE, [Bucket("x", T0 + 45 * MINUTE, 7, 9)])
    assert store.buckets(agreement, "x", 0, 2**62) == [
        Bucket("x", T0, 1, 2, 1, Decimal("0.5")),
        Bucket("x", T0 + 29 * MINUTE, 1, 2, 1, Decimal("0.5")),
        Bucket("x", T0 + 45 * MINUTE, 7, 9),
    ]
    _, start, good, valid = store.count_rows(agreement, ["x"], "hour", 0, 2**62)
    assert (start.tolist(), good.tolist(), valid.tolist()) == ([T0], [9], [13])
    store.replace_buckets(agreement, "x", T0 + MINUTE, [])
    assert store.buckets(agreement, "x", 0, 2**62) == [Bucket("x", T0, 1, 2, 1, Decimal("0.5"))]
    store.replace_buckets(agreement, "x", T0, [])
    assert store.buckets(agreement, "x", 0, 2**62) == []
    with migrated.connect() as conn:
        rows = conn.execute(text("SELECT COUNT(*) FROM buckets WHERE agreement = :a"), {"a": agreement}).scalar()
    assert rows == 0


def test_concurrent_writers_add_up_exactly(migrated: Engine) -> None:
    """Four threads adding the same minutes at once (their own connections): every count is there once."""
    store, agreement = SqlStore(migrated), _agreement()
    minutes = [Bucket(o, T0 + m * MINUTE, 1, 2, 0, Decimal("0.1")) for o in "xy" for m in (0, 1, 59, 60, 61 * 24)]

    def ingest(worker: int) -> None:
        for n in range(5):
            assert store.store_batch(Batch(f"{agreement}-{worker}-{n}", agreement, "s", "f", 1, buckets=minutes), now=0)

    threads = [threading.Thread(target=ingest, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for objective in "xy":
        got = store.buckets(agreement, objective, 0, 2**62)
        assert got == [
            Bucket(b.objective, b.minute, 20, 40, 0, Decimal("2.0")) for b in minutes if b.objective == objective
        ]


@pytest.mark.parametrize(
    ("row", "width"),
    [
        ([0] * 60, 0),
        ([127] + [0] * 59, 1),
        ([-128] + [0] * 59, 1),
        ([128] + [0] * 59, 2),
        ([-129] + [0] * 59, 2),
        ([32_767, -32_768] + [0] * 58, 2),
        ([32_768] + [0] * 59, 4),
        ([2**31 - 1, -(2**31)] + [0] * 58, 4),
        ([2**31] + [0] * 59, 8),
        ([2**63 - 1, -(2**63)] + [0] * 58, 8),
    ],
)
def test_a_stored_array_takes_the_narrowest_width_that_holds_it(row: list[int], width: int) -> None:
    """Blobs are empty (all zero) or 60 values of 1, 2, 4 or 8 bytes, the narrowest that fits; they read back."""
    [blob] = encode_ints(np.array([row], dtype=np.int64))
    assert len(blob) == 60 * width
    assert blob[: width or None] == (row[0].to_bytes(width, "little", signed=True) if width else b"")
    assert decode_ints([blob]).tolist() == [row]
    assert list(minute_ints(blob)) == row  # the decoding without numpy, of the read-only reader


def test_the_migrations_own_encoding_matches_the_stores(tmp_path: Path) -> None:
    """Rows written by the store read back the same through migration 0015's downgrade as minute rows."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    written = [Bucket("x", T0 + m * MINUTE, m * 1000, m * 70_000, m, Decimal(f"{m}.25")) for m in range(0, 130, 7)]
    assert SqlStore(engine).store_batch(Batch("k", "w", "s", "f", 1, buckets=written), now=0)
    from alembic import command  # noqa: PLC0415

    from attain.storage.migrate import _config  # noqa: PLC0415

    with _config() as config, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0014")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT objective, minute, good, valid, value_count, value_sum FROM buckets ORDER BY minute")
        )
        assert [Bucket(o, m, g, v, c, Decimal(s)) for o, m, g, v, c, s in rows] == written
    assert upgrade(engine) is not None
    assert SqlStore(engine).buckets("w", "x", 0, 2**62) == written
    engine.dispose()


@pytest.mark.parametrize("repeat", [False, True])
def test_hours_from_counts_add_repeated_minutes_and_place_single_ones(repeat: bool) -> None:
    """Minutes given once (sorted, as ingested) or repeated (unsorted) land in their hour row's slots, summed."""
    minutes = [T0, T0 + 59 * MINUTE, T0 + HOUR + 2 * MINUTE] + ([T0 + 59 * MINUTE, T0] if repeat else [])
    objective = np.zeros(len(minutes), dtype=np.int64)
    good = np.arange(1, len(minutes) + 1, dtype=np.int64)
    hours = Hours.from_counts(["a"], objective, np.array(minutes, dtype=np.int64), good, good * 10)
    assert hours.keys() == [("a", T0), ("a", T0 + HOUR)]
    expected = {(0, 0): 1 + (5 if repeat else 0), (0, 59): 2 + (4 if repeat else 0), (1, 2): 3}
    assert {(int(r), int(c)): int(hours.good[r, c]) for r, c in zip(*np.nonzero(hours.good), strict=True)} == expected
    assert {(int(r), int(c)) for r, c in zip(*np.nonzero(hours.present), strict=True)} == set(expected)
    assert int(hours.valid.sum()) == 10 * int(good.sum())


def test_joined_hours_add_the_rows_they_share() -> None:
    """Joining sets of hour rows keeps each key once, in first-seen order, with the minutes of all added."""
    first = Hours.from_buckets([Bucket("a", T0, 1, 2, 1, Decimal("0.5")), Bucket("b", T0 + HOUR, 0, 1)])
    second = Hours.from_buckets([Bucket("a", T0 + MINUTE, 3, 3), Bucket("a", T0, 1, 1, 1, Decimal("0.25"))])
    joined = Hours.joined([first, second])
    assert joined.keys() == [("a", T0), ("b", T0 + HOUR)]
    assert joined.buckets(0, 2**62) == [
        Bucket("a", T0, 2, 3, 2, Decimal("0.75")),
        Bucket("a", T0 + MINUTE, 3, 3),
        Bucket("b", T0 + HOUR, 0, 1),
    ]
    later = Hours.from_buckets([Bucket("a", T0 + 2 * HOUR, 5, 5)])
    apart = Hours.joined([first, later])  # no hour in both: the rows one after the other
    assert apart.keys() == [("a", T0), ("b", T0 + HOUR), ("a", T0 + 2 * HOUR)]
    assert apart.buckets(0, 2**62) == first.buckets(0, 2**62) + later.buckets(0, 2**62)
    assert Hours.joined([first]) is first
    assert len(Hours.joined([])) == 0
