"""Credits: the tier an attainment falls in, combined across objectives, capped and priced."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.credit import combine, objective_credit, tier_for
from attain.engine.evaluate import evaluate
from attain.engine.instant import US_PER_MINUTE, to_us
from attain.engine.measurement import Event, EventTable, Incident, Measurements
from attain.model import Agreement, CreditPolicy, CreditTier, Fee

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


THIRD_EDGE = "0.33333333333333333333333333333"
"""29 threes: 1/3 lies above it by 1/(3·10^29), but 1/3 rounded down to 28 digits (28 threes) lies below it."""
TWO_THIRDS_EDGE = "0.66666666666666666666666666666"
"""29 sixes: 2/3 lies above it by 2/(3·10^29), but 2/3 rounded down to 28 digits (28 sixes) lies below it."""
THIRDS_DATA = [{"below": "50%", "atLeast": THIRD_EDGE, "credit": "10%"}, {"below": THIRD_EDGE, "credit": "50%"}]
TWO_THIRDS_DATA = [
    {"below": "90%", "above": TWO_THIRDS_EDGE, "credit": "5%"},
    {"atMost": TWO_THIRDS_EDGE, "credit": "30%"},
]
THIRDS = tuple(CreditTier.model_validate(t) for t in THIRDS_DATA)
TWO_THIRDS = tuple(CreditTier.model_validate(t) for t in TWO_THIRDS_DATA)


def test_edges_with_more_than_28_digits_are_judged_on_the_unrounded_attainment() -> None:
    """1/3 reaches `atLeast` 0.(29 threes) and 2/3 passes `above`/`atMost` 0.(29 sixes), though their 28-digit roundings do not."""
    third, two_thirds = Decimal("0.3333333333333333333333333333"), Decimal("0.6666666666666666666666666666")
    assert tier_for(THIRDS, third) is THIRDS[1]  # the rounded ratio alone is on the wrong side
    assert objective_credit("o", THIRDS, third, Fraction(1, 3)).share == Decimal("0.10")
    assert tier_for(TWO_THIRDS, two_thirds) is TWO_THIRDS[1]
    assert objective_credit("o", TWO_THIRDS, two_thirds, Fraction(2, 3)).share == Decimal("0.05")


def test_an_attainment_equal_to_a_30_digit_edge_is_inside_at_least_and_outside_below() -> None:
    """A count of 10^30 − 1 good of 10^30 is exactly 0.(30 nines): `atLeast` it includes it, `below` excludes it."""
    nines = "0." + "9" * 30
    exact = Fraction(10**30 - 1, 10**30)
    rounded = Decimal("0." + "9" * 28)
    upper = CreditTier.model_validate({"atLeast": nines, "below": "100%", "credit": "1%"})
    lower = CreditTier.model_validate({"below": nines, "credit": "2%"})
    assert objective_credit("o", (upper, lower), rounded, exact).tier is upper
    assert objective_credit("o", (upper, lower), rounded).tier is lower  # what the rounded ratio would say


def _one_objective(indicator: dict[str, object], tiers: list[dict[str, str]], target: str = "99%") -> Agreement:
    """A monthly objective from 2027-01-01 (UTC) with the tiers as its credits."""
    objective = {"name": "o", "indicator": indicator, "target": target, "window": "month", "credits": tiers}
    return Agreement.model_validate(
        {
            "apiVersion": "attain/v1",
            "kind": "Agreement",
            "metadata": {"name": "x"},
            "spec": {
                "title": "X",
                "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
                "purpose": "x",
                "effective": {"from": "2027-01-01"},
                "objectives": [objective],
            },
        },
        by_alias=True,
        by_name=False,
    )


JANUARY = to_us(datetime(2027, 1, 1, tzinfo=UTC))
FEBRUARY = to_us(datetime(2027, 2, 1, tzinfo=UTC))


def test_an_evaluation_credits_one_good_event_of_three_by_the_29_digit_edge() -> None:
    """January with 1 good event of 3: attainment 1/3 ≥ 0.(29 threes), so the 10% tier, not the 50% one."""
    events = [Event(JANUARY + i * US_PER_MINUTE, None, {"ok": i == 0}) for i in range(3)]
    shop = _one_objective({"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}}, THIRDS_DATA)
    result = evaluate(shop, Measurements(events={"requests": EventTable.from_events(events)}), FEBRUARY)
    assert [(c.period, c.share) for c in result.credits] == [("2027-01", Decimal("0.10"))]


def test_an_evaluation_credits_two_thirds_uptime_by_the_29_digit_edge() -> None:
    """January down for its first 892,800 s (a third of 31 days): uptime 2/3 > 0.(29 sixes), so 5%, not 30%."""
    incidents = [Incident(JANUARY, JANUARY + 892_800 * 1_000_000)]
    uptime = _one_objective({"kind": "availability", "from": "incidents"}, TWO_THIRDS_DATA)
    result = evaluate(uptime, Measurements(incidents={"incidents": incidents}), FEBRUARY)
    assert result.objectives[0].periods[0].ratio == Decimal("0.6666666666666666666666666666")
    assert [(c.period, c.share) for c in result.credits] == [("2027-01", Decimal("0.05"))]


def test_a_target_with_more_than_28_digits_is_met_by_the_unrounded_attainment() -> None:
    """1 good of 3 against 0.(29 threes), uptime 2/3 against 0.(29 sixes): both met, though their 28-digit roundings fall short."""
    events = [Event(JANUARY + i * US_PER_MINUTE, None, {"ok": i == 0}) for i in range(3)]
    shop = _one_objective({"kind": "ratio", "events": "requests", "good": {"where": {"ok": True}}}, [], THIRD_EDGE)
    ratio = evaluate(shop, Measurements(events={"requests": EventTable.from_events(events)}), FEBRUARY)
    incidents = [Incident(JANUARY, JANUARY + 892_800 * 1_000_000)]
    uptime = _one_objective({"kind": "availability", "from": "incidents"}, [], TWO_THIRDS_EDGE)
    down = evaluate(uptime, Measurements(incidents={"incidents": incidents}), FEBRUARY)
    for result, rounded in ((ratio, "0.3333333333333333333333333333"), (down, "0.6666666666666666666666666666")):
        [january] = result.objectives[0].periods
        assert january.ratio == Decimal(rounded) < january.target  # what a rounded comparison would call breached
        assert january.status.value == "met"
