"""The burn-rate factor of an alert window (Google SRE workbook, "Alerting on SLOs").

    factor = errorBudgetPercent / 100 × period ÷ longWindow

is the burn rate that spends `errorBudgetPercent` of the period's error budget within the
window's long window: 14.4 for 2% in 1 h of 30 days. An alert fires when the error ratio over
both its windows exceeds `factor × (1 − objective)`. This is the one place rule generation
computes it, with the engine's `burn_rate_threshold` (the alerts and `attain summary` use the same).
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from attain.engine.instant import duration_us
from attain.engine.rate import burn_rate_threshold
from attain.formats.sloth.windows import AlertWindow


def burn_rate_factor(window: AlertWindow, period: timedelta) -> Fraction:
    """The burn-rate factor `errorBudgetPercent / 100 × period ÷ longWindow` of `window`, exact (the engine's)."""
    share = Fraction(window.error_budget_percent) / 100
    return burn_rate_threshold(share, duration_us(period), duration_us(window.long_window))
