"""Prometheus samples as counts: exact decimal rounding of float strings."""

from __future__ import annotations

import pytest

from attain.sources.prometheus.sample import to_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2.5", 2), ("3.5", 4), ("-0.5", 0), ("6.999999999999999", 7), ("7.000000000000001", 7), ("1e3", 1000), ("0", 0)],
)
def test_values_round_half_to_even_from_their_exact_decimal(text: str, expected: int) -> None:
    """Float strings become integers by exact decimal rounding, half to even."""
    assert to_count(text) == expected
