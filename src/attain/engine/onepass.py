"""One pass over events into per-minute counts, and every summary answer from those counts.

The expensive part of answering "how are my SLAs doing" from raw events is reading them; so the
events are read once, and one compiled loop (numba) counts them per group and minute. A group is
one distinct combination of the attributes the objectives filter on (say service × good), so the
loop does not depend on how many objectives there are: each objective's good and valid counts
are then sums of a few groups' rows (`attain.ingestion.fast` classifies the groups with
`attain.engine.classify`, exactly as single events are classified).

From per-minute counts of one objective over `[first_minute, at)` the summary gives, by cumulative
sums (O(minutes)):

- attainment over the rolling window `[at − period, at)`: good, valid, `ratio = good / valid`
  (rounded toward −∞ to 28 digits), budget `allowed = (1 − target) × valid`, `remaining = allowed −
  bad` (SRE workbook, "Implementing SLOs");
- good and valid per day (or any edges the caller gives);
- burn rate over each window `W` ending at `at`: `(bad / valid) ÷ (1 − target)`, None when the
  window holds no valid event or reaches before the first minute;
- the alert state at `at` under multi-window multi-burn-rate tiers (SRE workbook, "Alerting on
  SLOs"): a tier fires when over both its windows `bad·q > p·valid` with `factor × (1 − target) =
  p/q` exactly and `valid ≥ max(1, minimum_events)`; the state is the severity of the first firing
  tier in the order page, ticket, else `ok`. This is `burn_rate.alert_intervals` at its last minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Protocol

import numba
import numpy as np
import numpy.typing as npt

from attain.engine.budget import event_budget
from attain.engine.budgeting import to_decimal
from attain.engine.burn_rate import burn_rate
from attain.engine.instant import US_PER_MINUTE, duration_us
from attain.model import BurnRateTier

Counts = npt.NDArray[np.int64]
BURN_WINDOWS: tuple[timedelta, ...] = tuple(
    timedelta(minutes=m) for m in (5, 30, 60, 120, 360, 1440, 4320)
)
"""The windows a summary reports burn rates over: 5m, 30m, 1h, 2h, 6h, 1d, 3d."""
SEVERITY_ORDER = ("page", "ticket")


@numba.njit(cache=True, nogil=True)
def _scatter(at, codes, lut, first_minute, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    minutes = out.shape[1]
    outside = 0
    for i in range(at.size):
        offset = at[i] - first_minute
        if offset < 0:
            outside += 1
            continue
        minute = offset // 60_000_000
        if minute >= minutes:
            outside += 1
            continue
        out[lut[codes[i]], minute] += 1
    return outside


def count_minutes(
    at: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int32],
    lut: npt.NDArray[np.int32],
    first_minute: int,
    out: Counts,
) -> int:
    """Add one to `out[lut[codes[i]], minute of at[i]]` for every event; return how many fell outside.

    `out` has one row per group and one column per minute from `first_minute`; events before
    `first_minute` or after the last column are not counted. One compiled pass, O(events).
    """
    if first_minute % US_PER_MINUTE:
        raise ValueError(f"first_minute {first_minute}: must lie on a whole minute")
    if at.shape != codes.shape:
        raise ValueError(f"at and codes differ in length: {at.size} and {codes.size}")
    return int(_scatter(at, codes, lut, np.int64(first_minute), out))


@numba.njit(cache=True, nogil=True)
def _combine(columns, radices, out):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    for i in range(out.size):
        code = 0
        for k in range(len(columns)):
            code = code * radices[k] + columns[k][i]
        out[i] = code


def combine_codes(columns: Sequence[npt.NDArray[np.int32]], radices: Sequence[int]) -> npt.NDArray[np.int32]:
    """Mixed-radix codes `(((c0)·r1 + c1)·r2 + c2)…` of several dictionary-code columns, in one pass."""
    size = columns[0].size if columns else 0
    if int(np.prod(np.array(radices, dtype=np.float64))) >= 2**31:
        raise ValueError("too many attribute combinations for 32-bit codes")
    out = np.empty(size, dtype=np.int32)
    if columns:
        _combine(tuple(columns), np.array(radices, dtype=np.int64), out)
    else:
        out[:] = 0
    return out


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


class Totals(Protocol):
    """Good and valid totals of one objective over any span of whole minutes."""

    @property
    def first(self) -> int:
        """The earliest instant covered; a window reaching before it has no burn rate and never fires."""
        ...

    def between(self, low: int, high: int) -> tuple[int, int]:
        """Good and valid events in `[low, high)` (µs, whole minutes, `first ≤ low ≤ high`)."""
        ...


@dataclass(frozen=True)
class MinuteTotals:
    """`Totals` from cumulative per-minute sums (index i: the sum of the minutes before i)."""

    first: int
    good_sums: Counts
    valid_sums: Counts

    def between(self, low: int, high: int) -> tuple[int, int]:
        """Good and valid events in `[low, high)`."""
        a, b = (low - self.first) // US_PER_MINUTE, (high - self.first) // US_PER_MINUTE
        return int(self.good_sums[b] - self.good_sums[a]), int(self.valid_sums[b] - self.valid_sums[a])


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
    good_sums, valid_sums = _cumulative(good[:, :end]), _cumulative(valid[:, :end])
    return [
        summarize_totals(goal, MinuteTotals(first_minute, good_sums[row], valid_sums[row]), at, edges, windows)
        for row, goal in enumerate(goals)
    ]


def _cumulative(counts: Counts) -> Counts:
    sums = np.zeros((counts.shape[0], counts.shape[1] + 1), dtype=np.int64)
    np.cumsum(counts, axis=1, out=sums[:, 1:])
    return sums


def summarize_totals(
    goal: Goal, totals: Totals, at: int, edges: Sequence[int] = (), windows: Sequence[timedelta] = BURN_WINDOWS
) -> Summary:
    """The three answers for one goal at `at` from its totals (formulas in the module docstring)."""
    start = max(at - goal.period_us, totals.first)
    good, valid = totals.between(start, at)
    ratio = to_decimal(Fraction(good, valid), ROUND_FLOOR) if valid else None
    remaining = event_budget(valid - good, valid, goal.target).remaining if valid else None
    cuts = [min(max(e, start), at) for e in edges]
    days = tuple((low, *totals.between(low, high)) for low, high in zip(cuts, cuts[1:], strict=False) if high > low)
    burns = []
    for window in windows:
        width = duration_us(window)
        if at - width < totals.first:
            burns.append(Burn(width, 0, 0, None))
            continue
        g, v = totals.between(at - width, at)
        burns.append(Burn(width, v - g, v, burn_rate(v - g, v, goal.target)))
    return Summary(goal.objective, good, valid, ratio, remaining, days, tuple(burns), alert_state(goal, totals, at))


def alert_state(goal: Goal, totals: Totals, at: int) -> str:
    """The severity of the first tier (pages first) firing at `at`, else `ok`."""
    least = max(1, goal.minimum_events)
    firing = set()
    for tier in goal.tiers:
        threshold = Fraction(tier.budget_consumed) * goal.period_us / duration_us(tier.long_window)
        threshold *= Fraction(1) - Fraction(goal.target)
        fires = True
        for window in (tier.long_window, tier.short_window):
            low = at - duration_us(window)
            if low < totals.first:
                fires = False
                break
            good, valid = totals.between(low, at)
            bad = valid - good
            fires = fires and valid >= least and bad * threshold.denominator > threshold.numerator * valid
        if fires:
            firing.add(tier.severity)
    ordered = [s for s in SEVERITY_ORDER if s in firing] + sorted(firing - set(SEVERITY_ORDER))
    return ordered[0] if ordered else "ok"
