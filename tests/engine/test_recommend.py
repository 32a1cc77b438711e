"""Realistic targets from past periods: hand-computed distribution, trend, candidates, credits and intervals."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.recommend import (
    LADDER,
    REALISTIC_SHARE,
    PastPeriod,
    Terms,
    candidate_targets,
    nearest_rank,
    recommend,
    retarget_tiers,
    wilson_interval,
)
from attain.model import CreditPolicy, CreditTier, Fee

D = Decimal
TIERS = (
    CreditTier(at_least=D("0.95"), below=D("0.99"), credit=D("0.1")),
    CreditTier(below=D("0.95"), credit=D("0.25")),
)
TERMS = Terms(D("0.99"), TIERS, CreditPolicy(), Fee(amount=D(1000), currency="EUR"), "month")


def _period(label: str, good: int, valid: int) -> PastPeriod:
    return PastPeriod(label, 0, 1, D(good), D(valid), D(good) / D(valid))


PERIODS = [
    _period("2026-01", 999, 1000),
    _period("2026-02", 995, 1000),
    _period("2026-03", 9999, 10000),
    _period("2026-04", 98, 100),
]


def test_candidates_are_the_target_and_two_ladder_neighbours_on_each_side() -> None:
    """99% gives 95, 98, 99, 99.5, 99.9%; an off-ladder 99.7% sits between its neighbours; 100% has none above."""
    assert candidate_targets(D("0.99")) == (D("0.95"), D("0.98"), D("0.99"), D("0.995"), D("0.999"))
    assert candidate_targets(D("0.997")) == (D("0.99"), D("0.995"), D("0.997"), D("0.999"), D("0.9995"))
    assert candidate_targets(D("1")) == (D("0.9999"), D("0.99999"), D("1"))


def test_share_met_credit_and_budget_per_candidate_by_hand() -> None:
    """Four periods (99.9, 99.5, 99.99, 98%) against each candidate: met, mean credit share and amount, budget."""
    found = recommend("api", "events", PERIODS, TERMS)
    by_target = {c.target: c for c in found.candidates}
    assert {t: (c.met, c.share_met) for t, c in by_target.items()} == {
        D("0.95"): (4, Fraction(1)),
        D("0.98"): (4, Fraction(1)),
        D("0.99"): (3, Fraction(3, 4)),
        D("0.995"): (3, Fraction(3, 4)),
        D("0.999"): (2, Fraction(1, 2)),
    }
    # 99%: 98% falls in [95%, 99%) → 10% of 1000 EUR in one period of four.
    assert (by_target[D("0.99")].credit_share, by_target[D("0.99")].credit_amount) == (D("0.025"), D("25"))
    # 99.9%: the first tier moves up to 99.9%, so 98% and 99.5% each earn 10%.
    assert (by_target[D("0.999")].credit_share, by_target[D("0.999")].credit_amount) == (D("0.05"), D("50"))
    assert by_target[D("0.98")].credit_share == by_target[D("0.95")].credit_share == 0
    # mean valid (1000 + 1000 + 10000 + 100) / 4 = 3025 events
    assert (by_target[D("0.995")].credit_share, by_target[D("0.995")].credit_amount) == (D("0.025"), D("25"))
    budgets = {t: c.budget for t, c in by_target.items()}
    assert budgets == {
        D("0.95"): D("151.25"),
        D("0.98"): D("60.5"),
        D("0.99"): D("30.25"),
        D("0.995"): D("15.125"),
        D("0.999"): D("3.025"),
    }
    assert found.recommended is not None
    assert found.recommended.target == D("0.98")
    assert [c.target for c in found.candidates if c.current] == [D("0.99")]


def test_distribution_trend_and_flags_by_hand() -> None:
    """Nearest-rank percentiles, the least-squares slope −0.02605 / 5, one miss of four: neither loose nor strict."""
    found = recommend("api", "events", PERIODS, TERMS)
    assert found.distribution is not None
    assert found.distribution.least == D("0.98")
    assert found.distribution.most == D("0.9999")
    assert dict(found.distribution.percentiles) == {
        D("0.1"): D("0.98"),
        D("0.25"): D("0.98"),
        D("0.5"): D("0.995"),
        D("0.75"): D("0.999"),
        D("0.9"): D("0.9999"),
    }
    assert found.distribution.mean == D("0.993475")
    assert found.trend is not None
    assert found.trend.slope == D("-0.00521")
    assert found.trend.direction == "worsening"
    assert (found.too_loose, found.too_strict) == (False, False)
    assert [v.met for v in found.periods] == [True, True, True, False]


def test_low_volume_is_fewer_than_ten_bad_events_allowed() -> None:
    """At 99%, 100 events allow 1 bad one (low volume); 1,000 allow exactly 10 (not low)."""
    found = recommend("api", "events", PERIODS, TERMS)
    assert found.low_volume == ("2026-04",)
    interval = found.periods[3].interval
    assert interval is not None
    assert (round(interval[0], 4), round(interval[1], 4)) == (D("0.9300"), D("0.9945"))  # docs/review.md
    assert [v.low_volume for v in found.periods] == [False, False, False, True]


def test_time_units_get_no_interval() -> None:
    """Minutes of downtime are not trials: no Wilson interval and no low-volume warning."""
    found = recommend("up", "minutes", [_period("2026-01", 43000, 43200)], TERMS)
    assert [(v.interval, v.low_volume) for v in found.periods] == [(None, False)]


def test_never_missed_is_too_loose_and_mostly_missed_too_strict() -> None:
    """All periods met flags too loose; three misses of four flag too strict."""
    loose = recommend("a", "events", PERIODS[:1], TERMS)
    assert (loose.too_loose, loose.too_strict) == (True, False)
    strict = recommend("a", "events", PERIODS, Terms(D("0.9995"), ()))
    assert (strict.too_loose, strict.too_strict) == (False, True)


def test_no_periods_recommends_nothing() -> None:
    """Without a measured period there is nothing to recommend and no flag."""
    found = recommend("a", "events", [], TERMS)
    assert (found.recommended, found.candidates, found.too_loose, found.too_strict) == (None, (), False, False)


def test_when_no_candidate_is_realistic_the_ladder_reaches_further_down() -> None:
    """Periods at 93% and 96% against 99.9%: no neighbour is met; 90% (met in both) is added and recommended."""
    periods = [_period("1", 93, 100), _period("2", 96, 100)]
    found = recommend("a", "events", periods, Terms(D("0.999"), ()))
    assert found.recommended is not None
    assert found.recommended.target == D("0.9")
    assert found.candidates[0].target == D("0.9")


def test_wilson_interval_of_98_in_100_matches_the_published_value() -> None:
    """98/100 at 95%: the Wilson interval is [0.9300, 0.9945] (Newcombe 1998, table I style computation)."""
    low, high = wilson_interval(98, 100)
    assert (round(low, 4), round(high, 4)) == (D("0.9300"), D("0.9945"))


def _wilson_float(good: int, valid: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson interval computed independently in floating point."""
    p, n = good / valid, valid
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@given(st.integers(min_value=1, max_value=10**9).flatmap(lambda v: st.tuples(st.integers(0, v), st.just(v))))
def test_wilson_interval_agrees_with_a_float_computation(pair: tuple[int, int]) -> None:
    """The exact Wilson interval equals the float formula to 1e-9 and contains the observed ratio."""
    good, valid = pair
    low, high = wilson_interval(good, valid)
    expected = _wilson_float(good, valid)
    assert math.isclose(float(low), expected[0], abs_tol=1e-9)
    assert math.isclose(float(high), expected[1], abs_tol=1e-9)
    assert low <= D(good) / D(valid) <= high


