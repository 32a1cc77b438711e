"""Burn rates over time: each window's rate at sampled instants, against hand-counted windows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attain.engine.burn_history import BurnSample, burn_rate_series

MINUTE = 60_000_000
T0 = 1_000 * MINUTE


def test_rates_per_window_at_each_instant():
    """Six minutes of 10 events with 0, 1, 0, 2, 0, 0 bad at 99%: 5-minute and 2-minute rates by hand."""
    valid = np.array([10] * 6)
    good = valid - np.array([0, 1, 0, 2, 0, 0])
    instants = [T0 + 2 * MINUTE, T0 + 5 * MINUTE, T0 + 6 * MINUTE]
    found = burn_rate_series(T0, good, valid, Decimal("0.99"), [timedelta(minutes=5), timedelta(minutes=2)], instants)
    five, two = 5 * MINUTE, 2 * MINUTE
    # 5 min ending at minute 5: 3 bad of 50 = 6% ÷ 1% = 6; ending at 6: 3 of 50 = 6; at 2: too early.
    # 2 min ending at 2: 1 of 20 = 5%: 5; at 5: minutes 3,4: 2 of 20 = 10; at 6: minutes 4,5: 0.
    assert found == [
        BurnSample(T0 + 2 * MINUTE, five, None),
        BurnSample(T0 + 5 * MINUTE, five, Decimal(6)),
        BurnSample(T0 + 6 * MINUTE, five, Decimal(6)),
        BurnSample(T0 + 2 * MINUTE, two, Decimal(5)),
        BurnSample(T0 + 5 * MINUTE, two, Decimal(10)),
        BurnSample(T0 + 6 * MINUTE, two, Decimal(0)),
    ]


def test_window_without_valid_events_is_none():
    """A window holding no valid event has no rate."""
    found = burn_rate_series(
        T0, np.zeros(3, dtype=int), np.zeros(3, dtype=int), Decimal("0.9"), [timedelta(minutes=1)], [T0 + MINUTE]
    )
    assert found == [BurnSample(T0 + MINUTE, MINUTE, None)]


@pytest.mark.parametrize("at", [T0 + 30_000_000, T0 + 4 * MINUTE, T0 - MINUTE])
def test_instant_off_the_minutes_or_outside_is_refused(at):
    """An instant not on a whole minute, or outside the buckets, is refused with the reason."""
    with pytest.raises(ValueError, match="whole minute within the buckets"):
        burn_rate_series(T0, np.ones(3, dtype=int), np.ones(3, dtype=int), Decimal("0.9"), [timedelta(minutes=1)], [at])


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=40), st.integers(1, 10))
def test_matches_a_direct_count(pairs, width):
    """Every sample equals (bad ÷ valid) ÷ (1 − target) counted directly over its window's minutes."""
    valid = np.array([a + b for a, b in pairs])
    good = np.array([a for a, _ in pairs])
    instants = [T0 + m * MINUTE for m in range(len(pairs) + 1)]
    found = burn_rate_series(T0, good, valid, Decimal("0.95"), [timedelta(minutes=width)], instants)
    for sample, end in zip(found, range(len(pairs) + 1), strict=True):
        window = pairs[end - width : end] if end >= width else None
        total = sum(a + b for a, b in window) if window else 0
        if window is None or total == 0:
            assert sample.rate is None
        else:
            bad = sum(b for _, b in window)
            assert sample.rate == Decimal(bad * 20) / Decimal(total)
