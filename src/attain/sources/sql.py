"""SQL engines as a measurement source: one aggregation query, pushed down, per objective and range.

A ratio objective names a SQL source in its selectors' `metric` (type `SQL`): `valid` gives the
`url`, the `table` (or a `query` to use as a subquery), the `timestamp` column and an optional
`where`; `good` (or `bad`) adds its own `where`. For `[start, end)` the engine runs

    SELECT <bucket of ts> AS bucket, count(*) AS valid, sum(CASE WHEN <good> THEN 1 ELSE 0 END) AS good
    FROM <table> WHERE ts >= :start AND ts < :end AND (<valid where>) GROUP BY <bucket of ts>

and only the aggregated rows (one per minute or hour with events) travel back. The bucket is the
index of the minute (or hour) since the Unix epoch, written per dialect (`BUCKET_SQL`). Table,
schema and column names are quoted by SQLAlchemy; the `where` texts are SQL written by the
agreement's author, who is trusted, and go in as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import IdentifierPreparer, SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, from_us
from attain.engine.measurement import MinuteCounts
from attain.errors import InvalidInput, Problem
from attain.model import Objective, RatioIndicator, Selector

SOURCE_TYPE = "sql"
"""The `metric.type` that names a SQL source (compared case-insensitively)."""

RESOLUTION_SECONDS = {"minute": 60, "hour": 3600}
"""The buckets a query can count in, by name."""

BUCKET_SQL: Mapping[str, str] = {
    "postgresql": "CAST(floor(EXTRACT(EPOCH FROM {ts}) / {step}) AS BIGINT)",
    "sqlite": "CAST(strftime('%s', {ts}) AS INTEGER) / {step}",
    "mysql": "FLOOR(UNIX_TIMESTAMP({ts}) / {step})",
    "duckdb": "CAST(floor(epoch({ts}) / {step}) AS BIGINT)",
    "clickhouse": "intDiv(toUnixTimestamp({ts}), {step})",
    "trino": "CAST(floor(to_unixtime({ts}) / {step}) AS BIGINT)",
    "bigquery": "DIV(UNIX_SECONDS({ts}), {step})",
    "spark": "CAST(floor(unix_seconds({ts}) / {step}) AS BIGINT)",
}
"""Per dialect: the index of the bucket of `step` seconds that timestamp `ts` falls in (UTC).

PostgreSQL, Trino, BigQuery, Spark and ClickHouse read an instant's epoch exactly; MySQL's
`UNIX_TIMESTAMP` reads a DATETIME in the session's time zone, which must be UTC; SQLite reads ISO
8601 text (with `Z` or an offset, or UTC without).
"""

DIALECT_ALIASES = {"hive": "spark", "databricks": "spark", "mariadb": "mysql"}
"""Dialect names that share another dialect's bucket expression."""


@dataclass(frozen=True)
class SqlSource:
    """Where and how an objective's events are counted in a SQL engine.

    Attributes:
        url: The SQLAlchemy URL of the engine.
        timestamp: The column holding each event's instant.
        table: The table (or view) of events; None when `query` is given.
        schema: The table's schema (or dataset), if any.
        query: A SELECT used as a subquery instead of `table`.
        valid_where: SQL condition for valid events (None: every row in range).
        good_where: SQL condition for good events among the valid ones.
        bad_where: SQL condition for bad events, when the objective gives `bad` instead.
    """

    url: str
    timestamp: str
    table: str | None = None
    schema: str | None = None
    query: str | None = None
    valid_where: str | None = None
    good_where: str | None = None
    bad_where: str | None = None


@dataclass(frozen=True)
class PulledCounts:
    """The counts of one query: per-minute counts and how many aggregated rows were read."""

    counts: MinuteCounts
    rows_read: int


def is_sql(selector: Selector | None) -> bool:
    """Whether a selector names a SQL metric."""
    return selector is not None and selector.metric is not None and selector.metric.type.lower() == SOURCE_TYPE


