"""Calendar and business clocks: opening hours, holidays, make-up days, DST."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.business_time import BusinessClock, CalendarClock, clock_for
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, to_us
from attain.model.calendar import BusinessCalendar
from attain.model.indicator import CaseIndicator

SHANGHAI = "Asia/Shanghai"
BERLIN = "Europe/Berlin"
HOUR = US_PER_HOUR


def local(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """The instant of a local wall-clock time (never in a gap or fold in these tests)."""
    return to_us(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """The instant of a UTC time."""
    return to_us(datetime(year, month, day, hour, minute, tzinfo=UTC))


def calendar(zone: str = SHANGHAI, hours: Any = None, **extra: Any) -> BusinessCalendar:
    """A business calendar, by default mon-fri 09:00-18:00 in Shanghai with no holidays."""
    data = {"timeZone": zone, "hours": hours or {"mon-fri": ["09:00-18:00"]}} | extra
    return BusinessCalendar.model_validate(data)


def china(**extra: Any) -> BusinessClock:
    """Mon-fri 09:00-18:00 in Shanghai with China's public holidays."""
    return BusinessClock(calendar(holidays={"country": "CN"}, **extra))


def test_friday_evening_ticket_is_due_monday_morning() -> None:
    """One business hour from Friday 17:30 ends Monday 09:30 (Monday 2026-03-09 is no holiday)."""
    clock = china()
    friday = local(SHANGHAI, 2026, 3, 6, 17, 30)
    # 30 min Friday 17:30-18:00, the weekend is closed, 30 min Monday 09:00-09:30.
    assert clock.add(friday, HOUR) == local(SHANGHAI, 2026, 3, 9, 9, 30)
    assert clock.elapsed(friday, local(SHANGHAI, 2026, 3, 9, 9, 30)) == HOUR


def test_start_outside_hours_counts_from_the_next_opening() -> None:
    """Ten minutes from Saturday noon end Monday 09:10."""
    assert china().add(local(SHANGHAI, 2026, 3, 7, 12), 10 * US_PER_MINUTE) == local(SHANGHAI, 2026, 3, 9, 9, 10)


def test_national_day_is_not_business_time() -> None:
    """China's National Day week (Oct 1-7, 2026, per the holidays package) counts no business time."""
    clock = china()
    assert clock.elapsed(local(SHANGHAI, 2026, 10, 1), local(SHANGHAI, 2026, 10, 2)) == 0
    assert BusinessClock(calendar()).elapsed(local(SHANGHAI, 2026, 10, 1), local(SHANGHAI, 2026, 10, 2)) == 9 * HOUR
    # Wed Sep 30: 9 h; Thu 1 - Fri 2 holidays; Sat 3 - Sun 4 weekend; Mon 5 - Wed 7 days off; Thu 8: 9 h.
    assert clock.elapsed(local(SHANGHAI, 2026, 9, 30), local(SHANGHAI, 2026, 10, 9)) == 18 * HOUR
    # 1 h on Sep 30 17:00-18:00, then 1 h from the next opening, Thu Oct 8 09:00.
    assert clock.add(local(SHANGHAI, 2026, 9, 30, 17), 2 * HOUR) == local(SHANGHAI, 2026, 10, 8, 10)


def test_extra_holiday_is_skipped() -> None:
    """An extra holiday on Monday moves Friday 17:30 + 1 h to Tuesday 09:30."""
    clock = china(extraHolidays=["2026-03-09"])
    assert clock.add(local(SHANGHAI, 2026, 3, 6, 17, 30), HOUR) == local(SHANGHAI, 2026, 3, 10, 9, 30)


def test_extra_working_day_counts_on_a_weekend() -> None:
    """Saturday 2026-10-10, a make-up working day, counts Monday's 9 hours, or its own hours when given."""
    saturday, sunday = local(SHANGHAI, 2026, 10, 10), local(SHANGHAI, 2026, 10, 11)
    assert china().elapsed(saturday, sunday) == 0
    assert china(extraWorkingDays=["2026-10-10"]).elapsed(saturday, sunday) == 9 * HOUR
    made_up = china(extraWorkingDays=["2026-10-10"], extraWorkingDayHours=["10:00-15:00"])
    assert made_up.elapsed(saturday, sunday) == 5 * HOUR


