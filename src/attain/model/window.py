"""Time windows: rolling N minutes/hours/days/weeks, or calendar periods in a time zone."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from attain.model.base import LAX, Frozen, shown
from attain.model.quantity import Duration, invalid, parse_duration
from attain.model.unit import CalendarUnit
from attain.model.zone import TimeZoneName

__all__ = ["CalendarUnit", "CalendarWindow", "RollingWindow", "Window", "parse_window"]


class RollingWindow(Frozen):
    """The last `rolling` of time before the evaluation instant, e.g. the last 28 days."""

    rolling: Duration = Field(description="Length of the window: 5m, 1h, 28d, 4w.")

    @field_validator("rolling")
    @classmethod
    def _whole_minutes(cls, value: timedelta) -> timedelta:
        if value % timedelta(minutes=1):
            raise invalid("a rolling window must be whole minutes", "write 5m, 1h, 28d or 4w")
        return value


class CalendarWindow(Frozen):
    """Calendar periods (day, week, month, quarter, year) in an IANA time zone.

    `timeZone` defaults to the agreement's time zone. Weeks start on `weekStart` (ISO: Monday).
    """

    calendar: Annotated[CalendarUnit, LAX]
    time_zone: TimeZoneName | None = Field(default=None, description="IANA zone; default: agreement's.")
    week_start: Annotated[int, Field(ge=1, le=7)] = Field(
        default=1, description="ISO weekday that starts a week (1 = Monday, 7 = Sunday)."
    )

    @model_validator(mode="after")
    def _week_start_only_for_weeks(self) -> CalendarWindow:
        if self.week_start != 1 and self.calendar is not CalendarUnit.WEEK:
            raise invalid("weekStart applies only to calendar: week", "remove weekStart")
        return self


Window = RollingWindow | CalendarWindow
"""Either kind of window; told apart by the key present (`rolling` or `calendar`)."""


WINDOW_FORMS = (
    "write a calendar period: day, week, month, quarter or year (or {calendar: month, timeZone: Asia/Shanghai}),"
    " or a rolling length: 28d, 4w, 24h (or {rolling: 30d})"
)
"""Every way a document may write a window, as error messages suggest them."""


def parse_window(value: Any) -> Any:
    """Accept the shorthands `month` (a calendar month) and `28d` (rolling) beside the mapping.

    Anything else that is not a mapping (`window: 5`, `window: monthly`) is refused with the
    valid forms.
    """
    if isinstance(value, str):
        if value in {unit.value for unit in CalendarUnit}:
            return {"calendar": value}
        try:
            parse_duration(value)
        except PydanticCustomError:
            raise invalid(f"not a window: {shown(value)}", WINDOW_FORMS) from None
        return {"rolling": value}
    if isinstance(value, (dict, RollingWindow, CalendarWindow)):
        return value
    raise invalid(f"not a window: {'nothing (null)' if value is None else shown(value)}", WINDOW_FORMS)
