"""Alert policies: multi-window, multi-burn-rate tiers (Google SRE workbook, chapter 5).

A tier fires when the burn rate over both its long and its short window exceeds
`budgetConsumed × period ÷ longWindow`. The `sre-workbook` preset is the workbook's table.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import Duration, Ratio, invalid


class BurnRateTier(Frozen):
    """One alert: the share of budget that, burnt within `longWindow`, calls for `severity`."""

    long_window: Duration
    short_window: Duration
    budget_consumed: Ratio = Field(description="Share of the period's budget, e.g. 2%.")
    severity: str = Field(default="page", description="page, ticket, or any label your routing uses.")

    @model_validator(mode="after")
    def _short_within_long(self) -> BurnRateTier:
        if self.short_window >= self.long_window:
            raise invalid("shortWindow must be shorter than longWindow", "e.g. longWindow 1h, shortWindow 5m")
        if self.budget_consumed <= 0:
            raise invalid("budgetConsumed must be above 0%", "e.g. 2%")
        return self


SRE_WORKBOOK_TIERS: tuple[BurnRateTier, ...] = tuple(
    # Constructed without validation: the table is valid as written (tests/model/test_parts.py
    # validates each tier and compares), and validating it here would build BurnRateTier's
    # validator on every import of the model, which a command that validates nothing never needs.
    BurnRateTier.model_construct(
        long_window=timedelta(hours=long_h),
        short_window=timedelta(minutes=short_m),
        budget_consumed=Decimal(share),
        severity=severity,
    )
    for long_h, short_m, share, severity in (
        (1, 5, "0.02", "page"),
        (6, 30, "0.05", "page"),
        (24, 120, "0.10", "ticket"),
        (72, 360, "0.10", "ticket"),
    )
)
"""The workbook's table: 2% in 1h (5m), 5% in 6h (30m) page; 10% in 1d (2h), 10% in 3d (6h) ticket."""


class AlertPolicy(Frozen):
    """Burn-rate alert tiers, given explicitly or as the `sre-workbook` preset."""

    preset: Literal["sre-workbook"] | None = None
    tiers: Annotated[tuple[BurnRateTier, ...], LAX] = ()
    minimum_events: StrictInt = Field(
        default=0, ge=0, description="Low-traffic guard: fewer valid events in a window never fire."
    )

    @model_validator(mode="after")
    def _preset_or_tiers(self) -> AlertPolicy:
        if (self.preset is None) == (not self.tiers):
            raise invalid("give exactly one of preset and tiers", "e.g. preset: sre-workbook")
        return self

    @property
    def effective_tiers(self) -> tuple[BurnRateTier, ...]:
        """The tiers that apply: the preset's table or the explicit list."""
        return SRE_WORKBOOK_TIERS if self.preset == "sre-workbook" else self.tiers
