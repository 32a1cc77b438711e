"""Excluded time for one objective: schedules, notice, announcements, time zones."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from attain.engine.exclusion import excluded_intervals
from attain.engine.instant import US_PER_HOUR, to_us
from attain.engine.measurement import Announcement
from attain.model import Exclusion, ExclusionKind

BERLIN = "Europe/Berlin"
OCTOBER = (to_us(datetime(2024, 10, 1, tzinfo=UTC)), to_us(datetime(2024, 11, 1, tzinfo=UTC)))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """The instant of a UTC date and time, in microseconds."""
    return to_us(datetime(year, month, day, hour, minute, tzinfo=UTC))


def exclusion(**fields: Any) -> Exclusion:
    """An exclusion from its document fields (camelCase), as an agreement would hold it."""
    return Exclusion.model_validate(fields)


def sunday_window(**extra: Any) -> Exclusion:
    """Maintenance every Sunday 02:00–04:00 Berlin time, needing 72 h notice."""
    fields = {
        "kind": "maintenance",
        "start": "2024-10-06T02:00",
        "duration": "2h",
        "every": "FREQ=WEEKLY;BYDAY=SU",
        "timeZone": BERLIN,
        "minimumNotice": "72h",
    }
    return exclusion(**(fields | extra))


def maintenance(start: int, end: int, notice_us: int, **extra: Any) -> Announcement:
    """Maintenance over [start, end) announced `notice_us` before it starts."""
    return Announcement(start, end, ExclusionKind.MAINTENANCE, start - notice_us, **extra)


def test_maintenance_announced_73_hours_ahead_inside_the_window_is_excluded() -> None:
    """Maintenance 02:30–03:30 CEST on Sunday 13 October, announced 73 h ahead, is excluded."""
    # 02:30 CEST (UTC+2) = 00:30Z; 03:30 CEST = 01:30Z.
    work = maintenance(utc(2024, 10, 13, 0, 30), utc(2024, 10, 13, 1, 30), 73 * US_PER_HOUR)
    assert excluded_intervals([sunday_window()], [work], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 13, 0, 30), utc(2024, 10, 13, 1, 30))
    ]


def test_maintenance_announced_71_hours_ahead_is_not_excluded() -> None:
    """The same maintenance announced only 71 h ahead (less than 72 h notice) is not excluded."""
    work = maintenance(utc(2024, 10, 13, 0, 30), utc(2024, 10, 13, 1, 30), 71 * US_PER_HOUR)
    assert excluded_intervals([sunday_window()], [work], "uptime", "UTC", OCTOBER) == []


def test_notice_of_exactly_the_minimum_is_enough() -> None:
    """Maintenance announced exactly 72 h ahead meets a 72 h minimum notice."""
    work = maintenance(utc(2024, 10, 13, 0, 30), utc(2024, 10, 13, 1, 30), 72 * US_PER_HOUR)
    assert excluded_intervals([sunday_window()], [work], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 13, 0, 30), utc(2024, 10, 13, 1, 30))
    ]


def test_maintenance_outside_the_window_is_not_excluded() -> None:
    """Maintenance at 05:00–06:00 CEST, after the 02:00–04:00 window, is not excluded even with notice."""
    # 05:00 CEST = 03:00Z, 06:00 CEST = 04:00Z; the window is 00:00Z–02:00Z.
    work = maintenance(utc(2024, 10, 13, 3), utc(2024, 10, 13, 4), 100 * US_PER_HOUR)
    assert excluded_intervals([sunday_window()], [work], "uptime", "UTC", OCTOBER) == []


def test_maintenance_overrunning_the_window_is_excluded_only_inside_it() -> None:
    """Maintenance 03:00–05:00 CEST is excluded from 03:00 to 04:00 CEST only, where the window ends."""
    # 03:00 CEST = 01:00Z; the window ends 04:00 CEST = 02:00Z.
    work = maintenance(utc(2024, 10, 13, 1), utc(2024, 10, 13, 3), 80 * US_PER_HOUR)
    assert excluded_intervals([sunday_window()], [work], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 13, 1), utc(2024, 10, 13, 2))
    ]


def test_a_standing_weekly_window_keeps_local_time_across_the_october_dst_change() -> None:
    """Without minimumNotice the window is excluded as written, at 02:00 local before, on and after 27 October."""
    standing = sunday_window(minimumNotice=None)
    window = (utc(2024, 10, 19), utc(2024, 11, 4))
    assert excluded_intervals([standing], [], "uptime", "UTC", window) == [
        # 20 Oct 02:00 CEST (UTC+2) = 00:00Z, plus 2 h.
        (utc(2024, 10, 20, 0), utc(2024, 10, 20, 2)),
        # 27 Oct 02:00 happens twice; the first is CEST = 00:00Z; 2 h of elapsed time end at
        # 02:00Z, which is 03:00 CET.
        (utc(2024, 10, 27, 0), utc(2024, 10, 27, 2)),
        # 3 Nov 02:00 CET (UTC+1) = 01:00Z, plus 2 h.
        (utc(2024, 11, 3, 1), utc(2024, 11, 3, 3)),
    ]


def test_a_weekly_window_on_the_spring_dst_change_maps_forward() -> None:
    """On 31 March 2024 02:00 Berlin does not exist; the occurrence starts at 03:00 CEST, the end of the gap."""
    standing = sunday_window(minimumNotice=None, start="2024-03-24T02:00")
    window = (utc(2024, 3, 23), utc(2024, 4, 8))
    assert excluded_intervals([standing], [], "uptime", "UTC", window) == [
        # 24 Mar 02:00 CET (UTC+1) = 01:00Z.
        (utc(2024, 3, 24, 1), utc(2024, 3, 24, 3)),
        # 31 Mar 02:00 read with the offset before the gap (UTC+1) = 01:00Z = 03:00 CEST.
        (utc(2024, 3, 31, 1), utc(2024, 3, 31, 3)),
        # 7 Apr 02:00 CEST (UTC+2) = 00:00Z.
        (utc(2024, 4, 7, 0), utc(2024, 4, 7, 2)),
    ]


def test_an_occurrence_that_began_before_the_window_is_clipped_to_it() -> None:
    """The 13 October occurrence (00:00Z–02:00Z) overlaps a window from 01:00Z and counts from 01:00Z."""
    standing = sunday_window(minimumNotice=None)
    window = (utc(2024, 10, 13, 1), utc(2024, 10, 14))
    assert excluded_intervals([standing], [], "uptime", "UTC", window) == [(utc(2024, 10, 13, 1), utc(2024, 10, 13, 2))]


def test_a_one_off_exclusion_is_read_in_the_default_zone() -> None:
    """A one-off 10:00–12:00 without timeZone is read in the agreement's zone, Asia/Shanghai (UTC+8)."""
    one_off = exclusion(kind="other", start="2024-10-01T10:00", end="2024-10-01T12:00")
    # 10:00 +08:00 = 02:00Z, 12:00 +08:00 = 04:00Z.
    assert excluded_intervals([one_off], [], "uptime", "Asia/Shanghai", OCTOBER) == [
        (utc(2024, 10, 1, 2), utc(2024, 10, 1, 4))
    ]


