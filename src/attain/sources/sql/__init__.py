"""SQL engines as a measurement source: aggregation queries pushed down, one scan per table and range.

A ratio objective names a SQL source in its selectors' `metric` (type `SQL`): `valid` gives the
`url`, the `table` (or a `query` to use as a subquery), the `timestamp` column and an optional
`where`; `good` (or `bad`) adds its own `where` (`source`). For `[start, end)` the engine runs an
aggregation query (`query` for one objective; `scan` for all the objectives of one table in one
scan) and only the aggregated rows (one per minute or hour with events) travel back. The
bucket is the index of the minute (or hour) since the Unix epoch, written per dialect
(`dialect.BUCKET_SQL`; PostgreSQL groups by a cheaper key, `dialect.BUCKET_KEY_SQL`). Table,
schema and column names are quoted by SQLAlchemy; the `where` texts are SQL written by the
agreement's author, who is trusted, and go in as they are.
"""

from __future__ import annotations

from attain.sources.sql.dialect import (
    BUCKET_KEY_SQL,
    BUCKET_SQL,
    DIALECT_ALIASES,
    TEXT_DIALECTS,
    compile_dialect,
    dialect_key,
)
from attain.sources.sql.query import (
    RESOLUTION_SECONDS,
    PulledCounts,
    aggregation_query,
    bucket_us,
    pull_counts,
    query_params,
    render_query,
)
from attain.sources.sql.source import SOURCE_TYPE, SqlSource, is_sql, sql_source

__all__ = [
    "BUCKET_KEY_SQL",
    "BUCKET_SQL",
    "DIALECT_ALIASES",
    "RESOLUTION_SECONDS",
    "SOURCE_TYPE",
    "TEXT_DIALECTS",
    "PulledCounts",
    "SqlSource",
    "aggregation_query",
    "bucket_us",
    "compile_dialect",
    "dialect_key",
    "is_sql",
    "pull_counts",
    "query_params",
    "render_query",
    "sql_source",
]
