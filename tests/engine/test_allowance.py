"""What a target allows per period, computed exactly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.allowance import allowance, period_lengths
from attain.model import Objective


def objective(target: str, window: object, **extra: object) -> Objective:
    """An availability objective (time-based) with the given target and window."""
    data = {
        "name": "uptime",
        "indicator": {"kind": "availability", "from": "incidents"},
        "target": target,
        "window": window,
    } | extra
    return Objective.model_validate(data, by_alias=True, by_name=False)


def test_ninety_nine_point_nine_of_a_month() -> None:
    """99.9% allows 44.64 min in a 31-day month and 43.2 min in a 30-day month (0.001 × 44,640 / 43,200)."""
    uptime = objective("99.9%", {"calendar": "month"})
    minutes = {length.days: allowance(uptime, length).bad_minutes for length in period_lengths(uptime)}
    assert minutes == {
        28: Decimal("40.32"),
        29: Decimal("41.76"),
        30: Decimal("43.2"),
        31: Decimal("44.64"),
    }


def test_a_dst_day_is_twenty_three_or_twenty_five_hours() -> None:
    """A calendar day may be 23, 24 or 25 hours; 99% of each allows 13.8, 14.4, 15 minutes."""
    daily = objective("99%", {"calendar": "day"})
    assert [allowance(daily, n).bad_minutes for n in period_lengths(daily)] == [
        Decimal("13.8"),
        Decimal("14.4"),
        Decimal(15),
    ]


def test_timeslices_count_bad_slices() -> None:
    """OpenSLO's example: 95% of 2 weeks of 1-minute slices allows 1,008 of 20,160 slices."""
    sliced = objective(
        "95%", {"rolling": "2w"}, budgeting={"method": "Timeslices", "slice": "1m", "sliceTarget": "99%"}
    )
    budget = allowance(sliced, timedelta(weeks=2))
    assert budget.bad_slices == Decimal(1008)
    assert budget.bad_minutes == Decimal(1008)


def test_event_objectives_have_a_share_not_minutes() -> None:
    """An event-based objective's budget is a share of events; it has no minutes."""
    ratio = Objective.model_validate(
        {
            "name": "ok",
            "indicator": {"kind": "ratio", "good": {"where": {"ok": True}}},
            "target": "99.5%",
            "window": "28d",
        },
        by_alias=True,
        by_name=False,
    )
    budget = allowance(ratio, timedelta(days=28))
    assert budget.bad_share == Decimal("0.005")
    assert budget.bad_minutes is None


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=400 * 24 * 60))
def test_budget_and_good_time_add_up_to_the_period(target_ppm_tenths: int, minutes: int) -> None:
    """Allowed bad minutes plus required good minutes always equal the period, exactly."""
    target = Decimal(target_ppm_tenths).scaleb(-5)
    uptime = objective(f"{target * 100}%", {"rolling": f"{minutes}m"})
    budget = allowance(uptime, timedelta(minutes=minutes))
    assert budget.bad_minutes is not None
    assert budget.bad_minutes + target * minutes == minutes
    assert Decimal(0) <= budget.bad_minutes <= minutes
