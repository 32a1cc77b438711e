"""`attain.engine.negotiation`: the earliest date a change may take effect, checked against brute force."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side, earliest_effective, refusal_of_date, refusal_to_decide
from attain.model import CalendarUnit

ZONES = ("UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe")


def _is_start(unit: CalendarUnit, day: date) -> bool:
    """Whether `day` begins a period, by the calendar's own definition (Monday weeks)."""
    return {
        CalendarUnit.DAY: True,
        CalendarUnit.WEEK: day.weekday() == 0,
        CalendarUnit.MONTH: day.day == 1,
        CalendarUnit.QUARTER: day.day == 1 and day.month in (1, 4, 7, 10),
        CalendarUnit.YEAR: (day.month, day.day) == (1, 1),
    }[unit]


@given(
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds, `timezones` makes them aware
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from(ZONES),
    notice_days=st.integers(min_value=0, max_value=120),
    unit=st.none() | st.sampled_from(list(CalendarUnit)),
)
def test_the_earliest_date_is_the_first_allowed_one(
    moment: datetime, zone: str, notice_days: int, unit: CalendarUnit | None
) -> None:
    """The answer's local midnight is at or after acceptance + notice, and no earlier allowed day is."""
    notice = timedelta(days=notice_days)
    found = earliest_effective(to_us(moment), zone, notice, unit)
    limit = moment.astimezone(ZoneInfo(zone)) + notice

    def allowed(day: date) -> bool:
        midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
        return midnight >= limit and (unit is None or _is_start(unit, day))

    assert allowed(found)
    day = found - timedelta(days=1)
    while day >= limit.date() - timedelta(days=1):
        assert not allowed(day)
        day -= timedelta(days=1)
    assert refusal_of_date(found, found, unit) is None


def test_acceptance_at_local_midnight_allows_that_very_day() -> None:
    """Accepted at 00:00 local with no notice: the same day, if it starts a period."""
    midnight = to_us(datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # 2027-01-01 00:00 in Asia/Shanghai
    assert earliest_effective(midnight, "Asia/Shanghai", None, CalendarUnit.MONTH) == date(2027, 1, 1)
    assert earliest_effective(midnight + 1, "Asia/Shanghai", None, CalendarUnit.MONTH) == date(2027, 2, 1)


def test_who_decides() -> None:
    """The author never; a change of terms: the other side; an operational change: the provider."""
    alice, bob, shop = Caller(Side.PROVIDER, "a"), Caller(Side.PROVIDER, "b"), Caller(Side.CUSTOMER, "c")
    assert refusal_to_decide(alice, alice, terms=False) is not None
    assert refusal_to_decide(alice, bob, terms=True) is not None
    assert refusal_to_decide(alice, shop, terms=True) is None
    assert refusal_to_decide(alice, bob, terms=False) is None
    assert refusal_to_decide(shop, alice, terms=True) is None
    assert refusal_to_decide(alice, shop, terms=False) is not None
