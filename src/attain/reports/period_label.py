"""Period labels as people write them: 2026-10, 2026-Q4, 2026-W40, 2026 or 2026-10-05.

A label is read back only when the engine writes the same label for the period it names
(`attain.engine.period.label`), so `2026-1` or `2026-W53` of a year without one is refused.
"""

from __future__ import annotations

import re
from datetime import date

from attain.engine.period import label as period_label
from attain.errors import InvalidInput, Problem
from attain.model import CalendarUnit

_LABELS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), CalendarUnit.DAY),
    (re.compile(r"(\d{4})-W(\d{2})"), CalendarUnit.WEEK),
    (re.compile(r"(\d{4})-(\d{2})"), CalendarUnit.MONTH),
    (re.compile(r"(\d{4})-Q([1-4])"), CalendarUnit.QUARTER),
    (re.compile(r"(\d{4})"), CalendarUnit.YEAR),
)


def parse_period(text: str) -> tuple[CalendarUnit, date]:
    """The unit and first day of a period label: 2026-10, 2026-Q3, 2026-W40, 2026 or 2026-10-05."""
    label = text.strip()
    for pattern, unit in _LABELS:
        match = pattern.fullmatch(label)
        if match is None:
            continue
        try:
            first = _first_day(unit, [int(g) for g in match.groups()])
        except ValueError:
            break
        if period_label(unit, first) == label:
            return unit, first
        break
    hint = "write a month 2026-10, a quarter 2026-Q4, an ISO week 2026-W40, a year 2026 or a day 2026-10-05"
    raise InvalidInput([Problem("<command line>", None, None, "--period", f"not a period: {text!r}", hint)])


def _first_day(unit: CalendarUnit, parts: list[int]) -> date:
    """The first day of the period whose label's numbers are `parts` (year first)."""
    year = parts[0]
    if unit is CalendarUnit.DAY:
        return date(year, parts[1], parts[2])
    if unit is CalendarUnit.WEEK:
        return date.fromisocalendar(year, parts[1], 1)
    if unit is CalendarUnit.MONTH:
        return date(year, parts[1], 1)
    if unit is CalendarUnit.QUARTER:
        return date(year, 3 * parts[1] - 2, 1)
    return date(year, 1, 1)
