"""Burn rates and multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs").

Formulas:

- burn rate = (bad / valid) ÷ (1 − target): 1 spends exactly the budget over the period.
- factor = budgetConsumed × period ÷ longWindow: the burn rate that spends `budgetConsumed`
  of the period's budget within `longWindow` (30 days: 14.4 for 2% in 1 h). One function,
  `burn_rate_threshold`, computes it for the engine, `attain summary` and rule generation.
- a tier fires when, over both its long and its short window, `bad / valid > factor × (1 − target)`
  (`error_ratio_threshold`), strictly, decided exactly as `bad·q > p·valid` with
  `factor × (1 − target) = p/q` reduced (`exact.exceeds`).

Window convention, for per-minute buckets (bucket `i` covers
`[first_minute + i·60 s, first_minute + (i+1)·60 s)`):

- The condition is evaluated at every minute end `t = first_minute + (m+1)·60 s`,
  `m = 0 … n−1`. A window of `W` minutes at `t` covers buckets `m−W+1 … m`, the `W` minutes
  before `t`.
- At the start of the series a window is used only once it is full: before `W` buckets exist
  the condition is false. A part-window is a shorter window held to the same threshold, so it
  would fire on a handful of early errors; callers pass `longWindow` of history before the range
  they care about instead.
- Low-traffic guard: a window fires only with `valid ≥ max(1, minimum_events)` valid events.
- A run of minute ends `t_a … t_b` where the tier fires is reported as the half-open interval
  `[t_a, t_b + 60 s)`: the alert holds until the next evaluation finds it clear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.budgeting import IntArray, validate_buckets
from attain.engine.exact_array import exceeds, widened
from attain.engine.instant import US_PER_MINUTE, Interval, duration_us
from attain.engine.rate import burn_rate, error_ratio_threshold, factor
from attain.model import SRE_WORKBOOK_TIERS, AlertPolicy, BurnRateTier


@dataclass(frozen=True, slots=True)
class AlertFiring:
    """When one tier fired: its tier, its burn-rate factor and half-open intervals in µs."""

    tier: BurnRateTier
    factor: Decimal
    intervals: list[Interval]


def alert_intervals(
    first_minute: int,
    good: npt.ArrayLike,
    valid: npt.ArrayLike,
    target: Decimal,
    tiers: Sequence[BurnRateTier],
    period_us: int,
    minimum_events: int = 0,
) -> list[AlertFiring]:
    """When each tier fires over per-minute buckets, one `AlertFiring` per tier in order.

    Conventions in the module docstring. O(n) per tier through cumulative sums.

    Raises:
        ValueError: when the buckets are malformed, `first_minute` is not on a whole minute, or a
            window is not a whole number of minutes.
    """
    good_array, valid_array = validate_buckets(good, valid)
    _check_minute(first_minute, "first_minute")
    # A window holding no valid event never fires, so minutes before the first valid event matter
    # only as the start of windows that reach past it: skip all but the longest window's worth.
    longest = max((_minutes(w) for tier in tiers for w in (tier.long_window, tier.short_window)), default=1)
    seen = np.flatnonzero(valid_array)
    skip = max(0, int(seen[0]) - longest + 1) if seen.size else valid_array.size
    first_minute += skip * US_PER_MINUTE
    good_array, valid_array = good_array[skip:], valid_array[skip:]
    bad_sums, valid_sums = _cumulative(valid_array - good_array), _cumulative(valid_array)
    least = max(1, minimum_events)
    firings = []
    for tier in tiers:
        threshold = error_ratio_threshold(tier, period_us, target)
        fires = np.ones(good_array.size, dtype=bool)
        for window in (tier.long_window, tier.short_window):
            fires &= _window_fires(bad_sums, valid_sums, _minutes(window), threshold, least)
        firings.append(AlertFiring(tier, factor(tier, period_us), _runs(first_minute, fires)))
    return firings


def burn_rates_at(
    first_minute: int,
    good: npt.ArrayLike,
    valid: npt.ArrayLike,
    target: Decimal,
    at: int,
    windows: Sequence[timedelta],
) -> list[Decimal | None]:
    """The burn rate over each window ending at the minute boundary `at`, same window convention.

    A window reaching back before the first bucket gives None, as does one with no valid events.
    """
    good_array, valid_array = validate_buckets(good, valid)
    _check_minute(first_minute, "first_minute")
    _check_minute(at, "at")
    end = (at - first_minute) // US_PER_MINUTE
    if not 0 <= end <= good_array.size:
        raise ValueError(f"at {at} lies outside the buckets, which cover {good_array.size} minutes")
    rates: list[Decimal | None] = []
    for window in windows:
        start = end - _minutes(window)
        if start < 0:
            rates.append(None)
            continue
        good_sum, valid_sum = (int(a[start:end].sum()) for a in (good_array, valid_array))
        rates.append(burn_rate(valid_sum - good_sum, valid_sum, target))
    return rates


def window_burn_rates(
    policy: AlertPolicy | None, first_minute: int, good: npt.ArrayLike, valid: npt.ArrayLike, target: Decimal
) -> tuple[tuple[int, Decimal | None], ...]:
    """The burn rate over each window of the alert policy, ending where the buckets end.

    Without a policy, the SRE workbook's windows (5m, 30m, 1h, 2h, 6h, 1d, 3d). Returns (window in
    µs, burn rate) pairs, shortest window first: what an on-call engineer reads beside the alerts.
    """
    tiers = policy.effective_tiers if policy is not None else SRE_WORKBOOK_TIERS
    windows = sorted({w for tier in tiers for w in (tier.short_window, tier.long_window)})
    end = first_minute + np.asarray(good).size * US_PER_MINUTE
    rates = burn_rates_at(first_minute, good, valid, target, end, windows)
    return tuple((duration_us(w), r) for w, r in zip(windows, rates, strict=True))


def window_fires(
    bad: npt.NDArray[Any], valid: npt.NDArray[Any], threshold: Fraction, minimum_events: int = 0
) -> npt.NDArray[np.bool_]:
    """Elementwise, whether a full window with these totals fires (the module docstring's rule).

    `bad / valid > threshold` with `valid ≥ max(1, minimum_events)` (the low-traffic guard), exact
    at any count (`exact.exceeds`). The engine's alerts and `attain summary` both decide here.
    """
    enough = np.asarray(valid >= max(1, minimum_events), dtype=bool)
    fires: npt.NDArray[np.bool_] = exceeds(bad, valid, threshold) & enough
    return fires


def _window_fires(
    bad_sums: npt.NDArray[Any], valid_sums: npt.NDArray[Any], width: int, threshold: Fraction, least: int
) -> npt.NDArray[np.bool_]:
    """At each minute end, whether the full window of `width` minutes burns above `threshold`."""
    minutes = bad_sums.size - 1
    fires = np.zeros(minutes, dtype=bool)
    if width > minutes:
        return fires
    bad = bad_sums[width:] - bad_sums[:-width]
    valid = valid_sums[width:] - valid_sums[:-width]
    fires[width - 1 :] = window_fires(bad, valid, threshold, least)
    return fires


def _cumulative(counts: IntArray) -> npt.NDArray[Any]:
    """Running sums with a leading 0, as Python integers where int64 could overflow."""
    source = widened(counts, counts.size)
    return np.concatenate((np.zeros(1, dtype=source.dtype), np.cumsum(source)))


def _runs(first_minute: int, fires: npt.NDArray[np.bool_]) -> list[Interval]:
    """Runs of firing minute ends `t_a … t_b` as `[t_a, t_b + 60 s)`; bucket m ends at (m+1) minutes."""
    edges = np.diff(np.concatenate(([0], fires.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [
        (first_minute + (int(a) + 1) * US_PER_MINUTE, first_minute + (int(b) + 1) * US_PER_MINUTE)
        for a, b in zip(starts, stops, strict=True)
    ]


def _minutes(window: timedelta) -> int:
    window_us = duration_us(window)
    if window_us <= 0 or window_us % US_PER_MINUTE:
        raise ValueError(f"window {window}: per-minute buckets need a whole number of minutes")
    return window_us // US_PER_MINUTE


def _check_minute(instant: int, name: str) -> None:
    if instant % US_PER_MINUTE:
        raise ValueError(f"{name} {instant}: must lie on a whole minute (a multiple of 60,000,000 µs)")
