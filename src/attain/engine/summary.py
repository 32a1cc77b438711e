"""The three answers for many objectives at one instant, from cumulative counts, vectorised.

Input: for each objective, cumulative good and valid counts `P(x)` (the sum over `[first, x)`) at
a few instants x: from per-minute counts (`summarize`, by cumulative sums) or from a store's exact
day/hour/minute rollups (`attain.engine.rollup`). Every total is then `P(high) − P(low)`, for all
objectives at once. Per objective, at `at`:

- attainment over the rolling window `[at − period, at)`: good, valid, `ratio = good / valid`
  (rounded toward −∞ to 28 digits), budget `allowed = (1 − target) × valid`, `remaining = allowed −
  bad` (SRE workbook, "Implementing SLOs");
- good and valid per day (between the caller's edges, the agreement's local midnights);
- burn rate over each window `W` ending at `at`: `(bad / valid) ÷ (1 − target)` rounded half-even
  to 28 digits (as `attain.engine.burn_rate.burn_rate`); None without valid events or when the
  window reaches before `first`;
- the alert state at `at` (SRE workbook, "Alerting on SLOs"): a tier fires when over both its
  windows `bad·q > p·valid`, with `factor × (1 − target) = p/q` exactly and
  `valid ≥ max(1, minimum_events)`; the state is `page` if a page tier fires, else `ticket` if a
  ticket tier fires (else another severity), else `ok`. This is `burn_rate.alert_intervals` at its
  last minute end.

Decimal results are correctly rounded divisions of exact integers, so they equal the engine's
`to_decimal(Fraction(...))` values digit for digit.
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

from attain.engine.burn_rate import INFINITE_RATE, error_ratio_threshold
from attain.engine.exact import EXACT, RATIO, ROUNDED, exceeds
from attain.engine.instant import US_PER_MINUTE, duration_us
from attain.model import BurnRateTier

Counts = npt.NDArray[np.int64]
BURN_WINDOWS: tuple[timedelta, ...] = tuple(timedelta(minutes=m) for m in (5, 30, 60, 120, 360, 1440, 4320))
"""The windows a summary reports burn rates over: 5m, 30m, 1h, 2h, 6h, 1d, 3d."""
SEVERITY_ORDER = ("page", "ticket")


@dataclass(frozen=True, slots=True)
class Burn:
    """Bad and valid events over one window ending at the summary's instant, and the burn rate."""

    window_us: int
    bad: int
    valid: int
    rate: Decimal | None


@dataclass(frozen=True, slots=True)
class Summary:
    """The three answers for one objective at one instant (see the module docstring)."""

    objective: str
    good: int
    valid: int
    ratio: Decimal | None
    remaining: Decimal | None
    """Budget remaining in events, `(1 − target) × valid − bad`; None without valid events."""
    days: tuple[tuple[int, int, int], ...]
    """(start µs, good, valid) per day (or per span between the caller's edges)."""
    burns: tuple[Burn, ...]
    state: str
    """page, ticket (or another tier severity) or ok."""


@dataclass(frozen=True, slots=True)
class Goal:
    """What one objective is held to: its name, target, rolling period, alert tiers and guard."""

    objective: str
    target: Decimal
    period_us: int
    tiers: tuple[BurnRateTier, ...]
    minimum_events: int = 0


@dataclass(frozen=True)
class Prefixes:
    """Cumulative good and valid of several objectives (rows) at instants (columns) from `first`."""

    first: int
    index: dict[int, int]
    good: Counts
    valid: Counts

    def between(self, low: int, high: int) -> tuple[Counts, Counts]:
        """Good and valid of every objective in `[low, high)`; both ends must be among the instants."""
        a, b = self.index[low], self.index[high]
        return self.good[:, b] - self.good[:, a], self.valid[:, b] - self.valid[:, a]


def points(first: int, at: int, edges: Sequence[int], goals: Sequence[Goal], windows: Sequence[timedelta]) -> list[int]:
    """The instants whose prefixes a summary of `goals` needs (all within `[first, at]`)."""
    found = {first, at, *edges, *(at - duration_us(w) for w in windows)}
    for goal in goals:
        found.add(at - goal.period_us)
        found |= {at - duration_us(w) for t in goal.tiers for w in (t.long_window, t.short_window)}
    return sorted(p for p in found if first <= p <= at)


