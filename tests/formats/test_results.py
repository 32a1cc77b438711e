"""Evaluation results as JSON data: instants in UTC with Z, exact decimal strings, minutes and seconds as integers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from attain.engine.credit import ObjectiveCredit, PeriodCredit
from attain.engine.instant import to_us
from attain.engine.result import AlertState, BudgetState, Evaluation, ObjectiveEvaluation, PeriodResult, Status
from attain.engine.termination import TerminationGrant
from attain.formats.results import evaluation_data, period_data
from attain.model.termination import Right, TerminationCondition, TerminationRule

JAN = to_us(datetime(2027, 1, 1, tzinfo=UTC))
FEB = to_us(datetime(2027, 2, 1, tzinfo=UTC))
MID = to_us(datetime(2027, 1, 15, 12, 30, tzinfo=UTC))
MINUTE_US = 60_000_000


def _period(*, closed: bool = False) -> PeriodResult:
    """January 2027, measured until the 15th at 12:30, 998 of 1,000 good against a budget of one event."""
    return PeriodResult(
        objective="checkout",
        period="2027-01",
        start=JAN,
        end=FEB,
        measured_from=JAN,
        measured_until=FEB if closed else MID,
        closed=closed,
        status=Status.AT_RISK,
        version=2,
        unit="month",
        good=Decimal(998),
        valid=Decimal(1000),
        ratio=Decimal("0.998"),
        budget=BudgetState("events", allowed=Decimal("1.0"), consumed=Decimal("2.00"), remaining=Decimal("-1.0")),
        detail={"bad": Decimal("2.0"), "note": "late"},
        target=Decimal("0.999"),
    )


def test_a_period_is_plain_data_with_exact_decimal_strings() -> None:
    """A period's instants are UTC ISO text, its decimals exact strings without trailing zeros, its ratio also a percent."""
    assert period_data(_period()) == {
        "period": "2027-01",
        "start": "2027-01-01T00:00:00Z",
        "end": "2027-02-01T00:00:00Z",
        "measuredFrom": "2027-01-01T00:00:00Z",
        "measuredUntil": "2027-01-15T12:30:00Z",
        "closed": False,
        "partial": True,
        "status": "at_risk",
        "version": 2,
        "unit": "month",
        "good": "998",
        "valid": "1000",
        "ratio": "0.998",
        "percent": "99.8%",
        # 99.8% against 99.9%: the target's one place plus one, so 99.80%.
        "percentDisplay": "99.80%",
        "target": "0.999",
        "targetPercent": "99.9%",
        "statistic": None,
        "budget": {"unit": "events", "allowed": "1", "consumed": "2", "remaining": "-1"},
        "detail": {"bad": "2", "note": "late"},
        "gaps": None,
    }


def test_a_closed_period_is_not_partial_and_a_period_without_budget_has_none() -> None:
    """A period measured from start to end is not partial; a statistic's period has no budget and no percent."""
    closed = _period(closed=True)
    statistic = PeriodResult(
        objective="p95",
        period="2027-01",
        start=JAN,
        end=FEB,
        measured_from=JAN,
        measured_until=FEB,
        closed=True,
        status=Status.MET,
        version=1,
        unit="month",
        statistic=Decimal("412.50"),
    )
    assert period_data(closed)["partial"] is False
    data = period_data(statistic)
    assert (data["budget"], data["ratio"], data["percent"], data["statistic"]) == (None, None, None, "412.5")
    assert (data["percentDisplay"], data["target"], data["targetPercent"]) == (None, None, None)


def test_an_evaluation_is_plain_data_with_alerts_credits_and_rights() -> None:
    """Windows are whole minutes, exhaustion whole seconds, credit shares percentages, and it all dumps as JSON."""
    rule = TerminationRule(
        when=TerminationCondition(objective="checkout", breached_consecutive_periods=3), grants=Right.TERMINATE
    )
    evaluation = Evaluation(
        agreement="shop",
        version=2,
        at=MID,
        since=JAN,
        objectives=(
            ObjectiveEvaluation(
                objective="checkout",
                periods=(_period(),),
                alerts=(AlertState("page", 60 * MINUTE_US, 5 * MINUTE_US, Decimal("14.40"), ((JAN, MID),), True),),
                burn_per_hour=Decimal("0.50"),
                exhaustion=timedelta(hours=1, seconds=30),
                burn_rate=Decimal("2.50"),
                burn_rates=((60 * MINUTE_US, Decimal("2.50")), (5 * MINUTE_US, None)),
            ),
        ),
        credits=(
            PeriodCredit(
                "2027-01",
                parts=(
                    ObjectiveCredit("checkout", Decimal("0.998"), None, Decimal("0.10")),
                    ObjectiveCredit("search", Decimal("0.9995"), None, Decimal(0)),
                ),
                share=Decimal("0.10"),
                amount=Decimal("100.00"),
                payable=Decimal(0),
                currency="CNY",
            ),
        ),
        termination=(TerminationGrant(rule, "checkout", FEB, ("2026-11", "2026-12", "2027-01")),),
    )
    data = evaluation_data(evaluation)
    assert json.loads(json.dumps(data)) == data
    [objective] = data.pop("objectives")
    assert data == {
        "agreement": "shop",
        "version": 2,
        "at": "2027-01-15T12:30:00Z",
        "since": "2027-01-01T00:00:00Z",
        "breached": False,
        "credits": [
            {
                "period": "2027-01",
                "share": "10%",
                "amount": "100",
                "payable": "0",
                "currency": "CNY",
                "objectives": {"checkout": "10%", "search": "0%"},
                "triggeredBy": ["checkout"],
            }
        ],
        "termination": [
            {
                "objective": "checkout",
                "grants": "terminate",
                "grantedAt": "2027-02-01T00:00:00Z",
                "periods": ["2026-11", "2026-12", "2027-01"],
            }
        ],
    }
    assert objective == {
        "objective": "checkout",
        "burnRate1h": "2.5",
        "burnRates": [{"windowMinutes": 60, "burnRate": "2.5"}, {"windowMinutes": 5, "burnRate": None}],
        "burnPerHour": "0.5",
        "exhaustionSeconds": 3630,
        "periods": [period_data(_period())],
        "alerts": [
            {
                "severity": "page",
                "longWindowMinutes": 60,
                "shortWindowMinutes": 5,
                "factor": "14.4",
                "firing": True,
                "intervals": [["2027-01-01T00:00:00Z", "2027-01-15T12:30:00Z"]],
            }
        ],
        "cases": None,
    }
