"""Termination: the clause in words, and rules that grant a right when objectives are missed."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StrictInt, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import Duration, Ratio, invalid


class Right(StrEnum):
    """What a termination rule grants the customer."""

    TERMINATE_WITHOUT_PENALTY = "terminate-without-penalty"
    TERMINATE = "terminate"
    RENEGOTIATE = "renegotiate"


class BreachCount(Frozen):
    """`count` breached periods among the last `periods` periods."""

    count: StrictInt = Field(ge=1)
    periods: StrictInt = Field(ge=1)

    @model_validator(mode="after")
    def _fits(self) -> BreachCount:
        if self.count > self.periods:
            raise invalid("count exceeds periods", "e.g. count: 3, periods: 6")
        return self


class TerminationCondition(Frozen):
    """Exactly one condition, over one objective's period history (or any objective's)."""

    objective: str | None = Field(default=None, description="An objective's name; empty: any.")
    breached_consecutive_periods: StrictInt | None = Field(default=None, ge=1)
    breached_periods: BreachCount | None = None
    attainment_below: Ratio | None = Field(default=None, description="Below this in any period.")

    @model_validator(mode="after")
    def _one_condition(self) -> TerminationCondition:
        given = [
            self.breached_consecutive_periods is not None,
            self.breached_periods is not None,
            self.attainment_below is not None,
        ]
        if sum(given) != 1:
            raise invalid(
                "give exactly one condition",
                "one of breachedConsecutivePeriods, breachedPeriods, attainmentBelow",
            )
        return self


class TerminationRule(Frozen):
    """When the condition holds, the customer gains the right."""

    when: TerminationCondition
    grants: Annotated[Right, LAX]
    notice: Duration | None = Field(default=None, description="Notice the customer must give.")
    exercise_within: Duration | None = Field(default=None, description="How long the right lasts.")


class Termination(Frozen):
    """The termination clause in words, the ordinary notice, and the rules that grant rights."""

    clause: str
    notice: Duration | None = None
    rights: Annotated[tuple[TerminationRule, ...], LAX] = ()
