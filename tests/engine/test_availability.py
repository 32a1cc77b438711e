"""Downtime and uptime of a period from incidents."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.availability import downtime
from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, US_PER_SECOND, merge, subtract, to_us, total
from attain.engine.measurement import Incident
from attain.model import AvailabilityIndicator

JANUARY = (to_us(datetime(2024, 1, 1, tzinfo=UTC)), to_us(datetime(2024, 2, 1, tzinfo=UTC)))
START = JANUARY[0]


def indicator(**extra: Any) -> AvailabilityIndicator:
    """An availability indicator from incidents, with document fields such as minimumDowntime."""
    return AvailabilityIndicator.model_validate({"kind": "availability", "from": "incidents"} | extra)


def minutes(first: int, last: int, **attributes: Any) -> Incident:
    """An incident from minute `first` to minute `last` after 1 January 2024 00:00Z."""
    return Incident(START + first * US_PER_MINUTE, START + last * US_PER_MINUTE, attributes)


def test_fifty_minutes_down_in_a_31_day_month() -> None:
    """A 50-minute incident in January (31 × 1,440 = 44,640 minutes) leaves 44,590 / 44,640 uptime."""
    result = downtime(indicator(), [minutes(14_400, 14_450)], [], JANUARY)
    assert result.downtime_us == 50 * US_PER_MINUTE
    assert result.uptime_ratio == Decimal(44_590) / Decimal(44_640)
    assert result.measured == JANUARY


def test_a_target_boundary_is_exact() -> None:
    """44.64 minutes down in January is exactly 99.9% uptime: 1 − 44.64 / 44,640 = 0.999."""
    incident = Incident(START, START + 44 * US_PER_MINUTE + 38_400_000)  # 44.64 min = 44 min 38.4 s
    assert downtime(indicator(), [incident], [], JANUARY).uptime_ratio == Decimal("0.999")


def test_overlapping_incidents_are_merged() -> None:
    """Incidents over minutes 600–630 and 620–660 count once, as 60 minutes."""
    result = downtime(indicator(), [minutes(600, 630), minutes(620, 660)], [], JANUARY)
    assert result.counted == [(START + 600 * US_PER_MINUTE, START + 660 * US_PER_MINUTE)]
    assert result.downtime_us == 60 * US_PER_MINUTE


def test_a_blip_shorter_than_minimum_downtime_is_dropped() -> None:
    """With minimumDowntime 1m, a 59 s blip is dropped and a 60 s outage counts."""
    blip = Incident(START + US_PER_DAY, START + US_PER_DAY + 59 * US_PER_SECOND)
    outage = Incident(START + 2 * US_PER_DAY, START + 2 * US_PER_DAY + 60 * US_PER_SECOND)
    result = downtime(indicator(minimumDowntime="1m"), [blip, outage], [], JANUARY)
    assert result.counted == [(outage.start, outage.end)]
    assert result.dropped_short == [(blip.start, blip.end)]
    assert result.downtime_us == 60 * US_PER_SECOND


def test_touching_blips_merge_into_a_run_that_counts() -> None:
    """Two 40 s blips back to back form an 80 s run, which counts against minimumDowntime 1m."""
    first = Incident(START + US_PER_DAY, START + US_PER_DAY + 40 * US_PER_SECOND)
    second = Incident(first.end or 0, START + US_PER_DAY + 80 * US_PER_SECOND)
    result = downtime(indicator(minimumDowntime="1m"), [first, second], [], JANUARY)
    assert result.downtime_us == 80 * US_PER_SECOND


def test_a_run_crossing_the_period_start_is_judged_by_its_whole_length() -> None:
    """A 10-minute run from 23:55 to 00:05 counts its 5 minutes in January under minimumDowntime 10m."""
    crossing = minutes(-5, 5)
    result = downtime(indicator(minimumDowntime="10m"), [crossing], [], JANUARY)
    assert result.counted == [(START, START + 5 * US_PER_MINUTE)]
    assert result.downtime_us == 5 * US_PER_MINUTE


def test_a_run_crossing_the_period_start_shorter_than_the_minimum_is_dropped() -> None:
    """The same 10-minute run under minimumDowntime 11m is dropped; its January part is reported."""
    result = downtime(indicator(minimumDowntime="11m"), [minutes(-5, 5)], [], JANUARY)
    assert result.counted == []
    assert result.dropped_short == [(START, START + 5 * US_PER_MINUTE)]
    assert result.uptime_ratio == Decimal(1)


def test_a_run_crossing_the_period_end_counts_only_inside() -> None:
    """An incident from 31 January 23:30 to 1 February 00:30 counts 30 minutes in January."""
    last_minute = 31 * 1_440
    result = downtime(indicator(), [minutes(last_minute - 30, last_minute + 30)], [], JANUARY)
    assert result.downtime_us == 30 * US_PER_MINUTE


def test_an_open_incident_lasts_until_at() -> None:
    """Evaluated at 2 January 00:00, an open incident since 1 January 23:00 is 60 of 1,440 measured minutes."""
    at = START + US_PER_DAY
    result = downtime(indicator(), [Incident(START + 23 * 60 * US_PER_MINUTE, None)], [], JANUARY, at=at)
    assert result.measured == (START, at)
    assert result.downtime_us == 60 * US_PER_MINUTE
    assert result.uptime_ratio == Decimal(1_380) / Decimal(1_440)


def test_an_open_incident_lasts_until_the_period_end_without_at() -> None:
    """Without `at`, an incident open since 31 January 23:00 counts its last 60 minutes of January."""
    result = downtime(indicator(), [Incident(JANUARY[1] - 60 * US_PER_MINUTE, None)], [], JANUARY)
    assert result.downtime_us == 60 * US_PER_MINUTE


def test_time_after_at_is_not_counted() -> None:
    """Evaluated at minute 1,440, a closed incident over minutes 1,430–1,500 counts 10 minutes."""
    result = downtime(indicator(), [minutes(1_430, 1_500)], [], JANUARY, at=START + US_PER_DAY)
    assert result.downtime_us == 10 * US_PER_MINUTE


def test_at_before_the_period_has_no_data() -> None:
    """Evaluated before the period starts, nothing is measured and the uptime is None."""
    result = downtime(indicator(), [minutes(10, 20)], [], JANUARY, at=START - 1)
    assert result.measured == (START, START)
    assert result.downtime_us == 0
    assert result.uptime_ratio is None


def test_where_chooses_the_incidents_that_count() -> None:
    """With where severity: critical, a 30-minute minor incident is ignored and a 20-minute critical one counts."""
    incidents = [minutes(100, 130, severity="minor"), minutes(200, 220, severity="critical")]
    result = downtime(indicator(where={"severity": "critical"}), incidents, [], JANUARY)
    assert result.downtime_us == 20 * US_PER_MINUTE


def test_excluded_time_is_removed_from_downtime() -> None:
    """An incident over minutes 600–660 with minutes 630–720 excluded counts 30 minutes; 30 are excluded."""
    excluded = [(START + 630 * US_PER_MINUTE, START + 720 * US_PER_MINUTE)]
    result = downtime(indicator(), [minutes(600, 660)], excluded, JANUARY)
    assert result.counted == [(START + 600 * US_PER_MINUTE, START + 630 * US_PER_MINUTE)]
    assert result.excluded == [(START + 630 * US_PER_MINUTE, START + 660 * US_PER_MINUTE)]
    assert result.uptime_ratio == Decimal(44_610) / Decimal(44_640)


def test_minimum_downtime_is_judged_before_exclusion() -> None:
    """A 10-minute run, 8 of them excluded, still counts its 2 remaining minutes under minimumDowntime 5m."""
    excluded = [(START + 600 * US_PER_MINUTE, START + 608 * US_PER_MINUTE)]
    result = downtime(indicator(minimumDowntime="5m"), [minutes(600, 610)], excluded, JANUARY)
    assert result.downtime_us == 2 * US_PER_MINUTE
    assert result.dropped_short == []


# --- invariants ----------------------------------------------------------------------------------

SPAN_MINUTES = 31 * 1_440
incident_strategy = st.builds(
    lambda first, length, is_open: Incident(
        START + first * US_PER_MINUTE, None if is_open else START + (first + length) * US_PER_MINUTE
    ),
    st.integers(-100, SPAN_MINUTES + 100),
    st.integers(0, 600),
    st.booleans(),
)
at_strategy = st.none() | st.integers(-10, SPAN_MINUTES + 10).map(lambda m: START + m * US_PER_MINUTE)
excluded_strategy = st.lists(
    st.tuples(st.integers(0, SPAN_MINUTES), st.integers(0, 600)).map(
        lambda p: (START + p[0] * US_PER_MINUTE, START + (p[0] + p[1]) * US_PER_MINUTE)
    ),
    max_size=5,
)
minimum_strategy = st.sampled_from(["0s", "59s", "5m", "1h"])


@given(st.lists(incident_strategy, max_size=12), excluded_strategy, at_strategy, minimum_strategy)
def test_downtime_never_exceeds_the_measured_span(incidents, excluded, at, minimum) -> None:
    """Downtime lies within the measured span and the uptime ratio within [0, 1]."""
    result = downtime(indicator(minimumDowntime=minimum), incidents, excluded, JANUARY, at=at)
    span = result.measured[1] - result.measured[0]
    assert 0 <= result.downtime_us <= span
    assert all(result.measured[0] <= s < e <= result.measured[1] for s, e in result.counted)
    assert result.uptime_ratio is None or Decimal(0) <= result.uptime_ratio <= Decimal(1)


@given(st.lists(incident_strategy, max_size=12), incident_strategy, excluded_strategy, at_strategy, minimum_strategy)
def test_another_incident_never_raises_uptime(incidents, extra, excluded, at, minimum) -> None:
    """Adding an incident never lowers downtime, whatever minimumDowntime and exclusions say."""
    rule = indicator(minimumDowntime=minimum)
    before = downtime(rule, incidents, excluded, JANUARY, at=at)
    after = downtime(rule, [*incidents, extra], excluded, JANUARY, at=at)
    assert after.downtime_us >= before.downtime_us
    assert subtract(before.counted, after.counted) == []


@given(st.lists(incident_strategy, max_size=12), st.randoms(use_true_random=False), at_strategy, minimum_strategy)
def test_the_order_of_incidents_does_not_matter(incidents, random, at, minimum) -> None:
    """Shuffling the incidents gives the same result."""
    rule = indicator(minimumDowntime=minimum)
    shuffled = list(incidents)
    random.shuffle(shuffled)
    assert downtime(rule, shuffled, [], JANUARY, at=at) == downtime(rule, incidents, [], JANUARY, at=at)


small_intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


def points(intervals: list[tuple[int, int]]) -> set[int]:
    """The integer instants covered by half-open intervals: an independent measure of their union."""
    return {t for start, end in intervals for t in range(start, end)}


@given(small_intervals, small_intervals)
def test_subtract_removes_exactly_the_intersection(first, second) -> None:
    """total(subtract(a, b)) == total(a) − total(a ∩ b), counted point by point."""
    assert total(first) == len(points(first))
    assert total(subtract(first, second)) == len(points(first)) - len(points(first) & points(second))
    assert points(subtract(first, second)) == points(first) - points(second)


@given(small_intervals)
def test_merge_gives_sorted_disjoint_intervals_covering_the_same_points(intervals) -> None:
    """Merging keeps the covered points and returns sorted intervals with gaps between them."""
    merged = merge(intervals)
    assert points(merged) == points(intervals)
    assert all(start < end for start, end in merged)
    assert all(a[1] < b[0] for a, b in pairwise(merged))
