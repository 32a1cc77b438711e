"""What a target allows: the error budget of one period, before any measurement.

For a target `t` and a period of length `L`, the budget is `(1 − t) × L` (Google SRE workbook,
"Implementing SLOs": error budget = 1 − SLO). For events the budget is a share of the period's
valid events; for time (availability, time slices, freshness) it is time. All arithmetic is
exact: 99.9% of a 31-day month allows exactly 44.64 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from attain.model import (
    AvailabilityIndicator,
    BudgetingMethod,
    CalendarUnit,
    CalendarWindow,
    FreshnessIndicator,
    Objective,
    RollingWindow,
)

_DAY = timedelta(days=1)

CALENDAR_LENGTHS: dict[CalendarUnit, tuple[timedelta, ...]] = {
    CalendarUnit.DAY: (timedelta(hours=23), _DAY, timedelta(hours=25)),
    CalendarUnit.WEEK: (7 * _DAY,),
    CalendarUnit.MONTH: (28 * _DAY, 29 * _DAY, 30 * _DAY, 31 * _DAY),
    CalendarUnit.QUARTER: (90 * _DAY, 91 * _DAY, 92 * _DAY),
    CalendarUnit.YEAR: (365 * _DAY, 366 * _DAY),
}
"""The lengths a calendar period can have. A day is 23 or 25 hours on a daylight-saving change;
the other units are listed by whole days (a DST change moves a month by an hour as well)."""


@dataclass(frozen=True, slots=True)
class Allowance:
    """The budget of one period of a given length."""

    period: timedelta
    bad_share: Decimal
    """Share of the period's events (or time) that may be bad: 1 − target."""
    bad_minutes: Decimal | None
    """Minutes that may be bad, for time-based objectives."""
    bad_slices: Decimal | None
    """Time slices that may be bad, for Timeslices budgeting."""


def period_lengths(objective: Objective) -> tuple[timedelta, ...]:
    """The lengths the objective's window can have: one for rolling, several for calendar units."""
    window = objective.window
    if isinstance(window, RollingWindow):
        return (window.rolling,)
    assert isinstance(window, CalendarWindow)
    return CALENDAR_LENGTHS[window.calendar]


def is_time_based(objective: Objective) -> bool:
    """Whether the objective's budget is time (minutes) rather than a share of events."""
    return isinstance(objective.indicator, AvailabilityIndicator | FreshnessIndicator) or (
        objective.budgeting.method is not BudgetingMethod.OCCURRENCES
    )


def allowance(objective: Objective, period: timedelta) -> Allowance:
    """The budget of a period of length `period` for an objective with a target."""
    if objective.target is None:
        raise ValueError(f"objective {objective.name!r} has no target, so no budget")
    share = Decimal(1) - objective.target
    minutes = Decimal(int(period.total_seconds())) / 60
    bad_minutes = share * minutes if is_time_based(objective) else None
    bad_slices = None
    slice_length = objective.budgeting.slice
    if slice_length is not None:
        bad_slices = share * (Decimal(int(period.total_seconds())) / Decimal(int(slice_length.total_seconds())))
    return Allowance(period, share, bad_minutes, bad_slices)
