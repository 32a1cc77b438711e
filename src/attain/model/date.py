"""Dates and times written in agreements: ISO dates, instants with an offset, wall-clock times, opening hours."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from attain.model.base import invalid, shown
from attain.model.iso import read_iso_datetime


def parse_date(value: Any) -> date:
    """Parse an ISO 8601 calendar date `YYYY-MM-DD`."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise invalid(f"expected a date, got {shown(value)}", "write an ISO date such as 2026-01-31")


Date = Annotated[
    date,
    PlainValidator(parse_date),
    PlainSerializer(lambda v: v.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar date, `YYYY-MM-DD`."""


def _parse_iso_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and (found := read_iso_datetime(value)) is not None:
        return found
    raise invalid(
        f"expected a date and time, got {shown(value)}",
        "write ISO 8601 such as 2026-01-04T02:00 (local) or 2026-01-04T02:00+08:00",
    )


def parse_datetime(value: Any) -> datetime:
    """Parse an ISO 8601 instant with an offset (`Z` or `+08:00`)."""
    result = _parse_iso_datetime(value)
    if result.tzinfo is None:
        raise invalid(
            f"needs a UTC offset: {shown(value)}",
            "add the offset, for example 2026-01-04T02:00:00+08:00 or ...Z",
        )
    return result


def parse_local_datetime(value: Any) -> datetime:
    """Parse an ISO 8601 wall-clock time without offset (read in a stated time zone)."""
    result = _parse_iso_datetime(value)
    if result.tzinfo is not None:
        raise invalid(
            f"is a local wall-clock time and takes no offset: {shown(value)}",
            "drop the offset and state the zone in timeZone, for example 2026-01-04T02:00",
        )
    return result


DateTime = Annotated[
    datetime,
    PlainValidator(parse_datetime),
    PlainSerializer(lambda v: v.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""An aware instant, ISO 8601 with an offset."""

LocalDateTime = Annotated[
    datetime,
    PlainValidator(parse_local_datetime),
    PlainSerializer(lambda v: v.isoformat(timespec="minutes" if not v.second else "seconds")),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"}),
]
"""A wall-clock date and time without offset, read in a time zone stated beside it."""


def parse_clock_range(value: Any) -> tuple[time, time | None]:
    """Parse `09:00-18:00` into (start, end); an end of `24:00` is returned as None (midnight)."""
    match = isinstance(value, str) and re.fullmatch(r"\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*", value)
    valid = "write opening hours as HH:MM-HH:MM, for example 09:00-18:00 (24:00 ends at midnight)"
    if not match:
        raise invalid(f"expected opening hours, got {shown(value)}", valid)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise invalid(f"not a time of day: {value!r}", valid)
    start = time(h1, m1)
    end = None if h2 == 24 else time(h2, m2)
    if end is not None and end <= start:
        raise invalid(f"ends before it starts: {value!r}", valid)
    return start, end


def format_clock_range(value: tuple[time, time | None]) -> str:
    """Write a clock range back as `HH:MM-HH:MM`."""
    start, end = value
    return f"{start:%H:%M}-{'24:00' if end is None else format(end, '%H:%M')}"


ClockRange = Annotated[
    tuple[time, time | None],
    PlainValidator(parse_clock_range),
    PlainSerializer(format_clock_range, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}-\d{2}:\d{2}$"}),
]
"""Opening hours within one day, `09:00-18:00`."""
