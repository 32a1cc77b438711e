"""Means and percentiles per period, with both percentile methods."""

from __future__ import annotations

from decimal import Decimal

import pytest

from attain.engine.statistic import linear_percentile, nearest_rank, statistic
from attain.model import StatisticIndicator

RESPONSES = [Decimal(v) for v in (300, 420, 480, 540, 600, 660, 720, 900, 1200, 1500)]  # seconds, sorted


def indicator(**extra: object) -> StatisticIndicator:
    """A statistic over response seconds with a bound of 8 minutes."""
    data = {"kind": "statistic", "value": "response_s", "op": "le", "bound": "8m", "unit": "s", "statistic": "mean"}
    return StatisticIndicator.model_validate(data | extra)


def test_mean_against_the_bound() -> None:
    """The mean of the ten responses is 7,320 / 10 = 732 s, above 480 s, so not met."""
    result = statistic(indicator(), RESPONSES)
    assert (result.count, result.value, result.met) == (10, Decimal(732), False)


def test_nearest_rank_percentiles() -> None:
    """p90 of ten values is rank ⌈9⌉ = 9 → 1200; p95 is rank ⌈9.5⌉ = 10 → 1500; p10 is rank 1 → 300."""
    assert nearest_rank(RESPONSES, Decimal(90)) == Decimal(1200)
    assert nearest_rank(RESPONSES, Decimal(95)) == Decimal(1500)
    assert nearest_rank(RESPONSES, Decimal(10)) == Decimal(300)
    assert nearest_rank(RESPONSES, Decimal("0.1")) == Decimal(300)


def test_linear_percentiles() -> None:
    """p90 linear: h = 9 × 0.9 = 8.1 → 1200 + 0.1 × (1500 − 1200) = 1230; the median is (600 + 660) / 2 = 630."""
    assert linear_percentile(RESPONSES, Decimal(90)) == Decimal(1230)
    assert statistic(indicator(statistic="median"), RESPONSES).value == Decimal(630)


@pytest.mark.parametrize(("name", "value"), [("min", 300), ("max", 1500)])
def test_min_and_max(name: str, value: int) -> None:
    """The minimum and the maximum are the extreme values."""
    assert statistic(indicator(statistic=name), RESPONSES).value == Decimal(value)


def test_percentile_bound_decides_exactly() -> None:
    """A p90 (nearest-rank) of exactly 900 s meets `le 15m` (900 s)."""
    p90 = indicator(statistic="percentile", percentile=90, method="nearest-rank", bound="15m")
    values = [Decimal(v) for v in (100, 200, 300, 400, 500, 600, 700, 800, 900, 2000)]
    result = statistic(p90, values)
    assert (result.value, result.met) == (Decimal(900), True)


def test_no_values_is_no_data() -> None:
    """A period without values has neither a statistic nor a verdict."""
    result = statistic(indicator(), [])
    assert (result.count, result.value, result.met) == (0, None, None)