def test_a_one_off_start_in_a_dst_gap_maps_forward() -> None:
    """A one-off from 02:30 on 31 March 2024 (inside Berlin's gap) starts at 03:30 CEST and lasts 30 minutes."""
    one_off = exclusion(kind="other", start="2024-03-31T02:30", duration="30m", timeZone=BERLIN)
    # 02:30 read at UTC+1 (the offset before the gap) = 01:30Z = 03:30 CEST; plus 30 min = 02:00Z.
    window = (utc(2024, 3, 31), utc(2024, 4, 1))
    assert excluded_intervals([one_off], [], "uptime", "UTC", window) == [
        (utc(2024, 3, 31, 1, 30), utc(2024, 3, 31, 2))
    ]


def test_an_ambiguous_one_off_start_takes_the_first_occurrence() -> None:
    """A one-off from 02:30 on 27 October 2024 (repeated in Berlin) starts at the first 02:30, CEST."""
    one_off = exclusion(kind="other", start="2024-10-27T02:30", duration="1h", timeZone=BERLIN)
    # The first 02:30 is CEST (UTC+2) = 00:30Z; plus 1 h = 01:30Z.
    assert excluded_intervals([one_off], [], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 1, 30))
    ]


def test_an_exclusion_for_other_objectives_does_not_apply() -> None:
    """An exclusion naming only `latency` excludes nothing from `uptime`, and its time from `latency`."""
    one_off = exclusion(kind="other", start="2024-10-01T10:00", duration="1h", objectives=["latency"])
    assert excluded_intervals([one_off], [], "uptime", "UTC", OCTOBER) == []
    assert excluded_intervals([one_off], [], "latency", "UTC", OCTOBER) == [
        (utc(2024, 10, 1, 10), utc(2024, 10, 1, 11))
    ]


def test_declared_force_majeure_needs_an_exclusion_of_that_kind() -> None:
    """Force majeure is excluded when the agreement lists force-majeure; customer-caused, not listed, is not."""
    listed = [exclusion(kind="force-majeure")]
    storm = Announcement(utc(2024, 10, 2), utc(2024, 10, 3), ExclusionKind.FORCE_MAJEURE, utc(2024, 10, 4))
    misuse = Announcement(utc(2024, 10, 5), utc(2024, 10, 6), ExclusionKind.CUSTOMER_CAUSED, utc(2024, 10, 5))
    assert excluded_intervals(listed, [storm, misuse], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 2), utc(2024, 10, 3))
    ]
    assert excluded_intervals([], [storm, misuse], "uptime", "UTC", OCTOBER) == []


