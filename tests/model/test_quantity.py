"""Ratios, durations, money and dates as written in agreements."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from attain.model.quantity import (
    format_clock_range,
    format_duration,
    format_ratio,
    parse_calendar_span,
    parse_clock_range,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_local_datetime,
    parse_money,
    parse_number,
    parse_ratio,
    parse_slug,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("99.9%", Decimal("0.999")),
        ("99.95%", Decimal("0.9995")),
        ("100%", Decimal(1)),
        ("0%", Decimal(0)),
        ("0.999", Decimal("0.999")),
        (Decimal("0.999"), Decimal("0.999")),
        (1, Decimal(1)),
        (0, Decimal(0)),
    ],
)
def test_ratio_spellings_are_exact(written: object, expected: Decimal) -> None:
    """A target written as a percentage or a ratio becomes the exact decimal, never a float."""
    parsed = parse_ratio(written)
    assert parsed == expected
    assert isinstance(parsed, Decimal)


def test_ninety_nine_point_nine_is_never_a_float_artifact() -> None:
    """99.9% is exactly 999/1000, not 0.9990000000000001."""
    assert parse_ratio("99.9%") * 1000 == 999
    assert str(parse_ratio("99.9%")) == "0.999"


@pytest.mark.parametrize("bad", [False, True, None, "abc", "120%", Decimal("1.5"), 0.999, "-1%", [1]])
def test_ratio_rejects_what_is_not_a_ratio(bad: object) -> None:
    """Booleans, floats, out-of-range values and text that is no number are refused."""
    with pytest.raises(PydanticCustomError):
        parse_ratio(bad)


def test_ratio_above_one_suggests_the_percentage() -> None:
    """A bare 99.9 is probably meant as 99.9%, and the hint says so."""
    with pytest.raises(PydanticCustomError) as caught:
        parse_ratio(Decimal("99.9"))
    assert caught.value.context is not None
    assert caught.value.context["valid"] == "did you mean 99.9%?"


@given(st.integers(min_value=0, max_value=1_000_000))
def test_ratio_round_trips_through_its_percentage(parts_per_million: int) -> None:
    """Writing a ratio as a percentage and reading it back gives the same number."""
    ratio = Decimal(parts_per_million).scaleb(-6)
    assert parse_ratio(format_ratio(ratio)) == ratio


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


def test_money_is_exact_and_non_negative() -> None:
    """Money keeps its decimal places and refuses negative amounts or sub-cent noise."""
    assert parse_money("12000.00") == Decimal("12000.00")
    assert parse_money(Decimal("0.10")) == Decimal("0.10")
    for bad in ("-1", "1.00001", True, "ten"):
        with pytest.raises(PydanticCustomError):
            parse_money(bad)


def test_number_refuses_booleans() -> None:
    """`false` is not a number."""
    with pytest.raises(PydanticCustomError):
        parse_number(False)
    assert parse_number("2.5") == Decimal("2.5")


def test_dates_and_times() -> None:
    """Dates are ISO dates; instants need an offset; local times must not have one."""
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(PydanticCustomError):
        parse_date("2023-02-29")
    assert parse_datetime("2026-01-04T02:00:00+08:00").utcoffset() == timedelta(hours=8)
    with pytest.raises(PydanticCustomError):
        parse_datetime("2026-01-04T02:00")
    assert parse_local_datetime("2022-01-01 12:00:00") == datetime(2022, 1, 1, 12)  # noqa: DTZ001
    with pytest.raises(PydanticCustomError):
        parse_local_datetime("2026-01-04T02:00Z")


def test_clock_ranges() -> None:
    """Opening hours read HH:MM-HH:MM; 24:00 closes at midnight; backwards ranges are refused."""
    assert parse_clock_range("09:00-18:00") == (time(9), time(18))
    assert parse_clock_range("00:00-24:00") == (time(0), None)
    assert format_clock_range((time(0), None)) == "00:00-24:00"
    for bad in ("18:00-09:00", "9-18", "25:00-26:00", "09:00-24:30"):
        with pytest.raises(PydanticCustomError):
            parse_clock_range(bad)


def test_slugs_follow_rfc_1123() -> None:
    """Names are lower-case labels with inner hyphens, at most 63 characters."""
    assert parse_slug("cloud-uptime") == "cloud-uptime"
    for bad in ("Cloud", "my service", "-a", "a-", "a" * 64, 5):
        with pytest.raises(PydanticCustomError):
            parse_slug(bad)
