"""The push-down query: per-bucket valid and good counts for `[start, end)`, and reading them back.

For `[start, end)` the engine runs

    SELECT <bucket of ts> AS bucket, count(*) AS valid, sum(CASE WHEN <good> THEN 1 ELSE 0 END) AS good
    FROM <table> WHERE ts >= :start AND ts < :end AND (<valid where>) GROUP BY <bucket of ts>

and only the aggregated rows (one per minute or hour with events) travel back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    DateTime,
    Integer,
    Select,
    bindparam,
    case,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import NullType

from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, from_us, iso_utc
from attain.engine.measurement import MinuteCounts
from attain.sources.sql.dialect import BucketIndex, BucketKey, compile_dialect, dialect_key
from attain.sources.sql.source import SqlSource

RESOLUTION_SECONDS = {"minute": 60, "hour": 3600}
"""The buckets a query can count in, by name."""


@dataclass(frozen=True)
class PulledCounts:
    """The counts of one query: per-minute counts and how many aggregated rows were read."""

    counts: MinuteCounts
    rows_read: int


def aggregation_query(source: SqlSource, dialect: str, resolution: str = "minute") -> Select[Any]:
    """The push-down query: `bucket, valid, good` per bucket with events, for bind params start and end.

    The range is `range_conditions`'s. `attain pull` runs `attain.sources.sql.scan`'s queries,
    which count many objectives of one table in one scan; this one counts one source alone.

    Args:
        source: The table or subquery, the timestamp column and the conditions.
        dialect: The SQLAlchemy dialect name the query is for.
        resolution: `minute` or `hour`.

    Returns:
        The SELECT; execute it with `query_params`.
    """
    step = step_seconds(resolution)
    relation = relation_of(source)
    ts = relation.c[source.timestamp]
    bucket = bucket_of(ts, step)
    valid = func.count()
    good = good_case(source)
    good_count = func.count() if good is None else func.sum(good)
    query = select(bucket.index.label("bucket"), valid.label("valid"), good_count.label("good"))
    query = query.select_from(relation).where(*range_conditions(ts, dialect))
    if source.valid_where:
        query = query.where(text(f"({source.valid_where})"))
    return query.group_by(bucket.key)


def relation_of(source: SqlSource) -> Any:
    """The source's table (quoted by SQLAlchemy), or its `query` as a subquery named `source`."""
    if source.query is not None:
        return text(source.query).columns(column(source.timestamp)).subquery("source")
    assert source.table is not None
    return table(source.table, column(source.timestamp), schema=source.schema)


@dataclass(frozen=True)
class Bucket:
    """The bucket of a timestamp in a query: what to group by, and its index to select."""

    key: ColumnElement[Any]
    """The GROUP BY expression (`dialect.BUCKET_KEY_SQL`, or the index itself)."""
    index: ColumnElement[int]
    """The bucket index (`dialect.BUCKET_SQL`), computed from `key` once per group."""


def bucket_of(ts: ColumnElement[Any], step: int) -> Bucket:
    """The bucket of `ts` for buckets of `step` seconds: group by `key`, select `index`."""
    # a literal column, not a bound literal: its text is part of the statement cache key
    length = literal_column(str(step), BigInteger)
    key = BucketKey(ts, length)
    return Bucket(key, BucketIndex(key, length))


def range_conditions(ts: ColumnElement[Any], dialect: str) -> list[ColumnElement[bool]]:
    """`start <= ts < end` with bind parameters (`query_params`).

    On SQLite (no timestamp type) the range compares epoch seconds (`start_s`, `end_s`); elsewhere
    the timestamp column itself is compared with `start` and `end`, so partitions and indexes on it
    still prune. PostgreSQL gets the instants as untyped ISO 8601 text with `Z` (`start_text`,
    `end_text`), which the server reads as the column's own type: a `timestamptz` reads the
    instant, a `timestamp` its UTC wall clock (the `Z` ignored), so the session's `TimeZone`
    never shifts the range of a `timestamp` column.
    """
    key = dialect_key(dialect)
    if key == "sqlite":
        seconds = cast(func.strftime(literal_column("'%s'"), ts), Integer)
        return [seconds >= bindparam("start_s", type_=BigInteger), seconds < bindparam("end_s", type_=BigInteger)]
    if key == "postgresql":
        return [ts >= bindparam("start_text", type_=NullType()), ts < bindparam("end_text", type_=NullType())]
    stamp = DateTime(timezone=True)
    return [ts >= bindparam("start", type_=stamp), ts < bindparam("end", type_=stamp)]


