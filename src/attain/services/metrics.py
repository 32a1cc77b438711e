"""The server's own Prometheus metrics, in a registry of its own (each runtime, and each test, starts clean).

- `attain_http_requests_total{method,route,status}` and `attain_http_request_duration_seconds{method,route}`
  (`route` is the route's template, e.g. `/api/v1/agreements/{name}/status`, never the raw path);
- `attain_evaluation_duration_seconds`: evaluating one agreement's status;
- `attain_ingestion_lag_seconds{agreement}`: time since the agreement's newest stored batch;
- `attain_budget_remaining_ratio{agreement,objective}`: the share of the current period's error
  budget left (negative when overspent), for objectives with a budget.
The last two are read at scrape time. The request metrics are recorded by the API's middleware
(`attain.api.request_metrics`), the evaluation time by the runtime (`attain.services.runtime`).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from attain.engine.instant import US_PER_SECOND

if TYPE_CHECKING:
    from attain.services.runtime import Runtime

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServerMetrics:
    """The metrics and their registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "attain_http_requests", "HTTP requests answered.", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "attain_http_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.evaluation_seconds = Histogram(
            "attain_evaluation_duration_seconds",
            "Time to evaluate one agreement's status from stored data.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def watch(self, runtime: Runtime) -> None:
        """Report the runtime's ingestion lag and budgets at each scrape."""
        self.registry.register(_StoreCollector(runtime))


class _StoreCollector(Collector):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.runtime.now()
        lag = GaugeMetricFamily(
            "attain_ingestion_lag_seconds", "Seconds since the agreement's newest stored batch.", labels=["agreement"]
        )
        for agreement, stored_at in self.runtime.access.newest_batches():
            lag.add_metric([agreement], max(0, now - stored_at) / US_PER_SECOND)
        yield lag
        budget = GaugeMetricFamily(
            "attain_budget_remaining_ratio",
            "Share of the current period's error budget left (negative when overspent).",
            labels=["agreement", "objective"],
        )
        for version in self.runtime.store.agreements():
            state = self.runtime.status(version.name)
            for objective in state.evaluation.objectives:
                current = objective.current
                if current is not None and current.budget is not None and current.budget.allowed > 0:
                    share = current.budget.remaining / current.budget.allowed
                    budget.add_metric([version.name, objective.objective], float(share.quantize(Decimal("1e-9"))))
        yield budget
