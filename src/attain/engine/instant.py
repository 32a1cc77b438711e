"""Instants and intervals as the engine counts them: integer microseconds since the Unix epoch.

Every instant inside the engine is an `int` (or a numpy `int64` array) of microseconds since
1970-01-01T00:00:00Z. That is exactly the resolution of Python's `datetime`, so converting back
and forth loses nothing, and sums of durations are exact integers. Intervals are half-open,
`[start, end)`: an event at a boundary belongs to the interval that starts there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Interval = tuple[int, int]
"""A half-open interval `[start, end)` of instants in microseconds."""


def to_us(instant: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant.isoformat()}: the engine needs an aware instant")
    delta = instant - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def from_us(microseconds: int) -> datetime:
    """The aware UTC datetime of an instant in microseconds."""
    return _EPOCH + timedelta(microseconds=int(microseconds))


def iso_utc(microseconds: int) -> str:
    """An instant as ISO 8601 text in UTC with `Z`, e.g. `2026-11-15T12:00:00Z`."""
    return from_us(microseconds).isoformat().replace("+00:00", "Z")


def duration_us(duration: timedelta) -> int:
    """A timedelta as whole microseconds."""
    return (duration.days * 86_400 + duration.seconds) * US_PER_SECOND + duration.microseconds


def merge(intervals: list[Interval]) -> list[Interval]:
    """Union of intervals: sorted, overlapping and touching ones joined, empty ones dropped."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def clip(intervals: list[Interval], window: Interval) -> list[Interval]:
    """The parts of intervals that lie within `window`."""
    low, high = window
    return [(max(s, low), min(e, high)) for s, e in intervals if s < high and e > low]


def subtract(intervals: list[Interval], removed: list[Interval]) -> list[Interval]:
    """The parts of (merged) `intervals` not covered by `removed`."""
    result: list[Interval] = []
    cuts = merge(removed)
    for start, end in merge(intervals):
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
        if cursor < end:
            result.append((cursor, end))
    return result


def total(intervals: list[Interval]) -> int:
    """Total length of (merged) intervals, in microseconds."""
    return sum(end - start for start, end in merge(intervals))
