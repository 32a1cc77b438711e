"""Burn rates over time: the burn rate over each alert window, sampled at regular instants.

The dashboard draws how fast an objective spent its budget across a range of days, one line per
alert window, against the alert tiers' factors. Each sample uses the window convention of
`attain.engine.burn_rate` (module docstring): the window of `W` minutes ending at the minute
boundary `t` covers the `W` buckets before `t`, and the rate is `(bad / valid) ÷ (1 − target)`
(`burn_rate.burn_rate`, SRE workbook, "Alerting on SLOs"). Sums come from cumulative sums, so a
series costs O(minutes + samples) per window whatever the windows' lengths.

A sample whose window reaches before the first bucket, or holds no valid event, is None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from attain.engine.budgeting import validate_buckets
from attain.engine.instant import US_PER_MINUTE, duration_us
from attain.engine.rate import burn_rate


@dataclass(frozen=True, slots=True)
class BurnSample:
    """The burn rate over one window ending at `at` (µs, on a whole minute); None: no valid event or too early."""

    at: int
    window: int
    """The window's length in µs."""
    rate: Decimal | None


def burn_rate_series(
    first_minute: int,
    good: npt.ArrayLike,
    valid: npt.ArrayLike,
    target: Decimal,
    windows: Sequence[timedelta],
    instants: Sequence[int],
) -> list[BurnSample]:
    """The burn rate over each window ending at each of `instants`, window by window, instants in order.

    Args:
        first_minute: The instant the first bucket starts (a whole minute).
        good: Good counts per minute.
        valid: Valid counts per minute.
        target: The objective's target ratio (below 1 gives finite rates).
        windows: The windows' lengths, each a whole number of minutes.
        instants: The instants the windows end at, each a whole minute within the buckets' span.

    Raises:
        ValueError: when an instant is not on a whole minute or lies outside the buckets, or a
            window is not a whole number of minutes.
    """
    good_array, valid_array = validate_buckets(good, valid)
    good_sums = np.concatenate(([0], np.cumsum(good_array.astype(object))))
    valid_sums = np.concatenate(([0], np.cumsum(valid_array.astype(object))))
    ends = []
    for at in instants:
        offset = at - first_minute
        if offset % US_PER_MINUTE or not 0 <= offset // US_PER_MINUTE <= good_array.size:
            raise ValueError(f"instant {at}: must be a whole minute within the buckets ({good_array.size} minutes)")
        ends.append(offset // US_PER_MINUTE)
    samples = []
    for window in windows:
        width_us = duration_us(window)
        if width_us <= 0 or width_us % US_PER_MINUTE:
            raise ValueError(f"window {window}: per-minute buckets need a whole number of minutes")
        width = width_us // US_PER_MINUTE
        for at, end in zip(instants, ends, strict=True):
            start = end - width
            rate = None
            if start >= 0:
                valid_sum = int(valid_sums[end] - valid_sums[start])
                rate = burn_rate(valid_sum - int(good_sums[end] - good_sums[start]), valid_sum, target)
            samples.append(BurnSample(at, width_us, rate))
    return samples
