"""Bulk writes shared by `SqlStore`: chunked inserts and exact, additive bucket upserts.

Bucket counts add in SQL (`INSERT ... ON CONFLICT DO UPDATE SET good = good + excluded.good`).
The exact decimal `value_sum` is text, which SQL cannot add, so it is added in Python after the
upsert, which has already locked the rows (PostgreSQL) or the database (SQLite).

Every write of minute counts also adds them to the hourly and daily rollups (`bucket_hours`,
`bucket_days`) in the same transaction, so the rollups are always the exact sums of the minutes.
`add_counts` is the bulk form for count arrays (the fast ingestion path): it upserts with the
driver's `executemany` and plain tuples, without building a mapping per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import MAX_PREC, Decimal, localcontext
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Table, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE
from attain.ports import Adjustment, Batch, Bucket
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
    write_adjustments(conn, batch.adjustments)


def write_adjustments(conn: Connection, adjustments: Iterable[Adjustment]) -> None:
    """Insert adjustments (late data in closed periods)."""
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
            for j in adjustments
        ),
    )


def write_buckets(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Insert buckets where none are stored (duplicates in `buckets` are added together)."""
    merged = merge_buckets(buckets)
    insert_chunked(conn, s.buckets, (_row(agreement, b, b.value_sum) for b in merged.values()))
    _add_rollups(conn, agreement, merged.values())


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
    _add_rollups(conn, agreement, merged.values())


_ROLLUPS = ((s.bucket_hours, "hour", US_PER_HOUR), (s.bucket_days, "day", US_PER_DAY))


def _add_rollups(conn: Connection, agreement: str, buckets: Iterable[Bucket]) -> None:
    """Add minute buckets to the hourly and daily rollups."""
    listed = list(buckets)
    if not listed:
        return
    names = sorted({b.objective for b in listed})
    index = {name: i for i, name in enumerate(names)}
    add_counts(
        conn,
        agreement,
        names,
        np.array([index[b.objective] for b in listed], dtype=np.int64),
        np.array([b.minute for b in listed], dtype=np.int64),
        np.array([b.good for b in listed], dtype=np.int64),
        np.array([b.valid for b in listed], dtype=np.int64),
        minutes=False,
    )


def add_counts(
    conn: Connection,
    agreement: str,
    objectives: Sequence[str],
    objective: npt.NDArray[np.int64],
    minute: npt.NDArray[np.int64],
    good: npt.NDArray[np.int64],
    valid: npt.NDArray[np.int64],
    *,
    minutes: bool = True,
) -> int:
    """Add counts (row i: `objectives[objective[i]]`, `minute[i]`, good, valid) to minutes and rollups.

    Rows may repeat a minute; the sums are exact integers. With `minutes=False` only the rollups
    are written (the caller wrote the minutes). Returns the number of rows written to all tables.
    """
    written = 0
    spans = ((s.buckets, "minute", US_PER_MINUTE),) if minutes else ()
    for table, column, span in (*spans, *_ROLLUPS):
        keys, sums = _grouped(objective, minute - minute % span, good, valid)
        rows = [
            (agreement, objectives[o], t, g, v)
            for o, t, g, v in zip(keys[0].tolist(), keys[1].tolist(), sums[0].tolist(), sums[1].tolist(), strict=True)
        ]
        written += len(rows)
        _upsert_rows(conn, table, column, rows)
    return written


def _grouped(
    objective: npt.NDArray[np.int64],
    start: npt.NDArray[np.int64],
    good: npt.NDArray[np.int64],
    valid: npt.NDArray[np.int64],
) -> tuple[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Sums of good and valid per distinct (objective, start), sorted."""
    order = np.lexsort((start, objective))
    o, t = objective[order], start[order]
    first = np.ones(o.size, dtype=bool)
    first[1:] = (o[1:] != o[:-1]) | (t[1:] != t[:-1])
    cuts = np.flatnonzero(first)
    return (o[cuts], t[cuts]), (np.add.reduceat(good[order], cuts), np.add.reduceat(valid[order], cuts))


def _upsert_rows(conn: Connection, table: Table, column: str, rows: list[tuple[Any, ...]]) -> None:
    """Additive upsert of (agreement, objective, start, good, valid) tuples through the driver."""
    if not rows:
        return
    extra = ", value_count, value_sum" if table is s.buckets else ""
    extra_values = ", 0, '0'" if table is s.buckets else ""
    if conn.dialect.name == "postgresql":
        _copy_upsert(conn, table, column, rows, extra, extra_values)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} (agreement, objective, {column}, good, valid{extra}) "  # noqa: S608 - names are ours
        f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark}{extra_values}) "
        f"ON CONFLICT (agreement, objective, {column}) DO UPDATE SET "
        f"good = {table.name}.good + excluded.good, valid = {table.name}.valid + excluded.valid"
    )
    for index in range(0, len(rows), 50_000):
        conn.exec_driver_sql(statement, rows[index : index + 50_000])


def _copy_upsert(
    conn: Connection, table: Table, column: str, rows: list[tuple[Any, ...]], extra: str, extra_values: str
) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one additive INSERT … SELECT … ON CONFLICT."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS attain_counts "
            "(agreement TEXT, objective TEXT, start_at BIGINT, good BIGINT, valid BIGINT) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE attain_counts")
        with cursor.copy("COPY attain_counts (agreement, objective, start_at, good, valid) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table.name} (agreement, objective, {column}, good, valid{extra}) "  # noqa: S608 - names are ours
            f"SELECT agreement, objective, start_at, good, valid{extra_values} FROM attain_counts "
            f"ON CONFLICT (agreement, objective, {column}) DO UPDATE SET "
            f"good = {table.name}.good + excluded.good, valid = {table.name}.valid + excluded.valid"
        )
    finally:
        cursor.close()


def rebuild_rollups(conn: Connection, agreement: str, objective: str, start: int) -> None:
    """Recompute an objective's rollups from its stored minutes, for the hours and days from `start` on."""
    minutes = s.buckets
    for table, column, span in _ROLLUPS:
        low = start - start % span
        conn.execute(
            delete(table).where(table.c.agreement == agreement, table.c.objective == objective, table.c[column] >= low)
        )
        bucket_start = (minutes.c.minute - minutes.c.minute % span).label(column)
        query = (
            select(minutes.c.agreement, minutes.c.objective, bucket_start, *_sums(minutes))
            .where(minutes.c.agreement == agreement, minutes.c.objective == objective, minutes.c.minute >= low)
            .group_by(minutes.c.agreement, minutes.c.objective, bucket_start)
        )
        conn.execute(table.insert().from_select(["agreement", "objective", column, "good", "valid"], query))


def _sums(table: Table) -> tuple[Any, Any]:
    return func.sum(table.c.good), func.sum(table.c.valid)


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
