"""Exact formulas on counts, one objective and one window at a time: ratios, burn rates, thresholds.

No numpy and no model: `attain summary` from the store computes with these alone, and the
engine's array code (`attain.engine.burn_rate`, `attain.engine.budgeting`) with the same
functions, so that both write the same digits. Formulas (Google SRE workbook, "Implementing SLOs"
and "Alerting on SLOs"):

- occurrence ratio = good / valid, rounded toward −∞ to 28 significant digits (`exact.RATIO`);
- burn rate = (bad / valid) ÷ (1 − target), rounded half-even to 28 significant digits;
- factor = budgetConsumed × period ÷ longWindow, the burn rate that spends `budgetConsumed` of
  the period's budget within `longWindow`;
- a full window fires when `bad / valid > factor × (1 − target)`, strictly and exactly, with at
  least `max(1, minimum_events)` valid events (the low-traffic guard).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from attain.engine.exact import RATIO, ROUNDED, above, quotient, to_decimal
from attain.engine.instant import duration_us

INFINITE_RATE = Decimal("Infinity")
"""The burn rate of any bad event against a 100% target: its budget is zero."""


class Tier(Protocol):
    """What a burn-rate alert tier says (`attain.model.BurnRateTier`, or a summary plan's copy)."""

    @property
    def long_window(self) -> timedelta:
        """The long window: the burn over it decides."""

    @property
    def short_window(self) -> timedelta:
        """The short window: it must burn too, so that an alert resets soon after the burn stops."""

    @property
    def budget_consumed(self) -> Decimal:
        """The share of the period's budget that, burnt within the long window, fires the tier."""

    @property
    def severity(self) -> str:
        """page, ticket, or any label the routing uses."""


def occurrence_ratio(good: int, valid: int) -> Decimal | None:
    """`good / valid` rounded toward −∞ to 28 significant digits (`exact.RATIO`); None when nothing was valid."""
    return quotient(good, valid, RATIO) if valid else None


def burn_rate(bad: int, valid: int, target: Decimal) -> Decimal | None:
    """The burn rate `(bad / valid) ÷ (1 − target)` (SRE workbook, "Alerting on SLOs").

    Rounded half-even to 28 significant digits, for display; alerts decide with exact integers.

    Returns:
        None when there are no valid events (no data). With a target of 1 the budget is zero:
        0 when nothing is bad, else `INFINITE_RATE` (Decimal infinity), which exceeds every factor.
    """
    if not 0 <= bad <= valid:
        raise ValueError(f"need 0 ≤ bad ≤ valid, got bad {bad} and valid {valid}")
    return _rate(bad, valid, Fraction(1) - Fraction(target))


def burn_rates(bad: Sequence[int], valid: Sequence[int], target: Decimal) -> list[Decimal | None]:
    """`burn_rate` of each (bad, valid) pair against one target, with the share `1 − target` computed once."""
    if len(bad) != len(valid):
        raise ValueError(f"bad and valid differ in length: {len(bad)} and {len(valid)}")
    share = Fraction(1) - Fraction(target)
    rates = []
    for b, v in zip(bad, valid, strict=True):
        if not 0 <= b <= v:
            raise ValueError(f"need 0 ≤ bad ≤ valid, got bad {b} and valid {v}")
        rates.append(_rate(b, v, share))
    return rates


def _rate(bad: int, valid: int, share: Fraction) -> Decimal | None:
    """`(bad / valid) ÷ share` rounded half-even: the quotient of the integers `bad·q` and `valid·p` (share p/q)."""
    if valid == 0:
        return None
    if share == 0:
        return INFINITE_RATE if bad else Decimal(0)
    return ROUNDED.divide(Decimal(bad * share.denominator), Decimal(valid * share.numerator))


def burn_rate_threshold(budget_consumed: Fraction | Decimal, period_us: int, long_window_us: int) -> Fraction:
    """The burn rate that spends `budget_consumed` of a period's budget within the long window, exactly.

    `factor = budgetConsumed × period ÷ longWindow` (SRE workbook, "Alerting on SLOs",
    multiwindow, multi-burn-rate alerts): 2% of 30 days in 1 h is 14.4.

    Raises:
        ValueError: when the period or the long window is not positive.
    """
    if period_us <= 0 or long_window_us <= 0:
        raise ValueError(f"period and long window must be positive, got {period_us} µs and {long_window_us} µs")
    return Fraction(budget_consumed) * period_us / long_window_us


def error_ratio_threshold(tier: Tier, period_us: int, target: Decimal) -> Fraction:
    """The error ratio above which a tier's windows fire: `factor × (1 − target)`, exactly."""
    return _factor(tier, period_us) * (Fraction(1) - Fraction(target))


def factor(tier: Tier, period_us: int) -> Decimal:
    """The tier's burn-rate threshold `budgetConsumed × period ÷ longWindow` (`burn_rate_threshold`).

    Exact when it terminates (30 days: 14.4, 6, 3, 1), else rounded half-even to 28 significant
    digits (28 days, 10% in 3 d: 0.9333…); alerts use the exact fraction.
    """
    return to_decimal(_factor(tier, period_us))


def _factor(tier: Tier, period_us: int) -> Fraction:
    return burn_rate_threshold(tier.budget_consumed, period_us, duration_us(tier.long_window))


def fires(bad: int, valid: int, threshold: Fraction, minimum_events: int = 0) -> bool:
    """Whether one full window with these totals fires: `bad / valid > threshold` with the low-traffic guard.

    The rule of `attain.engine.burn_rate.window_fires`, for one window.
    """
    return valid >= max(1, minimum_events) and above(bad, valid, threshold)
