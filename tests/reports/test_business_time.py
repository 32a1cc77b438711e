"""Business time in business terms: business hours, and business days when the calendar has a day length."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import template_text
from attain.model import BusinessCalendar
from attain.reports.business_time import business_duration, business_hours, day_length
from attain.reports.locale import Locale

EN, ZH = Locale.of("en"), Locale.of("zh-CN")
HOUR = timedelta(hours=1)


def calendar(hours: dict[str, list[str]]) -> BusinessCalendar:
    """A business calendar in Asia/Shanghai with the given weekly hours."""
    return BusinessCalendar.model_validate({"time_zone": "Asia/Shanghai", "hours": hours})


def test_the_support_desk_calendar_has_an_eight_hour_day() -> None:
    """09:00–12:00 and 13:00–18:00 on Monday to Friday is 3 h + 5 h = 8 h a day."""
    documents = read_text(template_text("support-desk", "en"), "support-desk.yaml")
    agreement = parse_agreement(documents[0])
    assert day_length(agreement.spec.calendars["office"]) == 8 * HOUR


def test_a_calendar_whose_days_differ_has_no_day_length() -> None:
    """Monday–Thursday 8 h and Friday 5 h (09:00–14:00) give no common business day."""
    hours = {"mon-thu": ["09:00-17:00"], "fri": ["09:00-14:00"]}
    assert day_length(calendar(hours)) is None
    assert day_length(calendar({"mon-sun": ["00:00-24:00"]})) == 24 * HOUR


def test_whole_business_days_are_written_as_days_with_their_hours() -> None:
    """40 h of an 8 h business day is 40 / 8 = 5 business days; 8 h is exactly one."""
    day = 8 * HOUR
    assert business_duration(EN, 40 * HOUR, day) == "5 business days (40 business hours)"
    assert business_duration(ZH, 40 * HOUR, day) == "5个工作日（40个工作小时）"
    assert business_duration(EN, 8 * HOUR, day) == "1 business day (8 business hours)"
    assert business_duration(ZH, 16 * HOUR, day) == "2个工作日（16个工作小时）"


def test_other_business_time_is_written_in_business_hours() -> None:
    """Less than a day, a part day (12 h = 1.5 days of 8 h), or no day length: business hours only."""
    day = 8 * HOUR
    assert business_duration(EN, 4 * HOUR, day) == "4 business hours"
    assert business_duration(EN, HOUR, day) == "1 business hour"
    assert business_duration(EN, 12 * HOUR, day) == "12 business hours"
    assert business_duration(EN, 40 * HOUR, None) == "40 business hours"
    assert business_duration(ZH, 40 * HOUR, None) == "40个工作小时"
    assert business_duration(EN, timedelta(minutes=90), day) == "1 business hour 30 min"
    assert business_duration(EN, timedelta(seconds=5430), day) == "1 business hour 30 min 30 s"
    assert business_duration(ZH, timedelta(seconds=30), day) == "30个工作秒"
    assert business_duration(ZH, timedelta(minutes=90), day) == "1个工作小时30分钟"
    assert business_duration(EN, timedelta(minutes=45), day) == "45 business minutes"


@given(days=st.integers(min_value=1, max_value=60), day_hours=st.integers(min_value=1, max_value=24))
def test_any_whole_number_of_days_names_both_days_and_hours(days: int, day_hours: int) -> None:
    """Any whole number of days of h hours reads "n business days (n·h business hours)", never wall-clock days."""
    text = business_duration(ZH, days * day_hours * HOUR, day_hours * HOUR)
    assert text == f"{days:,}个工作日（{days * day_hours:,}个工作小时）"
    english = business_duration(EN, days * day_hours * HOUR, day_hours * HOUR)
    unit = "day" if days == 1 else "days"
    assert english == f"{days:,} business {unit} ({business_hours(EN, days * day_hours * HOUR)})"
    assert f"{days * day_hours:,} business hour" in english
