"""Calendar units, apart from the window types, so that calendar arithmetic loads no pydantic."""

from __future__ import annotations

from enum import StrEnum


class CalendarUnit(StrEnum):
    """A calendar period, aligned to the start of the unit in the window's time zone."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
