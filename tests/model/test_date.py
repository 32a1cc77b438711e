"""Dates, instants, wall-clock times and opening hours as written in agreements."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from pydantic_core import PydanticCustomError

from attain.model.date import format_clock_range, parse_clock_range, parse_date, parse_datetime, parse_local_datetime


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
