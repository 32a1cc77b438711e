"""The SQL source of an objective, read from its selectors' `metric: {type: SQL, spec: ...}`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from attain.errors import InvalidInput, Problem
from attain.model import Objective, RatioIndicator, Selector

SOURCE_TYPE = "sql"
"""The `metric.type` that names a SQL source (compared case-insensitively)."""


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
