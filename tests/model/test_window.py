"""Windows: shorthands in documents, rolling windows of whole minutes, weekStart only for weeks."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from attain.errors import InvalidAgreement
from attain.model.window import CalendarUnit, CalendarWindow, RollingWindow, parse_window
from attain.testing import agreement, agreement_model, ratio_objective


def _window(window: object) -> RollingWindow | CalendarWindow:
    """The window of a one-objective agreement that states `window`."""
    return agreement_model(agreement(objectives=[ratio_objective(window=window)])).spec.objectives[0].window


def _problems(window: object) -> list[tuple[str, str, str]]:
    """(path, message, hint) of each problem with a one-objective agreement that states `window`."""
    with pytest.raises(InvalidAgreement) as raised:
        _window(window)
    return [(p.path, p.message, p.hint) for p in raised.value.problems]


def test_a_unit_name_is_a_calendar_window_and_a_length_a_rolling_one() -> None:
    """`month` is the calendar month, `28d` and `4w` the last 28 days, a mapping is taken as written."""
    assert parse_window("month") == {"calendar": "month"}
    assert parse_window("28d") == {"rolling": "28d"}
    assert parse_window({"rolling": "1h"}) == {"rolling": "1h"}
    assert _window("month") == CalendarWindow(calendar=CalendarUnit.MONTH)
    assert _window("4w") == _window("28d") == RollingWindow(rolling=timedelta(days=28))
    assert _window({"calendar": "quarter", "timeZone": "Asia/Shanghai"}) == CalendarWindow(
        calendar=CalendarUnit.QUARTER, time_zone="Asia/Shanghai"
    )


def test_weeks_may_start_on_another_day() -> None:
    """`weekStart: 7` starts weeks on Sunday; a calendar window defaults to Monday and the agreement's zone."""
    window = _window({"calendar": "week", "weekStart": 7})
    assert isinstance(window, CalendarWindow)
    assert (window.calendar, window.week_start, window.time_zone) == (CalendarUnit.WEEK, 7, None)
    assert _window("week") == CalendarWindow(calendar=CalendarUnit.WEEK, week_start=1)


def test_a_rolling_window_is_whole_minutes() -> None:
    """90 seconds is refused with the shapes that would do."""
    assert _problems("90s") == [
        ("spec.objectives[0].window.rolling", "a rolling window must be whole minutes", "write 5m, 1h, 28d or 4w")
    ]


def test_week_start_belongs_to_weeks_only() -> None:
    """A month starting on Sunday makes no sense and is refused on the window."""
    assert _problems({"calendar": "month", "weekStart": 7}) == [
        ("spec.objectives[0].window", "weekStart applies only to calendar: week", "remove weekStart")
    ]


def test_an_unknown_unit_lists_the_units() -> None:
    """`calendar: fortnight` is refused, naming the five units."""
    assert _problems({"calendar": "fortnight"}) == [
        (
            "spec.objectives[0].window.calendar",
            "unknown value 'fortnight'",
            "use one of 'day', 'week', 'month', 'quarter' or 'year'",
        )
    ]


WINDOW_FORMS_HINT = (
    "write a calendar period: day, week, month, quarter or year (or {calendar: month, timeZone: Asia/Shanghai}),"
    " or a rolling length: 28d, 4w, 24h (or {rolling: 30d})"
)


@pytest.mark.parametrize("window", ["monthly", "30 days", "P1M"])
def test_text_of_no_valid_form_suggests_the_forms(window: str) -> None:
    """`window: monthly` is refused at the window, naming every valid way to write one."""
    assert _problems(window) == [("spec.objectives[0].window", f"not a window: {window!r}", WINDOW_FORMS_HINT)]


@pytest.mark.parametrize(
    ("value", "shown"), [(5, "5"), (True, "true"), (Decimal("2.5"), "2.5"), (None, "nothing (null)")]
)
def test_a_value_of_no_valid_form_suggests_the_forms(value: object, shown: str) -> None:
    """A number, a boolean or null as a window is refused with the forms (the document's `window: 5`)."""
    with pytest.raises(PydanticCustomError) as raised:
        parse_window(value)
    assert raised.value.context == {"what": f"not a window: {shown}", "valid": WINDOW_FORMS_HINT, "at": ()}
