"""`attain.engine.diff`: every difference between two versions, named items matched by name, terms told from operation."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal
from typing import Any

from attain.engine.diff import diff
from attain.model import Agreement
from attain.testing import agreement, agreement_model, ratio_objective


def _base() -> dict[str, Any]:
    objective = ratio_objective("checkout", target="99.9%", alerting="sre-workbook")
    objective["credits"] = [
        {"below": "99.9%", "atLeast": "99%", "credit": "10%"},
        {"below": "99%", "credit": "25%"},
    ]
    document = agreement(objectives=[objective, ratio_objective("search", target="99%")])
    document["spec"]["changes"] = {"clause": "Changes in writing.", "notice": "30d"}
    document["spec"]["exclusions"] = [
        {"kind": "maintenance", "start": "2026-01-04T02:00", "duration": "2h", "every": "FREQ=WEEKLY;BYDAY=SU"}
    ]
    return document


def _pair(edit: Any) -> tuple[Agreement, Agreement]:
    before = _base()
    after = copy.deepcopy(before)
    edit(after)
    return agreement_model(before), agreement_model(after)


def test_identical_agreements_differ_in_nothing_but_version_and_status() -> None:
    """Identical agreements differ in nothing but version and status."""

    def bump(doc: dict[str, Any]) -> None:
        doc["spec"]["version"] = 2
        doc["spec"]["status"] = "active"

    assert diff(*_pair(bump)) == ()


def test_a_target_change_is_one_change_of_terms_at_the_objective_path() -> None:
    """A target change is one change of terms at the objective path."""

    def raise_target(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["target"] = "99.95%"

    [change] = diff(*_pair(raise_target))
    assert change.path == ("spec", "objectives", "checkout", "target")
    assert (change.before, change.after, change.terms) == (Decimal("0.999"), Decimal("0.9995"), True)


def test_a_tier_is_matched_by_its_edges_so_a_credit_change_is_one_change() -> None:
    """A tier is matched by its edges so a credit change is one change."""

    def more_credit(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["credits"][1]["credit"] = "30%"

    [change] = diff(*_pair(more_credit))
    assert change.where == "spec.objectives.checkout.credits.attainment < 99%.credit"
    assert (change.before, change.after) == (Decimal("0.25"), Decimal("0.30"))


def test_moving_a_tier_edge_removes_one_tier_and_adds_another() -> None:
    """Moving a tier edge removes one tier and adds another."""

    def move_edge(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["credits"] = [
            {"below": "99.9%", "atLeast": "98%", "credit": "10%"},
            {"below": "98%", "credit": "25%"},
        ]

    changes = diff(*_pair(move_edge))
    assert [(c.path[-1], c.removed, c.added) for c in changes] == [
        ("99% ≤ attainment < 99.9%", True, False),
        ("attainment < 99%", True, False),
        ("98% ≤ attainment < 99.9%", False, True),
        ("attainment < 98%", False, True),
    ]


def test_objectives_added_and_removed_by_name() -> None:
    """Objectives added and removed by name."""

    def swap(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][1] = ratio_objective("browse", target="98%")

    changes = diff(*_pair(swap))
    assert [(c.where, c.removed, c.added) for c in changes] == [
        ("spec.objectives.search", True, False),
        ("spec.objectives.browse", False, True),
    ]
    assert changes[0].before.target == Decimal("0.99")
    assert changes[1].after.target == Decimal("0.98")


def test_an_exclusion_changed_in_place_is_the_old_one_removed_and_the_new_one_added() -> None:
    """An exclusion changed in place is the old one removed and the new one added."""

    def longer(doc: dict[str, Any]) -> None:
        doc["spec"]["exclusions"][0]["duration"] = "3h"

    removed, added = diff(*_pair(longer))
    assert (removed.where, removed.before.duration, removed.after) == ("spec.exclusions", timedelta(hours=2), None)
    assert (added.where, added.before, added.after.duration) == ("spec.exclusions", None, timedelta(hours=3))
    assert removed.terms
    assert added.terms


def test_alerting_and_stream_names_are_operation_not_terms() -> None:
    """Alerting and stream names are operation not terms."""

    def operate(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][0]["alerting"] = None
        del doc["spec"]["objectives"][0]["alerting"]
        doc["spec"]["objectives"][0]["indicator"]["events"] = "orders"
        doc["metadata"]["labels"] = {"team": "payments"}

    changes = diff(*_pair(operate))
    assert {(c.where, c.terms) for c in changes} == {
        ("metadata.labels.team", False),
        ("spec.objectives.checkout.indicator.events", False),
        ("spec.objectives.checkout.alerting", False),
    }


def test_notice_and_window_changes_are_terms() -> None:
    """Notice and window changes are terms."""

    def longer_notice(doc: dict[str, Any]) -> None:
        doc["spec"]["changes"]["notice"] = "60d"
        doc["spec"]["objectives"][1]["window"] = {"rolling": "28d"}

    changes = diff(*_pair(longer_notice))
    assert [(c.where, c.terms) for c in changes] == [
        ("spec.objectives.search.window", True),
        ("spec.changes.notice", True),
    ]
    assert (changes[1].before, changes[1].after) == (timedelta(days=30), timedelta(days=60))


def test_a_window_and_a_fee_are_compared_whole() -> None:
    """A window from month to quarter and a fee's amount are each one change of the whole value."""

    def quarterly(doc: dict[str, Any]) -> None:
        doc["spec"]["objectives"][1]["window"] = {"calendar": "quarter"}
        doc["spec"]["fee"] = {"amount": "1200", "currency": "EUR"}

    before = _base()
    before["spec"]["objectives"][1]["window"] = {"calendar": "month"}
    before["spec"]["fee"] = {"amount": "1000", "currency": "EUR"}
    after = copy.deepcopy(before)
    quarterly(after)
    changes = diff(agreement_model(before), agreement_model(after))
    assert [c.where for c in changes] == ["spec.fee", "spec.objectives.search.window"]
    assert (changes[0].before.amount, changes[0].after.amount) == (Decimal(1000), Decimal(1200))