def summarize(
    goals: Sequence[Goal],
    good: Counts,
    valid: Counts,
    first_minute: int,
    at: int,
    edges: Sequence[int] = (),
    windows: Sequence[timedelta] = BURN_WINDOWS,
) -> list[Summary]:
    """The summary of each goal from its row of per-minute counts (shape: goals × minutes).

    Column `i` counts `[first_minute + i min, first_minute + (i + 1) min)`; `at` must be a minute
    boundary within the columns. `edges` are instants that cut the period into spans (days).
    """
    if good.shape != valid.shape or good.ndim != 2 or good.shape[0] != len(goals):
        raise ValueError(f"need goals × minutes arrays, got {good.shape} and {valid.shape} for {len(goals)} goals")
    if first_minute % US_PER_MINUTE or at % US_PER_MINUTE:
        raise ValueError("first_minute and at must lie on whole minutes")
    end = (at - first_minute) // US_PER_MINUTE
    if not 0 <= end <= good.shape[1]:
        raise ValueError(f"at {at} lies outside the counts, which cover {good.shape[1]} minutes")
    instants = points(first_minute, at, edges, goals, windows)
    columns = [(p - first_minute) // US_PER_MINUTE for p in instants]
    prefix_good, prefix_valid = _prefix_at(good, columns), _prefix_at(valid, columns)
    prefixes = Prefixes(first_minute, {p: i for i, p in enumerate(instants)}, prefix_good, prefix_valid)
    return summarize_prefixes(goals, prefixes, at, edges, windows)


def _prefix_at(counts: Counts, columns: list[int]) -> Counts:
    """Sums of each row before each column, by one cumulative sum per segment between columns."""
    out = np.zeros((counts.shape[0], len(columns)), dtype=np.int64)
    previous, running = 0, np.zeros(counts.shape[0], dtype=np.int64)
    for k, column in enumerate(columns):
        running = running + counts[:, previous:column].sum(axis=1)
        out[:, k] = running
        previous = column
    return out


def summarize_prefixes(
    goals: Sequence[Goal],
    prefixes: Prefixes,
    at: int,
    edges: Sequence[int] = (),
    windows: Sequence[timedelta] = BURN_WINDOWS,
) -> list[Summary]:
    """The summary of each goal (row of `prefixes`) at `at` (formulas in the module docstring)."""
    first = prefixes.first
    rows: list[list[Any]] = [[] for _ in goals]
    periods = np.array([g.period_us for g in goals], dtype=np.int64)
    good = np.zeros(len(goals), dtype=np.int64)
    valid = np.zeros(len(goals), dtype=np.int64)
    for period in sorted(set(periods.tolist())):
        chosen = periods == period
        g, v = prefixes.between(max(at - period, first), at)
        good[chosen], valid[chosen] = g[chosen], v[chosen]
    day_counts: dict[int, tuple[list[int], list[list[int]], list[list[int]]]] = {}
    for period in sorted(set(periods.tolist())):
        start = max(at - period, first)
        cuts = sorted({start, at, *(e for e in edges if start < e < at)})
        columns = [prefixes.index[c] for c in cuts]
        good_days = np.diff(prefixes.good[:, columns], axis=1)
        valid_days = np.diff(prefixes.valid[:, columns], axis=1)
        day_counts[period] = (cuts[:-1], good_days.tolist(), valid_days.tolist())
    burns: list[tuple[int, list[int] | None, list[int] | None]] = []
    for window in windows:
        width = duration_us(window)
        if at - width < first:
            burns.append((width, None, None))
        else:
            g, v = prefixes.between(at - width, at)
            burns.append((width, (v - g).tolist(), v.tolist()))
    states = _states(goals, prefixes, at)
    good_list, valid_list = good.tolist(), valid.tolist()
    shares: dict[Decimal, Fraction] = {}
    for row, goal in enumerate(goals):
        day_lows, day_good, day_valid = day_counts[goal.period_us]
        days = tuple(zip(day_lows, day_good[row], day_valid[row], strict=True))
        share = shares.get(goal.target) or shares.setdefault(goal.target, Fraction(1) - Fraction(goal.target))
        rows[row] = [
            goal.objective,
            good_list[row],
            valid_list[row],
            *_attainment(good_list[row], valid_list[row], goal.target),
            days,
            tuple(_burn(width, bad, count, row, share) for width, bad, count in burns),
            states[row],
        ]
    return [Summary(*r) for r in rows]


def _attainment(good: int, valid: int, target: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """The ratio (rounded toward −∞) and the budget remaining, exactly."""
    if not valid:
        return None, None
    ratio = RATIO.divide(Decimal(good), Decimal(valid))
    allowed = EXACT.multiply(EXACT.subtract(Decimal(1), target), Decimal(valid))
    return ratio, EXACT.subtract(allowed, Decimal(valid - good))


def _burn(width: int, bad: list[int] | None, valid: list[int] | None, row: int, share: Fraction) -> Burn:
    if bad is None or valid is None:
        return Burn(width, 0, 0, None)
    b, v = bad[row], valid[row]
    if not v:
        return Burn(width, b, v, None)
    if not share:
        return Burn(width, b, v, INFINITE_RATE if b else Decimal(0))
    # Integers on both sides, so an exact quotient is written as the engine writes it (100, not 1E+2).
    numerator, denominator = b * share.denominator, v * share.numerator
    return Burn(width, b, v, ROUNDED.divide(Decimal(numerator), Decimal(denominator)))


def _states(goals: Sequence[Goal], prefixes: Prefixes, at: int) -> list[str]:
    """The alert state of every goal, tiers decided with integer arrays per (target, tiers, guard)."""
    firing: list[set[str]] = [set() for _ in goals]
    groups: dict[tuple[Decimal, int, tuple[BurnRateTier, ...], int], list[int]] = {}
    for row, goal in enumerate(goals):
        groups.setdefault((goal.target, goal.period_us, goal.tiers, goal.minimum_events), []).append(row)
    for (target, period, tiers, least), members in groups.items():
        rows = np.array(members, dtype=np.int64)
        for tier in tiers:
            limit = error_ratio_threshold(tier, period, target)
            fires = np.ones(rows.size, dtype=bool)
            for window in (tier.long_window, tier.short_window):
                low = at - duration_us(window)
                if low < prefixes.first:
                    fires[:] = False
                    break
                g, v = prefixes.between(low, at)
                bad, count = (v - g)[rows], v[rows]
                fires &= (count >= max(1, least)) & _above(bad, count, limit)
            for row in rows[fires].tolist():
                firing[row].add(tier.severity)
    return [_severity(f) for f in firing]


def _above(bad: Counts, valid: Counts, limit: Fraction) -> npt.NDArray[np.bool_]:
    """`bad / valid > limit` exactly (`exact.exceeds`)."""
    return exceeds(bad, valid, limit)


def _severity(firing: set[str]) -> str:
    ordered = [s for s in SEVERITY_ORDER if s in firing] + sorted(firing - set(SEVERITY_ORDER))
    return ordered[0] if ordered else "ok"
