"""Bulk writes shared by `SqlStore`: chunked inserts and exact, additive bucket upserts.

Bucket counts add in SQL (`INSERT ... ON CONFLICT DO UPDATE SET good = good + excluded.good`).
The exact decimal `value_sum` is text, which SQL cannot add, so it is added in Python after the
upsert, which has already locked the rows (PostgreSQL) or the database (SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import MAX_PREC, Decimal, localcontext
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from attain.engine.instant import US_PER_MINUTE
from attain.ports import Batch, Bucket
from attain.storage import schema as s

CHUNK_ROWS = 1_000
"""Rows per executemany; bounds memory and statement size for very large batches."""


def dialect_insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports `ON CONFLICT` on the connection's engine."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_chunked(conn: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert `rows` with executemany, `CHUNK_ROWS` at a time."""
    for chunk in _chunks(rows):
        conn.execute(table.insert(), chunk)


def write_batch(conn: Connection, batch: Batch) -> None:
    """Insert a batch's rows and add its bucket counts, after its ledger row."""
    key, stream = batch.key, batch.stream
    insert_chunked(
        conn,
        s.events,
        (
            {"batch": key, "stream": stream, "at": e.at, "value": e.value, "attributes": dict(e.attributes)}
            for e in batch.events
        ),
    )
    insert_chunked(
        conn,
        s.incidents,
        (
            {"batch": key, "stream": stream, "start_at": i.start, "end_at": i.end, "attributes": dict(i.attributes)}
            for i in batch.incidents
        ),
    )
    insert_chunked(
        conn,
        s.case_events,
        (
            {
                "batch": key,
                "stream": stream,
                "case_id": c.case,
                "type": c.type,
                "at": c.at,
                "attributes": dict(c.attributes),
            }
            for c in batch.case_events
        ),
    )
    insert_chunked(
        conn,
        s.announcements,
        (
            {
                "batch": key,
                "start_at": a.start,
                "end_at": a.end,
                "kind": str(a.kind),
                "announced_at": a.announced_at,
                "objectives": list(a.objectives),
            }
            for a in batch.announcements
        ),
    )
    upsert_buckets(conn, batch.agreement, batch.buckets)
    insert_chunked(
        conn,
        s.adjustments,
        (
            {
                "batch": j.batch,
                "agreement": j.agreement,
                "objective": j.objective,
                "period": j.period,
                "rows": j.rows,
                "recorded_at": j.recorded_at,
            }
            for j in batch.adjustments
        ),
    )


def write_buckets(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Insert buckets where none are stored (duplicates in `buckets` are added together)."""
    insert_chunked(conn, s.buckets, (_row(agreement, b, b.value_sum) for b in merge_buckets(buckets).values()))


def upsert_buckets(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Add `buckets` to the stored counts of the same agreement, objective and minute."""
    merged = merge_buckets(buckets)
    t = s.buckets
    statement = dialect_insert(conn, t)
    statement = statement.on_conflict_do_update(
        index_elements=list(t.primary_key),
        set_={
            "good": t.c.good + statement.excluded.good,
            "valid": t.c.valid + statement.excluded.valid,
            "value_count": t.c.value_count + statement.excluded.value_count,
        },
    )
    for chunk in _chunks(_row(agreement, b, Decimal(0)) for b in merged.values()):
        conn.execute(statement, chunk)
    _add_value_sums(conn, agreement, [b for b in merged.values() if not b.value_sum.is_zero()])


def merge_buckets(buckets: Iterable[Bucket]) -> dict[tuple[str, int], Bucket]:
    """Buckets by (objective, minute), adding those that share one.

    Raises:
        ValueError: a bucket's minute is not on a whole minute.
    """
    merged: dict[tuple[str, int], Bucket] = {}
    for b in buckets:
        if b.minute % US_PER_MINUTE:
            raise ValueError(f"bucket of {b.objective!r} at {b.minute}: the minute must be a whole minute in µs")
        key = (b.objective, b.minute)
        seen = merged.get(key)
        merged[key] = b if seen is None else _add(seen, b)
    return merged


def _add(one: Bucket, other: Bucket) -> Bucket:
    """Two buckets of the same objective and minute as one."""
    return Bucket(
        one.objective,
        one.minute,
        one.good + other.good,
        one.valid + other.valid,
        one.value_count + other.value_count,
        exact_sum(one.value_sum, other.value_sum),
    )


def exact_sum(one: Decimal, other: Decimal) -> Decimal:
    """`one + other` without rounding to the default 28 significant digits."""
    with localcontext(prec=MAX_PREC):
        return one + other


def _add_value_sums(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Add each bucket's `value_sum` to the stored one (read, add exactly, write back)."""
    t = s.buckets
    for objective in sorted({b.objective for b in buckets}):
        mine = [b for b in buckets if b.objective == objective]
        stored: dict[int, Decimal] = {}
        for chunk in _chunks({"minute": b.minute} for b in mine):
            minutes = [row["minute"] for row in chunk]
            query = select(t.c.minute, t.c.value_sum).where(
                t.c.agreement == agreement, t.c.objective == objective, t.c.minute.in_(minutes)
            )
            stored.update((row.minute, row.value_sum) for row in conn.execute(query))
        statement = (
            update(t)
            .where(t.c.agreement == agreement, t.c.objective == objective, t.c.minute == bindparam("at_minute"))
            .values(value_sum=bindparam("new_sum"))
        )
        rows = ({"at_minute": b.minute, "new_sum": exact_sum(stored[b.minute], b.value_sum)} for b in mine)
        for chunk in _chunks(rows):
            conn.execute(statement, chunk)


def _row(agreement: str, bucket: Bucket, value_sum: Decimal) -> dict[str, Any]:
    """The row of a bucket, with the given `value_sum`."""
    return {
        "agreement": agreement,
        "objective": bucket.objective,
        "minute": bucket.minute,
        "good": bucket.good,
        "valid": bucket.valid,
        "value_count": bucket.value_count,
        "value_sum": value_sum,
    }


def _chunks(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    """`rows` in lists of at most `CHUNK_ROWS`."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk
