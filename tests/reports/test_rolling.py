"""A rolling window's budget day by day: sums of the days' allowed and consumed budgets."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from attain.engine.result import BudgetState, PeriodResult, Status
from attain.reports.period import Day
from attain.reports.rolling import rolling_left, window_days


def _day(day: int, allowed: str | None, consumed: str = "0") -> Day:
    """Day `day` of November 2026 with a budget of `allowed` events of which `consumed` were used."""
    budget = None if allowed is None else BudgetState("events", Decimal(allowed), Decimal(consumed), Decimal(0))
    result = PeriodResult("o", f"2026-11-{day:02d}", day, day + 1, day, day + 1, True, Status.MET, 1, "events")
    return Day(date(2026, 11, day), PeriodResult(**{**vars(result), "budget": budget}))


def test_each_day_ends_a_window_of_the_last_days() -> None:
    """Windows of 2 days: 1 − 2/10, 1 − (2 + 5)/(10 + 10), 1 − 5/10 (day 3 has no budget), 1 − 0/30."""
    days = [_day(1, "10", "2"), _day(2, "10", "5"), _day(3, None), _day(4, "30")]
    assert rolling_left(days, 2) == [
        (date(2026, 11, 1), Decimal("0.8")),
        (date(2026, 11, 2), Decimal("0.65")),
        (date(2026, 11, 3), Decimal("0.5")),
        (date(2026, 11, 4), Decimal(1)),
    ]


def test_a_window_that_allows_nothing_has_no_share_left() -> None:
    """Nothing valid measured: no budget to take a share of."""
    assert rolling_left([_day(1, "0")], 28) == [(date(2026, 11, 1), None)]


def test_only_whole_days_make_a_window_of_days() -> None:
    """28 days is 28; 1 hour and 36 hours are no whole number of days."""
    assert [window_days(timedelta(days=28)), window_days(timedelta(hours=1)), window_days(timedelta(hours=36))] == [
        28,
        None,
        None,
    ]
