"""Scalar types written as text in agreements: ratios, durations, dates, money, names.

Each type is an `Annotated` alias with a parser (accepting exactly the documented spellings),
a serializer (writing the canonical spelling back) and a JSON Schema for editors. Ratios and
money are `Decimal`, never binary floats: `99.9%` is exactly `Decimal("0.999")`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "CalendarSpan",
    "Date",
    "DateTime",
    "Duration",
    "LocalDateTime",
    "Money",
    "NonNegativeDuration",
    "Number",
    "Ratio",
    "Slug",
    "format_duration",
    "format_ratio",
    "invalid",
    "parse_duration",
    "parse_ratio",
]


def invalid(what: str, valid: str, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """Build the error every parser raises: what is wrong, and what would be valid.

    `at` locates the problem below the value being validated, e.g. `("credits", 1)` when an
    objective's validator finds a bad credit tier.
    """
    return PydanticCustomError("attain_invalid", "{what}", {"what": what, "valid": valid, "at": at})


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- ratios -------------------------------------------------------------------------------------

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_RATIO_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")
_RATIO_VALID = "write a percentage such as 99.9% or a ratio between 0 and 1 such as 0.999"


def parse_ratio(value: Any) -> Decimal:
    """Parse `99.9%`, `0.999` or the integers 0 and 1 into an exact ratio in [0, 1]."""
    if isinstance(value, bool) or value is None:
        raise invalid(f"expected a ratio, got {_shown(value)}", _RATIO_VALID)
    if isinstance(value, str):
        if match := _PERCENT.match(value):
            result = Decimal(match.group(1)).scaleb(-2)
        elif match := _RATIO_TEXT.match(value):
            result = Decimal(match.group(1))
        else:
            raise invalid(f"expected a ratio, got {_shown(value)}", _RATIO_VALID)
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise invalid(
            f"binary float {value!r} is not exact",
            "write the ratio as text, for example '99.9%' or '0.999'",
        )
    else:
        raise invalid(f"expected a ratio, got {type(value).__name__}", _RATIO_VALID)
    if not result.is_finite() or not Decimal(0) <= result <= Decimal(1):
        hint = _RATIO_VALID
        if not isinstance(value, str) and result.is_finite() and Decimal(1) < result <= Decimal(100):
            hint = f"did you mean {format_number(result)}%?"
        raise invalid(f"must be between 0% and 100%, got {_shown(value)}", hint)
    return result


def format_number(value: Decimal) -> str:
    """Write a decimal without exponent and without trailing zeros."""
    return f"{value.normalize():f}"


def format_ratio(value: Decimal) -> str:
    """Write a ratio as a percentage, exactly: Decimal('0.999') -> '99.9%'."""
    return f"{format_number(value.scaleb(2))}%"


_RATIO_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d+(\.\d+)?%$", "examples": ["99.9%"]},
        {"type": "number", "minimum": 0, "maximum": 1},
    ],
    "description": "A percentage ('99.9%') or a ratio between 0 and 1 (0.999).",
}

Ratio = Annotated[
    Decimal,
    PlainValidator(parse_ratio),
    PlainSerializer(format_ratio, return_type=str),
    WithJsonSchema(_RATIO_SCHEMA),
]
"""An exact ratio in [0, 1], written as `99.9%` or `0.999`."""


# --- plain numbers ------------------------------------------------------------------------------

_NUMBER_TEXT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


def parse_number(value: Any) -> Decimal:
    """Parse an exact decimal number: an integer, a YAML decimal or a numeric string."""
    if isinstance(value, bool) or value is None:
        raise invalid(f"expected a number, got {_shown(value)}", "write a number such as 300 or 2.5")
    if isinstance(value, Decimal | int):
        result = Decimal(value)
    elif isinstance(value, str) and _NUMBER_TEXT.match(value):
        result = Decimal(value.strip())
    else:
        raise invalid(f"expected a number, got {_shown(value)}", "write a number such as 300 or 2.5")
    if not result.is_finite():
        raise invalid(f"expected a finite number, got {_shown(value)}", "write a number such as 300")
    return result


Number = Annotated[
    Decimal,
    PlainValidator(parse_number),
    PlainSerializer(lambda v: int(v) if v == v.to_integral_value() else format_number(v)),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}),
]
"""An exact decimal number."""


def parse_money(value: Any) -> Decimal:
    """Parse a non-negative amount of money with at most 4 decimal places."""
    try:
        result = parse_number(value)
    except PydanticCustomError:
        raise invalid(
            f"expected an amount of money, got {_shown(value)}",
            "write the amount as text, for example '12000.00'",
        ) from None
    if result < 0:
        raise invalid(f"must not be negative, got {_shown(value)}", "write an amount of 0 or more")
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise invalid(f"has more than 4 decimal places: {_shown(value)}", "round to the currency's unit")
    return result


Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    PlainSerializer(lambda v: f"{v:f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,4})?$", "examples": ["12000.00"]}),
]
"""A non-negative, exact amount of money."""


# --- durations ----------------------------------------------------------------------------------

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
        raise invalid(f"expected a duration, got {_shown(value)}", _DURATION_VALID)
    else:
        seconds = _duration_seconds(value.strip())
    if seconds <= 0:
        raise invalid(f"must be longer than zero, got {_shown(value)}", _DURATION_VALID)
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
            f"expected a span of time, got {_shown(value)}",
            "write calendar months as P2M, years as P1Y, or a fixed duration such as 60d",
        ) from None


CalendarSpanField = Annotated[
    CalendarSpan,
    PlainValidator(parse_calendar_span),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["P2M", "60d"]}),
]
"""A span in calendar months and years (`P2M`) or fixed time (`60d`)."""


# --- dates and times ----------------------------------------------------------------------------


def parse_date(value: Any) -> date:
    """Parse an ISO 8601 calendar date `YYYY-MM-DD`."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise invalid(f"expected a date, got {_shown(value)}", "write an ISO date such as 2026-01-31")


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
    if isinstance(value, str):
        text = value.strip().replace(" ", "T", 1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", text):
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                pass
    raise invalid(
        f"expected a date and time, got {_shown(value)}",
        "write ISO 8601 such as 2026-01-04T02:00 (local) or 2026-01-04T02:00+08:00",
    )


def parse_datetime(value: Any) -> datetime:
    """Parse an ISO 8601 instant with an offset (`Z` or `+08:00`)."""
    result = _parse_iso_datetime(value)
    if result.tzinfo is None:
        raise invalid(
            f"needs a UTC offset: {_shown(value)}",
            "add the offset, for example 2026-01-04T02:00:00+08:00 or ...Z",
        )
    return result


def parse_local_datetime(value: Any) -> datetime:
    """Parse an ISO 8601 wall-clock time without offset (read in a stated time zone)."""
    result = _parse_iso_datetime(value)
    if result.tzinfo is not None:
        raise invalid(
            f"is a local wall-clock time and takes no offset: {_shown(value)}",
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
        raise invalid(f"expected opening hours, got {_shown(value)}", valid)
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


# --- names --------------------------------------------------------------------------------------

_SLUG = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def parse_slug(value: Any) -> str:
    """Accept an RFC 1123 label: lower-case letters, digits and inner hyphens, at most 63."""
    valid = "use lower-case letters, digits and '-', starting and ending with a letter or digit"
    if not isinstance(value, str):
        raise invalid(f"expected a name, got {_shown(value)}", valid)
    if not _SLUG.match(value) or len(value) > 63:
        raise invalid(f"not a valid name: {value!r}", valid + " (at most 63 characters)")
    return value


Slug = Annotated[
    str,
    PlainValidator(parse_slug),
    WithJsonSchema({"type": "string", "pattern": _SLUG.pattern, "maxLength": 63}),
]
"""A name usable in URLs and Prometheus labels (RFC 1123 label)."""
