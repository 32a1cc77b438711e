"""Freshness gaps: the longest gap, and each gap over maxGap with its edges and excess, at the period edges too."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.freshness import Gap, freshness
from attain.engine.instant import US_PER_HOUR, to_us
from attain.engine.measurement import Event, EventTable
from attain.model import FreshnessIndicator

HOUR = US_PER_HOUR
RULE = FreshnessIndicator.model_validate({"kind": "freshness", "where": {"status": "success"}, "maxGap": "24h"})
"""A successful backup at least every 24 h."""


def utc(month: int, day: int, hour: int = 0) -> int:
    """The instant of a UTC date and hour in 2024, in microseconds."""
    return to_us(datetime(2024, month, day, hour, tzinfo=UTC))


def backups(*instants: int, failed: tuple[int, ...] = ()) -> EventTable:
    """Successful backups at `instants`, failed ones at `failed`."""
    ok = [Event(t, attributes={"status": "success"}) for t in instants]
    return EventTable.from_events(ok + [Event(t, attributes={"status": "failed"}) for t in failed])


JANUARY_10 = (utc(1, 1), utc(1, 11))


def test_gaps_inside_the_period_have_their_edges_and_excess() -> None:
    """Backups 1 Jan 00:00, 2 Jan 06:00, 4 Jan 12:00 (a failed one on 3 Jan), 10 Jan 00:00, period 1–11 Jan."""
    events = backups(utc(1, 1), utc(1, 2, 6), utc(1, 4, 12), utc(1, 10), failed=(utc(1, 3),))
    result = freshness(RULE, events, JANUARY_10)
    # Gaps: 1 Jan 00 → 2 Jan 06 = 30 h (6 h over); 2 Jan 06 → 4 Jan 12 = 54 h (30 h over);
    # 4 Jan 12 → 10 Jan 00 = 132 h (108 h over); 10 Jan 00 → 11 Jan 00 (period end) = 24 h, not over.
    assert result.over == (
        Gap(utc(1, 1), utc(1, 2, 6), 6 * HOUR, 6 * HOUR, from_event=True, open=False),
        Gap(utc(1, 2, 6), utc(1, 4, 12), 30 * HOUR, 30 * HOUR, from_event=True, open=False),
        Gap(utc(1, 4, 12), utc(1, 10), 108 * HOUR, 108 * HOUR, from_event=True, open=False),
    )
    assert result.longest == result.over[2]
    # The counted excess adds up to the violation time: 6 + 30 + 108 = 144 h.
    assert sum(g.counted for g in result.over) == result.violation_us == 144 * HOUR


def test_a_gap_from_before_the_period_keeps_its_real_start_and_counts_only_inside() -> None:
    """Last backup 30 Dec 12:00, next 2 Jan 00:00: a 60 h gap, 36 h over, of which 24 h fall inside January."""
    start = to_us(datetime(2023, 12, 30, 12, tzinfo=UTC))
    events = backups(start, utc(1, 2))
    result = freshness(RULE, events, (utc(1, 1), utc(1, 3)))
    # Over the limit from 31 Dec 12:00 to 2 Jan 00:00 (36 h); inside the period from 1 Jan 00:00 (24 h).
    # Then 2 Jan 00:00 → 3 Jan 00:00 (period end) is 24 h: exactly maxGap, not over.
    assert result.over == (Gap(start, utc(1, 2), 36 * HOUR, 24 * HOUR, from_event=True, open=False),)
    assert result.longest == result.over[0]
    assert result.violation_us == 24 * HOUR


def test_without_an_earlier_event_the_first_gap_starts_at_since_not_at_an_event() -> None:
    """No backup before the period; measuring since 1 Jan 00:00; first backup 2 Jan 12:00: 36 h, 12 h over."""
    result = freshness(RULE, backups(utc(1, 2, 12)), (utc(1, 1), utc(1, 4)), since=utc(1, 1))
    # 1 Jan 00:00 (since) → 2 Jan 12:00 = 36 h, 12 h over; 2 Jan 12:00 → 4 Jan 00:00 (end) = 36 h, 12 h over, open.
    assert result.over == (
        Gap(utc(1, 1), utc(1, 2, 12), 12 * HOUR, 12 * HOUR, from_event=False, open=False),
        Gap(utc(1, 2, 12), utc(1, 4), 12 * HOUR, 12 * HOUR, from_event=True, open=True),
    )
    assert result.longest == result.over[0]  # equal lengths: the earliest


def test_the_last_gap_runs_to_the_evaluation_instant_and_is_open() -> None:
    """Evaluated 5 Jan 06:00 with the last backup 3 Jan 00:00: a 54 h gap still open, 30 h over."""
    result = freshness(RULE, backups(utc(1, 1), utc(1, 2), utc(1, 3), utc(1, 9)), JANUARY_10, at=utc(1, 5, 6))
    # The backup of 9 Jan is after `at`: not yet known.
    assert result.over == (Gap(utc(1, 3), utc(1, 5, 6), 30 * HOUR, 30 * HOUR, from_event=True, open=True),)
    assert result.longest == result.over[0]
    assert result.open_violation


def test_backups_in_time_have_no_gap_over_the_limit_and_the_longest_is_reported() -> None:
    """Backups every 20 h, then one 23 h later: none over 24 h; the longest is the 23 h gap."""
    instants = [utc(1, 1) + i * 20 * HOUR for i in range(3)]  # 1 Jan 00, 1 Jan 20, 2 Jan 16
    result = freshness(RULE, backups(*instants, utc(1, 3, 15)), (utc(1, 1), utc(1, 3, 20)))
    assert result.over == ()
    assert result.longest == Gap(utc(1, 2, 16), utc(1, 3, 15), 0, 0, from_event=True, open=False)


def test_an_empty_measured_span_has_no_gaps() -> None:
    """Evaluated at the period start: nothing is measured, so there is no gap at all."""
    result = freshness(RULE, backups(utc(1, 1)), JANUARY_10, at=utc(1, 1))
    assert (result.longest, result.over) == (None, ())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=-3 * 24, max_value=12 * 24), max_size=12),
    st.integers(min_value=0, max_value=10 * 24),
    st.integers(min_value=1, max_value=72),
)
def test_gaps_tile_the_measured_span_and_their_counted_excess_is_the_violation(
    hours: list[int], at_hours: int, limit_hours: int
) -> None:
    """Every listed gap is longer than maxGap, its counted excess lies in the span, and they add up to the violation."""
    rule = FreshnessIndicator.model_validate({"kind": "freshness", "maxGap": f"{limit_hours}h"})
    events = EventTable.from_events([Event(utc(1, 1) + h * HOUR) for h in sorted(hours)])
    result = freshness(rule, events, JANUARY_10, at=utc(1, 1) + at_hours * HOUR)
    assert all(g.length > limit_hours * HOUR and g.excess == g.length - limit_hours * HOUR for g in result.over)
    assert sum(g.counted for g in result.over) == result.violation_us
    if result.longest is not None:
        assert all(g.length <= result.longest.length for g in result.over)
        # Independent: the longest gap from a plain walk over the points.
        known = sorted({utc(1, 1) + h * HOUR for h in hours if utc(1, 1) < utc(1, 1) + h * HOUR < result.measured[1]})
        before = [utc(1, 1) + h * HOUR for h in hours if h <= 0]
        points = [max(before) if before else utc(1, 1), *known, result.measured[1]]
        assert result.longest.length == max(b - a for a, b in pairwise(points))
