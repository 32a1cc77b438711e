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


class BucketIndex(FunctionElement[int]):
    """The bucket index of a timestamp, compiled per dialect from `BUCKET_SQL`."""

    type = BigInteger()
    name = "attain_bucket"
    inherit_cache = True


@compiles(BucketIndex)
def _compile_bucket(element: BucketIndex, compiler: SQLCompiler, **kw: Any) -> str:
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
