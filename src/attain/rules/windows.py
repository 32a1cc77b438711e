"""Multi-window, multi-burn-rate alert windows (Google SRE workbook, "Alerting on SLOs").

Each of the four alerts (page quick and slow, ticket quick and slow) fires when the error rate
over both its short and its long window exceeds `factor × (1 − objective)`, where

    factor = errorBudgetPercent / 100 × period ÷ longWindow

is the burn rate that spends `errorBudgetPercent` of the period's budget within `longWindow`
(30 days: 14.4 for 2% in 1 h). The workbook's table is the default for every period; a catalog of
Sloth `AlertWindows` files replaces it, one set per SLO period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from attain.model.alerting import SRE_WORKBOOK_TIERS


@dataclass(frozen=True, slots=True)
class AlertWindow:
    """One alert's windows and the share of the period's budget it allows to burn."""

    error_budget_percent: Decimal
    short_window: timedelta
    long_window: timedelta

    def factor(self, period: timedelta) -> Fraction:
        """The burn-rate factor `errorBudgetPercent / 100 × period ÷ longWindow`, exact."""
        return Fraction(self.error_budget_percent) / 100 * Fraction(period / self.long_window)


@dataclass(frozen=True, slots=True)
class AlertWindows:
    """The four alert windows for one SLO period."""

    period: timedelta
    page_quick: AlertWindow
    page_slow: AlertWindow
    ticket_quick: AlertWindow
    ticket_slow: AlertWindow

    def recording_windows(self) -> list[timedelta]:
        """Every distinct short and long window, shortest first (the SLI recording rules' windows)."""
        found = {
            window
            for alert in (self.page_quick, self.page_slow, self.ticket_quick, self.ticket_slow)
            for window in (alert.short_window, alert.long_window)
        }
        return sorted(found)


def workbook_windows(period: timedelta) -> AlertWindows:
    """The SRE workbook's table for `period`: 2% in 1 h and 5% in 6 h page, 10% in 1 d and 3 d ticket."""
    quick_page, slow_page, quick_ticket, slow_ticket = (
        AlertWindow(tier.budget_consumed * 100, tier.short_window, tier.long_window) for tier in SRE_WORKBOOK_TIERS
    )
    return AlertWindows(period, quick_page, slow_page, quick_ticket, slow_ticket)


@dataclass(frozen=True, slots=True)
class WindowCatalog:
    """The alert windows to use for each SLO period.

    Attributes:
        windows: Custom windows by period; when empty, every period gets the workbook's table.
    """

    windows: Mapping[timedelta, AlertWindows]

    def for_period(self, period: timedelta) -> AlertWindows | None:
        """The windows for `period`, or None when a custom catalog has none for it."""
        if not self.windows:
            return workbook_windows(period)
        return self.windows.get(period)


DEFAULT_CATALOG = WindowCatalog({})
"""The workbook's table for every period."""
