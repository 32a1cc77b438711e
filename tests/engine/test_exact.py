"""Exact arithmetic: quotients rounded as documented, integer comparisons that never overflow."""

from __future__ import annotations

from decimal import Decimal, Inexact
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.exact import EXACT, INT64_MAX, RATIO, ROUNDED, quotient
from attain.engine.exact_array import exceeds, reaches, scaled, widened

counts = st.integers(min_value=0, max_value=INT64_MAX)
limits = st.fractions(min_value=Fraction(1, 10**12), max_value=Fraction(10**12))


def test_an_exact_quotient_is_written_with_exponent_zero() -> None:
    """20/1 and 40/2 both read 20, not 2E+1; 8/10 reads 0.8."""
    assert str(quotient(20, 1)) == str(quotient(40, 2)) == "20"
    assert str(quotient(8, 10, RATIO)) == "0.8"


def test_ratios_round_down_and_displays_round_half_even() -> None:
    """2/3 is 0.666…6 as a ratio (28 sixes) and 0.666…7 for display."""
    assert quotient(2, 3, RATIO) == Decimal("0." + "6" * 28)
    assert quotient(2, 3, ROUNDED) == Decimal("0." + "6" * 27 + "7")


def test_exact_arithmetic_refuses_to_round() -> None:
    """A product that needs more than 200 digits raises instead of rounding."""
    with pytest.raises(Inexact):
        EXACT.multiply(Decimal(10**150 + 1), Decimal(10**150 + 1))


def test_exceeds_is_strict_and_reaches_is_not() -> None:
    """1 bad of 100 against a limit of 1% neither exceeds it nor falls short: exceeds False, reaches True."""
    assert exceeds([1, 2], [100, 100], Fraction(1, 100)).tolist() == [False, True]
    assert reaches([1, 0], [100, 100], Fraction(1, 100)).tolist() == [True, False]


def test_products_beyond_int64_are_python_integers() -> None:
    """A count near the int64 bound times a large denominator is exact, where int64 would wrap around."""
    big = np.array([INT64_MAX // 3], dtype=np.int64)
    assert scaled(big, 10**6).dtype == object
    assert int(scaled(big, 10**6)[0]) == (INT64_MAX // 3) * 10**6
    assert widened(big, 4).dtype == object
    assert widened(big, 3).dtype == np.int64


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(counts, counts), min_size=1, max_size=5), limit=limits)
def test_exceeds_equals_the_comparison_of_fractions(pairs: list[tuple[int, int]], limit: Fraction) -> None:
    """For any counts up to the int64 bound and any limit, `exceeds` is `Fraction(part, whole) > limit`."""
    pairs = [(a, max(b, 1)) for a, b in pairs]
    part = np.array([a for a, _ in pairs], dtype=np.int64)
    whole = np.array([b for _, b in pairs], dtype=np.int64)
    assert exceeds(part, whole, limit).tolist() == [Fraction(a, b) > limit for a, b in pairs]
    assert reaches(part, whole, limit).tolist() == [Fraction(a, b) >= limit for a, b in pairs]
