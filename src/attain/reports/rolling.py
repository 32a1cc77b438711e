"""The error budget of a rolling window, day by day, from the report's day-by-day view.

A rolling window of whole days that ends at the end of a local day is the run of that many
days before it, and an error budget adds up over days: events (or slices, or minutes) allowed
to be bad and those that were both sum over the days (SRE workbook, ch. 2 "Implementing SLOs":
budget = (1 − target) × valid events; consumed = bad events). So the share left of the window
ending after day i is 1 − Σ consumed ÷ Σ allowed over days i − n + 1 … i, computed from the
engine's own per-day budgets, never re-implemented. Days are local days: across a daylight-saving
change, n of them last an hour more or less than the engine's n × 24 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attain.reports.period import Day  # the report's day imports this module's window_days

DAY = timedelta(days=1)


def window_days(length: timedelta) -> int | None:
    """How many days a rolling window of `length` spans; None when it is not a whole number of days."""
    return None if length % DAY or length < DAY else length // DAY


def rolling_left(days: Sequence[Day], length: int) -> list[tuple[date, Decimal | None]]:
    """Each day and the share of the budget left of the `length`-day window ending after it.

    Args:
        days: Consecutive days, oldest first (days before the agreement took effect are absent,
            as they are from the engine's window).
        length: The window's length in days.

    None where the window allows no bad event (nothing valid measured in it).
    """
    found: list[tuple[date, Decimal | None]] = []
    for i, day in enumerate(days):
        window = [d.result.budget for d in days[max(0, i - length + 1) : i + 1] if d.result.budget is not None]
        allowed = sum((b.allowed for b in window), Decimal(0))
        consumed = sum((b.consumed for b in window), Decimal(0))
        found.append((day.day, None if allowed <= 0 else Decimal(1) - consumed / allowed))
    return found
