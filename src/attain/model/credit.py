"""Remedies: credit tiers per objective and the agreement's credit policy.

A tier is a half-open range of the period's attainment with explicit edges, e.g.
`{below: 99.95%, atLeast: 99.0%, credit: 10%}` covers 99.0% ≤ attainment < 99.95%.
`tier_findings` checks an objective's tiers together: tiers that reach the target, overlap, or
credit less as attainment falls are errors; a range of attainment between two tiers that earns
no credit is a warning (it may be meant, but is more often a typo in an edge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import Annotated, Any

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator

from attain.model.base import LAX, Frozen
from attain.model.quantity import CalendarSpanField, Money, Ratio, format_ratio, invalid
from attain.model.window import CalendarUnit


class CreditTier(Frozen):
    """Credit owed when the period's attainment lies within the tier's edges."""

    at_least: Ratio | None = Field(default=None, description="Lower edge, included (≥).")
    above: Ratio | None = Field(default=None, description="Lower edge, excluded (>).")
    below: Ratio | None = Field(default=None, description="Upper edge, excluded (<).")
    at_most: Ratio | None = Field(default=None, description="Upper edge, included (≤).")
    credit: Ratio = Field(description="Share of the period's fee credited.")

    @model_validator(mode="after")
    def _edges(self) -> CreditTier:
        if self.at_least is not None and self.above is not None:
            raise invalid("give one lower edge, not atLeast and above", "keep atLeast or above")
        if self.below is not None and self.at_most is not None:
            raise invalid("give one upper edge, not below and atMost", "keep below or atMost")
        if self.upper is None:
            raise invalid("a credit tier needs an upper edge", "add below: (or atMost:) the edge")
        low, high = self.lower or Decimal(0), self.upper
        if low > high or (low == high and not (self.at_least is not None and self.at_most is not None)):
            raise invalid("the tier's range is empty", "the lower edge must lie below the upper edge")
        return self

    @property
    def lower(self) -> Decimal | None:
        """The lower edge, whichever way it is written."""
        return self.at_least if self.at_least is not None else self.above

    @property
    def upper(self) -> Decimal | None:
        """The upper edge, whichever way it is written."""
        return self.below if self.below is not None else self.at_most

    def contains(self, attainment: Decimal | Fraction) -> bool:
        """Whether an attainment falls within this tier, edges exactly as written.

        Compared as fractions, so an edge with more digits than a rounded ratio keeps is judged
        exactly against the unrounded attainment (good ÷ valid).
        """
        value = Fraction(attainment)
        if self.at_least is not None and value < Fraction(self.at_least):
            return False
        if self.above is not None and value <= Fraction(self.above):
            return False
        if self.below is not None and value >= Fraction(self.below):
            return False
        return not (self.at_most is not None and value > Fraction(self.at_most))

    def describe(self, attainment: str = "attainment") -> str:
        """The tier's range in words-and-signs: '99.0% ≤ attainment < 99.95%', with `attainment` in any language."""
        left = ""
        if self.at_least is not None:
            left = f"{format_ratio(self.at_least)} ≤ "
        elif self.above is not None:
            left = f"{format_ratio(self.above)} < "
        right = f" < {format_ratio(self.below)}" if self.below is not None else ""
        if self.at_most is not None:
            right = f" ≤ {format_ratio(self.at_most)}"
        return f"{left}{attainment}{right}"


class Remedy(StrEnum):
    """What the customer receives when an objective is missed."""

    SERVICE_CREDIT = "service-credit"
    FEE_REDUCTION = "fee-reduction"
    REFUND = "refund"


class Combine(StrEnum):
    """How credits of several objectives in one period combine."""

    SUM = "sum"
    MAX = "max"


class CreditPolicy(Frozen):
    """How credits are combined, capped, paid and claimed."""

    remedy: Annotated[Remedy, LAX] = Remedy.SERVICE_CREDIT
    combine: Annotated[Combine, LAX] = Combine.SUM
    cap: Ratio = Field(default=Decimal(1), description="Most credit per period, as a share of the fee.")
    minimum_payout: Money = Field(default=Decimal(0), description="Smaller credits are not paid.")
    max_per_year: Money | None = Field(
        default=None, description="Most credit per calendar year, across the year's ledger entries (currency)."
    )
    claim_within: CalendarSpanField | None = Field(
        default=None, description="How long after the period a claim may be made (P2M, 30d)."
    )
    claim_how: str | None = Field(default=None, description="How a claim is made, in words.")


