"""Budgeting methods, with OpenSLO's meaning: how good and bad are counted against the target.

- `Occurrences`: every valid event counts once; the ratio is good events / valid events.
- `Timeslices`: time is cut into slices of `slice`; a slice is good when its own ratio reaches
  `sliceTarget`; the ratio is good slices / slices.
- `RatioTimeslices`: the mean of the slices' own ratios.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import Duration, Ratio, invalid


class BudgetingMethod(StrEnum):
    """The three budgeting methods of OpenSLO v1."""

    OCCURRENCES = "Occurrences"
    TIMESLICES = "Timeslices"
    RATIO_TIMESLICES = "RatioTimeslices"


class Budgeting(Frozen):
    """A budgeting method with its slice length and slice target where it needs them."""

    method: Annotated[BudgetingMethod, LAX] = BudgetingMethod.OCCURRENCES
    slice: Duration | None = Field(default=None, description="Length of a time slice (Timeslices).")
    slice_target: Ratio | None = Field(default=None, description="Share a slice needs to be good.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        """Accept `budgeting: Occurrences` for the method alone."""
        return {"method": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _fields_for_method(self) -> Budgeting:
        method = self.method
        if method is BudgetingMethod.OCCURRENCES and (self.slice or self.slice_target is not None):
            raise invalid("Occurrences takes no slice or sliceTarget", "remove them or use Timeslices")
        if method is not BudgetingMethod.OCCURRENCES and self.slice is None:
            raise invalid(f"{method} needs slice", "add slice: 1m (the length of one time slice)")
        if method is BudgetingMethod.TIMESLICES and self.slice_target is None:
            raise invalid("Timeslices needs sliceTarget", "add sliceTarget: 95% (share for a good slice)")
        if method is BudgetingMethod.RATIO_TIMESLICES and self.slice_target is not None:
            raise invalid("RatioTimeslices takes no sliceTarget", "remove sliceTarget or use Timeslices")
        return self
