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

Gaps (`Gap`) are the stretches between consecutive points `t_0 < t_1 < … < t_n` and, last, from
`t_n` to the end of the measured span. The first gap starts at the reference point: a
qualifying event before the period (`from_event`), or `since` / the period start when there is
none (no event is invented, `from_event` False). The last gap ends at the span's end, not at an
event (`open`): it is still running at `at`, or runs on into the next period. A gap's `excess` is
`max(0, length − maxGap)` over its whole length, also outside the period; `counted` is the part
of the excess inside the measured span, so the `counted` of the gaps over the limit add up to
the violation time. Events at one instant make one point; an empty gap is not a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from attain.engine.availability import exact_share, share
from attain.engine.filter import mask
from attain.engine.instant import Interval, clip, duration_us, total
from attain.engine.measurement import EventTable
from attain.model import FreshnessIndicator


@dataclass(frozen=True)
class Gap:
    """The stretch between two qualifying points (see the module docstring).

    Attributes:
        start: The qualifying event that opens it, or the reference point without one.
        end: The next qualifying event, or the end of the measured span when `open`.
        excess: `max(0, end − start − maxGap)`, in µs.
        counted: The part of the excess inside the measured span, in µs.
        from_event: Whether `start` is a qualifying event.
        open: Whether it ends at the end of the measured span rather than at an event.
    """

    start: int
    end: int
    excess: int
    counted: int
    from_event: bool
    open: bool

    @property
    def length(self) -> int:
        """`end − start` in µs."""
        return self.end - self.start


@dataclass(frozen=True)
class Freshness:
    """Time in one period during which the last qualifying event was too old.

    Attributes:
        measured: The measured span: the period cut at `at`.
        violations: Intervals during which more than `maxGap` had passed since the last event.
        violation_us: Total length of `violations`.
        ratio: 1 − violation / measured span; None when the measured span is empty.
        open_violation: Whether a violation is still running at the end of the measured span.
        longest: The longest gap (the earliest of equals); None when the measured span is empty.
        over: Every gap longer than `maxGap`, in time order.
    """

    measured: Interval
    violations: list[Interval]
    violation_us: int
    ratio: Decimal | None
    open_violation: bool
    longest: Gap | None = None
    over: tuple[Gap, ...] = ()
    exact: Fraction | None = field(default=None, compare=False)
    """`ratio` unrounded (credit tiers compare it with their edges exactly)."""


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
        The violations, their total, the ratio, whether the last one is still open, and the gaps.
    """
    span_end = period[1] if at is None else max(period[0], min(period[1], at))
    measured = (period[0], span_end)
    qualifying = events.at[mask(events.columns, events.size, indicator.where, indicator.where_not)]
    before = qualifying[qualifying <= period[0]]
    reference = int(before[-1]) if before.size else (period[0] if since is None else since)
    inside = np.unique(qualifying[(qualifying > reference) & (qualifying < span_end)])
    instants = np.concatenate(([reference], inside)).astype(np.int64)
    gap = duration_us(indicator.max_gap)
    found = [(int(instants[i]) + gap, int(instants[i + 1])) for i in np.flatnonzero(np.diff(instants) > gap)]
    last_due = int(instants[-1]) + gap
    is_open = last_due < span_end
    if is_open:
        found.append((last_due, span_end))
    violations = clip(found, measured)
    longest, over = _gaps(instants, measured, gap, from_event=bool(before.size))
    violation_us = total(violations)
    return Freshness(
        measured=measured,
        violations=violations,
        violation_us=violation_us,
        ratio=share(span_end - period[0] - violation_us, span_end - period[0]),
        open_violation=is_open,
        longest=longest,
        over=over,
        exact=exact_share(span_end - period[0] - violation_us, span_end - period[0]),
    )


def _gaps(
    instants: npt.NDArray[np.int64], measured: Interval, limit: int, *, from_event: bool
) -> tuple[Gap | None, tuple[Gap, ...]]:
    """The longest gap and the gaps over `limit` between `instants` and on to the span's end."""
    if measured[1] <= measured[0]:
        return None, ()
    ends = np.append(instants[1:], measured[1])
    lengths = ends - instants
    keep = np.flatnonzero(lengths > 0)

    def gap(i: int) -> Gap:
        start, end = int(instants[i]), int(ends[i])
        counted = max(0, min(end, measured[1]) - max(start + limit, measured[0]))
        return Gap(start, end, max(0, end - start - limit), counted, from_event or i > 0, i == len(instants) - 1)

    longest = gap(int(keep[np.argmax(lengths[keep])])) if keep.size else None
    return longest, tuple(gap(int(i)) for i in np.flatnonzero(lengths > limit))
