"""Objectives (SLOs): an indicator, a target over a window, budgeting, alerts and credit tiers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from attain.model.alerting import AlertPolicy
from attain.model.base import LAX, Frozen
from attain.model.budgeting import Budgeting, BudgetingMethod
from attain.model.credit import CreditTier, tier_findings
from attain.model.indicator import CaseIndicator, FreshnessIndicator, Indicator, StatisticIndicator
from attain.model.quantity import Ratio, Slug, invalid
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
    """Raise one error carrying every error among the tiers' findings (gaps are only warnings)."""
    errors = [(f.at, f.what, f.valid) for f in tier_findings(tiers, target) if not f.warning]
    if errors:
        raise PydanticCustomError(
            "attain_problems", "{what}", {"what": errors[0][1], "valid": errors[0][2], "problems": errors}
        )
