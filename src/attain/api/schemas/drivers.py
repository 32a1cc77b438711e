"""What drives failures as a response body (`GET /agreements/{name}/drivers`), as `attain drivers -o json` prints it."""

from __future__ import annotations

from pydantic import Field

from attain.api.schemas.body import StrictBody

Amount = int | str
"""A count of events or cases, or seconds of downtime as exact decimal text."""


class DriverOut(StrictBody):
    """One value of one attribute (or the rest of its values) and what it cost."""

    value: str | None = Field(description="The attribute's value; null for the rows without it (or a rest).")
    values: int = Field(description="How many values the row stands for: 1, or the values summed into the rest.")
    bad: Amount = Field(description="Bad events, breached cases, or seconds of downtime in the period.")
    valid: int = Field(description="Valid events or decided cases in the period (0 for downtime).")
    previous: Amount = Field(description="The same in the period before.")
    change: Amount = Field(description="bad − previous.")
    share: str | None = Field(description="bad ÷ the objective's total bad (null when nothing was bad).")
    budget_share: str | None = Field(alias="budgetShare", description="bad ÷ the period's error budget.")
    previous_share: str | None = Field(alias="previousShare", description="The share in the period before.")
    share_change: str | None = Field(alias="shareChange", description="share − previous share.")


class DimensionOut(StrictBody):
    """One attribute's values, most costly first, and the rest summed."""

    dimension: str
    drivers: list[DriverOut]
    rest: DriverOut | None


class ObjectiveDriversOut(StrictBody):
    """One objective's totals and attributes; `skipped` says why an objective is not split."""

    objective: str
    skipped: str | None
    unit: str | None = Field(description="events, cases or seconds; null when skipped.")
    bad: Amount | None = None
    valid: int | None = None
    previous: Amount | None = None
    allowed: str | None = Field(default=None, description="The period's error budget in `unit`.")
    consumed: str | None = Field(default=None, description="bad ÷ allowed (1 = the whole budget).")
    dimensions: list[DimensionOut]


class DriversOut(StrictBody):
    """What drove failures in one period of an agreement, against the period before."""

    agreement: str
    version: int
    period: str
    previous: str
    from_: str = Field(alias="from")
    until: str
    previous_from: str = Field(alias="previousFrom")
    previous_until: str = Field(alias="previousUntil")
    objectives: list[ObjectiveDriversOut]
