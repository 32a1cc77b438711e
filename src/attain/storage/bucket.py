"""Minute buckets in the store: exact, additive upserts of counts and value sums.

Bucket counts add in SQL (`INSERT ... ON CONFLICT DO UPDATE SET good = good + excluded.good`).
The exact decimal `value_sum` is text, which SQL cannot add, so it is added in Python after the
upsert, which has already locked the rows (PostgreSQL) or the database (SQLite). Every write of
minute buckets also adds them to the hourly and daily rollups (`attain.storage.rollup`) in the
same transaction; replacing an objective's minutes from a minute on rebuilds its rollups from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from attain.ports import Bucket, exact_sum, merge_buckets
from attain.storage import schema as s
from attain.storage.insert import chunks, dialect_insert, insert_chunked
from attain.storage.rollup import add_rollups, rebuild_rollups


def write_buckets(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Insert buckets where none are stored (duplicates in `buckets` are added together)."""
    merged = merge_buckets(buckets)
    insert_chunked(conn, s.buckets, (_row(agreement, b, b.value_sum) for b in merged.values()))
    add_rollups(conn, agreement, merged.values())


def read_buckets(conn: Connection, agreement: str, objective: str, start: int, end: int) -> list[Bucket]:
    """Stored per-minute counts of an objective for minutes in `[start, end)`, in order."""
    t = s.buckets
    query = (
        select(t.c.objective, t.c.minute, t.c.good, t.c.valid, t.c.value_count, t.c.value_sum)
        .where(t.c.agreement == agreement, t.c.objective == objective, t.c.minute >= start, t.c.minute < end)
        .order_by(t.c.minute)
    )
    return [Bucket(*row) for row in conn.execute(query)]


def replace_buckets(conn: Connection, agreement: str, objective: str, start: int, buckets: Sequence[Bucket]) -> None:
    """Replace an objective's buckets from minute `start` on, and its rollups from there.

    Raises:
        ValueError: a bucket belongs to another objective or lies before `start` (nothing written).
    """
    for b in buckets:
        if b.objective != objective or b.minute < start:
            raise ValueError(
                f"replace_buckets({agreement!r}, {objective!r}, {start}): got a bucket of objective "
                f"{b.objective!r} at minute {b.minute}; pass only this objective's buckets from start on"
            )
    t = s.buckets
    conn.execute(t.delete().where(t.c.agreement == agreement, t.c.objective == objective, t.c.minute >= start))
    write_buckets(conn, agreement, buckets)
    rebuild_rollups(conn, agreement, objective, start)


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
    for chunk in chunks(_row(agreement, b, Decimal(0)) for b in merged.values()):
        conn.execute(statement, chunk)
    _add_value_sums(conn, agreement, [b for b in merged.values() if not b.value_sum.is_zero()])
    add_rollups(conn, agreement, merged.values())


def _add_value_sums(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Add each bucket's `value_sum` to the stored one (read, add exactly, write back)."""
    t = s.buckets
    for objective in sorted({b.objective for b in buckets}):
        mine = [b for b in buckets if b.objective == objective]
        stored: dict[int, Decimal] = {}
        for chunk in chunks({"minute": b.minute} for b in mine):
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
        for chunk in chunks(rows):
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
