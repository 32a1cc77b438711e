"""The burn-rate factor of an alert window, checked against the SRE workbook's table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from attain.formats.sloth.windows import workbook_windows
from attain.rules.burn_rate import burn_rate_factor


def test_workbook_factors_for_30_and_28_days() -> None:
    """Factors are budget% × period ÷ long window: 14.4, 6, 3, 1 for 30 d; 13.44, 5.6, 2.8, 28/30 for 28 d."""
    for days, expected in ((30, [14.4, 6, 3, 1]), (28, [13.44, 5.6, 2.8, 28 / 30])):
        windows = workbook_windows(timedelta(days=days))
        alerts = (windows.page_quick, windows.page_slow, windows.ticket_quick, windows.ticket_slow)
        assert [float(burn_rate_factor(a, windows.period)) for a in alerts] == pytest.approx(expected, rel=1e-12)