ONE, ZERO = literal_column("1", Integer), literal_column("0", Integer)


def good_case(source: SqlSource) -> ColumnElement[Any] | None:
    """Per row, 1 when the event is good and 0 when not; None when every valid event is good.

    A row whose `good` condition is NULL is not good; one whose `bad` condition is NULL is not bad.
    """
    if source.good_where is not None:
        return case((text(f"({source.good_where})"), ONE), else_=ZERO)
    if source.bad_where is not None:
        return case((text(f"({source.bad_where})"), ZERO), else_=ONE)
    return None


def query_params(start: int, end: int) -> dict[str, Any]:
    """The bind parameters of `aggregation_query` for `[start, end)` (µs since the epoch)."""
    return {
        "start": from_us(start),
        "end": from_us(end),
        "start_s": start // US_PER_SECOND,
        "end_s": end // US_PER_SECOND,
        "start_text": iso_utc(start),
        "end_text": iso_utc(end),
    }


def render_query(source: SqlSource, dialect: Dialect | str, resolution: str = "minute") -> str:
    """The query's SQL text for a dialect (an instance, or a name from `BUCKET_SQL`)."""
    chosen = compile_dialect(dialect) if isinstance(dialect, str) else dialect
    return str(aggregation_query(source, chosen.name, resolution).compile(dialect=chosen))


def pull_counts(conn: Connection, source: SqlSource, start: int, end: int, resolution: str = "minute") -> PulledCounts:
    """Run the push-down query on `conn` for `[start, end)` and return per-minute counts.

    A minute without events has no row and counts valid 0. With `hour` resolution each hour's
    counts sit on its first minute.

    Raises:
        ValueError: `start` or `end` is not on a whole bucket, or `end < start`.
    """
    check_span(start, end, resolution)
    rows = conn.execute(aggregation_query(source, conn.dialect.name, resolution), query_params(start, end)).all()
    return counts_of_rows(rows, start, end, resolution)


def counts_of_rows(rows: Sequence[Sequence[Any]], start: int, end: int, resolution: str = "minute") -> PulledCounts:
    """Per-minute counts of `[start, end)` from the query's `(bucket, valid, good)` rows, however they were run.

    `pull_counts` runs the query through SQLAlchemy; an engine without a SQLAlchemy driver (Spark in
    local mode) runs `render_query`'s text itself and hands its rows here.

    Raises:
        ValueError: `start` or `end` is not on a whole bucket, or `end < start`.
    """
    step_us = check_span(start, end, resolution)
    minutes = (end - start) // US_PER_MINUTE
    good, valid = np.zeros(minutes, dtype=np.int64), np.zeros(minutes, dtype=np.int64)
    for bucket, valid_count, good_count in rows:
        index = (int(bucket) * step_us - start) // US_PER_MINUTE
        valid[index] += int(valid_count)
        good[index] += int(good_count or 0)
    return PulledCounts(MinuteCounts(start, good, valid), len(rows))


def check_span(start: int, end: int, resolution: str) -> int:
    """The bucket length in µs, after checking that `[start, end)` runs forward on whole buckets.

    Raises:
        ValueError: `start` or `end` is not on a whole bucket, or `end < start`.
    """
    step_us = step_seconds(resolution) * US_PER_SECOND
    if start % step_us or end % step_us or end < start:
        raise ValueError(f"[{from_us(start)}, {from_us(end)}) must run forward on whole {resolution}s")
    return step_us


def step_seconds(resolution: str) -> int:
    """The length of a bucket in seconds.

    Raises:
        ValueError: the resolution is neither `minute` nor `hour`.
    """
    if resolution not in RESOLUTION_SECONDS:
        raise ValueError(f"resolution {resolution!r}: use {' or '.join(RESOLUTION_SECONDS)}")
    return RESOLUTION_SECONDS[resolution]


def bucket_us(resolution: str) -> int:
    """The length of a bucket in microseconds."""
    return US_PER_HOUR if step_seconds(resolution) == 3600 else US_PER_MINUTE
