"""Business calendars: opening hours per weekday in a time zone, public holidays and make-up days.

Holidays come from the `holidays` package by country (and subdivision), plus explicit extra
holidays where the package lags, plus extra working days, which China's calendar needs: a
weekend day worked to make up for a long holiday.
"""

from __future__ import annotations

import re
from datetime import time
from functools import cache
from itertools import pairwise
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import ClockRange, Date, invalid
from attain.model.zone import TimeZoneName

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS_VALID = "write a weekday (mon ... sun), a range such as mon-fri, or a list such as sat,sun"

Hours = Annotated[tuple[ClockRange, ...], LAX]


def expand_days(key: str) -> tuple[int, ...]:
    """Turn `mon-fri`, `sat,sun` or `wed` into ISO weekday indexes 0..6 (Monday = 0)."""
    days: list[int] = []
    for part in key.lower().replace(" ", "").split(","):
        match = re.fullmatch(r"([a-z]{3})(?:-([a-z]{3}))?", part)
        if not match or match.group(1) not in WEEKDAYS or (match.group(2) or "mon") not in WEEKDAYS:
            raise invalid(f"not a weekday or range: {key!r}", _DAYS_VALID)
        first = WEEKDAYS.index(match.group(1))
        last = WEEKDAYS.index(match.group(2)) if match.group(2) else first
        if last < first:
            raise invalid(f"the range {part!r} runs backwards", "write ranges Monday first, e.g. mon-fri")
        days.extend(range(first, last + 1))
    return tuple(days)


@cache
def _supported_countries() -> dict[str, list[str]]:
    import holidays  # noqa: PLC0415 - loaded only when a calendar names a country

    return dict(holidays.list_supported_countries())


class HolidaySource(Frozen):
    """Public holidays of a country (ISO 3166-1 alpha-2), optionally of one subdivision."""

    country: str
    subdivision: str | None = None

    @model_validator(mode="after")
    def _known(self) -> HolidaySource:
        countries = _supported_countries()
        if self.country not in countries:
            raise invalid(
                f"no holiday data for country {self.country!r}",
                "use an ISO 3166-1 alpha-2 code such as CN, DE, US, or list extraHolidays yourself",
            )
        subdivisions = countries[self.country]
        if self.subdivision is not None and self.subdivision not in subdivisions:
            shown = ", ".join(subdivisions[:12]) + (" ..." if len(subdivisions) > 12 else "")
            raise invalid(
                f"no subdivision {self.subdivision!r} in {self.country}",
                f"use one of {shown}" if subdivisions else "remove subdivision",
            )
        return self


class BusinessCalendar(Frozen):
    """When business time runs: weekly opening hours, minus holidays, plus extra working days."""

    time_zone: TimeZoneName
    hours: dict[str, Hours] = Field(description="Opening hours by weekday: {mon-fri: [09:00-18:00]}.")
    holidays: HolidaySource | None = None
    extra_holidays: Annotated[tuple[Date, ...], LAX] = ()
    extra_working_days: Annotated[tuple[Date, ...], LAX] = ()
    extra_working_day_hours: Hours | None = Field(
        default=None, description="Hours on an extra working day; default: Monday's hours."
    )

    @field_validator("hours")
    @classmethod
    def _hours_per_day(cls, value: dict[str, tuple[tuple[time, time | None], ...]]) -> Any:
        seen: dict[int, str] = {}
        for key, ranges in value.items():
            for day in expand_days(key):
                if day in seen:
                    raise invalid(
                        f"{WEEKDAYS[day]} is given twice ({seen[day]!r} and {key!r})",
                        "list each weekday once",
                    )
                seen[day] = key
            _check_sorted(ranges, key)
        if not any(value.values()):
            raise invalid("a business calendar with no opening hours", "give hours such as mon-fri")
        return value

    @model_validator(mode="after")
    def _days_disjoint(self) -> BusinessCalendar:
        both = set(self.extra_holidays) & set(self.extra_working_days)
        if both:
            day = min(both).isoformat()
            raise invalid(f"{day} is both an extra holiday and an extra working day", "keep one")
        if self.extra_working_day_hours is not None:
            _check_sorted(self.extra_working_day_hours, "extraWorkingDayHours")
        return self

    def weekly_hours(self) -> tuple[tuple[tuple[time, time | None], ...], ...]:
        """Opening hours for Monday (index 0) through Sunday (index 6)."""
        week: list[tuple[tuple[time, time | None], ...]] = [()] * 7
        for key, ranges in self.hours.items():
            for day in expand_days(key):
                week[day] = ranges
        return tuple(week)

    def working_day_hours(self) -> tuple[tuple[time, time | None], ...]:
        """Opening hours on an extra working day."""
        if self.extra_working_day_hours is not None:
            return self.extra_working_day_hours
        return self.weekly_hours()[0]


def _check_sorted(ranges: tuple[tuple[time, time | None], ...], key: str) -> None:
    for (_, end), (start, _) in pairwise(ranges):
        if end is None or start < end:
            raise invalid(f"opening hours of {key!r} overlap or are out of order", "list them in order")
