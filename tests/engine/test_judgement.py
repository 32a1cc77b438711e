"""The periods of an objective, the nominal period of its burn-rate factors, and how a period is judged."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from attain.engine.instant import US_PER_DAY, to_us
from attain.engine.judgement import budget_state, judge, nominal_period, objective_periods
from attain.engine.result import Status
from attain.testing import agreement, agreement_model, ratio_objective

TARGET = Decimal("0.999")


def utc(*parts: int) -> int:
    """An instant from UTC parts."""
    return to_us(datetime(*parts, tzinfo=UTC))  # type: ignore[misc]


def test_a_ratio_at_the_target_is_met_and_one_below_breached_when_closed() -> None:
    """99.9% against a 99.9% target is met; 99.8% is breached in a closed period and at risk in an open one."""
    assert judge(Decimal("0.999"), TARGET, closed=False) is Status.MET
    assert judge(Decimal("0.998"), TARGET, closed=True) is Status.BREACHED
    assert judge(Decimal("0.998"), TARGET, closed=False) is Status.AT_RISK


def test_an_open_period_is_breached_once_the_breach_is_certain() -> None:
    """An open period below its target whose breach is already certain is breached, not at risk."""
    assert judge(Decimal("0.998"), TARGET, closed=False, certain_breach=True) is Status.BREACHED


def test_no_ratio_is_no_data() -> None:
    """A period without a ratio has no data, closed or not."""
    assert judge(None, TARGET, closed=True) is Status.NO_DATA
    assert judge(None, TARGET, closed=False) is Status.NO_DATA


def test_calendar_months_are_30_days_and_rolling_windows_their_length() -> None:
    """Burn-rate factors take a calendar month as 30 days, a calendar week as 7, and a rolling 28d as 28."""
    document = agreement(
        objectives=[
            ratio_objective("monthly", window={"calendar": "month"}),
            ratio_objective("weekly", window={"calendar": "week"}),
            ratio_objective("rolling", window={"rolling": "28d"}),
        ]
    )
    monthly, weekly, rolling = agreement_model(document).objectives
    assert nominal_period(monthly) == 30 * US_PER_DAY
    assert nominal_period(weekly) == 7 * US_PER_DAY
    assert nominal_period(rolling) == 28 * US_PER_DAY


def test_calendar_periods_follow_the_agreements_time_zone() -> None:
    """Months in Europe/Berlin: October 2024 starts 2024-09-30T22:00Z, November 2024-10-31T23:00Z."""
    model = agreement_model(
        agreement(objectives=[ratio_objective(window={"calendar": "month"})], time_zone="Europe/Berlin")
    )
    periods = objective_periods(model, model.objectives[0], utc(2024, 10, 1), utc(2024, 11, 15))
    assert [(p.label, p.start, p.end) for p in periods] == [
        ("2024-10", utc(2024, 9, 30, 22), utc(2024, 10, 31, 23)),
        ("2024-11", utc(2024, 10, 31, 23), utc(2024, 11, 30, 23)),
    ]


def test_a_rolling_window_is_one_period_ending_at_the_instant() -> None:
    """A rolling 7d objective has the one period [at − 7 days, at), and none when nothing is measured yet."""
    model = agreement_model(agreement(objectives=[ratio_objective(window={"rolling": "7d"})]))
    objective, at = model.objectives[0], utc(2024, 11, 15)
    (period,) = objective_periods(model, objective, utc(2024, 1, 1), at)
    assert (period.start, period.end) == (at - 7 * US_PER_DAY, at)
    assert objective_periods(model, objective, at, at) == []


def test_no_budget_has_no_budget_state() -> None:
    """A period without a budget (nothing valid) shows none."""
    assert budget_state(None) is None
