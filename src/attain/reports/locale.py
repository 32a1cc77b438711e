"""Locale-aware formatting for documents: numbers, percentages, money, dates and durations.

Numbers go through babel (CLDR data), so `0.999` is `99.9%` in both English and Chinese,
2027-01-01 is "January 1, 2027" in English and "2027年1月1日" in Chinese, and 30 days is
"30 days" or "30天". The fixed phrases of every document live in `attain.reports.phrases`;
`Locale.text` looks them up and fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale
from babel.dates import format_date, format_skeleton, format_time, get_day_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit

from attain.model import CalendarUnit
from attain.model.quantity import CalendarSpan
from attain.model.ratio import shown_places, shown_ratio
from attain.reports.phrases import PHRASES


class Language(StrEnum):
    """The languages documents are written in."""

    EN = "en"
    ZH_CN = "zh-CN"


Day = date
"""A calendar day (an alias: `Locale.date` is a method name)."""
_BABEL = {Language.EN: "en", Language.ZH_CN: "zh_CN"}
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


@dataclass(frozen=True)
class Locale:
    """Formats values and fixed phrases for one language."""

    language: Language

    @classmethod
    def of(cls, language: str) -> Locale:
        """The locale for `en` or `zh-CN`; raises ValueError for any other language."""
        return cls(Language(language))

    @property
    def babel(self) -> str:
        """The babel (CLDR) locale identifier."""
        return _BABEL[self.language]

    def text(self, phrase: str, /, **values: object) -> str:
        """The fixed phrase named `phrase` in this language, with `values` filled in."""
        return PHRASES[self.language.value][phrase].format(**values)

    def percent(self, ratio: Decimal) -> str:
        """A ratio as a percentage with up to four decimals: 0.99912345 -> 99.9123%."""
        return str(format_percent(ratio, "#,##0.####%", locale=self.babel))

    def attainment(self, ratio: Decimal, target: Decimal | None) -> str:
        """An attainment as shown beside its target: the target's places plus one, cut (`shown_ratio`).

        0.998999 against 99.9% is 99.89%, never 99.90%: a miss is never shown as met.
        """
        pattern = "#,##0." + "0" * shown_places(target) + "%"
        return str(format_percent(shown_ratio(ratio, target), pattern, locale=self.babel))

    def number(self, value: Decimal | int, decimals: int = 2) -> str:
        """A number with grouping and up to `decimals` decimals."""
        pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
        return str(format_decimal(value, pattern, locale=self.babel))

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount with its currency, to the cent: 6,200.00 Singapore dollars / 6,200.00新加坡元."""
        return str(format_currency(amount, currency, format_type="name", locale=self.babel))

    def date(self, day: Day) -> str:
        """A day in the long form: January 1, 2027 / 2027年1月1日."""
        return str(format_date(day, "long", locale=self.babel))

    def instant(self, moment: datetime, zone: str) -> str:
        """An instant as local date and time in `zone`, to the minute."""
        local = moment.astimezone(ZoneInfo(zone))
        clock = format_time(local, "HH:mm", locale=self.babel)
        return f"{format_date(local.date(), 'medium', locale=self.babel)} {clock}"

    def month(self, first: Day) -> str:
        """A month's name with its year: October 2026 / 2026年10月."""
        return str(format_skeleton("yMMMM", first, locale=self.babel))

    def weekday(self, index: int, width: Literal["abbreviated", "wide"] = "abbreviated") -> str:
        """The name of weekday `index` (Monday = 0), abbreviated or `wide`."""
        return str(get_day_names(width, locale=self.babel)[index])

    def duration(self, value: timedelta) -> str:
        """A duration in whole units: 30 days, 1 hour, 30 minutes / 30天、1小时、30分钟."""
        seconds = int(value.total_seconds())
        parts = []
        for unit, size in _UNITS:
            count, seconds = divmod(seconds, size)
            if count:
                parts.append(str(format_unit(count, f"duration-{unit}", locale=self.babel)))
        if not parts:
            return str(format_unit(0, "duration-minute", locale=self.babel))
        return str(format_list(parts, style="unit", locale=self.babel))

    def minutes(self, value: Decimal) -> str:
        """Minutes with up to two decimals, and the whole duration beside them from an hour up."""
        text = str(format_unit(value.quantize(Decimal("0.01")).normalize(), "duration-minute", locale=self.babel))
        if value >= 60:
            text += self.text("aside", text=self.duration(timedelta(seconds=int(value * 60))))
        return text

    def span(self, value: CalendarSpan) -> str:
        """A calendar span (months, then fixed time) in words."""
        parts = [str(format_unit(value.months, "duration-month", locale=self.babel))] if value.months else []
        if value.fixed:
            parts.append(self.duration(value.fixed))
        return str(format_list(parts, style="unit", locale=self.babel))

    def territory(self, code: str) -> str:
        """A country's name from its ISO 3166-1 code (CN -> China / 中国); the code when CLDR has no name."""
        return str(BabelLocale.parse(self.babel).territories.get(code.upper(), code))

    def join(self, items: list[str]) -> str:
        """Items as a list in words: a, b, and c / a、b和c."""
        return str(format_list(items, locale=self.babel)) if items else ""

    def unit(self, unit: CalendarUnit) -> str:
        """A calendar unit's noun: month / 月."""
        return self.text(f"unit.{unit.value}")
