"""The breach forecast model: hand-worked projections, probabilities, budget-gone dates and its invariants."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.exact import RATIO
from attain.engine.forecast import (
    Outlook,
    Prior,
    dispersion,
    event_outlook,
    hourly,
    project,
    slot_of,
    time_outlook,
    weekly_profile,
)
from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE, to_us

H = US_PER_HOUR
UTC_ZONE = ZoneInfo("UTC")
MONDAY = to_us(datetime(2026, 11, 2, tzinfo=UTC))
"""Monday 2 November 2026, 00:00 UTC."""


def _linear(volume: float, hours: int, at: int = 0) -> Outlook:
    """`volume` spread evenly over `hours` hours from `at`."""
    return Outlook((at, at + hours * H), (0.0, volume))


def test_hand_worked_projection_and_probability() -> None:
    """2 bad of 100 so far, 200 more expected, target 99%: p̂ = 2.5/101, μ = 500/101, σ² = 14.2472, P = Φ(1.0466)."""
    projection = project(Decimal("0.99"), 2, 100, _linear(200.0, 200))
    # Projected: 1 − (2 + 500/101) / 300 = 29598/30300 = 0.97683168316831683168…
    assert abs(projection.projected_ratio - Decimal("0.9768316831683168316831683168")) < Decimal("1e-15")
    # z = (2 + 4.95050 − 3) / √14.24721 = 1.046614; Φ(1.046614) = 0.852361
    assert projection.breach_probability == Decimal("0.8524")
    assert abs(projection.expected_valid - 300) < Decimal("1e-12")
    assert abs(projection.expected_bad - Decimal("6.950495049504950495")) < Decimal("1e-12")


def test_the_prior_and_overdispersion_enter_as_documented() -> None:
    """Prior 1% with weight 50 and φ = 4: p̂ = 3/151, μ = 600/151, σ² = 35.97349, z = 0.495768, P = 0.6900."""
    projection = project(Decimal("0.99"), 2, 100, _linear(200.0, 200), Prior(0.01, 50.0), 4.0)
    assert projection.breach_probability == Decimal("0.6900")


def test_budget_gone_date_by_hand() -> None:
    """At 2% bad (2 of 100) the end allowance 1% × 300 = 3 is reached after 50 more events: hour 50 of 200."""
    start = MONDAY
    projection = project(Decimal("0.99"), 2, 100, _linear(200.0, 200, start))
    assert projection.budget_gone_at == start + 50 * H


def test_budget_gone_date_for_downtime_by_hand() -> None:
    """0.6 min down in 500 min, target 99.9% of 1000 min: the 1 min allowed is gone 333⅓ min (20,000 s) later."""
    at = MONDAY + 500 * US_PER_MINUTE
    projection = project(Decimal("0.999"), Fraction(3, 5), 500, time_outlook(at, MONDAY + 1000 * US_PER_MINUTE))
    assert projection.budget_gone_at == at + 20_000 * 1_000_000


def test_budget_lasts_when_the_burn_is_below_the_allowance() -> None:
    """1 bad of 1000 (0.1%) against a 1% allowance: the budget lasts the period, and nothing bad means no date."""
    assert project(Decimal("0.99"), 1, 1000, _linear(1000.0, 10)).budget_gone_at is None
    assert project(Decimal("0.99"), 0, 1000, _linear(1000.0, 10)).budget_gone_at is None


def test_an_overspent_budget_is_gone_now() -> None:
    """More bad than the whole period allows already: gone at `at` and certain to breach."""
    projection = project(Decimal("0.99"), 5, 100, _linear(100.0, 10, MONDAY))
    assert projection.budget_gone_at == MONDAY
    assert projection.breach_probability > Decimal("0.99")


def test_weekly_profile_and_outlook_by_hand() -> None:
    """Two weeks of 10 events at Monday 09:00 and none else; from Monday 08:30 to 10:00 comes ½·0 + 1·10 = 10."""
    starts = MONDAY - 14 * 24 * H + np.arange(14 * 24, dtype=np.int64) * H
    volume = np.array([10.0 if slot_of(int(s), UTC_ZONE) == 9 else 0.0 for s in starts])
    profile = weekly_profile(starts, volume, UTC_ZONE)
    assert profile is not None
    assert profile.means[9] == 10.0
    assert profile.means[8] == 0.0
    outlook = event_outlook(profile, MONDAY + 8 * H + 30 * US_PER_MINUTE, MONDAY + 10 * H, UTC_ZONE)
    assert outlook.marks == (MONDAY + 8 * H + 30 * US_PER_MINUTE, MONDAY + 9 * H, MONDAY + 10 * H)
    assert outlook.cumulative == (0.0, 0.0, 10.0)


def test_an_unseen_slot_takes_the_mean_of_all_hours() -> None:
    """Only Monday 00:00 (6 events) and 01:00 (2 events) seen: Tuesday 05:00 expects their mean, 4."""
    starts = np.array([MONDAY, MONDAY + H], dtype=np.int64)
    profile = weekly_profile(starts, np.array([6.0, 2.0]), UTC_ZONE)
    assert profile is not None
    tuesday = MONDAY + 29 * H
    assert event_outlook(profile, tuesday, tuesday + H, UTC_ZONE).total == 4.0


def test_slots_follow_the_local_clock() -> None:
    """Monday 00:00 UTC is Monday 08:00 in Shanghai: slot 8."""
    assert slot_of(MONDAY, ZoneInfo("Asia/Shanghai")) == 8


def test_hourly_sums_whole_hours_only() -> None:
    """Minutes from 00:30 summed per whole UTC hour in [00:30, 03:10): hours 01:00 and 02:00."""
    minutes = np.ones(200)  # 00:30 … 03:49
    starts, sums = hourly(
        MONDAY + 30 * US_PER_MINUTE, minutes, MONDAY + 30 * US_PER_MINUTE, MONDAY + 190 * US_PER_MINUTE
    )
    assert starts.tolist() == [MONDAY + H, MONDAY + 2 * H]
    assert sums.tolist() == [60.0, 60.0]


def test_dispersion_by_hand() -> None:
    """Hours of 100 valid with 0 and 10 bad: p = 0.05, χ² = 2 × 25 / 4.75 = 10.526, one degree of freedom."""
    assert dispersion(np.array([100.0, 100.0]), np.array([0.0, 10.0])) == pytest.approx(50 / 4.75)
    assert dispersion(np.array([100.0, 100.0]), np.array([5.0, 5.0])) == 1.0, "never below 1"
    assert dispersion(np.array([100.0]), np.array([3.0])) == 1.0, "one hour: no estimate"


counts = st.integers(min_value=0, max_value=10**6)
targets = st.sampled_from([Decimal("0.9"), Decimal("0.99"), Decimal("0.999"), Decimal("0.9995"), Decimal(1)])
volumes = st.floats(min_value=0.0, max_value=1e7, allow_nan=False)


@given(valid=st.integers(min_value=1, max_value=10**6), share=st.fractions(0, 1), target=targets, rest=volumes)
def test_probability_is_a_probability(valid: int, share: Fraction, target: Decimal, rest: float) -> None:
    """Whatever the counts, the breach probability lies in [0, 1] and the projection in [0, 1]."""
    bad = int(share * valid)
    projection = project(target, bad, valid, _linear(rest, 24))
    assert Decimal(0) <= projection.breach_probability <= Decimal(1)
    assert Decimal(0) <= projection.projected_ratio <= Decimal(1)


@given(
    valid=st.integers(min_value=1, max_value=10**5),
    shares=st.tuples(st.fractions(0, 1), st.fractions(0, 1)),
    target=targets,
    rest=volumes,
    weight=st.floats(min_value=0, max_value=1e5),
    ratio=st.floats(min_value=0, max_value=1),
    phi=st.floats(min_value=1, max_value=1e3),
)
def test_probability_never_falls_as_the_burn_so_far_grows(
    valid: int, shares: tuple[Fraction, Fraction], target: Decimal, rest: float, weight: float, ratio: float, phi: float
) -> None:
    """With the same valid volume, more bad so far never lowers the breach probability."""
    low, high = sorted(int(s * valid) for s in shares)
    prior, outlook = Prior(ratio, weight), _linear(rest, 24)
    assert (
        project(target, low, valid, outlook, prior, phi).breach_probability
        <= project(target, high, valid, outlook, prior, phi).breach_probability
    )


@given(valid=st.integers(min_value=1, max_value=10**9), share=st.fractions(0, 1), target=targets)
def test_a_complete_period_projects_its_actual_outcome(valid: int, share: Fraction, target: Decimal) -> None:
    """Nothing left to come: the projection is the actual ratio and the probability is 1 exactly when it breached."""
    bad = int(share * valid)
    projection = project(target, bad, valid, _linear(0.0, 0, MONDAY))
    actual = RATIO.divide(Decimal(valid - bad), Decimal(valid))
    assert projection.projected_ratio == actual
    assert projection.breach_probability == (Decimal(1) if actual < target else Decimal(0))


def test_bad_input_is_refused() -> None:
    """More bad than valid, or a target above 100%, is an error naming the values."""
    with pytest.raises(ValueError, match="bad 3 and valid 2"):
        project(Decimal("0.99"), 3, 2, _linear(1.0, 1))
    with pytest.raises(ValueError, match="target must lie in"):
        project(Decimal("1.5"), 0, 2, _linear(1.0, 1))
