"""Calendar periods in time zones, DST-correct, tiling time without gaps or overlaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.instant import US_PER_HOUR, from_us, to_us
from attain.engine.period import period_at, periods_between, rolling
from attain.model import CalendarUnit

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Shanghai", "America/Santiago", "Australia/Lord_Howe"]


def utc(*parts: int) -> int:
    """An instant from UTC parts."""
    return to_us(datetime(*parts, tzinfo=UTC))  # type: ignore[misc]


def test_october_2024_in_berlin_has_745_hours() -> None:
    """October 2024 in Europe/Berlin runs from 2024-09-30T22:00Z to 2024-10-31T23:00Z: 31 × 24 + 1 hours."""
    period = period_at(CalendarUnit.MONTH, "Europe/Berlin", utc(2024, 10, 15))
    assert (period.start, period.end, period.label) == (utc(2024, 9, 30, 22), utc(2024, 10, 31, 23), "2024-10")
    assert period.length == 745 * US_PER_HOUR


def test_march_2024_in_berlin_has_743_hours() -> None:
    """Clocks spring forward on 2024-03-31, so March 2024 in Berlin is 31 × 24 − 1 hours."""
    assert period_at(CalendarUnit.MONTH, "Europe/Berlin", utc(2024, 3, 10)).length == 743 * US_PER_HOUR


def test_leap_february_and_quarters() -> None:
    """February 2024 in UTC has 29 days; Q1 2024 has 31 + 29 + 31 = 91 days; 2024 has 366."""
    assert period_at(CalendarUnit.MONTH, "UTC", utc(2024, 2, 29, 23)).length == 29 * 24 * US_PER_HOUR
    quarter = period_at(CalendarUnit.QUARTER, "UTC", utc(2024, 3, 31))
    assert (quarter.label, quarter.length) == ("2024-Q1", 91 * 24 * US_PER_HOUR)
    assert period_at(CalendarUnit.YEAR, "UTC", utc(2024, 7, 1)).length == 366 * 24 * US_PER_HOUR


def test_dst_days_have_23_and_25_hours() -> None:
    """2024-03-31 in Berlin has 23 hours and 2024-10-27 has 25."""
    assert period_at(CalendarUnit.DAY, "Europe/Berlin", utc(2024, 3, 31, 12)).length == 23 * US_PER_HOUR
    assert period_at(CalendarUnit.DAY, "Europe/Berlin", utc(2024, 10, 27, 12)).length == 25 * US_PER_HOUR


def test_a_day_that_starts_after_a_midnight_gap() -> None:
    """In Santiago clocks jump from 00:00 to 01:00 on 2024-09-08, so that day starts at 04:00Z and lasts 23 h."""
    day = period_at(CalendarUnit.DAY, "America/Santiago", utc(2024, 9, 8, 12))
    assert (day.start, day.length) == (utc(2024, 9, 8, 4), 23 * US_PER_HOUR)
    before = period_at(CalendarUnit.DAY, "America/Santiago", utc(2024, 9, 8, 3, 59))
    assert (before.label, before.end) == ("2024-09-07", utc(2024, 9, 8, 4))


def test_weeks_start_on_the_chosen_day() -> None:
    """ISO weeks start on Monday; with weekStart 7 they start on Sunday."""
    monday = period_at(CalendarUnit.WEEK, "UTC", utc(2024, 12, 25))
    assert (monday.start, monday.label) == (utc(2024, 12, 23), "2024-W52")
    sunday = period_at(CalendarUnit.WEEK, "UTC", utc(2024, 12, 25), week_start=7)
    assert sunday.start == utc(2024, 12, 22)


def test_an_event_on_a_boundary_belongs_to_the_later_period() -> None:
    """Periods are half-open: midnight of the 1st belongs to the new month."""
    assert period_at(CalendarUnit.MONTH, "UTC", utc(2024, 11, 1)).label == "2024-11"
    assert period_at(CalendarUnit.MONTH, "UTC", utc(2024, 11, 1) - 1).label == "2024-10"


def test_rolling_window_ends_at_the_instant() -> None:
    """A rolling 28-day window at t covers [t − 28 d, t)."""
    window = rolling(28 * 24 * US_PER_HOUR, utc(2024, 3, 1))
    assert (window.start, window.end) == (utc(2024, 2, 2), utc(2024, 3, 1))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(list(CalendarUnit)),
    st.sampled_from(ZONES),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)),  # noqa: DTZ001
    st.integers(min_value=1, max_value=400 * 24),
)
def test_periods_tile_a_range(unit: CalendarUnit, zone: str, start: datetime, hours: int) -> None:
    """Consecutive periods cover the range with no gap or overlap, each containing its own start."""
    low = to_us(start.replace(tzinfo=UTC))
    high = low + hours * US_PER_HOUR
    periods = periods_between(unit, zone, low, high)
    assert periods[0].start <= low < periods[0].end
    assert periods[-1].start < high <= periods[-1].end
    for before, after in pairwise(periods):
        assert before.end == after.start
    for period in periods:
        assert period_at(unit, zone, period.start) == period
        assert period_at(unit, zone, period.end - 1) == period


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 1, 1)))
def test_a_day_has_23_24_or_25_hours(zone: str, day: object) -> None:
    """Any local day is 23, 24 or 25 hours long (Lord Howe's half-hour shift gives 23.5 and 24.5)."""
    midday = to_us(datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12))  # type: ignore[arg-type]
    period = period_at(CalendarUnit.DAY, zone, midday)
    assert period.length in {h * US_PER_HOUR // 2 for h in (46, 47, 48, 49, 50)}
    assert from_us(period.start) < from_us(period.end)
