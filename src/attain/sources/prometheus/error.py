"""The errors of the Prometheus source.

PrometheusError (AttainError, exit 1)
├── PrometheusQueryError (+ ValueError, exit 2)   Prometheus refused the query (4xx), or it gives
│                                                 several series; carries Prometheus' message
├── PrometheusUnavailable (+ ConnectionError)     5xx or timeouts on every one of 3 attempts,
│                                                 or no connection at all
└── PrometheusDataError (+ ValueError)            `minute_counts` met data it will not count
"""

from __future__ import annotations

from attain.errors import AttainError
from attain.sources.prometheus.sample import DataProblem


class PrometheusError(AttainError):
    """Prometheus could not give the counts."""


class PrometheusQueryError(PrometheusError, ValueError):
    """Prometheus refused a query (4xx), or the query does not give exactly one series.

    Attributes:
        query: The PromQL expression.
        status: The HTTP status (0 when the answer was fine but unusable).
        detail: Prometheus' own error message.
    """

    exit_code = 2

    def __init__(self, query: str, status: int, detail: str) -> None:
        self.query, self.status, self.detail = query, status, detail
        super().__init__(f"Prometheus refused the query {query!r} (HTTP {status}): {detail}")


class PrometheusUnavailable(PrometheusError, ConnectionError):
    """Prometheus did not answer usefully after every attempt."""


class PrometheusDataError(PrometheusError, ValueError):
    """The data has problems that `minute_counts` will not count silently; `problems` lists them."""

    def __init__(self, problems: list[DataProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
