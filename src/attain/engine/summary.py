"""The three answers for many objectives at one instant, from cumulative counts, vectorised.

Input: for each objective, cumulative good and valid counts `P(x)` (the sum over `[first, x)`) at
a few instants x: from per-minute counts (`summarize`, by cumulative sums) or from a store's exact
day/hour/minute rollups (`attain.engine.rollup`). Every total is then `P(high) − P(low)`, for all
objectives at once. Per objective, over its rolling window `[at − period, at)` (never earlier,
whatever the other objectives' periods), and with the engine's own functions for every formula:

- attainment: good, valid, `ratio = good / valid` rounded toward −∞ to 28 digits
  (`budgeting.occurrence_ratio`), and the budget remaining `(1 − target) × valid − bad`
  (`budget.event_budget`; SRE workbook, "Implementing SLOs");
- good and valid per day (between the caller's edges, the agreement's local midnights);
- burn rate over each window `W` ending at `at`: `(bad / valid) ÷ (1 − target)` rounded half-even
  to 28 digits (`burn_rate.burn_rates`); None without valid events or when the window reaches
  before the objective's window;
- the alert state at `at` (SRE workbook, "Alerting on SLOs"): a tier fires when both its windows
  are full and burn above `factor × (1 − target)` (`burn_rate.error_ratio_threshold`) with the
  low-traffic guard (`burn_rate.window_fires`); the state is `page` if a page tier fires, else
  `ticket` if a ticket tier fires (else another severity), else `ok`. This is
  `burn_rate.alert_intervals` at its last minute end.

So a summary equals `attain.engine.evaluate` on the same events digit for digit
(tests/services/test_summary.py checks it on random agreements and data).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.budget import event_budget
from attain.engine.budgeting import occurrence_ratio
from attain.engine.burn_rate import burn_rates, error_ratio_threshold, window_fires
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
    """The summary of each goal (row of `prefixes`) at `at` (formulas in the module docstring).

    A goal's windows start no earlier than its own period, `at − period`, whatever other goals the
    prefixes serve: a 1-day objective has no 3-day burn rate, as in the engine.
    """
    good, valid = _totals(goals, prefixes, at)
    days = _days(goals, prefixes, at, edges)
    burns = _burns(goals, prefixes, at, windows)
    states = _states(goals, prefixes, at)
    ratios = [occurrence_ratio(g, v) for g, v in zip(good, valid, strict=True)]
    return [
        Summary(goal.objective, g, v, ratio, _remaining(g, v, goal.target), day, burn, state)
        for goal, g, v, ratio, day, burn, state in zip(goals, good, valid, ratios, days, burns, states, strict=True)
    ]


def _groups(goals: Sequence[Goal], key: Callable[[Goal], Hashable]) -> dict[Any, npt.NDArray[np.int64]]:
    """Rows of the goals sharing `key`, so that each formula runs once per group on integer arrays."""
    found: dict[Any, list[int]] = {}
    for row, goal in enumerate(goals):
        found.setdefault(key(goal), []).append(row)
    return {k: np.array(rows, dtype=np.int64) for k, rows in found.items()}


def _start(prefixes: Prefixes, at: int, period_us: int) -> int:
    """Where a goal's window starts: `at − period`, or the first instant counted."""
    return max(at - period_us, prefixes.first)


def _totals(goals: Sequence[Goal], prefixes: Prefixes, at: int) -> tuple[list[int], list[int]]:
    """Good and valid of each goal over its rolling window."""
    good = np.zeros(len(goals), dtype=np.int64)
    valid = np.zeros(len(goals), dtype=np.int64)
    for period, rows in _groups(goals, lambda g: g.period_us).items():
        g, v = prefixes.between(_start(prefixes, at, period), at)
        good[rows], valid[rows] = g[rows], v[rows]
    return good.tolist(), valid.tolist()


def _days(
    goals: Sequence[Goal], prefixes: Prefixes, at: int, edges: Sequence[int]
) -> list[tuple[tuple[int, int, int], ...]]:
    """(start, good, valid) of each span between the edges within each goal's window."""
    days: list[tuple[tuple[int, int, int], ...]] = [() for _ in goals]
    for period, rows in _groups(goals, lambda g: g.period_us).items():
        start = _start(prefixes, at, period)
        cuts = sorted({start, at, *(e for e in edges if start < e < at)})
        columns = [prefixes.index[c] for c in cuts]
        good_days = np.diff(prefixes.good[rows][:, columns], axis=1).tolist()
        valid_days = np.diff(prefixes.valid[rows][:, columns], axis=1).tolist()
        for row, g, v in zip(rows.tolist(), good_days, valid_days, strict=True):
            days[row] = tuple(zip(cuts[:-1], g, v, strict=True))
    return days


def _remaining(good: int, valid: int, target: Decimal) -> Decimal | None:
    """The budget remaining in events (`attain.engine.budget.event_budget`); None without valid events."""
    return event_budget(valid - good, valid, target).remaining if valid else None


def _burns(goals: Sequence[Goal], prefixes: Prefixes, at: int, windows: Sequence[timedelta]) -> list[tuple[Burn, ...]]:
    """Each goal's burn over each window (`attain.engine.burn_rate.burn_rates`)."""
    found: list[list[Burn]] = [[] for _ in goals]
    groups = _groups(goals, lambda g: (g.target, _start(prefixes, at, g.period_us)))
    for window in windows:
        width = duration_us(window)
        low = at - width
        counted = prefixes.between(low, at) if low >= prefixes.first else None
        for (target, start), rows in groups.items():
            if counted is None or low < start:
                burns = [Burn(width, 0, 0, None)] * rows.size
            else:
                bad, valid = (counted[1] - counted[0])[rows].tolist(), counted[1][rows].tolist()
                rates = burn_rates(bad, valid, target)
                burns = [Burn(width, b, v, r) for b, v, r in zip(bad, valid, rates, strict=True)]
            for row, burn in zip(rows.tolist(), burns, strict=True):
                found[row].append(burn)
    return [tuple(b) for b in found]


def _states(goals: Sequence[Goal], prefixes: Prefixes, at: int) -> list[str]:
    """The alert state of every goal: each tier decided at `at` by `burn_rate.window_fires` on its windows."""
    firing: list[set[str]] = [set() for _ in goals]
    groups = _groups(goals, lambda g: (g.target, g.period_us, g.tiers, g.minimum_events))
    for (target, period, tiers, least), rows in groups.items():
        start = _start(prefixes, at, period)
        for tier in tiers:
            threshold = error_ratio_threshold(tier, period, target)
            fires = np.ones(rows.size, dtype=bool)
            for window in (tier.long_window, tier.short_window):
                low = at - duration_us(window)
                if low < start:  # a window is used only once it is full
                    fires[:] = False
                    break
                g, v = prefixes.between(low, at)
                fires &= window_fires((v - g)[rows], v[rows], threshold, least)
            for row in rows[fires].tolist():
                firing[row].add(tier.severity)
    return [_severity(f) for f in firing]


def _severity(firing: set[str]) -> str:
    ordered = [s for s in SEVERITY_ORDER if s in firing] + sorted(firing - set(SEVERITY_ORDER))
    return ordered[0] if ordered else "ok"
