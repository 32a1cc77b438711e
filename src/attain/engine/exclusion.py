"""Excluded time: the instants that do not count against one objective.

An agreement's exclusion applies to an objective when its `objectives` is empty or names it; an
announcement applies when its own `objectives` is empty or names it. Each applicable exclusion
contributes time in one of four ways:

- **One-off** (`start` with `end` or `duration`, no `every`): `[start, end)` as written. Local
  times are read in the exclusion's `timeZone`, else the agreement's zone, as RFC 5545 §3.3.5 reads
  a DATE-TIME with TZID: a time that occurs twice (clocks going back) is its first occurrence, a
  time in a gap (clocks going forward) takes the offset before the gap, so it maps forward by the
  gap's length (02:30 in a 02:00→03:00 gap is 03:30). `duration` is elapsed time from the start.
- **Recurring** (`every`, an RRULE with `start` as DTSTART): occurrences are generated in local
  wall-clock time, so "Sunday 02:00" stays 02:00 across daylight saving changes; each starts at
  its local time placed as above and lasts `duration` of elapsed time. Only occurrences overlapping
  the window are expanded, including one that began before it.
- **Scheduled with `minimumNotice`** (one-off or recurring): the schedule only says when
  maintenance may happen. Excluded is time inside an occurrence AND inside a timely announcement
  of the exclusion's own kind: `announced_at ≤ announcement.start − minimumNotice`. Maintenance
  announced late, or outside the scheduled windows, is not excluded. Without `minimumNotice` a
  schedule is a standing window, excluded whether announced or not.
- **Schedule-less** (no `start`): permits announcements of the exclusion's kind (force majeure,
  customer-caused, third-party, other, and maintenance or emergency maintenance), each excluded
  as announced; when the exclusion has `minimumNotice`, only if announced in time. A kind the
  agreement does not list is never excluded, and a scheduled exclusion permits no announcements
  beyond its own windows.

The result is the union of all contributions, clipped to the window and merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from attain.engine.instant import Interval, clip, duration_us, from_us, merge, subtract, to_us
from attain.engine.measurement import Announcement
from attain.engine.period import zone
from attain.model import Exclusion

_OFFSET_SLACK = timedelta(days=1)
"""More than any difference between two UTC offsets of one zone: widens the local search range."""


def excluded_intervals(
    exclusions: Sequence[Exclusion],
    announcements: Sequence[Announcement],
    objective: str,
    default_zone: str,
    window: Interval,
) -> list[Interval]:
    """The merged excluded time within `window` for one objective.

    Args:
        exclusions: The agreement's exclusions.
        announcements: Announced maintenance, declared force majeure and the like.
        objective: Name of the objective whose excluded time is wanted.
        default_zone: The agreement's time zone, for exclusions without `timeZone`.
        window: The half-open interval of interest, in microseconds.

    Returns:
        Sorted, disjoint, non-empty intervals inside `window`.
    """
    relevant = [a for a in announcements if _names(a.objectives, objective)]
    found: list[Interval] = []
    for exclusion in exclusions:
        if _names(exclusion.objectives, objective):
            found.extend(_excluded_by(exclusion, relevant, default_zone, window))
    return merge(clip(found, window))


def _names(objectives: tuple[str, ...], objective: str) -> bool:
    return not objectives or objective in objectives


def _excluded_by(
    exclusion: Exclusion, announcements: list[Announcement], default_zone: str, window: Interval
) -> list[Interval]:
    announced = [(a.start, a.end) for a in announcements if a.kind is exclusion.kind and _timely(a, exclusion)]
    if exclusion.start is None:
        return announced
    scheduled = _scheduled(exclusion, zone(exclusion.time_zone or default_zone), window)
    if exclusion.minimum_notice is None:
        return scheduled
    return _intersect(scheduled, announced)


def _timely(announcement: Announcement, exclusion: Exclusion) -> bool:
    if exclusion.minimum_notice is None:
        return True
    return announcement.announced_at <= announcement.start - duration_us(exclusion.minimum_notice)


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    return subtract(first, subtract(first, second))


def _placed(local: datetime, tz: ZoneInfo) -> int:
    # fold=0 is RFC 5545's reading: the earlier offset for a repeated time and the offset before
    # the gap for a skipped one.
    return to_us(local.replace(tzinfo=tz, fold=0).astimezone(UTC))


def _wall_clock(instant: int, tz: ZoneInfo) -> datetime:
    return from_us(instant).astimezone(tz).replace(tzinfo=None)


def _scheduled(exclusion: Exclusion, tz: ZoneInfo, window: Interval) -> list[Interval]:
    assert exclusion.start is not None  # callers pass scheduled exclusions only
    start = _placed(exclusion.start, tz)
    if exclusion.every is None:
        if exclusion.end is not None:
            return [(start, _placed(exclusion.end, tz))]
        assert exclusion.duration is not None  # the model requires end or duration with start
        return [(start, start + duration_us(exclusion.duration))]
    return _occurrences(exclusion, tz, window)


def _occurrences(exclusion: Exclusion, tz: ZoneInfo, window: Interval) -> list[Interval]:
    assert exclusion.every is not None
    assert exclusion.duration is not None  # the model requires duration with every
    rule = rrulestr(exclusion.every, dtstart=exclusion.start)
    length = duration_us(exclusion.duration)
    # Search local time generously, then keep exactly the occurrences overlapping the window.
    low = _wall_clock(window[0], tz) - exclusion.duration - _OFFSET_SLACK
    high = _wall_clock(window[1], tz) + _OFFSET_SLACK
    found: list[Interval] = []
    for local in rule.between(low, high, inc=True):
        start = _placed(local, tz)
        if start < window[1] and start + length > window[0]:
            found.append((start, start + length))
    return found
