"""`attain.engine.reviews`: a review is due once per period, by the start of the next one."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.reviews import review_due
from attain.model import CalendarUnit


def test_the_first_review_is_due_by_the_end_of_the_first_period() -> None:
    """In force from 2026-09-01, quarterly: due by 2026-10-01; overdue on that day, not the day before."""
    assert review_due(CalendarUnit.QUARTER, date(2026, 9, 1), None, date(2026, 9, 30)).overdue is False
    due = review_due(CalendarUnit.QUARTER, date(2026, 9, 1), None, date(2026, 10, 1))
    assert (due.due, due.overdue) == (date(2026, 10, 1), True)


def test_a_review_moves_the_due_date_to_the_end_of_the_next_period() -> None:
    """Held 2026-10-15 (Q4): next due 2027-01-01; monthly from a review on 01-31: due 02-01."""
    assert review_due(CalendarUnit.QUARTER, date(2026, 9, 1), date(2026, 10, 15), date(2026, 12, 5)).due == date(
        2027, 1, 1
    )
    assert review_due(CalendarUnit.MONTH, date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 1)).due == date(2026, 2, 1)


@given(
    base=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    unit=st.sampled_from([CalendarUnit.WEEK, CalendarUnit.MONTH, CalendarUnit.QUARTER, CalendarUnit.YEAR]),
)
def test_the_due_date_is_the_first_period_start_after_the_base(base: date, unit: CalendarUnit) -> None:
    """Brute force: the due date is the first day after `base` that starts a period, and no day between does."""

    def starts(day: date) -> bool:
        return {
            CalendarUnit.WEEK: day.weekday() == 0,
            CalendarUnit.MONTH: day.day == 1,
            CalendarUnit.QUARTER: day.day == 1 and day.month in (1, 4, 7, 10),
            CalendarUnit.YEAR: (day.month, day.day) == (1, 1),
        }[unit]

    due = review_due(unit, base, None, base).due
    assert due > base
    assert starts(due)
    day = base + timedelta(days=1)
    while day < due:
        assert not starts(day)
        day += timedelta(days=1)
