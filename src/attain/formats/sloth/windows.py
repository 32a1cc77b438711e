"""Multi-window, multi-burn-rate alert windows (Google SRE workbook, "Alerting on SLOs").

Each of the four alerts (page quick and slow, ticket quick and slow) has a short and a long
window and the share of the period's error budget it may spend within the long window;
`attain.rules.burn_rate` turns that share into the alert's burn-rate factor. The workbook's
table is the default for every period; a catalog of Sloth `AlertWindows` documents
(`parse_alert_windows`) replaces it, one set per SLO period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Literal

from pydantic import Field

from attain.errors import InvalidAgreement, Problem
from attain.formats.sloth.document import SlothModel, validate_document
from attain.formats.source import Path, SourceDocument
from attain.model.alerting import SRE_WORKBOOK_TIERS
from attain.model.quantity import parse_duration


@dataclass(frozen=True, slots=True)
class AlertWindow:
    """One alert's windows and the share of the period's budget it allows to burn."""

    error_budget_percent: Decimal
    short_window: timedelta
    long_window: timedelta


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


class _Window(SlothModel):
    error_budget_percent: Decimal | int = Field(alias="errorBudgetPercent")
    short_window: str = Field(alias="shortWindow")
    long_window: str = Field(alias="longWindow")


class _Pair(SlothModel):
    quick: _Window
    slow: _Window


class _WindowsSpec(SlothModel):
    slo_period: str = Field(alias="sloPeriod")
    page: _Pair
    ticket: _Pair


class AlertWindowsDocument(SlothModel):
    """A Sloth `AlertWindows` document: the four alert windows for one SLO period."""

    api_version: Literal["sloth.slok.dev/v1"] = Field(alias="apiVersion")
    kind: Literal["AlertWindows"]
    spec: _WindowsSpec


def parse_alert_windows(document: SourceDocument) -> AlertWindows:
    """Read a Sloth `AlertWindows` document.

    Raises:
        InvalidAgreement: If the document is not a valid `AlertWindows`, a duration is not one, or a
            short window is not shorter than its long window.
    """
    spec = validate_document(AlertWindowsDocument, document).spec
    problems: list[Problem] = []

    def duration(text: str, path: Path) -> timedelta:
        try:
            return parse_duration(text)
        except ValueError:
            problems.append(document.problem(path, f"not a duration: {text!r}", "write 5m, 1h, 1d or 30d"))
            return timedelta(minutes=1)

    def window(item: _Window, path: Path) -> AlertWindow:
        short = duration(item.short_window, (*path, "shortWindow"))
        long = duration(item.long_window, (*path, "longWindow"))
        if short >= long or item.error_budget_percent <= 0:
            problems.append(document.problem(path, "needs shortWindow < longWindow and a budget above 0", ""))
        return AlertWindow(Decimal(item.error_budget_percent), short, long)

    base = ("spec",)
    built = AlertWindows(
        duration(spec.slo_period, (*base, "sloPeriod")),
        window(spec.page.quick, (*base, "page", "quick")),
        window(spec.page.slow, (*base, "page", "slow")),
        window(spec.ticket.quick, (*base, "ticket", "quick")),
        window(spec.ticket.slow, (*base, "ticket", "slow")),
    )
    if problems:
        raise InvalidAgreement(problems)
    return built
