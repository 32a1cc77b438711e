"""Alert windows: the SRE workbook's table, Sloth's AlertWindows documents, and the catalog by period."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from attain.errors import InvalidAgreement
from attain.formats.sloth.windows import (
    DEFAULT_CATALOG,
    AlertWindow,
    WindowCatalog,
    parse_alert_windows,
    workbook_windows,
)
from attain.formats.source import read_text

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)

SEVEN_DAYS = """\
apiVersion: sloth.slok.dev/v1
kind: AlertWindows
spec:
  sloPeriod: 7d
  page:
    quick: {errorBudgetPercent: 8, shortWindow: 5m, longWindow: 1h}
    slow: {errorBudgetPercent: 12.5, shortWindow: 30m, longWindow: 6h}
  ticket:
    quick: {errorBudgetPercent: 20, shortWindow: 2h, longWindow: 24h}
    slow: {errorBudgetPercent: 42, shortWindow: 6h, longWindow: 72h}
"""


def test_the_workbook_table() -> None:
    """Page: 2% in 5m/1h and 5% in 30m/6h; ticket: 10% in 2h/1d and in 6h/3d, for any period."""
    windows = workbook_windows(28 * DAY)
    assert windows.period == 28 * DAY
    assert [
        (w.error_budget_percent, w.short_window, w.long_window)
        for w in (windows.page_quick, windows.page_slow, windows.ticket_quick, windows.ticket_slow)
    ] == [(2, 5 * MINUTE, HOUR), (5, 30 * MINUTE, 6 * HOUR), (10, 2 * HOUR, DAY), (10, 6 * HOUR, 3 * DAY)]


def test_recording_windows_are_the_distinct_windows_shortest_first() -> None:
    """The workbook's eight windows hold seven distinct ones: 5m, 30m, 1h, 2h, 6h, 1d, 3d."""
    assert workbook_windows(30 * DAY).recording_windows() == [
        5 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        6 * HOUR,
        DAY,
        3 * DAY,
    ]


def test_an_alert_windows_document_reads_exactly() -> None:
    """A 7-day AlertWindows document gives its period and its four windows, 12.5% kept exact."""
    [document] = read_text(SEVEN_DAYS, "7d.yaml")
    windows = parse_alert_windows(document)
    assert windows.period == 7 * DAY
    assert windows.page_slow == AlertWindow(Decimal("12.5"), 30 * MINUTE, 6 * HOUR)
    assert windows.ticket_slow == AlertWindow(Decimal(42), 6 * HOUR, 3 * DAY)


def test_a_short_window_not_shorter_than_its_long_window_is_refused() -> None:
    """A quick page pair of 1h/1h is one problem, located at that pair."""
    [document] = read_text(SEVEN_DAYS.replace("shortWindow: 5m", "shortWindow: 1h"), "7d.yaml")
    with pytest.raises(InvalidAgreement) as caught:
        parse_alert_windows(document)
    assert [p.path for p in caught.value.problems] == ["spec.page.quick"]


def test_a_custom_catalog_has_only_its_own_periods() -> None:
    """With custom windows a period they do not name has none; the default catalog has the workbook's for any."""
    [document] = read_text(SEVEN_DAYS, "7d.yaml")
    windows = parse_alert_windows(document)
    catalog = WindowCatalog({windows.period: windows})
    assert catalog.for_period(7 * DAY) == windows
    assert catalog.for_period(30 * DAY) is None
    assert DEFAULT_CATALOG.for_period(30 * DAY) == workbook_windows(30 * DAY)