def test_declared_time_is_clipped_to_the_window() -> None:
    """Force majeure from 30 September to 2 October counts only from 1 October, where the window starts."""
    storm = Announcement(utc(2024, 9, 30), utc(2024, 10, 2), ExclusionKind.FORCE_MAJEURE, utc(2024, 9, 30))
    assert excluded_intervals([exclusion(kind="force-majeure")], [storm], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 1), utc(2024, 10, 2))
    ]


def test_an_announcement_for_another_objective_does_not_apply() -> None:
    """Force majeure declared for `latency` only excludes nothing from `uptime`."""
    storm = Announcement(
        utc(2024, 10, 2), utc(2024, 10, 3), ExclusionKind.FORCE_MAJEURE, utc(2024, 10, 2), objectives=("latency",)
    )
    assert excluded_intervals([exclusion(kind="force-majeure")], [storm], "uptime", "UTC", OCTOBER) == []


def test_unscheduled_maintenance_with_notice_is_excluded_when_announced_in_time() -> None:
    """With a schedule-less maintenance exclusion needing 48 h notice, 2 days' notice counts and 47 h does not."""
    rule = exclusion(kind="maintenance", minimumNotice="48h")
    on_time = maintenance(utc(2024, 10, 8, 22), utc(2024, 10, 8, 23), 48 * US_PER_HOUR)
    late = maintenance(utc(2024, 10, 9, 22), utc(2024, 10, 9, 23), 47 * US_PER_HOUR)
    assert excluded_intervals([rule], [on_time, late], "uptime", "UTC", OCTOBER) == [
        (utc(2024, 10, 8, 22), utc(2024, 10, 8, 23))
    ]


def test_emergency_maintenance_is_permitted_by_its_own_kind_only() -> None:
    """An emergency-maintenance announcement inside the Sunday maintenance window is not excluded by it."""
    urgent = Announcement(
        utc(2024, 10, 13, 0, 30), utc(2024, 10, 13, 1), ExclusionKind.EMERGENCY_MAINTENANCE, utc(2024, 10, 1)
    )
    assert excluded_intervals([sunday_window()], [urgent], "uptime", "UTC", OCTOBER) == []


def test_overlapping_exclusions_are_merged() -> None:
    """A standing window 00:00Z–02:00Z and declared force majeure 01:00Z–03:00Z merge into 00:00Z–03:00Z."""
    rules = [sunday_window(minimumNotice=None), exclusion(kind="force-majeure")]
    storm = Announcement(utc(2024, 10, 13, 1), utc(2024, 10, 13, 3), ExclusionKind.FORCE_MAJEURE, utc(2024, 10, 13))
    window = (utc(2024, 10, 12), utc(2024, 10, 14))
    assert excluded_intervals(rules, [storm], "uptime", "UTC", window) == [(utc(2024, 10, 13, 0), utc(2024, 10, 13, 3))]


def test_a_rule_from_long_ago_expands_only_near_the_window() -> None:
    """A daily 1-minute window since 1990 yields exactly the 31 occurrences of October 2024."""
    daily = exclusion(kind="other", start="1990-01-01T12:00", duration="1m", every="FREQ=DAILY")
    found = excluded_intervals([daily], [], "uptime", "UTC", OCTOBER)
    assert len(found) == 31
    assert found[0] == (utc(2024, 10, 1, 12), utc(2024, 10, 1, 12, 1))
    assert found[-1] == (utc(2024, 10, 31, 12), utc(2024, 10, 31, 12, 1))


WEEK_US = 7 * 24 * US_PER_HOUR
FIRST_SUNDAY = utc(2024, 1, 7, 2)  # a Sunday, 02:00Z


@given(st.integers(0, 20 * WEEK_US), st.integers(0, 5 * WEEK_US))
def test_a_weekly_utc_window_excludes_its_overlap_with_any_window(offset: int, length: int) -> None:
    """In UTC, the excluded total equals the window's overlap with each weekly 2 h occurrence, summed by hand."""
    rule = exclusion(kind="other", start="2024-01-07T02:00", duration="2h", every="FREQ=WEEKLY", timeZone="UTC")
    window = (FIRST_SUNDAY + offset, FIRST_SUNDAY + offset + length)
    found = excluded_intervals([rule], [], "uptime", "UTC", window)
    expected = 0
    for week in range(27):
        start = FIRST_SUNDAY + week * WEEK_US
        expected += max(0, min(start + 2 * US_PER_HOUR, window[1]) - max(start, window[0]))
    assert sum(end - start for start, end in found) == expected
    assert all(window[0] <= start < end <= window[1] for start, end in found)
    assert all(a[1] < b[0] for a, b in pairwise(found))
