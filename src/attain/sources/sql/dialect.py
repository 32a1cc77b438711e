"""SQL dialects: the bucket index of a timestamp per engine, and dialects to compile query text for.

Engines whose SQLAlchemy package attain does not install by default (DuckDB, whose duckdb-engine is
the `duckdb` extra; ClickHouse, Trino, BigQuery, Spark) get compile-only dialects with their
identifier quoting, so that `render_query` writes the query for them without a driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import IdentifierPreparer, SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from attain.errors import InvalidInput, Problem

BUCKET_SQL: Mapping[str, str] = {
    "postgresql": (
        "(CAST({key} AS DATE) - DATE '1970-01-01') * CAST(86400 / {step} AS BIGINT)"
        " + CAST((date_part('hour', {key}) * 3600 + date_part('minute', {key}) * 60) / {step} AS BIGINT)"
    ),
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
8601 text (with `Z` or an offset, or UTC without). A dialect in `BUCKET_KEY_SQL` groups by that
key instead and reads the index from the `key` once per group.
"""

BUCKET_KEY_SQL: Mapping[str, str] = {
    "postgresql": "date_trunc('{unit}', TIMESTAMP '2000-01-01 00:00:00' + ({ts} - '2000-01-01 00:00:00+00'))",
}
"""Per dialect whose index is dear per row: a cheaper key that the query groups by instead.

PostgreSQL: `EXTRACT(EPOCH FROM ts)` is `numeric` since version 14, and its division and floor
cost more than the rest of the scan. The key is the start of the bucket as a UTC wall-clock
`timestamp`, in integer arithmetic only, whichever type `ts` has: the untyped literal takes the
column's type (a `timestamp` ignores the `+00`); `ts - 2000-01-01` is the exact interval since
PostgreSQL's own epoch (days and microseconds: the stored value itself, so it cannot overflow,
where one from 1970 would beyond the year 264,000); added back to 2000-01-01 as a `timestamp` it
is the UTC wall clock; `date_trunc` of a `timestamp` rounds down with no time zone involved. The
session's `TimeZone` never enters (`tests/sources/sql/test_bucket_edges.py` checks instants
beside minute and hour edges from 4714 BC to 294276 AD under zones with offsets in seconds). The
index (`BUCKET_SQL`) is then computed once per group: whole days since 1970 (`date - date`, an
integer) times buckets per day, plus the hour and minute of the day (`date_part` returns them as
float8, exact for such small integers).
"""

_UNITS = {"60": "minute", "3600": "hour"}
"""`date_trunc`'s unit per bucket length in seconds."""

DIALECT_ALIASES = {"hive": "spark", "databricks": "spark", "mariadb": "mysql"}
"""Dialect names that share another dialect's bucket expression."""


class BucketKey(FunctionElement[Any]):
    """What a query groups by for the bucket of a timestamp: `BUCKET_KEY_SQL`, else the index itself."""

    name = "attain_bucket_key"
    inherit_cache = True


class BucketIndex(FunctionElement[int]):
    """The bucket index of a `BucketKey`, compiled per dialect from `BUCKET_SQL`."""

    type = BigInteger()
    name = "attain_bucket"
    inherit_cache = True


@compiles(BucketKey)
def _compile_key(element: BucketKey, compiler: SQLCompiler, **kw: Any) -> str:
    timestamp, step = (compiler.process(clause, **kw) for clause in element.clauses.clauses)
    key = dialect_key(compiler.dialect.name)
    if key in BUCKET_KEY_SQL:
        return BUCKET_KEY_SQL[key].format(ts=timestamp, unit=_UNITS[step])
    return BUCKET_SQL[key].format(ts=timestamp, step=step)


@compiles(BucketIndex)
def _compile_index(element: BucketIndex, compiler: SQLCompiler, **kw: Any) -> str:
    bucket, step = (compiler.process(clause, **kw) for clause in element.clauses.clauses)
    key = dialect_key(compiler.dialect.name)
    return BUCKET_SQL[key].format(key=bucket, step=step) if key in BUCKET_KEY_SQL else bucket


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
