"""The clock of a case (a ticket, a call, an order): the events that drive it and the time it counts."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import invalid


class CaseClock(Frozen):
    """Which case events start, pause, resume and stop the clock (by their `type`)."""

    start: str
    stop: str
    pause: Annotated[tuple[str, ...], LAX] = ()
    resume: Annotated[tuple[str, ...], LAX] = ()

    @model_validator(mode="after")
    def _distinct(self) -> CaseClock:
        names = [self.start, self.stop, *self.pause, *self.resume]
        if len(set(names)) != len(names):
            raise invalid("an event type plays two roles on the clock", "give each role its own type")
        if bool(self.pause) != bool(self.resume):
            raise invalid("pause and resume come together", "give both pause: and resume:, or neither")
        return self


class TimeBasis(StrEnum):
    """Whether a clock runs around the clock or only in business hours."""

    CALENDAR = "calendar"
    BUSINESS = "business"
