"""Instants are exact integer microseconds; intervals are half-open and merge, clip and add up exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.instant import (
    US_PER_DAY,
    clip,
    duration_us,
    from_us,
    iso_utc,
    merge,
    to_us,
    total,
)

# 2026-11-15T12:00:00Z by hand: 56 years with 14 leap days (1972 … 2024) are 20,454 days to 2026-01-01,
# then 304 days of January to October and 14 of November: 20,772 days and 12 hours.
NOON = (20_772 * 86_400 + 12 * 3_600) * 1_000_000


def test_an_instant_is_microseconds_since_the_epoch() -> None:
    """Noon UTC on 2026-11-15 is 20,772.5 days of microseconds; the same instant in Berlin or +08:00 is equal."""
    noon = datetime(2026, 11, 15, 12, tzinfo=UTC)
    assert to_us(noon) == NOON == 1_794_744_000_000_000
    assert to_us(datetime(2026, 11, 15, 13, tzinfo=ZoneInfo("Europe/Berlin"))) == NOON
    assert to_us(datetime(2026, 11, 15, 20, tzinfo=timezone(timedelta(hours=8)))) == NOON
    assert to_us(datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC)) == 1
    assert to_us(datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)) == -1


def test_from_us_gives_back_the_utc_datetime() -> None:
    """Converting back gives the aware UTC datetime, microseconds included, before the epoch too."""
    assert from_us(NOON + 7) == datetime(2026, 11, 15, 12, 0, 0, 7, tzinfo=UTC)
    assert from_us(-US_PER_DAY) == datetime(1969, 12, 31, tzinfo=UTC)
    assert iso_utc(NOON) == "2026-11-15T12:00:00Z"
    assert iso_utc(NOON + 250_000) == "2026-11-15T12:00:00.250000Z"


def test_a_naive_datetime_is_refused() -> None:
    """A datetime without a zone is not an instant, and the message says so."""
    with pytest.raises(ValueError, match=r"naive datetime 2026-11-15T12:00:00: the engine needs an aware instant"):
        to_us(datetime(2026, 11, 15, 12))  # noqa: DTZ001 - the point of the test


@given(st.datetimes(timezones=st.just(UTC)))
def test_round_trip_is_exact(instant: datetime) -> None:
    """Every aware datetime survives to_us and from_us unchanged (µs is datetime's own resolution)."""
    assert from_us(to_us(instant)) == instant


def test_durations_are_whole_microseconds_of_either_sign() -> None:
    """28 days, 1.5 s and minus one microsecond convert exactly (timedelta stores −1 µs as −1 day + 86399.999999 s)."""
    assert duration_us(timedelta(days=28)) == 28 * US_PER_DAY == 2_419_200_000_000
    assert duration_us(timedelta(seconds=1, microseconds=500_000)) == 1_500_000
    assert duration_us(timedelta(microseconds=-1)) == -1


def test_merge_joins_overlapping_and_touching_and_drops_empty() -> None:
    """[0,5) and [5,8) touch and join; [3,4) lies inside; [9,9) and [12,10) are empty; [10,11) stays apart."""
    assert merge([(10, 11), (5, 8), (9, 9), (0, 5), (3, 4), (12, 10)]) == [(0, 8), (10, 11)]
    assert merge([]) == []


def test_clip_keeps_the_parts_inside_a_half_open_window() -> None:
    """Against the window [10, 20): an interval ending at 10 or starting at 20 is outside; others are cut."""
    intervals = [(0, 10), (5, 12), (15, 16), (18, 30), (20, 25)]
    assert clip(intervals, (10, 20)) == [(10, 12), (15, 16), (18, 20)]


def test_total_counts_overlaps_once() -> None:
    """[0,10) and [5,15) cover 15 µs, not 20; an empty list covers nothing."""
    assert total([(0, 10), (5, 15)]) == 15
    assert total([]) == 0
