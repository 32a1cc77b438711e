"""Burn rates over the alert windows, checked against a plain fraction computed window by window."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.burn_rate import window_burn_rates
from attain.engine.instant import US_PER_MINUTE
from attain.model import AlertPolicy

FIRST = 1_790_000_040 * 1_000_000 // US_PER_MINUTE * US_PER_MINUTE
"""A minute boundary in 2026."""


@st.composite
def buckets(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    """Between 0 and 3 days of minutes, each with valid ≥ good ≥ 0."""
    minutes = draw(st.integers(0, 3 * 1440 + 30))
    valid = draw(st.lists(st.integers(0, 5), min_size=minutes, max_size=minutes))
    good = [draw(st.integers(0, v)) for v in valid]
    return good, valid


@given(buckets(), st.sampled_from(["0.99", "0.999", "0.95"]))
@settings(max_examples=60, deadline=None)
def test_each_window_is_bad_over_valid_over_the_allowed_ratio(counts: tuple[list[int], list[int]], target: str) -> None:
    """Over each SRE window ending at the last bucket: (bad/valid)/(1−target), None when empty or too long."""
    good, valid = counts
    rates = window_burn_rates(None, FIRST, good, valid, Decimal(target))
    assert [w // US_PER_MINUTE for w, _ in rates] == [5, 30, 60, 120, 360, 1440, 4320]
    for window, rate in rates:
        minutes = window // US_PER_MINUTE
        if minutes > len(good):
            assert rate is None
            continue
        total = sum(valid[len(valid) - minutes :])
        bad = total - sum(good[len(good) - minutes :])
        if total == 0:
            assert rate is None
        else:
            expected = Fraction(bad, total) / (1 - Fraction(target))
            assert rate is not None
            assert abs(Fraction(rate) - expected) < Fraction(1, 10**20)


def test_a_policy_reports_its_own_windows() -> None:
    """A policy with one 10m/2m tier reports burn rates over 2 and 10 minutes, shortest first."""
    policy = AlertPolicy.model_validate(
        {"tiers": [{"severity": "page", "longWindow": "10m", "shortWindow": "2m", "budgetConsumed": "5%"}]},
        by_alias=True,
    )
    rates = window_burn_rates(policy, FIRST, [9] * 10, [10] * 10, Decimal("0.99"))
    assert rates == ((2 * US_PER_MINUTE, Decimal(10)), (10 * US_PER_MINUTE, Decimal(10)))
    assert timedelta(microseconds=rates[1][0]) == timedelta(minutes=10)