def sql_source(objective: Objective) -> SqlSource | None:
    """The SQL source of a ratio objective whose `valid` names one; None for any other objective.

    Raises:
        InvalidInput: the spec misses `url`, `timestamp`, or one of `table` and `query`, or has a
            field of the wrong type.
    """
    indicator = objective.indicator
    if not isinstance(indicator, RatioIndicator) or not is_sql(indicator.valid):
        return None
    assert indicator.valid.metric is not None
    spec = indicator.valid.metric.spec
    where = f"objectives.{objective.name}.indicator"
    fields = {k: _text(spec, k, f"{where}.valid.metric.spec") for k in ("url", "timestamp", "table", "schema", "query")}
    if fields["url"] is None or fields["timestamp"] is None or (fields["table"] is None) == (fields["query"] is None):
        raise _invalid(f"{where}.valid.metric.spec", "a SQL source needs url, timestamp, and table or query")
    return SqlSource(
        url=fields["url"],
        timestamp=fields["timestamp"],
        table=fields["table"],
        schema=fields["schema"],
        query=fields["query"],
        valid_where=_text(spec, "where", f"{where}.valid.metric.spec"),
        good_where=_condition(indicator.good, f"{where}.good"),
        bad_where=_condition(indicator.bad, f"{where}.bad"),
    )


def _condition(selector: Selector | None, where: str) -> str | None:
    if selector is None or selector.metric is None:
        return None
    if not is_sql(selector):
        raise _invalid(f"{where}.metric.type", f"must be SQL like valid's, got {selector.metric.type!r}")
    return _text(selector.metric.spec, "where", f"{where}.metric.spec")


def _text(spec: Mapping[str, Any], key: str, where: str) -> str | None:
    value = spec.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _invalid(f"{where}.{key}", f"must be non-empty text, got {value!r}")
    return value


def _invalid(path: str, message: str) -> InvalidInput:
    hint = "write valid: {metric: {type: SQL, spec: {url: ..., table: events, timestamp: ts, where: ...}}}"
    return InvalidInput([Problem("<agreement>", None, None, path, message, hint)])


class _Bucket(FunctionElement[int]):
    """The bucket index of a timestamp, compiled per dialect from `BUCKET_SQL`."""

    type = BigInteger()
    name = "attain_bucket"
    inherit_cache = True


