"""Freshness: a qualifying event must happen at least every `maxGap`.

Qualifying events are those matching the indicator's `where` and avoiding its `whereNot`. The
measured span is the period cut at `at`: `[start, min(end, at))`; events at or after its end are
not yet known and are ignored.

The reference point is the last qualifying event at or before the period start; without one, it
is `since` (such as the agreement's effective start) or else the period start. From the reference
point `t_0` and the qualifying instants `t_1 < … < t_n` inside the span:

- each gap with `t_{i+1} − t_i > maxGap` is a violation `[t_i + maxGap, t_{i+1})`; a gap of
  exactly `maxGap` is not a violation;
- at the end, `[t_n + maxGap, span end)` is a violation when not empty, and it is then *open*:
  still running when the span ends;
- violations are clipped to the measured span.

    ratio = 1 − violation / measured span

as an exact `Decimal` quotient of integer microseconds (see `attain.engine.availability.share`);
None when the measured span is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from attain.engine.availability import share
from attain.engine.filter import mask
from attain.engine.instant import Interval, clip, duration_us, total
from attain.engine.measurement import EventTable
from attain.model import FreshnessIndicator


@dataclass(frozen=True)
class Freshness:
    """Time in one period during which the last qualifying event was too old.

    Attributes:
        measured: The measured span: the period cut at `at`.
        violations: Intervals during which more than `maxGap` had passed since the last event.
        violation_us: Total length of `violations`.
        ratio: 1 − violation / measured span; None when the measured span is empty.
        open_violation: Whether a violation is still running at the end of the measured span.
    """

    measured: Interval
    violations: list[Interval]
    violation_us: int
    ratio: Decimal | None
    open_violation: bool


def freshness(
    indicator: FreshnessIndicator,
    events: EventTable,
    period: Interval,
    at: int | None = None,
    since: int | None = None,
) -> Freshness:
    """Violations of `maxGap` within `period`, as known at `at`.

    Args:
        indicator: The freshness indicator: `where`, `whereNot` and `maxGap`.
        events: The indicator's event stream, sorted by time.
        period: The period `[start, end)`, in microseconds.
        at: The evaluation instant; None when the period is over and fully known.
        since: The reference point when no qualifying event precedes the period.

    Returns:
        The violations, their total, the ratio, and whether the last one is still open.
    """
    span_end = period[1] if at is None else max(period[0], min(period[1], at))
    measured = (period[0], span_end)
    qualifying = events.at[mask(events.columns, events.size, indicator.where, indicator.where_not)]
    before = qualifying[qualifying <= period[0]]
    reference = int(before[-1]) if before.size else (period[0] if since is None else since)
    inside = qualifying[(qualifying > reference) & (qualifying < span_end)]
    instants = np.concatenate(([reference], inside)).astype(np.int64)
    gap = duration_us(indicator.max_gap)
    found = [(int(instants[i]) + gap, int(instants[i + 1])) for i in np.flatnonzero(np.diff(instants) > gap)]
    last_due = int(instants[-1]) + gap
    is_open = last_due < span_end
    if is_open:
        found.append((last_due, span_end))
    violations = clip(found, measured)
    violation_us = total(violations)
    return Freshness(
        measured=measured,
        violations=violations,
        violation_us=violation_us,
        ratio=share(span_end - period[0] - violation_us, span_end - period[0]),
        open_violation=is_open,
    )
