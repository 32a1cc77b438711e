"""The contract and `explain` state how a statistic counts events without a value, in English and Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from attain.model import Agreement
from attain.reports.contract import contract
from attain.reports.locale import Locale
from attain.reports.objective_explanation import measured
from attain.testing import agreement, agreement_model

P99: dict[str, Any] = {
    "kind": "statistic",
    "statistic": "percentile",
    "percentile": 99,
    "method": "nearest-rank",
    "events": "requests",
    "value": "latency_ms",
    "op": "le",
    "bound": 800,
    "unit": "ms",
}


def p99(**extra: Any) -> Agreement:
    """An agreement with one p99 latency objective, with `extra` indicator fields."""
    objective = {"name": "latency", "indicator": P99 | extra, "window": "month"}
    return agreement_model(agreement(objectives=[objective]))


@pytest.mark.parametrize(
    ("extra", "language", "sentence"),
    [
        (
            {"missing": "worst"},
            "en",
            "Each event without a value (for example a timed-out request) counts as one event and ranks as worse "
            "than every measured value; when the statistic falls on such an event, the period is not met.",
        ),
        (
            {"missing": "worst"},
            "zh-CN",
            "每个没有数值的事件（例如超时的请求）计为一个事件，并视为劣于所有实测值；统计值落在这类事件上时，该周期判定为未达成。",
        ),
        (
            {"timeout": "30s"},
            "en",
            "Each event without a value (for example a timed-out request) counts with the value 30,000 ms.",
        ),
        ({"timeout": "30s"}, "zh-CN", "每个没有数值的事件（例如超时的请求）按 30,000 ms 计入。"),
    ],
)
def test_contract_states_the_missing_rule(extra: dict[str, Any], language: str, sentence: str) -> None:
    """missing: worst and timeout: 30s (30,000 ms) each have their sentence in the objective's "how"."""
    section = contract(p99(**extra), language).objectives[0]
    assert sentence in section.how


def test_contract_is_silent_about_the_default() -> None:
    """missing: ignore, the default, adds no sentence: the statistic is over the values there are."""
    section = contract(p99(), "en").objectives[0]
    assert section.how == ["The statistic is taken over all values of the period and compared with the bound."]


@pytest.mark.parametrize(
    ("language", "ending"),
    [
        ("en", "; an event without a value counts and ranks as worse than every measured value"),
        ("zh-CN", "；没有数值的事件计入，并视为劣于所有实测值"),
    ],
)
def test_explanation_states_missing_as_worst(language: str, ending: str) -> None:
    """`attain explain` ends the statistic's sentence with the missing rule."""
    objective = p99(missing="worst").objectives[0]
    assert measured(Locale.of(language), objective).endswith(ending)
