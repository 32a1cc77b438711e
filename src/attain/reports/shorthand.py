"""Quantities in shorthand for the terminal, in the explanation's language: 1h30m / 1小时30分钟.

`attain explain` writes durations as agreements write them (`1h30m`), months in words
(`2 months`, never `P2M`) and minutes with their whole duration beside them
(`432 min (7 h 12 min)`); the units come from the phrase table (`x.d`, `x.h`, ... in
`attain.reports.phrases.explanation`), so Chinese reads `1小时30分钟`.
Numbers are written exactly (`attain.model.quantity.format_number`), never rounded by locale.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from attain.model.quantity import CalendarSpan, format_number
from attain.reports.locale import Locale

_UNITS = (("x.d", 86400), ("x.h", 3600), ("x.m", 60), ("x.s", 1))


def duration(loc: Locale, value: timedelta) -> str:
    """A duration in whole days, hours, minutes and seconds, largest first: 5400 s -> 1h30m.

    Args:
        loc: the language.
        value: the duration; a fraction of a second is dropped.

    Returns:
        The shorthand, as `attain.model.quantity.format_duration` writes it in English
        (weeks are written as days); zero is `0s`.
    """
    seconds = int(value.total_seconds())
    if seconds == 0:
        return loc.text("x.s", n=0)
    text = ""
    for phrase, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            text += loc.text(phrase, n=count)
    return text


def span(loc: Locale, value: CalendarSpan) -> str:
    """A calendar span: months in words, then fixed time (`2 months`, `1 month 2d`, `30d` / `2个月`, `1个月2天`)."""
    months = loc.text("x.month" if value.months == 1 else "x.months", n=value.months) if value.months else ""
    if value.months and not value.fixed:
        return months
    fixed = duration(loc, value.fixed)
    return loc.text("x.span", months=months, fixed=fixed) if months else fixed


def minutes(loc: Locale, value: Decimal) -> str:
    """Minutes exactly, with hours, minutes and seconds beside them from an hour up: 75 min (1 h 15 min)."""
    text = loc.text("x.minutes", n=format_number(value))
    if value >= 60:
        hours, rest = divmod(int(value * 60), 3600)
        whole, seconds = divmod(rest, 60)
        extra = loc.text("x.seconds", n=seconds) if seconds else ""
        text += loc.text("aside", text=loc.text("x.hours_minutes", hours=hours, minutes=whole, seconds=extra))
    return text


def money(loc: Locale, amount: Decimal, currency: str) -> str:
    """An amount with grouping as written (`8,500.00`) and its currency code; no code, no space."""
    return loc.text("x.money", amount=f"{amount:,}", currency=currency).strip()
