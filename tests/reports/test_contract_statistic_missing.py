"""The contract and `explain` state how a statistic counts events without a value, in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Event, EventTable, Measurements
from attain.model import Agreement
from attain.reports.contract import contract
from attain.reports.document import Format
from attain.reports.locale import Locale
from attain.reports.objective_explanation import measured
from attain.reports.period import ReportSource, period_report
from attain.reports.period_view import render_report
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
        ({"timeout": "30s"}, "zh-CN", "每个没有数值的事件（例如超时的请求）按 30,000毫秒 计入。"),
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


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "The 90th percentile (nearest rank) fell on an event without a value (2 of 10 events), which counts as "
            "worse than every measured value, against a bound of ≤ 300 ms.",
        ),
        ("zh-CN", "落在没有数值的事件上（10 个事件中有 2 个没有数值），这类事件视为劣于所有实测值，要求 ≤ 300毫秒。"),
    ],
)
def test_period_report_says_the_percentile_fell_on_a_timeout(language: str, sentence: str) -> None:
    """January 2027: 8 answered requests and 2 timeouts; the p90 (rank 9 of 10) is a timeout, and the report says so."""
    indicator = P99 | {"percentile": 90, "bound": 300, "missing": "worst"}
    document = agreement(objectives=[{"name": "latency", "indicator": indicator, "window": "month"}])
    document["spec"]["language"] = language
    deal = agreement_model(document)
    start = to_us(datetime(2027, 1, 5, tzinfo=UTC))
    values = [Decimal(v) for v in (120, 80, 300, 150, 90, 200, 110, 250)]
    events = [Event(start + i * US_PER_MINUTE, v, {}) for i, v in enumerate([*values, None, None])]
    source = ReportSource(deal, Measurements(events={"requests": EventTable.from_events(events)}))
    text = render_report(period_report(source, "2027-01"), language, Format.MD).decode()
    assert sentence in " ".join(text.split())