def test_extra_working_day_overrides_a_public_holiday() -> None:
    """A public holiday listed as an extra working day counts as one (Oct 1, 2026: 9 h)."""
    clock = china(extraWorkingDays=["2026-10-01"])
    assert clock.elapsed(local(SHANGHAI, 2026, 10, 1), local(SHANGHAI, 2026, 10, 2)) == 9 * HOUR


def test_lunch_break_splits_the_day() -> None:
    """With 09:00-12:00 and 13:00-18:00, a day has 8 h and 11:30 + 1 h ends at 13:30."""
    clock = BusinessClock(calendar(hours={"mon-fri": ["09:00-12:00", "13:00-18:00"]}))
    monday, tuesday = local(SHANGHAI, 2026, 3, 9), local(SHANGHAI, 2026, 3, 10)
    assert clock.elapsed(monday, tuesday) == 8 * HOUR
    assert clock.add(local(SHANGHAI, 2026, 3, 9, 11, 30), HOUR) == local(SHANGHAI, 2026, 3, 9, 13, 30)
    assert clock.open_intervals(monday, tuesday) == [
        (local(SHANGHAI, 2026, 3, 9, 9), local(SHANGHAI, 2026, 3, 9, 12)),
        (local(SHANGHAI, 2026, 3, 9, 13), local(SHANGHAI, 2026, 3, 9, 18)),
    ]


def test_round_the_clock_hours_follow_dst() -> None:
    """00:00-24:00 every day gives 23 h on Berlin's spring-forward day, 25 h on fall-back, 24 h otherwise."""
    clock = BusinessClock(calendar(BERLIN, {"mon-sun": ["00:00-24:00"]}))
    assert clock.elapsed(local(BERLIN, 2026, 3, 29), local(BERLIN, 2026, 3, 30)) == 23 * HOUR
    assert clock.elapsed(local(BERLIN, 2026, 10, 25), local(BERLIN, 2026, 10, 26)) == 25 * HOUR
    assert clock.elapsed(local(BERLIN, 2026, 3, 28), local(BERLIN, 2026, 3, 29)) == 24 * HOUR
    # Touching days merge into one interval.
    assert clock.open_intervals(local(BERLIN, 2026, 3, 28), local(BERLIN, 2026, 3, 31)) == [
        (local(BERLIN, 2026, 3, 28), local(BERLIN, 2026, 3, 31))
    ]


def test_a_window_across_the_clock_change_counts_real_time() -> None:
    """01:00-05:00 is 3 real hours on the spring-forward night and 5 on the fall-back night."""
    clock = BusinessClock(calendar(BERLIN, {"sun": ["01:00-05:00"]}))
    # 01:00 CET = 00:00Z to 05:00 CEST = 03:00Z; 01:00 CEST = 23:00Z (Sat) to 05:00 CET = 04:00Z.
    assert clock.open_intervals(local(BERLIN, 2026, 3, 29), local(BERLIN, 2026, 3, 30)) == [
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 3))
    ]
    assert clock.elapsed(local(BERLIN, 2026, 10, 25), local(BERLIN, 2026, 10, 26)) == 5 * HOUR


def test_day_hours_away_from_the_change_are_unaffected() -> None:
    """09:00-18:00 counts 9 h on both DST-change Sundays."""
    clock = BusinessClock(calendar(BERLIN, {"mon-sun": ["09:00-18:00"]}))
    assert clock.elapsed(local(BERLIN, 2026, 3, 29), local(BERLIN, 2026, 3, 30)) == 9 * HOUR
    assert clock.elapsed(local(BERLIN, 2026, 10, 25), local(BERLIN, 2026, 10, 26)) == 9 * HOUR


def test_a_time_in_the_gap_maps_to_the_end_of_the_gap() -> None:
    """Opening at 02:30 on the spring-forward night (02:00-03:00 missing) opens at 03:00 CEST = 01:00Z."""
    clock = BusinessClock(calendar(BERLIN, {"sun": ["02:30-04:00"]}))
    assert clock.open_intervals(local(BERLIN, 2026, 3, 29), local(BERLIN, 2026, 3, 30)) == [
        (utc(2026, 3, 29, 1), utc(2026, 3, 29, 2))
    ]


