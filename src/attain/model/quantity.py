"""Scalar types written as text in agreements, gathered from the modules of their concepts.

Each type is an `Annotated` alias with a parser (accepting exactly the documented spellings),
a serializer (writing the canonical spelling back) and a JSON Schema for editors. Ratios and
money are `Decimal`, never binary floats: `99.9%` is exactly `Decimal("0.999")`.

The types live beside their concepts: `ratio`, `number`, `money`, `duration`, `date`, `slug`,
and `invalid`, the error every parser raises, in `base`. This module re-exports them for the
many modules that import scalars from one place.
"""

from __future__ import annotations

from attain.model.base import invalid
from attain.model.date import (
    ClockRange,
    Date,
    DateTime,
    LocalDateTime,
    format_clock_range,
    parse_clock_range,
    parse_date,
    parse_datetime,
    parse_local_datetime,
)
from attain.model.duration import (
    CalendarSpan,
    CalendarSpanField,
    Duration,
    NonNegativeDuration,
    format_duration,
    parse_calendar_span,
    parse_duration,
    parse_non_negative_duration,
)
from attain.model.money import Money, parse_money
from attain.model.number import Number, format_number, parse_number
from attain.model.numeral import format_ratio
from attain.model.ratio import Ratio, display_ratio, parse_ratio, shown_places, shown_ratio
from attain.model.slug import Slug, parse_slug

__all__ = [
    "CalendarSpan",
    "CalendarSpanField",
    "ClockRange",
    "Date",
    "DateTime",
    "Duration",
    "LocalDateTime",
    "Money",
    "NonNegativeDuration",
    "Number",
    "Ratio",
    "Slug",
    "display_ratio",
    "format_clock_range",
    "format_duration",
    "format_number",
    "format_ratio",
    "invalid",
    "parse_calendar_span",
    "parse_clock_range",
    "parse_date",
    "parse_datetime",
    "parse_duration",
    "parse_local_datetime",
    "parse_money",
    "parse_non_negative_duration",
    "parse_number",
    "parse_ratio",
    "parse_slug",
    "shown_places",
    "shown_ratio",
]
