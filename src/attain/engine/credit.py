"""Credits owed for a period: the tier an objective's attainment falls in, combined and capped.

For each objective the tier whose edges contain the period's attainment gives a share of the
fee (edges exactly as written: `below: 99%` excludes 99.0% itself). The attainment compared is
the unrounded fraction good ÷ valid (`PeriodResult.exact_ratio`), not the ratio rounded down to
28 significant digits, so an edge written with 28 digits or more is judged exactly too. The shares of all objectives
in the same period combine by the policy (`sum` or `max`), are capped by `cap`, and turn into an
amount when the agreement's fee is charged per the same calendar unit as the period. A combined
amount below `minimumPayout` is owed as zero. Amounts are exact decimals, rounded half-even to
cents only when presented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from attain.model import Combine, CreditPolicy, CreditTier, Fee


@dataclass(frozen=True, slots=True)
class ObjectiveCredit:
    """One objective's credit in one period."""

    objective: str
    attainment: Decimal | None
    tier: CreditTier | None
    share: Decimal


@dataclass(frozen=True, slots=True)
class PeriodCredit:
    """What the customer is owed for one period, all objectives combined."""

    period: str
    parts: tuple[ObjectiveCredit, ...]
    share: Decimal
    """Combined and capped share of the fee."""
    amount: Decimal | None
    """share × fee, when the fee is charged per this period's unit; None otherwise."""
    payable: Decimal | None
    """The amount, or zero when it is below the minimum payout."""
    currency: str | None = None
    """The fee's ISO 4217 currency, which `amount` and `payable` are in; None without a fee."""
    start: int | None = None
    """The period's start (µs): with the label it names the period, since one label can name two
    (a later version that moves a window to another zone); None where no period is known."""

    @property
    def triggered_by(self) -> tuple[str, ...]:
        """The objectives whose attainment fell in a credit tier this period, in the agreement's order."""
        return tuple(part.objective for part in self.parts if part.share > 0)


def tier_for(tiers: Sequence[CreditTier], attainment: Decimal | Fraction | None) -> CreditTier | None:
    """The tier that contains the attainment, or None (met, or no data: no credit)."""
    if attainment is None:
        return None
    return next((tier for tier in tiers if tier.contains(attainment)), None)


def objective_credit(
    objective: str, tiers: Sequence[CreditTier], attainment: Decimal | None, exact: Fraction | None = None
) -> ObjectiveCredit:
    """The credit share one objective earns with this attainment (the tier chosen by `exact` when given).

    Args:
        objective: The objective's name.
        tiers: Its credit tiers.
        attainment: The period's ratio as shown (rounded down to 28 significant digits).
        exact: The same ratio unrounded; None to judge by `attainment`.
    """
    tier = tier_for(tiers, exact if exact is not None else attainment)
    return ObjectiveCredit(objective, attainment, tier, tier.credit if tier else Decimal(0))


def combine(
    period: str,
    parts: Sequence[ObjectiveCredit],
    policy: CreditPolicy,
    fee: Fee | None,
    unit: str | None,
    start: int | None = None,
) -> PeriodCredit:
    """Combine objectives' shares for one period (labelled `period`, from `start`) by the policy, cap, and price."""
    shares = [part.share for part in parts]
    total = max(shares, default=Decimal(0)) if policy.combine is Combine.MAX else sum(shares, Decimal(0))
    share = min(total, policy.cap)
    amount = fee.amount * share if fee is not None and fee.per.value == unit else None
    payable = None if amount is None else (amount if amount >= policy.minimum_payout else Decimal(0))
    currency = None if fee is None else fee.currency
    return PeriodCredit(period, tuple(parts), share, amount, payable, currency, start)
