"""Error budgets in events, slices and minutes, computed exactly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.budget import Budget, attainment_budget, event_budget, time_budget, time_to_exhaustion
from attain.engine.budgeting import Attainment
from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, US_PER_SECOND

THIRTY_DAYS_US = 30 * US_PER_DAY


def test_event_budget() -> None:
    """99.9% of a million events allows 1,000 bad ones; 250 bad leave 750 and spend a quarter."""
    budget = event_budget(250, 1_000_000, Decimal("0.999"))
    # 0.001 × 1,000,000 = 1,000; 1,000 − 250 = 750; 250 / 1,000 = 0.25
    assert budget == Budget(Decimal(1000), Decimal(250), Decimal(750), "events")
    assert budget.consumed_share == Decimal("0.25")
    assert not budget.overspent


def test_time_budget_of_thirty_days() -> None:
    """99.9% of 30 days allows 43.2 minutes; 30 bad minutes leave 13.2."""
    budget = time_budget(30 * US_PER_MINUTE, THIRTY_DAYS_US, Decimal("0.999"))
    # 0.001 × 43,200 min = 43.2; 43.2 − 30 = 13.2; 30 / 43.2 = 0.69444…, half-even at 28 digits
    assert budget == Budget(Decimal("43.2"), Decimal(30), Decimal("13.2"), "minutes")
    assert budget.consumed_share == Decimal("0.6944444444444444444444444444")


def test_overspent_budget_goes_negative() -> None:
    """50 bad minutes against 43.2 allowed leave −6.8 and a share above one."""
    budget = time_budget(50 * US_PER_MINUTE, THIRTY_DAYS_US, Decimal("0.999"))
    # 43.2 − 50 = −6.8; 50 / 43.2 = 125/108 = 1.157407407…
    assert budget.remaining == Decimal("-6.8")
    assert budget.consumed_share == Decimal("1.157407407407407407407407407")
    assert budget.overspent


def test_spending_exactly_the_budget_is_not_overspending() -> None:
    """Exactly 43 min 12 s of 30 days at 99.9% leaves zero, and one more microsecond overspends."""
    at_limit = 43 * US_PER_MINUTE + 12 * US_PER_SECOND  # 43.2 minutes
    assert time_budget(at_limit, THIRTY_DAYS_US, Decimal("0.999")).remaining == 0
    assert not time_budget(at_limit, THIRTY_DAYS_US, Decimal("0.999")).overspent
    assert time_budget(at_limit + 1, THIRTY_DAYS_US, Decimal("0.999")).overspent


def test_a_third_of_a_minute_keeps_the_parts_exact() -> None:
    """20 bad seconds are 1/3 minute: the remainder is rounded, consumed is the exact difference."""
    budget = time_budget(20 * US_PER_SECOND, US_PER_DAY, Decimal("0.99"))
    # allowed 0.01 × 1,440 = 14.4; remaining 14.4 − 1/3 = 14.0666…, half-even at 28 digits: …667;
    # consumed 14.4 − 14.06666666666666666666666667 = 0.33333333333333333333333333
    assert budget.remaining == Decimal("14.06666666666666666666666667")
    assert budget.consumed == Decimal("0.33333333333333333333333333")
    assert budget.consumed + budget.remaining == Decimal("14.4")


def test_the_sign_survives_rounding() -> None:
    """A period that is not a whole number of minutes, spent exactly, leaves exactly zero."""
    # 90% of 100 s allows 10 s = 1/6 min (not a terminating decimal); 10 s bad spends it exactly
    budget = time_budget(10 * US_PER_SECOND, 100 * US_PER_SECOND, Decimal("0.9"))
    assert budget.remaining == 0
    assert not budget.overspent
    assert time_budget(10 * US_PER_SECOND + 1, 100 * US_PER_SECOND, Decimal("0.9")).overspent


def test_a_perfect_target_allows_nothing() -> None:
    """A 100% target allows nothing, so the consumed share is None rather than a division by zero."""
    budget = event_budget(0, 10, Decimal(1))
    assert budget.allowed == 0
    assert budget.consumed_share is None


def test_ratio_timeslices_budget_is_in_slices() -> None:
    """A slice-ratio attainment gives a budget in slices: 95% of 4 slices allows 0.2 slice."""
    attainment = Attainment(Decimal("3.9"), 4, Decimal("0.1"), Decimal("0.975"), "slice-ratio")
    # 0.05 × 4 = 0.2; 0.2 − 0.1 = 0.1
    assert attainment_budget(attainment, Decimal("0.95")) == Budget(
        Decimal("0.2"), Decimal("0.1"), Decimal("0.1"), "slices"
    )


@pytest.mark.parametrize(
    ("remaining", "burn", "expected"),
    [
        (Decimal("13.2"), Decimal(6), timedelta(hours=2, minutes=12)),  # 13.2 / 6 = 2.2 h
        (Decimal(1), Decimal(3), timedelta(minutes=20)),  # 1/3 h
        (Decimal(1), Decimal(7), timedelta(microseconds=514_285_714)),  # 3.6e9 µs / 7 = 514,285,714.28…
        (Decimal(0), Decimal(1), timedelta(0)),
        (Decimal(-2), Decimal(1), timedelta(0)),
        (Decimal(5), Decimal(0), None),
        (Decimal(5), Decimal(-1), None),
    ],
)
def test_time_to_exhaustion(remaining: Decimal, burn: Decimal, expected: timedelta | None) -> None:
    """Remaining budget over a steady burn per hour, rounded down; zero when spent, None when not burning."""
    assert time_to_exhaustion(remaining, burn) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: event_budget(1, 10, Decimal("1.5")), "target must lie in"),
        (lambda: event_budget(11, 10, Decimal("0.9")), "need 0 ≤ bad ≤ valid"),
        (lambda: time_budget(2, 1, Decimal("0.9")), "need 0 ≤ bad time ≤ period"),
    ],
)
def test_impossible_inputs_are_refused(call: object, message: str) -> None:
    """A target outside [0, 1] or more bad than there is raises ValueError."""
    assert callable(call)
    with pytest.raises(ValueError, match=message):
        call()


targets = st.integers(0, 1_000_000).map(lambda ppm: Decimal(ppm).scaleb(-6))


@given(valid=st.integers(0, 10**15), data=st.data(), target=targets)
def test_event_parts_add_up(valid: int, data: st.DataObject, target: Decimal) -> None:
    """The consumed and remaining parts add up to allowed exactly, for events."""
    budget = event_budget(data.draw(st.integers(0, valid)), valid, target)
    assert budget.consumed + budget.remaining == budget.allowed


@given(period_us=st.integers(1, 400 * US_PER_DAY), data=st.data(), target=targets)
def test_time_parts_add_up_and_the_sign_is_exact(period_us: int, data: st.DataObject, target: Decimal) -> None:
    """The parts add up to allowed exactly in minutes, and overspent agrees with exact rational arithmetic."""
    bad_us = data.draw(st.integers(0, period_us))
    budget = time_budget(bad_us, period_us, target)
    assert budget.consumed + budget.remaining == budget.allowed
    assert budget.overspent == (Fraction(bad_us) > (1 - Fraction(target)) * period_us)
