"""Freshness: gaps between qualifying events longer than maxGap."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.freshness import freshness
from attain.engine.instant import US_PER_HOUR, to_us
from attain.engine.measurement import Event, EventTable
from attain.model import FreshnessIndicator


def utc(year: int, month: int, day: int, hour: int = 0) -> int:
    """The instant of a UTC date and hour, in microseconds."""
    return to_us(datetime(year, month, day, hour, tzinfo=UTC))


def indicator(max_gap: str = "24h", **extra: Any) -> FreshnessIndicator:
    """A freshness indicator of successful backups by default, with document fields as extras."""
    fields = {"kind": "freshness", "where": {"status": "success"}, "maxGap": max_gap}
    return FreshnessIndicator.model_validate(fields | extra)


def table(*events: tuple[int, str]) -> EventTable:
    """An event table of backups, each an instant and a status."""
    return EventTable.from_events([Event(at, attributes={"status": status}) for at, status in events])


def daily_backups(failed: tuple[int, ...] = ()) -> EventTable:
    """Backups at 00:00Z on 1..10 January 2024; those on the `failed` days have status failed."""
    return table(*((utc(2024, 1, day), "failed" if day in failed else "success") for day in range(1, 11)))


TEN_DAYS = (utc(2024, 1, 1), utc(2024, 1, 11))


def test_a_failed_backup_leaves_one_day_of_violation() -> None:
    """The backup of 5 January failed: 4 → 6 January is 48 h, a violation from 5 Jan 00:00 to 6 Jan 00:00."""
    result = freshness(indicator(), daily_backups(failed=(5,)), TEN_DAYS)
    assert result.violations == [(utc(2024, 1, 5), utc(2024, 1, 6))]
    assert result.violation_us == 24 * US_PER_HOUR
    # 1 − 24 h / 240 h = 0.9
    assert result.ratio == Decimal("0.9")
    # The last backup, 10 Jan 00:00, is due again at 11 Jan 00:00, the end of the period.
    assert result.open_violation is False


def test_a_gap_of_exactly_max_gap_is_not_a_violation() -> None:
    """Backups exactly 24 h apart, the last due exactly at the period end, never violate maxGap 24h."""
    result = freshness(indicator(), daily_backups(), TEN_DAYS)
    assert result.violations == []
    assert result.ratio == Decimal(1)


def test_where_not_removes_events() -> None:
    """A `whereNot` of status failed, with no `where`, disqualifies the failed backup just as `where` does."""
    rule = FreshnessIndicator.model_validate({"kind": "freshness", "whereNot": {"status": "failed"}, "maxGap": "24h"})
    result = freshness(rule, daily_backups(failed=(5,)), TEN_DAYS)
    assert result.violations == [(utc(2024, 1, 5), utc(2024, 1, 6))]


def test_an_open_violation_runs_until_at() -> None:
    """At 12 Jan 06:00 the last backup (10 Jan 00:00) is 54 h old: violated since 11 Jan 00:00, still open."""
    later = table((utc(2024, 1, 20), "success"))  # after `at`: not yet known
    events = EventTable.from_events(
        [Event(int(t), attributes={"status": "success"}) for t in [*daily_backups().at, *later.at]]
    )
    january = (utc(2024, 1, 1), utc(2024, 2, 1))
    result = freshness(indicator(), events, january, at=utc(2024, 1, 12, 6))
    assert result.measured == (utc(2024, 1, 1), utc(2024, 1, 12, 6))
    assert result.violations == [(utc(2024, 1, 11), utc(2024, 1, 12, 6))]
    assert result.open_violation is True
    # measured 11 days 6 h = 270 h, violated 30 h: (270 − 30) / 270
    assert result.ratio == Decimal("0.8888888888888888888888888888")  # 240/270 = 8/9, rounded down to 28 digits


def test_the_reference_point_is_the_last_event_before_the_period() -> None:
    """A backup at 31 Dec 12:00 and the next at 1 Jan 18:00 (30 h later) leave 1 Jan 12:00–18:00 violated."""
    events = table((utc(2023, 12, 30), "success"), (utc(2023, 12, 31, 12), "success"), (utc(2024, 1, 1, 18), "success"))
    result = freshness(indicator(), events, (utc(2024, 1, 1), utc(2024, 1, 2)))
    assert result.violations == [(utc(2024, 1, 1, 12), utc(2024, 1, 1, 18))]
    # 18 of 24 hours fresh
    assert result.ratio == Decimal("0.75")
    assert result.open_violation is False


def test_a_violation_running_into_the_period_is_clipped_to_it() -> None:
    """The last backup before January was 30 Dec 00:00; the violation from 31 Dec counts from 1 Jan."""
    events = table((utc(2023, 12, 30), "success"), (utc(2024, 1, 1, 6), "success"))
    result = freshness(indicator(), events, (utc(2024, 1, 1), utc(2024, 1, 2)))
    assert result.violations == [(utc(2024, 1, 1), utc(2024, 1, 1, 6))]


def test_since_is_the_reference_without_an_earlier_event() -> None:
    """From since = 31 Dec 00:00, the first backup at 1 Jan 06:00 is 6 h late and the next is missing from 2 Jan 06:00."""
    events = table((utc(2024, 1, 1, 6), "success"))
    period = (utc(2024, 1, 1), utc(2024, 1, 3))
    result = freshness(indicator(), events, period, since=utc(2023, 12, 31))
    # due at 31 Dec + 24 h = 1 Jan 00:00, came at 06:00; due again at 2 Jan 06:00, never came
    assert result.violations == [(utc(2024, 1, 1), utc(2024, 1, 1, 6)), (utc(2024, 1, 2, 6), utc(2024, 1, 3))]
    assert result.violation_us == 24 * US_PER_HOUR
    assert result.ratio == Decimal("0.5")
    assert result.open_violation is True


def test_the_period_start_is_the_reference_without_since() -> None:
    """Without an earlier event or since, the clock starts at the period start, so 1 Jan 06:00 is on time."""
    events = table((utc(2024, 1, 1, 6), "success"))
    result = freshness(indicator(), events, (utc(2024, 1, 1), utc(2024, 1, 3)))
    assert result.violations == [(utc(2024, 1, 2, 6), utc(2024, 1, 3))]
    # 48 h measured, 18 h violated: 30 / 48 = 0.625
    assert result.ratio == Decimal("0.625")


def test_no_data_before_the_period() -> None:
    """Evaluated before the period starts, nothing is measured: no violations, ratio None."""
    result = freshness(indicator(), daily_backups(), TEN_DAYS, at=utc(2023, 12, 1))
    assert result.violations == []
    assert result.ratio is None
    assert result.open_violation is False


# --- invariants ----------------------------------------------------------------------------------

GAP_US = 10 * 1_000_000  # maxGap 10s, on a grid of microseconds 0..100 s
event_strategy = st.lists(st.tuples(st.integers(-50, 150), st.booleans()), max_size=15)


def small_table(events: list[tuple[int, bool]]) -> EventTable:
    """Events on a one-second grid, qualifying where the flag is set."""
    return table(*((second * 1_000_000, "success" if ok else "failed") for second, ok in events))


def violated_seconds(events: list[tuple[int, bool]], span_end: int, since: int | None) -> int:
    """Independently, the whole seconds in [0, span_end) at which the last qualifying event is ≥ 10 s old."""
    qualifying = sorted(second for second, ok in events if ok)
    before = [s for s in qualifying if s <= 0]
    reference = before[-1] if before else (0 if since is None else since)
    count = 0
    for second in range(span_end):
        last = max([reference, *(s for s in qualifying if reference < s <= second)])
        count += second - last >= 10
    return count


@given(event_strategy, st.none() | st.integers(-20, 120), st.none() | st.integers(-50, 10))
def test_violations_match_a_second_by_second_count(events, at_second, since_second) -> None:
    """The violated time equals a brute-force count of the seconds at which the last event is too old."""
    at = None if at_second is None else at_second * 1_000_000
    since = None if since_second is None else since_second * 1_000_000
    result = freshness(indicator("10s"), small_table(events), (0, 100_000_000), at=at, since=since)
    span_end_second = 100 if at_second is None else max(0, min(100, at_second))
    # Events and the gap sit on whole seconds, so every violation starts and ends on a whole second.
    assert result.violation_us == violated_seconds(events, span_end_second, since_second) * 1_000_000
    assert result.ratio is None or Decimal(0) <= result.ratio <= Decimal(1)


@given(event_strategy, st.integers(1, 150))
def test_another_qualifying_event_never_adds_violation(events, extra) -> None:
    """Adding a qualifying event after the period start never increases the violated time."""
    period = (0, 100_000_000)
    before = freshness(indicator("10s"), small_table(events), period)
    after = freshness(indicator("10s"), small_table([*events, (extra, True)]), period)
    assert after.violation_us <= before.violation_us
