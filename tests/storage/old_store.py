"""Writing into a store migrated to an older revision (with today's `SqlStore`, or as it stored minutes), for migration tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict

from sqlalchemy import Engine, text

from attain.ports import Bucket
from attain.storage import schema

HOUR = 3_600_000_000
DAY = 24 * HOUR


@contextmanager
def audit_tables(engine: Engine) -> Iterator[None]:
    """The audit tables (revision 0006) for the block's writes, dropped after it as if they never were.

    Today's store appends an audit entry with every write; a store at an older revision has no
    table for it. The entries written inside the block are dropped with the tables, so the store
    is left exactly as the older revision's code would have left it.
    """
    tables = [schema.audit, schema.audit_heads]
    schema.metadata.create_all(engine, tables=tables)
    try:
        yield
    finally:
        schema.metadata.drop_all(engine, tables=tables)


def store_minutes(engine: Engine, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Write buckets as a store before revision 0015 kept them: one `buckets` row per minute, and the rollups.

    Today's store writes hour rows, which an older revision's table cannot hold.
    """
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO buckets (agreement, objective, minute, good, valid, value_count, value_sum) "
                "VALUES (:agreement, :objective, :minute, :good, :valid, :value_count, :value_sum)"
            ),
            [{"agreement": agreement, **asdict(b), "value_sum": str(b.value_sum)} for b in buckets],
        )
        for table, column, span in (("bucket_hours", "hour", HOUR), ("bucket_days", "day", DAY)):
            sums: dict[tuple[str, int], tuple[int, int]] = {}
            for b in buckets:
                key = (b.objective, b.minute - b.minute % span)
                good, valid = sums.get(key, (0, 0))
                sums[key] = (good + b.good, valid + b.valid)
            conn.execute(
                text(
                    f"INSERT INTO {table} (agreement, objective, {column}, good, valid) "  # noqa: S608 - ours
                    "VALUES (:agreement, :objective, :start, :good, :valid)"
                ),
                [
                    {"agreement": agreement, "objective": o, "start": t, "good": g, "valid": v}
                    for (o, t), (g, v) in sums.items()
                ],
            )