def test_an_ambiguous_time_is_its_first_occurrence() -> None:
    """Opening at 02:30 on the fall-back night opens at the first 02:30 (CEST, 00:30Z); 04:00 CET is 03:00Z."""
    clock = BusinessClock(calendar(BERLIN, {"sun": ["02:30-04:00"]}))
    assert clock.open_intervals(local(BERLIN, 2026, 10, 25), local(BERLIN, 2026, 10, 26)) == [
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3))
    ]


def test_empty_and_negative_spans() -> None:
    """An empty or reversed span counts nothing, adding zero stays put, and a negative duration is refused."""
    clock = china()
    start = local(SHANGHAI, 2026, 3, 7, 12)  # a Saturday: closed
    assert clock.elapsed(start, start) == 0
    assert clock.elapsed(start + HOUR, start) == 0
    assert clock.open_intervals(start + HOUR, start) == []
    assert clock.add(start, 0) == start
    with pytest.raises(ValueError, match="negative"):
        clock.add(start, -1)
    with pytest.raises(ValueError, match="negative"):
        CalendarClock().add(start, -1)


def test_clock_for_picks_the_indicator_s_clock() -> None:
    """Calendar time gives a CalendarClock, business time its named calendar, an unknown name an error."""

    def indicator(**extra: Any) -> CaseIndicator:
        data = {"kind": "case", "clock": {"start": "opened", "stop": "closed"}, "goals": {"*": "1h"}} | extra
        return CaseIndicator.model_validate(data)

    assert isinstance(clock_for(indicator(), {}), CalendarClock)
    business = clock_for(indicator(time="business", calendar="cn"), {"cn": calendar()})
    assert business.add(local(SHANGHAI, 2026, 3, 6, 17, 30), HOUR) == local(SHANGHAI, 2026, 3, 9, 9, 30)
    with pytest.raises(LookupError, match="no business calendar named 'eu'"):
        clock_for(indicator(time="business", calendar="eu"), {"cn": calendar()})


# --- properties ---------------------------------------------------------------------------------

CLOCKS = (
    china(extraWorkingDays=["2026-10-10"], extraHolidays=["2025-12-24"]),
    BusinessClock(calendar(hours={"mon-fri": ["09:00-12:00", "13:00-18:00"], "sat": ["10:00-14:00"]})),
    BusinessClock(calendar(BERLIN, {"sun": ["01:00-05:00"], "mon-fri": ["02:30-24:00"]}, holidays={"country": "DE"})),
    BusinessClock(calendar(BERLIN, {"mon-sun": ["00:00-24:00"]})),
    CalendarClock(),
)
instants = st.integers(min_value=utc(2025, 1, 1), max_value=utc(2027, 12, 31))
clocks = st.sampled_from(CLOCKS)


@settings(max_examples=150, deadline=None)
@given(clocks, instants, instants, instants)
def test_elapsed_is_additive(clock: Any, a: int, b: int, c: int) -> None:
    """elapsed(a, b) + elapsed(b, c) == elapsed(a, c) for a ≤ b ≤ c."""
    a, b, c = sorted((a, b, c))
    assert clock.elapsed(a, b) + clock.elapsed(b, c) == clock.elapsed(a, c)


@settings(max_examples=150, deadline=None)
@given(clocks, instants, st.integers(min_value=0, max_value=400 * HOUR))
def test_add_is_the_earliest_inverse_of_elapsed(clock: Any, start: int, duration: int) -> None:
    """elapsed(start, add(start, d)) == d, and one microsecond earlier it is d - 1."""
    end = clock.add(start, duration)
    assert end >= start
    assert clock.elapsed(start, end) == duration
    if duration:
        assert clock.elapsed(start, end - 1) == duration - 1


@settings(max_examples=100, deadline=None)
@given(clocks, instants, instants)
def test_open_intervals_sum_to_elapsed(clock: Any, a: int, b: int) -> None:
    """The open intervals lie in [a, b), are sorted and disjoint, and their lengths sum to elapsed."""
    intervals = clock.open_intervals(a, b)
    assert sum(high - low for low, high in intervals) == clock.elapsed(a, b)
    assert all(a <= low < high <= b for low, high in intervals)
    assert all(first[1] < second[0] for first, second in pairwise(intervals))


@given(instants, instants)
def test_calendar_clock_counts_everything(a: int, b: int) -> None:
    """CalendarClock's elapsed is b - a, and add is plain addition."""
    a, b = sorted((a, b))
    assert CalendarClock().elapsed(a, b) == b - a
    assert CalendarClock().add(a, b - a) == b