def test_nearest_rank_of_one_value_is_that_value() -> None:
    """Every percentile of a single value is the value."""
    assert nearest_rank([D("0.5")], D("0.1")) == nearest_rank([D("0.5")], D("0.9")) == D("0.5")


def test_tiers_move_with_the_target() -> None:
    """Tighter: the tier ending at the target ends at the new one; looser: tiers are cut, an empty one dropped."""
    assert retarget_tiers(TIERS, D("0.99"), D("0.999")) == (
        CreditTier(at_least=D("0.95"), below=D("0.999"), credit=D("0.1")),
        TIERS[1],
    )
    assert retarget_tiers(TIERS, D("0.99"), D("0.98")) == (
        CreditTier(at_least=D("0.95"), below=D("0.98"), credit=D("0.1")),
        TIERS[1],
    )
    assert retarget_tiers(TIERS, D("0.99"), D("0.95")) == (TIERS[1],)


periods_strategy = st.lists(
    st.integers(min_value=1, max_value=100_000).flatmap(lambda v: st.tuples(st.integers(0, v), st.just(v))),
    min_size=1,
    max_size=30,
)


@given(periods_strategy, st.sampled_from(LADDER))
def test_recommended_share_is_a_direct_count_over_periods(pairs: list[tuple[int, int]], target: Decimal) -> None:
    """The recommended target's met share equals a count of periods with good/valid ≥ target, done in fractions."""
    periods = [_period(str(i), g, v) for i, (g, v) in enumerate(pairs)]
    found = recommend("p", "events", periods, Terms(target, ()))
    for candidate in found.candidates:
        met = sum(1 for g, v in pairs if Fraction(g, v) >= Fraction(candidate.target))
        assert (candidate.met, candidate.share_met) == (met, Fraction(met, len(pairs)))
    chosen = found.recommended
    assert chosen is not None
    if chosen.share_met >= REALISTIC_SHARE:  # nothing stricter among the candidates is realistic
        assert all(c.share_met < REALISTIC_SHARE for c in found.candidates if c.target > chosen.target)
    else:  # no target on the candidates or the ladder below is realistic
        assert all(c.share_met < REALISTIC_SHARE for c in found.candidates)
