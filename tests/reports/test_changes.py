"""`attain.reports.changes`: each change as one line a party can read, exact figures, en and zh-CN."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from attain.engine.diff import diff
from attain.reports.changes import describe
from attain.reports.locale import Locale
from attain.testing import agreement, agreement_model, ratio_objective


def _lines(edit: Any, language: str = "en") -> list[tuple[str, bool]]:
    objective = ratio_objective("checkout", target="99.9%")
    objective["credits"] = [{"below": "99.9%", "atLeast": "99%", "credit": "10%"}, {"below": "99%", "credit": "25%"}]
    before = agreement(objectives=[objective, ratio_objective("search", target="99%", window={"rolling": "28d"})])
    before["spec"]["changes"] = {"clause": "Changes in writing.", "notice": "30d"}
    after = copy.deepcopy(before)
    edit(after)
    first, second = agreement_model(before), agreement_model(after)
    return [(line.text, line.terms) for line in describe(Locale.of(language), diff(first, second), first, second)]


def _negotiated(doc: dict[str, Any]) -> None:
    doc["spec"]["objectives"][0]["target"] = "99.95%"
    doc["spec"]["objectives"][0]["credits"][1]["credit"] = "30%"
    doc["spec"]["changes"]["notice"] = "60d"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "checkout: target 99.9% → 99.95%",
                "checkout: credit when attainment < 99%: 25% → 30%",
                "notice before a change takes effect: 30 days → 60 days",
            ],
        ),
        (
            "zh-CN",
            [
                "checkout：目标 99.9% → 99.95%",
                "checkout：达成率 < 99%时的服务抵扣 25% → 30%",
                "变更生效前的通知期：30天 → 60天",
            ],
        ),
    ],
)
def test_a_negotiated_change_reads_as_the_terms_before_and_after(language: str, expected: list[str]) -> None:
    """A negotiated change reads as the terms before and after."""
    assert _lines(_negotiated, language) == [(text, True) for text in expected]


def test_targets_are_written_exactly_never_rounded() -> None:
    """Targets are written exactly never rounded."""

    def finer(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["target"] = "99.99995%"

    assert _lines(finer) == [("checkout: target 99.9% → 99.99995%", True)]


def test_objectives_added_and_removed_say_what_they_promise() -> None:
    """Objectives added and removed say what they promise."""

    def swap(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][1] = ratio_objective("browse", target="98%", window={"rolling": "7d"})

    assert _lines(swap) == [
        ("objective search removed (it promised: At least 99% in any rolling 28 days)", True),
        ("new objective browse: At least 98% in any rolling 7 days", True),
    ]


def test_a_window_change_names_both_windows() -> None:
    """A window change names both windows."""

    def calendar(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][1]["window"] = {"calendar": "month"}

    assert _lines(calendar) == [("search: window any rolling 28 days → each calendar month in the UTC time zone", True)]


def test_tiers_added_and_removed_by_their_edges() -> None:
    """Tiers added and removed by their edges."""

    def split(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["credits"] = [
            {"below": "99.9%", "atLeast": "99%", "credit": "10%"},
            {"below": "99%", "atLeast": "95%", "credit": "25%"},
            {"below": "95%", "credit": "100%"},
        ]

    assert _lines(split) == [
        ("checkout: credit tier removed (when attainment < 99%: 25%)", True),
        ("checkout: new credit tier, when 95% ≤ attainment < 99%: 25%", True),
        ("checkout: new credit tier, when attainment < 95%: 100%", True),
    ]


def test_a_change_without_a_sentence_of_its_own_names_its_field_and_both_values() -> None:
    """A change without a sentence of its own names its field and both values."""

    def reword(doc: dict[str, Any]) -> None:
        doc["spec"]["purpose"] = "Keep the shop open."
        doc["spec"]["objectives"][0]["indicator"]["events"] = "orders"

    assert _lines(reword) == [
        ("purpose: “Tests.” → “Keep the shop open.”", True),
        ("objectives.checkout.indicator.events: “requests” → “orders”", False),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "fee: 1,000.00 US dollars / month → 1,200.50 US dollars / month"),
        ("zh-CN", "服务费：1,000.00美元 / 月 → 1,200.50美元 / 月"),
    ],
)
def test_a_fee_change_names_both_amounts_with_their_currency(language: str, expected: str) -> None:
    """A fee change names both amounts with their currency."""

    def dearer(doc: dict[str, Any]) -> None:
        doc["spec"]["fee"] = {"amount": "1200.50", "currency": "USD"}

    def with_fee(doc: dict[str, Any]) -> None:
        doc["spec"]["fee"] = {"amount": "1000", "currency": "USD"}

    objective = ratio_objective("checkout", target="99.9%")
    before = agreement(objectives=[objective])
    with_fee(before)
    after = copy.deepcopy(before)
    dearer(after)
    first, second = agreement_model(before), agreement_model(after)
    lines = describe(Locale.of(language), diff(first, second), first, second)
    assert [(line.text, line.terms) for line in lines] == [(expected, True)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "exclusion removed: Planned maintenance: Time excluded for this reason does not count against the"
                " objectives. Every week on Sunday at 02:00, lasting 2 hours each time, from January 4, 2026 (UTC).",
                "new exclusion: Planned maintenance: Time excluded for this reason does not count against the"
                " objectives. Every week on Sunday at 02:00, lasting 3 hours each time, from January 4, 2026 (UTC).",
                "termination right removed: If the objective “checkout” is missed in 3 consecutive periods, the customer"
                " may terminate the agreement.",
                "new termination right: If the objective “checkout” is missed in 2 consecutive periods, the customer may"
                " terminate the agreement.",
            ],
        ),
        (
            "zh-CN",
            [
                "删除除外情形：计划维护：因此原因除外的时间不计入目标考核。自2026年1月4日起，每周星期日 02:00 开始，"
                "每次持续2小时（UTC）。",
                "新增除外情形：计划维护：因此原因除外的时间不计入目标考核。自2026年1月4日起，每周星期日 02:00 开始，"
                "每次持续3小时（UTC）。",
                "删除终止权：若目标“checkout”连续 3 个周期未达成，客户可终止本协议。",
                "新增终止权：若目标“checkout”连续 2 个周期未达成，客户可终止本协议。",
            ],
        ),
    ],
)
def test_exclusions_and_rights_changed_read_as_the_old_clause_and_the_new(language: str, expected: list[str]) -> None:
    """An exclusion or a termination right changed in place reads as the old clause removed and the new one added."""
    before = agreement(objectives=[ratio_objective("checkout", target="99.9%")])
    before["spec"]["exclusions"] = [
        {"kind": "maintenance", "start": "2026-01-04T02:00", "duration": "2h", "every": "FREQ=WEEKLY;BYDAY=SU"}
    ]
    right = {"when": {"objective": "checkout", "breachedConsecutivePeriods": 3}, "grants": "terminate"}
    before["spec"]["termination"] = {"clause": "Either party may end it.", "rights": [right]}
    after = copy.deepcopy(before)
    after["spec"]["exclusions"][0]["duration"] = "3h"
    after["spec"]["termination"]["rights"][0]["when"]["breachedConsecutivePeriods"] = 2
    first, second = agreement_model(before), agreement_model(after)
    lines = describe(Locale.of(language), diff(first, second), first, second)
    assert [line.text for line in lines] == expected


def test_an_objective_with_a_title_is_named_by_its_title() -> None:
    """Parties read titles: "Checkout success: target …", not the objective's identifier."""

    def titled(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["target"] = "99.95%"

    objective = ratio_objective("checkout", target="99.9%")
    objective["title"] = "Checkout success"
    before = agreement(objectives=[objective])
    after = copy.deepcopy(before)
    titled(after)
    first, second = agreement_model(before), agreement_model(after)
    lines = describe(Locale.of("en"), diff(first, second), first, second)
    assert [line.text for line in lines] == ["Checkout success: target 99.9% → 99.95%"]
