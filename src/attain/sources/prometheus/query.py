"""The PromQL of a Prometheus-backed ratio objective, read from its selectors' metrics."""

from __future__ import annotations

from dataclasses import dataclass

from attain.model import Objective, RatioIndicator
from attain.model.selector import Selector


@dataclass(frozen=True)
class Queries:
    """The PromQL of a ratio objective: `valid`, and `good` or `bad`."""

    valid: str
    good: str | None
    bad: str | None


def prometheus_queries(objective: Objective) -> Queries | None:
    """The objective's Prometheus queries, or None when it is not a Prometheus-backed ratio."""
    indicator = objective.indicator
    if not isinstance(indicator, RatioIndicator):
        return None
    valid = _query(indicator.valid)
    good, bad = _query(indicator.good), _query(indicator.bad)
    if valid is None or (good is None and bad is None):
        return None
    return Queries(valid, good, bad)


def _query(selector: Selector | None) -> str | None:
    metric = None if selector is None else selector.metric
    if metric is None or metric.type.lower() != "prometheus":
        return None
    query = metric.spec.get("query")
    return query if isinstance(query, str) and query.strip() else None
