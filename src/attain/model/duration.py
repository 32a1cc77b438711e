"""Durations written in agreements: fixed lengths (`5m`, `1h30m`, `PT8H`) and calendar spans (`P2M`).

Fixed durations are `timedelta`s; months and years have no fixed length, so only a
`CalendarSpan` counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from attain.model.base import invalid, shown

_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_SHORT = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ISO = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_DURATION_VALID = "write a duration such as 30s, 5m, 1h30m, 7d, 4w or ISO 8601 PT8H, P1D"


def parse_duration(value: Any) -> timedelta:
    """Parse `5m`, `1h30m`, `30d`, `4w`, `PT8H`, `P1DT12H` into a positive timedelta.

    `m` is always minutes. Months and years are not fixed lengths, so they are refused here;
    calendar windows use `calendar: month` instead.
    """
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
    elif not isinstance(value, str) or isinstance(value, bool):
        raise invalid(f"expected a duration, got {shown(value)}", _DURATION_VALID)
    else:
        seconds = _duration_seconds(value.strip())
    if seconds <= 0:
        raise invalid(f"must be longer than zero, got {shown(value)}", _DURATION_VALID)
    return timedelta(seconds=seconds)


def _duration_seconds(text: str) -> int:
    short = _SHORT.match(text)
    if text and short:
        parts = short.groups()
        return sum(int(p) * s for p, s in zip(parts, _UNIT_SECONDS.values(), strict=True) if p)
    iso = _ISO.match(text.upper())
    if text and iso and text.upper() not in ("P", "PT") and not text.upper().endswith("T"):
        parts = iso.groups()
        return sum(int(p) * s for p, s in zip(parts, _UNIT_SECONDS.values(), strict=True) if p)
    if re.match(r"^P.*[YM]", text.upper()) and "T" not in text.upper().split("M")[0]:
        raise invalid(
            f"months and years have no fixed length: {text!r}",
            "use a calendar window (calendar: month) or days such as 30d",
        )
    raise invalid(f"expected a duration, got {text!r}", _DURATION_VALID)


def parse_non_negative_duration(value: Any) -> timedelta:
    """Parse a duration that may be zero (`0s`, `0m`)."""
    if isinstance(value, str) and re.fullmatch(r"0+[wdhms]?|PT?0+[WDHMS]", value.strip()):
        return timedelta(0)
    return parse_duration(value)


def format_duration(value: timedelta) -> str:
    """Write a duration in the shortest shorthand: 5400 s -> '1h30m', 0 -> '0s'."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "0s"
    text = ""
    for unit, size in _UNIT_SECONDS.items():
        if unit == "w":
            continue
        count, seconds = divmod(seconds, size)
        if count:
            text += f"{count}{unit}"
    return text


_DURATION_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^(\d+[wdhms])+$|^P(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$",
    "examples": ["5m", "1h", "30d", "PT8H"],
}

Duration = Annotated[
    timedelta,
    PlainValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(_DURATION_SCHEMA),
]
"""A positive fixed duration, written `5m`, `1h`, `30d` or `PT8H`."""

NonNegativeDuration = Annotated[
    timedelta,
    PlainValidator(parse_non_negative_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(_DURATION_SCHEMA),
]
"""A fixed duration that may be zero."""


@dataclass(frozen=True, slots=True)
class CalendarSpan:
    """A span that may count calendar months (`P2M`) as well as fixed time (`60d`)."""

    months: int
    fixed: timedelta

    def __str__(self) -> str:
        if self.months and not self.fixed:
            return f"P{self.months}M"
        if not self.months:
            return format_duration(self.fixed)
        return f"P{self.months}M{format_duration(self.fixed)}"


def parse_calendar_span(value: Any) -> CalendarSpan:
    """Parse `P2M`, `P1Y` (calendar months and years) or a fixed duration (`60d`) into a CalendarSpan."""
    if isinstance(value, CalendarSpan):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", value.strip().upper())
        if match and any(match.groups()):
            years, months = (int(g) if g else 0 for g in match.groups())
            return CalendarSpan(years * 12 + months, timedelta(0))
    try:
        return CalendarSpan(0, parse_duration(value))
    except PydanticCustomError:
        raise invalid(
            f"expected a span of time, got {shown(value)}",
            "write calendar months as P2M, years as P1Y, or a fixed duration such as 60d",
        ) from None


CalendarSpanField = Annotated[
    CalendarSpan,
    PlainValidator(parse_calendar_span),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["P2M", "60d"]}),
]
"""A span in calendar months and years (`P2M`) or fixed time (`60d`)."""