def parse_currency(value: Any) -> str:
    """Accept a three-letter ISO 4217 currency code in capitals."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise invalid(f"not a currency code: {value!r}", "use an ISO 4217 code in capitals, e.g. EUR, USD, CNY")
    return value


Currency = Annotated[str, PlainValidator(parse_currency), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})]


class Fee(Frozen):
    """The fee that credits are a share of."""

    amount: Money
    currency: Currency = Field(description="ISO 4217 code, e.g. EUR, CNY.")
    per: Annotated[CalendarUnit, LAX] = CalendarUnit.MONTH


@dataclass(frozen=True, slots=True)
class TierFinding:
    """Something wrong (or, with `warning`, doubtful) about an objective's credit tiers.

    `at` locates it below the objective, e.g. `("credits", 1)`; `what` says what is wrong and
    `valid` what would be valid.
    """

    at: tuple[str | int, ...]
    what: str
    valid: str
    warning: bool = False


def tier_findings(tiers: tuple[CreditTier, ...], target: Decimal | None) -> list[TierFinding]:
    """Every finding about `tiers` of an objective with `target`, errors and warnings, in tier order.

    Errors: a tier reaching the target (its upper edge above it, or at it and included), two
    tiers overlapping, lower attainment earning less credit. Warning: a gap between two tiers,
    that is attainment between the upper edge of one and the lower edge of the next (or the one
    edge value that both tiers exclude), which earns no credit.
    """
    position = {id(tier): index for index, tier in enumerate(tiers)}
    ordered = sorted(tiers, key=lambda t: (t.lower if t.lower is not None else Decimal(-1), t.upper or Decimal(2)))
    findings = [
        TierFinding(
            ("credits", position[id(tier)]),
            f"credit tier {tier.describe()} reaches the target {format_ratio(target)}",
            "a tier's upper edge must be at or below the target (below: target)",
        )
        for tier in ordered
        if target is not None and _reaches(tier, target)
    ]
    for low, high in pairwise(ordered):
        findings += _pair_findings(low, high, position)
    return findings


def _reaches(tier: CreditTier, target: Decimal) -> bool:
    upper = tier.upper
    return upper is not None and (upper > target or (upper == target and tier.at_most is not None))


def _pair_findings(low: CreditTier, high: CreditTier, position: dict[int, int]) -> list[TierFinding]:
    """What is wrong between two tiers adjacent in attainment order (`low` ends first)."""
    at_high, at_low = ("credits", position[id(high)]), ("credits", position[id(low)])
    if low.upper is None or high.lower is None or low.upper > high.lower or _share_edge(low, high):
        return [
            TierFinding(
                at_high,
                f"credit tiers {low.describe()} and {high.describe()} overlap",
                "make each edge close one tier and open the next (below: X / atLeast: X)",
            )
        ]
    findings = []
    if low.upper < high.lower or (low.below is not None and high.above is not None):
        between = (
            f"attainment of exactly {format_ratio(low.upper)}"
            if low.upper == high.lower
            else f"attainment from {format_ratio(low.upper)} to {format_ratio(high.lower)}"
        )
        findings.append(
            TierFinding(
                at_high,
                f"gap between credit tiers {low.describe()} and {high.describe()}: {between} earns no credit",
                f"if that is not meant, start this tier where the other ends ({_closing(low)})",
                warning=True,
            )
        )
    if low.credit < high.credit:
        findings.append(
            TierFinding(
                (*at_low, "credit"),
                f"credit falls as attainment worsens ({high.describe()}: {format_ratio(high.credit)}, "
                f"{low.describe()}: {format_ratio(low.credit)})",
                "give lower attainment at least as much credit",
            )
        )
    return findings


def _share_edge(low: CreditTier, high: CreditTier) -> bool:
    """Whether both tiers include their common edge value (atMost: X and atLeast: X)."""
    return low.upper == high.lower and low.at_most is not None and high.at_least is not None


def _closing(low: CreditTier) -> str:
    upper = format_ratio(low.upper) if low.upper is not None else "?"
    return f"atLeast: {upper}" if low.below is not None else f"above: {upper}"
