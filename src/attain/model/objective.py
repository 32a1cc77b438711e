"""Objectives (SLOs): an indicator, a target over a window, budgeting, alerts and credit tiers."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from attain.model.alerting import AlertPolicy
from attain.model.base import LAX, Frozen
from attain.model.budgeting import Budgeting, BudgetingMethod
from attain.model.credit import CreditTier
from attain.model.indicator import CaseIndicator, FreshnessIndicator, Indicator, StatisticIndicator
from attain.model.quantity import Ratio, Slug, format_ratio, invalid
from attain.model.window import CalendarWindow, RollingWindow, parse_window


def _window_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "calendar-window" if "calendar" in value else "rolling-window"
    return "calendar-window" if isinstance(value, CalendarWindow) else "rolling-window"


WindowField = Annotated[
    Annotated[RollingWindow, Tag("rolling-window")] | Annotated[CalendarWindow, Tag("calendar-window")],
    Discriminator(_window_kind),
    BeforeValidator(parse_window),
]


class Objective(Frozen):
    """A promise about one indicator: `target` of it over each `window`.

    A `statistic` indicator carries its own bound (mean ≤ 7 min) and takes no `target`; every
    other kind needs one. `service_hours` names a business calendar whose hours alone count
    (availability: only time inside them; events: only events stamped inside them).
    """

    name: Slug
    title: str | None = None
    description: str | None = None
    service: str | None = Field(default=None, description="Name of a service in spec.services.")
    indicator: Indicator
    target: Ratio | None = None
    window: WindowField
    budgeting: Budgeting = Field(default_factory=Budgeting)
    alerting: AlertPolicy | None = None
    credits: Annotated[tuple[CreditTier, ...], LAX] = ()
    service_hours: Slug | None = Field(
        default=None, description="Name of a spec.calendars entry: only its hours count (availability, events)."
    )

    @model_validator(mode="after")
    def _target_and_tiers(self) -> Objective:
        if isinstance(self.indicator, StatisticIndicator):
            if self.target is not None:
                raise invalid(
                    "a statistic objective takes no target; its bound is the goal",
                    "remove target (the indicator's op and bound state the goal)",
                )
            if self.budgeting.method is not BudgetingMethod.OCCURRENCES:
                raise invalid("a statistic objective has no budget to slice", "remove budgeting", at=("budgeting",))
            if self.alerting is not None:
                raise invalid("a statistic objective has no budget to burn", "remove alerting", at=("alerting",))
            if self.credits:
                raise invalid(
                    "credit tiers need an attainment ratio, which a statistic objective has not",
                    "express the goal as a threshold objective with a target, or remove credits",
                    at=("credits",),
                )
        elif self.target is None:
            raise invalid("target is required", "add target: 99.9%", at=("target",))
        if self.service_hours is not None and isinstance(self.indicator, FreshnessIndicator | CaseIndicator):
            hint = (
                "a case clock counts business hours with indicator time: business and calendar:"
                if isinstance(self.indicator, CaseIndicator)
                else "remove serviceHours; it applies to ratio, threshold, statistic and availability indicators"
            )
            raise invalid(
                f"serviceHours does not apply to a {self.indicator.kind} indicator", hint, at=("serviceHours",)
            )
        _check_tiers(self.credits, self.target)
        return self


def _check_tiers(tiers: tuple[CreditTier, ...], target: Decimal | None) -> None:
    """Tiers lie below the target, do not overlap, and credit more as attainment falls."""
    position = {id(tier): index for index, tier in enumerate(tiers)}
    ordered = sorted(tiers, key=lambda t: (t.lower or Decimal(-1), t.upper or Decimal(2)))
    for tier in ordered:
        upper = tier.upper
        if (
            target is not None
            and upper is not None
            and (upper > target or (upper == target and tier.at_most is not None))
        ):
            raise invalid(
                f"credit tier {tier.describe()} reaches the target {format_ratio(target)}",
                "a tier's upper edge must be at or below the target (below: target)",
                at=("credits", position[id(tier)]),
            )
    for low, high in pairwise(ordered):
        touching = low.upper == high.lower and not (low.at_most is not None and high.at_least is not None)
        if (
            low.upper is None
            or high.lower is None
            or low.upper > high.lower
            or (low.upper == high.lower and not touching)
        ):
            raise invalid(
                f"credit tiers {low.describe()} and {high.describe()} overlap",
                "make each edge close one tier and open the next (below: X / atLeast: X)",
                at=("credits", position[id(high)]),
            )
        if low.credit < high.credit:
            raise invalid(
                f"credit falls as attainment worsens ({high.describe()}: {format_ratio(high.credit)}, "
                f"{low.describe()}: {format_ratio(low.credit)})",
                "give lower attainment at least as much credit",
                at=("credits", position[id(low)], "credit"),
            )
