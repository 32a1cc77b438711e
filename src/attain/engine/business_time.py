"""Clocks that count time: all of it (calendar time), or only business hours.

A `Clock` answers three questions about half-open intervals of instants (µs since the epoch):
how much counted time lies in `[start, end)`, which parts of it are counted, and when a given
amount of counted time will have run from `start`.

Business hours are the calendar's weekly opening hours, read as local wall-clock times in its
time zone, on working days. A day is not a working day when it is a public holiday of the
calendar's country (and subdivision) per the `holidays` package, or one of `extra_holidays`;
a date in `extra_working_days` is a working day with `working_day_hours()` even on a weekend
or a holiday.

Wall-clock times become instants as follows, so that the clock is exact across daylight saving
changes: an opening of 09:00-18:00 counts 9 real hours on any day whose clock change falls
outside it, and a window that spans the change counts the real time that passes (01:00-05:00
on a spring-forward night in Europe/Berlin is 3 hours, on a fall-back night 5 hours).

- A local time that does not exist (it falls in a gap) maps forward to the first instant after
  the gap, the same rule `attain.engine.period.local_midnight` uses for midnight.
- A local time that occurs twice (the fold when clocks go back) means its first occurrence.
- `24:00` (an end of None) is local midnight of the next day.

Holidays are looked up once per country, subdivision and year; opening intervals once per day
and clock, so spans of years cost one small computation per day, never per minute.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol

from attain.engine.instant import Interval, from_us, merge, to_us
from attain.engine.period import local_midnight, zone
from attain.model.calendar import BusinessCalendar
from attain.model.clock import TimeBasis
from attain.model.indicator import CaseIndicator

_MAX_CLOSED_DAYS = 3660
"""Consecutive closed days after which `add` gives up: a calendar that never opens again."""

DayHours = tuple[tuple[time, time | None], ...]


class Clock(Protocol):
    """Counts time within intervals: all of it, or only what a calendar counts."""

    def elapsed(self, start: int, end: int) -> int:
        """Counted microseconds within `[start, end)`; 0 when `end <= start`."""
        ...

    def add(self, start: int, duration: int) -> int:
        """The earliest instant `t >= start` with `elapsed(start, t) == duration`.

        For business time, a start outside business hours begins counting at the next opening.
        """
        ...

    def open_intervals(self, start: int, end: int) -> list[Interval]:
        """The counted parts of `[start, end)`, sorted, merged, none empty."""
        ...


class CalendarClock:
    """A clock that counts all time: elapsed is simply `end - start`."""

    def elapsed(self, start: int, end: int) -> int:
        """Microseconds from `start` to `end`, or 0 when `end <= start`."""
        return max(0, end - start)

    def add(self, start: int, duration: int) -> int:
        """`start + duration`.

        Raises:
            ValueError: `duration` is negative.
        """
        _check_duration(duration)
        return start + duration

    def open_intervals(self, start: int, end: int) -> list[Interval]:
        """The whole interval, when it is not empty."""
        return [(start, end)] if end > start else []


class BusinessClock:
    """A clock that counts only the business hours of a `BusinessCalendar` (see the module docstring).

    Args:
        calendar: The opening hours, time zone, holidays and extra working days.
    """

    def __init__(self, calendar: BusinessCalendar) -> None:
        self._calendar = calendar
        self._zone_name = calendar.time_zone
        self._week = calendar.weekly_hours()
        self._working_day_hours = calendar.working_day_hours()
        self._extra_holidays = frozenset(calendar.extra_holidays)
        self._extra_working_days = frozenset(calendar.extra_working_days)
        self._days: dict[date, tuple[Interval, ...]] = {}

    def elapsed(self, start: int, end: int) -> int:
        """Business microseconds within `[start, end)`."""
        return sum(high - low for low, high in self.open_intervals(start, end))

    def add(self, start: int, duration: int) -> int:
        """The instant at which `duration` business microseconds have run from `start`.

        Raises:
            ValueError: `duration` is negative, or the calendar stays closed for ten years.
        """
        _check_duration(duration)
        if duration == 0:
            return start
        remaining = duration
        day = self._local_date(start)
        closed_days = 0
        while closed_days < _MAX_CLOSED_DAYS:
            counted = [(max(low, start), high) for low, high in self.day_intervals(day) if high > start]
            closed_days = 0 if counted else closed_days + 1
            for low, high in counted:
                if remaining <= high - low:
                    return low + remaining
                remaining -= high - low
            day += timedelta(days=1)
        raise ValueError(f"the business calendar has no opening hours for {_MAX_CLOSED_DAYS} days after {day}")

    def open_intervals(self, start: int, end: int) -> list[Interval]:
        """Business hours within `[start, end)`, merged across days where they touch."""
        if end <= start:
            return []
        found: list[Interval] = []
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            found.extend((max(low, start), min(high, end)) for low, high in self.day_intervals(day))
            day += timedelta(days=1)
        return merge(found)

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """The business hours of one local date as instants (empty on a day off)."""
        cached = self._days.get(day)
        if cached is None:
            pairs = ((self._instant(day, low), self._instant(day, high)) for low, high in self.hours_on(day))
            cached = tuple((low, high) for low, high in pairs if high > low)
            self._days[day] = cached
        return cached

    def hours_on(self, day: date) -> DayHours:
        """The wall-clock opening hours of a local date: extra working day, day off or weekday."""
        if day in self._extra_working_days:
            return self._working_day_hours
        if day in self._extra_holidays or self._is_public_holiday(day):
            return ()
        return self._week[day.weekday()]

    def _is_public_holiday(self, day: date) -> bool:
        source = self._calendar.holidays
        if source is None:
            return False
        return day in public_holidays(source.country, source.subdivision, day.year)

    def _local_date(self, instant: int) -> date:
        return from_us(instant).astimezone(zone(self._zone_name)).date()

    def _instant(self, day: date, moment: time | None) -> int:
        if moment is None:
            return local_midnight(day + timedelta(days=1), self._zone_name)
        return wall_instant(datetime.combine(day, moment), self._zone_name)


def wall_instant(naive: datetime, zone_name: str) -> int:
    """The instant a local wall-clock time names: first occurrence in a fold, gap end in a gap."""
    tz = zone(zone_name)
    # fold=0 reads an ambiguous time with the earlier offset (its first occurrence), and a time in
    # a gap with the offset before the gap, which lands after the gap.
    later = to_us(naive.replace(tzinfo=tz, fold=0).astimezone(UTC))
    if from_us(later).astimezone(tz).replace(tzinfo=None) == naive:
        return later
    earlier = to_us(naive.replace(tzinfo=tz, fold=1).astimezone(UTC))
    while later - earlier > 1:
        middle = (earlier + later) // 2
        if from_us(middle).astimezone(tz).replace(tzinfo=None) >= naive:
            later = middle
        else:
            earlier = middle
    return later


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of a country (and subdivision) in one year, per the `holidays` package."""
    import holidays  # noqa: PLC0415 - loaded only when a calendar names a country

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


def clock_for(indicator: CaseIndicator, calendars: Mapping[str, BusinessCalendar]) -> Clock:
    """The clock a case indicator counts with: calendar time, or its named business calendar.

    Raises:
        LookupError: the indicator names a calendar that `calendars` does not hold.
    """
    if indicator.time is TimeBasis.CALENDAR:
        return CalendarClock()
    name = indicator.calendar
    if name is None or name not in calendars:
        known = ", ".join(sorted(calendars)) or "none"
        raise LookupError(f"no business calendar named {name!r}; add it to spec.calendars (known: {known})")
    return BusinessClock(calendars[name])


def _check_duration(duration: int) -> None:
    if duration < 0:
        raise ValueError(f"a clock cannot add a negative duration, got {duration} µs")