@compiles(_Bucket)
def _compile_bucket(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    timestamp, step = element.clauses.clauses
    template = BUCKET_SQL[dialect_key(compiler.dialect.name)]
    return template.format(ts=compiler.process(timestamp, **kw), step=compiler.process(step, **kw))


def dialect_key(name: str) -> str:
    """The `BUCKET_SQL` key of a SQLAlchemy dialect name.

    Raises:
        InvalidInput: attain has no bucket expression for the dialect.
    """
    key = DIALECT_ALIASES.get(name, name)
    if key not in BUCKET_SQL:
        hint = f"use one of {', '.join(sorted(BUCKET_SQL))}"
        raise InvalidInput([Problem("<sql source>", None, None, "url", f"no SQL engine support for {name!r}", hint)])
    return key


def aggregation_query(source: SqlSource, dialect: str, resolution: str = "minute") -> Select[Any]:
    """The push-down query: `bucket, valid, good` per bucket with events, for bind params start and end.

    On SQLite (no timestamp type) the range compares epoch seconds (`start_s`, `end_s`); elsewhere
    the timestamp column itself is compared with `start` and `end`, so partitions and indexes on it
    still prune.

    Args:
        source: The table or subquery, the timestamp column and the conditions.
        dialect: The SQLAlchemy dialect name the query is for.
        resolution: `minute` or `hour`.

    Returns:
        The SELECT; execute it with `query_params`.
    """
    step = _step_seconds(resolution)
    relation: Any
    if source.query is not None:
        relation = text(source.query).columns(column(source.timestamp)).subquery("source")
    else:
        assert source.table is not None
        relation = table(source.table, column(source.timestamp), schema=source.schema)
    ts = relation.c[source.timestamp]
    # a literal column, not a bound literal: its text is part of the statement cache key
    bucket = _Bucket(ts, literal_column(str(step), BigInteger))
    if dialect_key(dialect) == "sqlite":
        seconds = cast(func.strftime(literal_column("'%s'"), ts), Integer)
        in_range = [seconds >= bindparam("start_s", type_=BigInteger), seconds < bindparam("end_s", type_=BigInteger)]
    else:
        stamp = DateTime(timezone=True)
        in_range = [ts >= bindparam("start", type_=stamp), ts < bindparam("end", type_=stamp)]
    query = select(bucket.label("bucket"), func.count().label("valid"), _good(source).label("good"))
    query = query.select_from(relation).where(*in_range)
    if source.valid_where:
        query = query.where(text(f"({source.valid_where})"))
    return query.group_by(bucket)


_ONE, _ZERO = literal_column("1", Integer), literal_column("0", Integer)


def _good(source: SqlSource) -> ColumnElement[Any]:
    if source.good_where is not None:
        return func.sum(case((text(f"({source.good_where})"), _ONE), else_=_ZERO))
    if source.bad_where is not None:
        return func.sum(case((text(f"({source.bad_where})"), _ZERO), else_=_ONE))
    return func.count()


def query_params(start: int, end: int) -> dict[str, Any]:
    """The bind parameters of `aggregation_query` for `[start, end)` (µs since the epoch)."""
    return {
        "start": from_us(start),
        "end": from_us(end),
        "start_s": start // US_PER_SECOND,
        "end_s": end // US_PER_SECOND,
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
    step = _step_seconds(resolution)
    step_us = step * US_PER_SECOND
    if start % step_us or end % step_us or end < start:
        raise ValueError(f"[{from_us(start)}, {from_us(end)}) must run forward on whole {resolution}s")
    minutes = (end - start) // US_PER_MINUTE
    good, valid = np.zeros(minutes, dtype=np.int64), np.zeros(minutes, dtype=np.int64)
    rows = conn.execute(aggregation_query(source, conn.dialect.name, resolution), query_params(start, end)).all()
    for bucket, valid_count, good_count in rows:
        index = (int(bucket) * step_us - start) // US_PER_MINUTE
        valid[index] += int(valid_count)
        good[index] += int(good_count or 0)
    return PulledCounts(MinuteCounts(start, good, valid), len(rows))


def _step_seconds(resolution: str) -> int:
    if resolution not in RESOLUTION_SECONDS:
        raise ValueError(f"resolution {resolution!r}: use {' or '.join(RESOLUTION_SECONDS)}")
    return RESOLUTION_SECONDS[resolution]


def bucket_us(resolution: str) -> int:
    """The length of a bucket in microseconds."""
    return US_PER_HOUR if _step_seconds(resolution) == 3600 else US_PER_MINUTE


class _Backtick(IdentifierPreparer):
    """Identifiers in backticks with a doubled backtick inside (Spark SQL, ClickHouse)."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect, initial_quote="`", escape_quote="`")


class _BigQueryQuote(IdentifierPreparer):
    """BigQuery identifiers: backticks, with backslash escapes inside."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect, initial_quote="`")

    def _escape_identifier(self, value: str) -> str:
        return value.replace("\\", "\\\\").replace("`", "\\`")

    def _unescape_identifier(self, value: str) -> str:
        return value.replace("\\`", "`").replace("\\\\", "\\")


def _text_dialect(dialect_name: str, preparer: type[IdentifierPreparer]) -> type[DefaultDialect]:
    """A compile-only dialect: the name selects `BUCKET_SQL`, the preparer quotes names."""
    return type(
        f"{dialect_name.title()}TextDialect",
        (DefaultDialect,),
        {"name": dialect_name, "preparer": preparer, "supports_statement_cache": True},
    )


TEXT_DIALECTS: Mapping[str, type[DefaultDialect]] = {
    "duckdb": _text_dialect("duckdb", IdentifierPreparer),
    "clickhouse": _text_dialect("clickhouse", _Backtick),
    "trino": _text_dialect("trino", IdentifierPreparer),
    "bigquery": _text_dialect("bigquery", _BigQueryQuote),
    "spark": _text_dialect("spark", _Backtick),
}
"""Dialects whose SQLAlchemy package attain does not install: compiled to text with their quoting."""


def compile_dialect(name: str) -> Dialect:
    """A dialect to compile for: SQLAlchemy's own (postgresql, sqlite, mysql) or a text dialect."""
    if name in TEXT_DIALECTS:
        return TEXT_DIALECTS[name]()
    from sqlalchemy.dialects import registry  # noqa: PLC0415 - loads only the dialect asked for

    loaded: type[Dialect] = registry.load(name)
    return loaded()
