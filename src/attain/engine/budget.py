"""The error budget of one period: allowed, consumed, remaining.

Formulas (Google SRE workbook, "Implementing SLOs": error budget = 1 − SLO; "Alerting on
SLOs": time to exhaustion = remaining budget ÷ rate of consumption):

- events (Occurrences): `allowed = (1 − target) × valid events`, `consumed = bad events`;
- slices (Timeslices, RatioTimeslices): `allowed = (1 − target) × counted slices`,
  `consumed = bad slices` (for RatioTimeslices, Σ (1 − slice ratio));
- minutes (time-based objectives): `allowed = (1 − target) × period minutes`,
  `consumed = bad minutes`;
- always `remaining = allowed − consumed`, negative when overspent, and
  `consumed + remaining == allowed` exactly.

Rounding: event and slice budgets are exact. Minutes come from integer microseconds, and a
microsecond count is not always a terminating decimal of minutes (20 s = 1/3 min). So allowed
and the exact remainder are each rounded half-even to 28 significant digits, and consumed is
their exact difference. Rounding to significant digits never changes a sign or makes a nonzero
number zero, so `remaining < 0` exactly when the exact budget is overspent and `remaining == 0`
exactly when it is just spent. Allowed minutes are exact for any period of whole minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from attain.engine.exact import EXACT, to_decimal
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, duration_us

if TYPE_CHECKING:
    from attain.engine.budgeting import Attainment

BudgetUnit = Literal["events", "slices", "minutes"]
_LONGEST_US = duration_us(timedelta.max)


@dataclass(frozen=True, slots=True)
class Budget:
    """An error budget in events, slices or minutes; `consumed + remaining == allowed` exactly."""

    allowed: Decimal
    consumed: Decimal
    remaining: Decimal
    """allowed − consumed; negative when the budget is overspent."""
    unit: BudgetUnit

    @property
    def consumed_share(self) -> Decimal | None:
        """The share of the budget consumed (1 = all of it), to 28 significant digits; None when none is allowed."""
        return self.consumed / self.allowed if self.allowed else None

    @property
    def overspent(self) -> bool:
        """Whether more was consumed than allowed, i.e. the target is missed."""
        return self.remaining < 0


def event_budget(
    bad: int | Decimal, valid: int, target: Decimal, unit: Literal["events", "slices"] = "events"
) -> Budget:
    """The budget of `valid` events (or counted slices) of which `bad` were bad.

    `allowed = (1 − target) × valid`, exactly (SRE workbook: error budget = 1 − SLO).

    Raises:
        ValueError: when target is outside [0, 1] or not 0 ≤ bad ≤ valid.
    """
    _check_target(target)
    if not 0 <= bad <= valid:
        raise ValueError(f"need 0 ≤ bad ≤ valid, got bad {bad} and valid {valid}")
    allowed = EXACT.multiply(EXACT.subtract(Decimal(1), target), Decimal(valid))
    return _budget(allowed, Decimal(bad), unit)


def time_budget(bad_us: int, period_us: int, target: Decimal) -> Budget:
    """The budget of a period of `period_us` of which `bad_us` was bad, in minutes.

    `allowed = (1 − target) × period minutes` (SRE workbook: error budget = 1 − SLO); 99.9% of
    30 days allows 43.2 minutes. Rounding as in the module docstring.

    Raises:
        ValueError: when target is outside [0, 1] or not 0 ≤ bad_us ≤ period_us.
    """
    _check_target(target)
    if not 0 <= bad_us <= period_us:
        raise ValueError(f"need 0 ≤ bad time ≤ period, got {bad_us} µs of {period_us} µs")
    allowed = (Fraction(1) - Fraction(target)) * Fraction(period_us, US_PER_MINUTE)
    rounded_allowed = to_decimal(allowed)
    remaining = to_decimal(allowed - Fraction(bad_us, US_PER_MINUTE))
    return Budget(rounded_allowed, EXACT.subtract(rounded_allowed, remaining), remaining, "minutes")


def attainment_budget(attainment: Attainment, target: Decimal) -> Budget:
    """The budget of an attainment, in its unit: events, or slices for both slice methods."""
    unit: Literal["events", "slices"] = "events" if attainment.unit == "events" else "slices"
    return event_budget(attainment.bad, attainment.valid, target, unit)


def time_to_exhaustion(remaining: Decimal, burn_per_hour: Decimal) -> timedelta | None:
    """How long until the budget runs out at a steady burn: `remaining ÷ burn_per_hour` hours.

    `burn_per_hour` is consumption per hour in the budget's unit (SRE workbook, "Alerting on
    SLOs"). The result is rounded down to a whole microsecond, so it is never later than the
    exact moment; zero when nothing remains.

    Returns:
        None when nothing is burning (`burn_per_hour ≤ 0`) or the moment lies beyond `timedelta.max`.
    """
    if burn_per_hour <= 0:
        return None
    if remaining <= 0:
        return timedelta(0)
    microseconds = Fraction(remaining) * US_PER_HOUR // Fraction(burn_per_hour)
    return timedelta(microseconds=int(microseconds)) if microseconds <= _LONGEST_US else None


def _budget(allowed: Decimal, consumed: Decimal, unit: BudgetUnit) -> Budget:
    return Budget(allowed, consumed, EXACT.subtract(allowed, consumed), unit)


def _check_target(target: Decimal) -> None:
    if not Decimal(0) <= target <= Decimal(1):
        raise ValueError(f"target must lie in [0, 1], got {target}")
