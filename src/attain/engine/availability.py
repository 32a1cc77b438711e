"""Availability from incidents: downtime and uptime of one period.

The steps, in this order:

1. Keep the incidents whose attributes match the indicator's `where`.
2. An open incident (no end) lasts until `at`, or until the period end when `at` is None.
   Nothing after `at` is known yet, so every incident is cut at `at`.
3. Merge overlapping and touching incidents into runs of downtime.
4. Drop runs shorter than `minimumDowntime`. A run is judged by its WHOLE merged length, even
   where it crosses the period boundary: a 10-minute outage from 23:55 to 00:05 is one outage of
   10 minutes, not two blips of 5. Only then is each run clipped to the measured span.
5. Subtract excluded time (after step 4, so an exclusion never turns a long run into a blip).
6. With service hours (`serviceHours`), keep only the downtime inside them, and measure only the
   service time of the span (`attain.engine.service_hours`).

The measured span is the period cut at `at`: `[start, min(end, at))`. Following the SRE
workbook's time-based availability (good time over valid time):

    uptime_ratio = (measured span − downtime) / measured span

computed from integer microseconds as a `Decimal` quotient at 28 significant digits, exact
whenever the quotient terminates within them (99.9% is exactly 0.999). An empty measured span
(`at` at or before the period start) has no data: `uptime_ratio` is None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from attain.engine.business_time import Clock
from attain.engine.exact import RATIO, quotient
from attain.engine.filter import matches
from attain.engine.instant import US_PER_MINUTE, Interval, clip, duration_us, merge, subtract, total
from attain.engine.measurement import Incident
from attain.model import AvailabilityIndicator


@dataclass(frozen=True)
class Downtime:
    """Downtime of one period and what became of each part of it.

    Attributes:
        period: The period `[start, end)`, in microseconds.
        measured: The measured span: the period cut at `at`.
        counted: Downtime that counts, within the measured span.
        dropped_short: Parts of runs shorter than `minimumDowntime`, within the measured span.
        excluded: Downtime removed because it fell in excluded time.
        downtime_us: Total length of `counted`.
        uptime_ratio: (measured − downtime) / measured; None when the measured span is empty.
        measured_us: The measured time: the span's length, or its service time with service hours.
    """

    period: Interval
    measured: Interval
    counted: list[Interval]
    dropped_short: list[Interval]
    excluded: list[Interval]
    downtime_us: int
    uptime_ratio: Decimal | None
    measured_us: int = 0
    uptime_exact: Fraction | None = field(default=None, compare=False)
    """`uptime_ratio` unrounded (credit tiers compare it with their edges exactly)."""


def downtime(
    indicator: AvailabilityIndicator,
    incidents: Sequence[Incident],
    excluded: list[Interval],
    period: Interval,
    at: int | None = None,
    hours: Clock | None = None,
) -> Downtime:
    """Downtime and uptime ratio of `period` from incidents, less excluded time.

    Args:
        indicator: The availability indicator: `where` and `minimumDowntime`.
        incidents: Incidents of the indicator's stream, in any order.
        excluded: Excluded time for this objective (see `attain.engine.exclusion`).
        period: The period `[start, end)`, in microseconds.
        at: The evaluation instant; None when the period is over and fully known.
        hours: The service hours clock; None when all hours count.

    Returns:
        The downtime, its parts, and the uptime ratio.
    """
    known_until = period[1] if at is None else at
    measured = (period[0], max(period[0], min(period[1], known_until)))
    runs = merge(
        [
            (incident.start, _known_end(incident.end, period[1], at))
            for incident in incidents
            if matches(incident.attributes, indicator.where)
        ]
    )
    shortest = duration_us(indicator.minimum_downtime)
    long_runs = clip([run for run in runs if run[1] - run[0] >= shortest], measured)
    short_runs = clip([run for run in runs if run[1] - run[0] < shortest], measured)
    not_excluded = subtract(long_runs, excluded)
    span = [measured] if hours is None else hours.open_intervals(*measured)
    counted = subtract(not_excluded, subtract(not_excluded, span))  # within the span's service time
    downtime_us, measured_us = total(counted), total(span)
    return Downtime(
        period=period,
        measured=measured,
        counted=counted,
        dropped_short=short_runs,
        excluded=subtract(long_runs, not_excluded),
        downtime_us=downtime_us,
        uptime_ratio=share(measured_us - downtime_us, measured_us),
        measured_us=measured_us,
        uptime_exact=exact_share(measured_us - downtime_us, measured_us),
    )


def _known_end(end: int | None, period_end: int, at: int | None) -> int:
    """Where an incident ends as far as is known.

    Cut at `at`; an open one lasts until `at` (or, when the period is fully known, until its
    end). A closed incident keeps its real end, so a run crossing the period end is judged by its
    whole length.
    """
    if at is not None:
        return min(at, end if end is not None else at)
    return end if end is not None else period_end


def exact_share(part_us: int, whole_us: int) -> Fraction | None:
    """`part / whole` exactly; None when `whole` is empty."""
    return Fraction(part_us, whole_us) if whole_us > 0 else None


def share(part_us: int, whole_us: int) -> Decimal | None:
    """`part / whole` rounded down like every ratio (`exact.RATIO`); None when `whole` is empty."""
    if whole_us <= 0:
        return None
    return quotient(part_us, whole_us, RATIO)


def minute_downtime(intervals: Sequence[Interval], first: int, minutes: int) -> npt.NDArray[np.int64]:
    """Microseconds of downtime in each minute bucket `[first + i min, first + (i + 1) min)`.

    The per-minute series that burn-rate alerts read for time-based objectives: with every
    minute's valid time 60 s, a minute's error ratio is its share of downtime.
    """
    down = np.zeros(minutes, dtype=np.int64)
    limit = first + minutes * US_PER_MINUTE
    for start, end in intervals:
        low, high = max(start, first), min(end, limit)
        if high <= low:
            continue
        a, b = (low - first) // US_PER_MINUTE, (high - 1 - first) // US_PER_MINUTE
        if a == b:
            down[a] += high - low
            continue
        down[a] += first + (a + 1) * US_PER_MINUTE - low
        down[a + 1 : b] += US_PER_MINUTE
        down[b] += high - (first + b * US_PER_MINUTE)
    return down
