"""Ranking what drives failures: exact sums per attribute value, shares, budget shares, change."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.drivers import allowed_budget, dimensions, rank_drivers
from attain.engine.filter import ABSENT, column


def _floor(numerator: int, denominator: Fraction | int) -> Decimal:
    """The quotient numerator ÷ denominator rounded toward −∞ to 28 digits, computed apart from the code under test."""
    fraction = Fraction(numerator) / Fraction(denominator)
    with localcontext(prec=28, rounding="ROUND_FLOOR"):
        return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def _rows() -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Eleven valid events this period (4 bad) and five last period (4 bad), by region."""
    regions = ["eu"] * 8 + ["us", "us", None] + ["eu", "us", "us", "us", "us"]
    bad_now = [0] * 6 + [1, 1] + [1, 0, 1] + [0] * 5
    valid_now = [1] * 11 + [0] * 5
    bad_before = [0] * 11 + [1, 1, 1, 1, 0]
    columns = {"region": column(regions)}
    return columns, np.array(bad_now), np.array(valid_now), np.array(bad_before)


def test_values_are_ranked_by_what_they_cost_with_exact_shares_and_change() -> None:
    """In region eu 2 of 4 bad, us 1 (3 before), no region 1: ranked eu, us, absent; budget 1% of 11 events."""
    columns, bad, valid, before = _rows()
    allowed = allowed_budget(Decimal("0.99"), 11)
    assert allowed == Fraction(11, 100)
    found = rank_drivers(dimensions(columns), bad, valid, before, allowed)
    assert (found.bad, found.valid, found.previous) == (4, 11, 4)
    assert found.consumed == _floor(4, Fraction(11, 100))
    region = found.dimensions[0]
    assert [d.value for d in region.drivers] == ["eu", "us", ABSENT]
    eu, us, absent = region.drivers
    assert (eu.bad, eu.valid, eu.previous, eu.change) == (2, 8, 1, 1)
    assert (us.bad, us.valid, us.previous, us.change) == (1, 2, 3, -2)
    assert (absent.bad, absent.valid, absent.previous, absent.absent) == (1, 1, 0, True)
    assert (eu.share, us.share, absent.share) == (Decimal("0.5"), Decimal("0.25"), Decimal("0.25"))
    assert eu.budget_share == _floor(2, Fraction(11, 100))
    assert (eu.previous_share, us.previous_share) == (Decimal("0.25"), Decimal("0.75"))
    assert (eu.share_change, us.share_change) == (Decimal("0.25"), Decimal("-0.5"))
    assert region.rest is None


def test_values_after_the_top_are_summed_in_the_rest() -> None:
    """With top=1 the region shows eu; us and the absent rows are one rest of 2 bad, 2 values."""
    columns, bad, valid, before = _rows()
    region = rank_drivers(dimensions(columns), bad, valid, before, None, top=1).dimensions[0]
    assert [d.value for d in region.drivers] == ["eu"]
    assert region.rest is not None
    assert (region.rest.bad, region.rest.previous, region.rest.values, region.rest.budget_share) == (2, 3, 2, None)


def test_the_dimension_that_concentrates_failures_comes_first() -> None:
    """`status` puts all 3 bad events on one value, `region` at most 2: status is listed first."""
    columns = {"region": column(["a", "a", "b"]), "status": column(["500", "500", "500"])}
    ones = np.ones(3, dtype=np.int64)
    found = rank_drivers(dimensions(columns), ones, ones, np.zeros(3, dtype=np.int64), Fraction(3))
    assert [d.dimension for d in found.dimensions] == ["status", "region"]
    assert found.dimensions[0].drivers[0].share == Decimal(1)


rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 10**6), st.integers(0, 1), st.integers(0, 50)),
    min_size=1,
    max_size=60,
)


@given(rows, st.integers(1, 4), st.integers(1, 10**4))
def test_shares_add_up_to_the_whole_and_budget_shares_to_the_budget_consumed(
    data: list[tuple[str | None, int, int, int]], top: int, valid_total: int
) -> None:
    """Per dimension, the values' bad plus the rest's is the total; shares sum to 1 and budget shares to consumed."""
    columns = {"k": column([r[0] for r in data])}
    bad = np.array([r[1] for r in data], dtype=np.int64)
    valid = np.array([r[2] for r in data], dtype=np.int64)
    before = np.array([r[3] for r in data], dtype=np.int64)
    allowed = allowed_budget(Decimal("0.999"), valid_total)
    found = rank_drivers(dimensions(columns), bad, valid, before, allowed, top)
    (dimension,) = found.dimensions
    parts = [*dimension.drivers, *([dimension.rest] if dimension.rest else [])]
    assert sum(p.bad for p in parts) == int(bad.sum())
    assert sum(p.previous for p in parts) == int(before.sum())
    slack = Decimal(len(parts)) * Decimal("1e-20")
    if found.bad:
        assert abs(sum(p.share or 0 for p in parts) - 1) <= slack
        consumed = found.consumed
        assert consumed is not None
        assert abs(sum(p.budget_share or 0 for p in parts) - consumed) <= slack * max(1, consumed)
        assert consumed == _floor(int(bad.sum()), allowed)


def test_an_identifier_is_not_a_dimension() -> None:
    """A request id with 60 distinct values on 100 rows is left out; a region with 2 values on them stays."""
    ids = column([f"req-{i % 60}" for i in range(100)])
    regions = column(["a", "b"] * 50)
    assert [d.name for d in dimensions({"request": ids, "region": regions})] == ["region"]
    assert [d.name for d in dimensions({"request": column([f"r{i % 60}" for i in range(120)])})] == ["request"]
