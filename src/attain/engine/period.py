"""Calendar periods in a time zone, and rolling windows.

A calendar period starts at local midnight of its first day in the window's time zone (for a
week, of its `weekStart` day; for a month, quarter and year, of day 1) and ends where the next
one starts, so periods tile time with no gap or overlap. Their length in real time is whatever
the zone makes it: October 2024 in Europe/Berlin has 745 hours (the clocks go back on the 27th),
March 2024 has 743, a month in UTC is 28 to 31 days. Where local midnight does not exist (a
zone that springs forward at 00:00), the period starts at the first instant after the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from attain.engine.instant import from_us, to_us
from attain.model.unit import CalendarUnit


@dataclass(frozen=True, slots=True)
class Period:
    """One period `[start, end)` in microseconds, with a label such as `2024-10`."""

    start: int
    end: int
    label: str

    @property
    def length(self) -> int:
        """Length in microseconds."""
        return self.end - self.start


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The tz database zone of that name."""
    return ZoneInfo(name)


def local_midnight(day: date, zone_name: str) -> int:
    """The instant local midnight begins `day`, or the end of the gap where it does not exist."""
    tz = zone(zone_name)
    naive = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall-clock time, placed below
    later = to_us(naive.replace(tzinfo=tz).astimezone(UTC))
    if from_us(later).astimezone(tz).replace(tzinfo=None) == naive:
        return later
    # Midnight falls in a gap: the day begins at the clock change, the first instant whose local
    # date is `day`. It lies between the two readings of midnight (offset after vs before).
    earlier = to_us(naive.replace(tzinfo=tz, fold=1).astimezone(UTC))
    while later - earlier > 1:
        middle = (earlier + later) // 2
        if from_us(middle).astimezone(tz).date() >= day:
            later = middle
        else:
            earlier = middle
    return later


def unit_start(unit: CalendarUnit, day: date, week_start: int = 1) -> date:
    """The first day of the period of `unit` that contains `day`."""
    if unit is CalendarUnit.DAY:
        return day
    if unit is CalendarUnit.WEEK:
        return day - timedelta(days=(day.isoweekday() - week_start) % 7)
    if unit is CalendarUnit.MONTH:
        return day.replace(day=1)
    if unit is CalendarUnit.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def next_unit_start(unit: CalendarUnit, first: date) -> date:
    """The first day of the period after the one starting on `first`."""
    if unit is CalendarUnit.DAY:
        return first + timedelta(days=1)
    if unit is CalendarUnit.WEEK:
        return first + timedelta(days=7)
    months = {CalendarUnit.MONTH: 1, CalendarUnit.QUARTER: 3, CalendarUnit.YEAR: 12}[unit]
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def label(unit: CalendarUnit, first: date) -> str:
    """A period's label: 2024-10-27, 2024-W43, 2024-10, 2024-Q4, 2024."""
    if unit is CalendarUnit.DAY:
        return first.isoformat()
    if unit is CalendarUnit.WEEK:
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}"
    if unit is CalendarUnit.MONTH:
        return f"{first:%Y-%m}"
    if unit is CalendarUnit.QUARTER:
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return str(first.year)


def period_at(unit: CalendarUnit, zone_name: str, instant: int, week_start: int = 1) -> Period:
    """The calendar period that contains `instant`."""
    local_day = from_us(instant).astimezone(zone(zone_name)).date()
    first = unit_start(unit, local_day, week_start)
    start = local_midnight(first, zone_name)
    if start > instant:  # only possible inside a gap at midnight; step back one period
        first = unit_start(unit, first - timedelta(days=1), week_start)
        start = local_midnight(first, zone_name)
    following = next_unit_start(unit, first)
    return Period(start, local_midnight(following, zone_name), label(unit, first))


def periods_between(unit: CalendarUnit, zone_name: str, start: int, end: int, week_start: int = 1) -> list[Period]:
    """The calendar periods that overlap `[start, end)`, in order, whole (not clipped)."""
    if end <= start:
        return []
    periods = [period_at(unit, zone_name, start, week_start)]
    while periods[-1].end < end:
        first_day = from_us(periods[-1].end).astimezone(zone(zone_name)).date()
        first = unit_start(unit, first_day, week_start)
        following = next_unit_start(unit, first)
        periods.append(Period(periods[-1].end, local_midnight(following, zone_name), label(unit, first)))
    return periods


def rolling(length: int, at: int) -> Period:
    """The rolling window of `length` microseconds that ends at `at`: `[at - length, at)`."""
    return Period(at - length, at, f"rolling until {from_us(at).isoformat()}")
