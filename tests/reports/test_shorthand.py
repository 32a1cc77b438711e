"""Quantities in shorthand for the terminal: durations as agreements write them, in English and Chinese."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from attain.model.quantity import CalendarSpan
from attain.reports import shorthand
from attain.reports.locale import Locale

EN, ZH = Locale.of("en"), Locale.of("zh-CN")


def test_a_duration_is_written_in_whole_units_largest_first() -> None:
    """5400 s is 1h30m; nine days and a second are 9d1s (no weeks); zero is 0s; the Chinese units follow."""
    assert shorthand.duration(EN, timedelta(seconds=5400)) == "1h30m"
    assert shorthand.duration(EN, timedelta(days=9, seconds=1)) == "9d1s"
    assert shorthand.duration(EN, timedelta(0)) == "0s"
    assert shorthand.duration(ZH, timedelta(seconds=5400)) == "1小时30分钟"
    assert shorthand.duration(ZH, timedelta(0)) == "0秒"


def test_a_calendar_span_writes_months_then_fixed_time() -> None:
    """Months are words, never ISO 8601 (P2M): 2 months (2个月); a month and two days 1 month 2d (1个月2天); 30d."""
    assert shorthand.span(EN, CalendarSpan(2, timedelta(0))) == "2 months"
    assert shorthand.span(EN, CalendarSpan(1, timedelta(0))) == "1 month"
    assert shorthand.span(EN, CalendarSpan(1, timedelta(days=2))) == "1 month 2d"
    assert shorthand.span(EN, CalendarSpan(0, timedelta(days=30))) == "30d"
    assert shorthand.span(ZH, CalendarSpan(2, timedelta(0))) == "2个月"
    assert shorthand.span(ZH, CalendarSpan(1, timedelta(days=2))) == "1个月2天"


def test_minutes_show_their_hours_from_an_hour_up() -> None:
    """43.2 min stays as is; 432 min is 7 h 12 min; 60.5 min is 1 h 0 min 30 s."""
    assert shorthand.minutes(EN, Decimal("43.2")) == "43.2 min"
    assert shorthand.minutes(EN, Decimal(432)) == "432 min (7 h 12 min)"
    assert shorthand.minutes(EN, Decimal("60.5")) == "60.5 min (1 h 0 min 30 s)"
    assert shorthand.minutes(ZH, Decimal(432)) == "432分钟（7小时12分钟）"
    assert shorthand.minutes(ZH, Decimal("60.5")) == "60.5分钟（1小时0分钟30秒）"


def test_money_is_grouped_with_its_currency_code() -> None:
    """8500.00 EUR is written 8,500.00 EUR; without a currency nothing trails the amount."""
    assert shorthand.money(EN, Decimal("8500.00"), "EUR") == "8,500.00 EUR"
    assert shorthand.money(ZH, Decimal("8500.00"), "EUR") == "8,500.00 EUR"
    assert shorthand.money(EN, Decimal(50), "") == "50"
