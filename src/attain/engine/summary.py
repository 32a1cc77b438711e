"""The three answers for many objectives at one instant, from cumulative counts, in plain integers.

Input: for each objective, cumulative good and valid counts `P(x)` (the sum over `[first, x)`) at
a few instants x: from per-minute counts (`attain.engine.minute_summary.summarize`, by cumulative
sums) or from a store's exact day/hour/minute rollups (`attain.engine.rollup`). Every total is
then `P(high) − P(low)`. Per objective, over its rolling window `[at − period, at)` (never
earlier, whatever the other objectives' periods), and with the engine's own functions for every
formula:

- attainment: good, valid, `ratio = good / valid` rounded toward −∞ to 28 digits
  (`rate.occurrence_ratio`), and the budget remaining `(1 − target) × valid − bad`
  (`budget.event_budget`; SRE workbook, "Implementing SLOs");
- good and valid per day (between the caller's edges, the agreement's local midnights);
- burn rate over each window `W` ending at `at`: `(bad / valid) ÷ (1 − target)` rounded half-even
  to 28 digits (`rate.burn_rates`); None without valid events or when the window reaches before
  the objective's window;
- the alert state at `at` (SRE workbook, "Alerting on SLOs"): a tier fires when both its windows
  are full and burn above `factor × (1 − target)` (`rate.error_ratio_threshold`) with the
  low-traffic guard (`rate.fires`); the state is `page` if a page tier fires, else `ticket` if a
  ticket tier fires (else another severity), else `ok`. This is `burn_rate.alert_intervals` at
  its last minute end.

The prefixes are a few dozen instants per objective, so Python integers serve (exact at any
count), and this module loads neither numpy nor the model: `attain summary NAME` from the store
runs on it alone. A summary equals `attain.engine.evaluate` on the same events digit for digit
(tests/services/test_summary.py checks it on random agreements and data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from attain.engine.budget import event_budget
from attain.engine.instant import duration_us
from attain.engine.rate import Tier, burn_rates, error_ratio_threshold, fires, occurrence_ratio

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
    tiers: tuple[Tier, ...]
    minimum_events: int = 0


@dataclass(frozen=True, slots=True)
class AlertTier:
    """A burn-rate alert tier as plain values (`attain.engine.rate.Tier`), as a summary plan keeps it."""

    long_window: timedelta
    short_window: timedelta
    budget_consumed: Decimal
    severity: str


@dataclass(frozen=True)
class Prefixes:
    """Cumulative good and valid of several objectives (rows) at instants (columns) from `first`."""

    first: int
    index: dict[int, int]
    good: list[list[int]]
    valid: list[list[int]]

    def between(self, row: int, low: int, high: int) -> tuple[int, int]:
        """Good and valid of objective `row` in `[low, high)`; both ends must be among the instants."""
        a, b = self.index[low], self.index[high]
        good, valid = self.good[row], self.valid[row]
        return good[b] - good[a], valid[b] - valid[a]


def points(first: int, at: int, edges: Sequence[int], goals: Sequence[Goal], windows: Sequence[timedelta]) -> list[int]:
    """The instants whose prefixes a summary of `goals` needs (all within `[first, at]`)."""
    found = {first, at, *edges, *(at - duration_us(w) for w in windows)}
    for goal in goals:
        found.add(at - goal.period_us)
        found |= {at - duration_us(w) for t in goal.tiers for w in (t.long_window, t.short_window)}
    return sorted(p for p in found if first <= p <= at)


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
    found = []
    thresholds: dict[tuple[Tier, int, Decimal], Fraction] = {}
    widths = [duration_us(w) for w in windows]
    for row, goal in enumerate(goals):
        start = _start(prefixes, at, goal.period_us)
        good, valid = prefixes.between(row, start, at)
        cuts = sorted({start, at, *(e for e in edges if start < e < at)})
        days = tuple((low, *prefixes.between(row, low, high)) for low, high in pairwise(cuts))
        burns = _burns(prefixes, row, goal, start, at, widths)
        state = _state(prefixes, row, goal, start, at, thresholds)
        ratio = occurrence_ratio(good, valid)
        found.append(
            Summary(goal.objective, good, valid, ratio, _remaining(good, valid, goal.target), days, burns, state)
        )
    return found


def _start(prefixes: Prefixes, at: int, period_us: int) -> int:
    """Where a goal's window starts: `at − period`, or the first instant counted."""
    return max(at - period_us, prefixes.first)


def _remaining(good: int, valid: int, target: Decimal) -> Decimal | None:
    """The budget remaining in events (`attain.engine.budget.event_budget`); None without valid events."""
    return event_budget(valid - good, valid, target).remaining if valid else None


def _burns(prefixes: Prefixes, row: int, goal: Goal, start: int, at: int, widths: Sequence[int]) -> tuple[Burn, ...]:
    """The goal's burn over each window ending at `at` (`attain.engine.rate.burn_rates`); none before its window."""
    full = [width for width in widths if at - width >= start]
    totals = [prefixes.between(row, at - width, at) for width in full]
    rates = burn_rates([v - g for g, v in totals], [v for _, v in totals], goal.target)
    found = {width: Burn(width, v - g, v, rate) for width, (g, v), rate in zip(full, totals, rates, strict=True)}
    return tuple(found.get(width, Burn(width, 0, 0, None)) for width in widths)


def _state(
    prefixes: Prefixes, row: int, goal: Goal, start: int, at: int, thresholds: dict[tuple[Tier, int, Decimal], Fraction]
) -> str:
    """The goal's alert state: each tier decided at `at` by `attain.engine.rate.fires` on its full windows."""
    firing = set()
    for tier in goal.tiers:
        key = (tier, goal.period_us, goal.target)
        if key not in thresholds:
            thresholds[key] = error_ratio_threshold(tier, goal.period_us, goal.target)
        lows = [at - duration_us(w) for w in (tier.long_window, tier.short_window)]
        if all(low >= start for low in lows):  # a window is used only once it is full
            totals = [prefixes.between(row, low, at) for low in lows]
            if all(fires(v - g, v, thresholds[key], goal.minimum_events) for g, v in totals):
                firing.add(tier.severity)
    return _severity(firing)


def _severity(firing: set[str]) -> str:
    ordered = [s for s in SEVERITY_ORDER if s in firing] + sorted(firing - set(SEVERITY_ORDER))
    return ordered[0] if ordered else "ok"
