"""The contract and `explain` state service hours in English and Chinese, and Prometheus rules skip them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from attain.model import Agreement
from attain.reports.contract import contract
from attain.reports.locale import Locale
from attain.reports.objective_explanation import allows, budget_summary, measured
from attain.rules.agreement import agreement_group
from attain.testing import agreement, agreement_model

OFFICE = {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["08:00-18:00"]}, "holidays": {"country": "CN"}}


def desk(indicator: dict[str, Any], **extra: Any) -> Agreement:
    """An agreement with one 99.5% monthly objective counted in the service hours of `office`."""
    objective = {
        "name": "portal",
        "indicator": indicator,
        "target": "99.5%",
        "window": "month",
        "serviceHours": "office",
    } | extra
    document = agreement(objectives=[objective], time_zone="Asia/Shanghai")
    document["spec"]["calendars"] = {"office": OFFICE}
    return agreement_model(document)


INCIDENTS = {"kind": "availability", "from": "incidents"}
RATIO = {"kind": "ratio", "good": {"where": {"ok": True}}}


@pytest.mark.parametrize(
    ("language", "how", "allowed", "calendar"),
    [
        (
            "en",
            "Only the service hours below count: downtime outside them does not count, and each "
            "period's total time is its service hours.",
            "Up to 0.5% of each period's service hours may be downtime.",
            "Business hours (Asia/Shanghai): Mon 08:00–18:00, Tue 08:00–18:00",
        ),
        (
            "zh-CN",
            "仅计下列服务时间：服务时间以外的停机不计入，每个周期的总时间为其服务时间。",
            "每个周期的服务时间中，最多 0.5% 可以为停机时间。",
            "营业时间（Asia/Shanghai）：",
        ),
    ],
)
def test_contract_states_availability_in_service_hours(language: str, how: str, allowed: str, calendar: str) -> None:
    """The objective says only service hours count, allows a share of them (not fixed minutes), and shows the hours."""
    section = contract(desk(INCIDENTS), language).objectives[0]
    assert how in section.how
    assert section.allows == [allowed]
    assert section.calendar[0].startswith(calendar)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "Only events stamped within the service hours below count (from opening time, up to but "
            "not including closing time).",
        ),
        ("zh-CN", "仅计时间戳在下列服务时间内的事件（含开始时刻，不含结束时刻）。"),
    ],
)
def test_contract_states_events_in_service_hours(language: str, sentence: str) -> None:
    """An event objective says which events count; its budget stays a share of valid events."""
    section = contract(desk(RATIO), language).objectives[0]
    assert sentence in section.how


def test_explanation_gives_the_budget_as_a_share_of_service_hours() -> None:
    """`attain explain` gives 0.5% of service hours, not 216–223.2 minutes of a month."""
    objective = desk(INCIDENTS).objectives[0]
    loc = Locale.of("en")
    assert budget_summary(loc, objective) == "0.5% of service hours"
    assert allows(loc, objective) == ["0.5% of the service hours of calendar office per period"]


def test_prometheus_rules_skip_service_hours_objectives() -> None:
    """A Prometheus ratio counted in service hours is skipped with the reason: a rule cannot follow the calendar."""
    query = {"type": "Prometheus", "spec": {"query": "sum(rate(x[{{.window}}]))"}}
    found = agreement_group(
        desk({"kind": "ratio", "good": {"metric": query}, "valid": {"metric": query}}), timedelta(days=30)
    )
    assert found.group.slos == ()
    assert found.skipped == [
        "shop/portal: it counts only in service hours (office), which Prometheus rules cannot express"
    ]


@pytest.mark.parametrize(
    ("language", "ending"),
    [("en", ", counted only in the service hours of calendar office"), ("zh-CN", "，仅计工作日历 office 的服务时间")],
)
def test_explanation_names_the_service_hours(language: str, ending: str) -> None:
    """`attain explain` ends what an objective measures with the service hours it counts in."""
    assert measured(Locale.of(language), desk(RATIO).objectives[0]).endswith(ending)
