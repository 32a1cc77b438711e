"""Rule text: durations and numbers written as Prometheus reads them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from attain.rules import prometheus_duration, promql_number


def test_prometheus_durations_are_written_as_prometheus_does() -> None:
    """Durations use the largest exact units: 28 days is 4w, 30 days 30d, 36 hours 1d12h."""
    cases = {timedelta(days=28): "4w", timedelta(days=30): "30d", timedelta(hours=36): "1d12h", timedelta(0): "0s"}
    assert {prometheus_duration(value): text for value, text in cases.items()} == {
        text: text for text in cases.values()
    }


def test_numbers_are_exact_when_their_decimal_expansion_ends() -> None:
    """1/1000 prints as 0.001, 28/30 as its nearest double, 6 without a decimal point."""
    assert promql_number(Fraction(1, 1000)) == "0.001"
    assert promql_number(Fraction(28, 30)) == "0.9333333333333333"
    assert promql_number(Decimal("6.00")) == "6"
