"""Durations of business time in business terms: 40 business hours, 5 business days (40 business hours).

A case objective whose clock runs on a business calendar measures its goals, elapsed times and
due times in hours of business time, which are not hours of the wall clock: "1 day, 16 hours"
would say a goal ends 40 wall-clock hours after it starts, while 40 business hours is a whole
business week. So business time is written in business hours, and in business days as well when
the calendar gives every open weekday the same number of hours (its day length): with opening
hours of 8 h a day, 40 h is "5 business days (40 business hours)" / "5个工作日（40个工作小时）".
Wall-clock durations stay with `Locale.duration`.
"""

from __future__ import annotations

from datetime import time, timedelta

from attain.model import Agreement, BusinessCalendar, CaseIndicator, TimeBasis
from attain.reports.locale import Locale


def _seconds(moment: time | None) -> int:
    """Seconds since midnight; None (a range open to the end of the day) is midnight at the end."""
    return 86400 if moment is None else moment.hour * 3600 + moment.minute * 60 + moment.second


def day_length(calendar: BusinessCalendar) -> timedelta | None:
    """The hours of a business day when every open weekday has the same hours; None otherwise.

    Each weekday's hours are the sum of its opening ranges (a range ending at None runs to
    midnight); closed weekdays are left out.
    """
    lengths = {
        sum(_seconds(end) - _seconds(start) for start, end in ranges) for ranges in calendar.weekly_hours() if ranges
    }
    return timedelta(seconds=lengths.pop()) if len(lengths) == 1 else None


def business_hours(loc: Locale, value: timedelta) -> str:
    """Business time in business hours, then minutes and seconds: 40 business hours / 40个工作小时.

    The largest non-zero unit carries the word "business" (`1 business hour 30 min`,
    `45 business minutes`); the amount is exact to the second.
    """
    hours, rest = divmod(int(value.total_seconds()), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(n, unit) for n, unit in ((hours, "hours"), (minutes, "minutes"), (seconds, "seconds")) if n]
    if not parts:
        return loc.text("bt.minutes", n=0)
    (first, unit), rest_parts = parts[0], parts[1:]
    text = loc.text(f"bt.{unit}.one" if first == 1 else f"bt.{unit}", n=loc.number(first, 0))
    return text + "".join(loc.text(f"bt.and_{unit}", n=loc.number(n, 0)) for n, unit in rest_parts)


def business_duration(loc: Locale, value: timedelta, day: timedelta | None) -> str:
    """Business time in words: business days (with the hours beside them) when `day` divides it.

    Args:
        loc: the language.
        value: the amount of business time.
        day: the length of a business day, or None when the calendar has none.

    Returns:
        "5 business days (40 business hours)" when `value` is a whole number (at least one) of
        business days, else "4 business hours"; in Chinese "5个工作日（40个工作小时）", "4个工作小时".
    """
    hours = business_hours(loc, value)
    if day is None or not day or value < day or value % day:
        return hours
    days = value // day
    return loc.text("bt.days.one" if days == 1 else "bt.days", n=loc.number(days, 0), hours=hours)


def case_duration(loc: Locale, indicator: CaseIndicator, value: timedelta, agreement: Agreement | None) -> str:
    """A duration of a case clock: business terms on a business calendar, wall-clock words otherwise.

    Args:
        loc: the language.
        indicator: the case indicator whose clock measured `value`.
        value: a goal, an elapsed time or a remaining allowance.
        agreement: the agreement holding the indicator's calendar, whose day length gives business
            days; without it (or without a common day length) business time is in business hours.
    """
    if indicator.time is not TimeBasis.BUSINESS:
        return loc.duration(value)
    calendar = agreement.spec.calendars.get(indicator.calendar or "") if agreement is not None else None
    return business_duration(loc, value, None if calendar is None else day_length(calendar))
