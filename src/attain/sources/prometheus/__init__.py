"""Prometheus as a measurement source: per-minute good and valid counts from range queries.

A ratio objective is Prometheus-backed when its `valid` selector and its `good` (or `bad`)
selector each carry `metric: {type: Prometheus, spec: {query: ...}}` (`query`). Each query must
give the number of events of the minute that ENDS at the evaluation instant, one series only,
e.g. `sum(increase(http_requests_total{job="api"}[1m]))`. attain evaluates it through
`/api/v1/query_range` with a step of 60 s at `t = m + 60 s` and assigns the value to the minute
bucket `[m, m + 1 min)` (`source`). How samples become counts, and which are data problems, is
in `sample`; the errors are in `error`.
"""

from __future__ import annotations

from attain.sources.prometheus.error import (
    PrometheusDataError,
    PrometheusError,
    PrometheusQueryError,
    PrometheusUnavailable,
)
from attain.sources.prometheus.query import Queries, prometheus_queries
from attain.sources.prometheus.sample import DataProblem, Fetched, combine, to_count
from attain.sources.prometheus.source import MAX_ATTEMPTS, MAX_STEPS, STEP_SECONDS, PrometheusSource

__all__ = [
    "MAX_ATTEMPTS",
    "MAX_STEPS",
    "STEP_SECONDS",
    "DataProblem",
    "Fetched",
    "PrometheusDataError",
    "PrometheusError",
    "PrometheusQueryError",
    "PrometheusSource",
    "PrometheusUnavailable",
    "Queries",
    "combine",
    "prometheus_queries",
    "to_count",
]
