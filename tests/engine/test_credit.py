"""Credits: the tier an attainment falls in, combined across objectives, capped and priced."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.credit import combine, objective_credit, tier_for
from attain.model import CreditPolicy, CreditTier, Fee

TIERS = tuple(
    CreditTier.model_validate(t)
    for t in (
        {"below": "99.9%", "atLeast": "99%", "credit": "10%"},
        {"below": "99%", "atLeast": "95%", "credit": "25%"},
        {"below": "95%", "credit": "100%"},
    )
)
FEE = Fee.model_validate({"amount": "8500.00", "currency": "EUR", "per": "month"})


def policy(**data: object) -> CreditPolicy:
    """A credit policy from document data."""
    return CreditPolicy.model_validate(data)


def test_tier_edges_decide_exactly() -> None:
    """Exactly 99.0% earns 10% (atLeast 99%), just below earns 25%; 99.9% earns nothing."""
    assert tier_for(TIERS, Decimal("0.99")) is TIERS[0]
    assert tier_for(TIERS, Decimal("0.989999")) is TIERS[1]
    assert tier_for(TIERS, Decimal("0.999")) is None
    assert tier_for(TIERS, None) is None


def test_amount_is_exact_and_the_minimum_payout_applies() -> None:
    """10% of 8,500.00 EUR is 850.00 EUR; with a 1,000 EUR minimum payout nothing is paid."""
    part = objective_credit("uptime", TIERS, Decimal("0.995"))
    owed = combine("2027-01", [part], policy(), FEE, "month")
    assert (owed.share, owed.amount, owed.payable) == (Decimal("0.10"), Decimal("850.0000"), Decimal("850.0000"))
    strict = combine("2027-01", [part], policy(minimumPayout="1000.00"), FEE, "month")
    assert strict.payable == Decimal(0)


def test_sum_or_max_and_the_cap() -> None:
    """25% + 100% sums to 125%, capped at 100%; max takes 100%; a 50% cap limits either."""
    parts = [objective_credit("a", TIERS, Decimal("0.97")), objective_credit("b", TIERS, Decimal("0.5"))]
    assert combine("p", parts, policy(), FEE, "month").share == Decimal(1)
    assert combine("p", parts, policy(combine="max"), FEE, "month").share == Decimal(1)
    assert combine("p", parts, policy(cap="50%"), FEE, "month").amount == Decimal("4250.0000")
    assert combine("p", parts[:1], policy(combine="max"), FEE, "month").share == Decimal("0.25")


def test_no_amount_when_the_fee_is_charged_per_another_unit() -> None:
    """A monthly fee does not price a quarterly period's credit; the share is still given."""
    owed = combine("2027-Q1", [objective_credit("a", TIERS, Decimal("0.97"))], policy(), FEE, "quarter")
    assert (owed.share, owed.amount, owed.payable) == (Decimal("0.25"), None, None)


@given(st.integers(0, 1_000_000), st.integers(0, 1_000_000))
def test_credits_never_fall_as_attainment_worsens(a: int, b: int) -> None:
    """A lower attainment never earns a smaller credit."""
    low, high = sorted((Decimal(a).scaleb(-6), Decimal(b).scaleb(-6)))
    assert objective_credit("x", TIERS, low).share >= objective_credit("x", TIERS, high).share
