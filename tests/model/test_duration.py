"""Durations and calendar spans as written in agreements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from attain.model.duration import format_duration, parse_calendar_span, parse_duration


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("5m", 300),
        ("1h", 3600),
        ("1h30m", 5400),
        ("30d", 2_592_000),
        ("4w", 2_419_200),
        ("PT8H", 28_800),
        ("P1D", 86_400),
        ("P1DT12H", 129_600),
        ("P2W", 1_209_600),
        ("PT1M30S", 90),
        ("45s", 45),
    ],
)
def test_duration_spellings(written: str, seconds: int) -> None:
    """Shorthand and ISO 8601 durations parse to the right number of seconds; m is minutes."""
    assert parse_duration(written) == timedelta(seconds=seconds)


@pytest.mark.parametrize("bad", ["P1M", "P1Y", "1M", "5", "", "0s", "1.5h", "PT", False, 300])
def test_duration_rejects_months_zero_and_bare_numbers(bad: object) -> None:
    """Months and years have no fixed length; zero, bare numbers and booleans are refused."""
    with pytest.raises(PydanticCustomError):
        parse_duration(bad)


@given(st.integers(min_value=1, max_value=10 * 366 * 86_400))
def test_duration_round_trips(seconds: int) -> None:
    """format_duration writes what parse_duration reads back to the same length."""
    assert parse_duration(format_duration(timedelta(seconds=seconds))) == timedelta(seconds=seconds)


def test_format_duration_is_the_shortest_shorthand() -> None:
    """Durations are written in d, h, m, s, largest unit first."""
    assert format_duration(timedelta(minutes=90)) == "1h30m"
    assert format_duration(timedelta(days=28)) == "28d"
    assert format_duration(timedelta(0)) == "0s"


def test_calendar_span_keeps_months() -> None:
    """P2M stays two calendar months; 60d stays sixty fixed days."""
    assert parse_calendar_span("P2M").months == 2
    assert parse_calendar_span("P1Y").months == 12
    span = parse_calendar_span("60d")
    assert (span.months, span.fixed) == (0, timedelta(days=60))
    assert str(parse_calendar_span("P2M")) == "P2M"
