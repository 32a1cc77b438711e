"""What each indicator kind tells ingestion and the store: its stream, its rows, metric feeding, its value column."""

from __future__ import annotations

from typing import Any

import pytest

from attain.model import Objective, stream_name

PROMETHEUS = {"type": "Prometheus", "spec": {"query": "sum(up)"}}


def objective(indicator: dict[str, Any], target: str | None = "99%") -> Objective:
    """An objective named `api` over a month with the given indicator."""
    data: dict[str, Any] = {"name": "api", "indicator": indicator, "window": "month"}
    if target is not None:
        data["target"] = target
    return Objective.model_validate(data, by_alias=True, by_name=False)


CASES = {
    "ratio": (objective({"kind": "ratio", "good": {"where": {"ok": True}}}), ("api", "events", False, None)),
    "ratio-named": (
        objective({"kind": "ratio", "events": "requests", "bad": {"where": {"ok": False}}}),
        ("requests", "events", False, None),
    ),
    "ratio-metric": (
        objective({"kind": "ratio", "good": {"metric": PROMETHEUS}, "valid": {"metric": PROMETHEUS}}),
        ("api", "events", True, None),
    ),
    "threshold": (
        objective({"kind": "threshold", "value": "latency_ms", "op": "le", "bound": 300}),
        ("api", "events", False, "latency_ms"),
    ),
    "threshold-metric": (
        objective({"kind": "threshold", "value": "v", "op": "le", "bound": 1, "metric": PROMETHEUS}),
        ("api", "events", True, "v"),
    ),
    "statistic": (
        objective(
            {"kind": "statistic", "events": "calls", "value": "wait", "op": "le", "bound": 7, "statistic": "mean"},
            target=None,
        ),
        ("calls", "events", False, "wait"),
    ),
    "incidents": (objective({"kind": "availability", "from": "incidents"}), ("incidents", "incidents", False, None)),
    "probes": (
        objective({"kind": "availability", "from": "probes", "up": {"where": {"status": "up"}}}),
        ("probes", "events", False, None),
    ),
    "probes-metric": (
        objective({"kind": "availability", "from": "probes", "events": "pings", "up": {"metric": PROMETHEUS}}),
        ("pings", "events", True, None),
    ),
    "freshness": (objective({"kind": "freshness", "maxGap": "1d"}), ("api", "events", False, None)),
    "case": (
        objective({"kind": "case", "clock": {"start": "opened", "stop": "closed"}, "goals": {"*": "4h"}}),
        ("cases", "cases", False, None),
    ),
}


@pytest.mark.parametrize(("chosen", "expected"), CASES.values(), ids=CASES.keys())
def test_each_kind_states_its_stream_rows_metric_source_and_value_column(
    chosen: Objective, expected: tuple[str, str, bool, str | None]
) -> None:
    """The stream defaults by kind (else the objective's name); rows, metric feeding and value column follow the kind."""
    indicator = chosen.indicator
    assert (stream_name(chosen), indicator.rows, indicator.fed_by_metric_source, indicator.value_column) == expected
