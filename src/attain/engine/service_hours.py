"""Service hours: an objective that counts only inside a business calendar's hours (`serviceHours`).

The hours are those of `attain.engine.business_time.BusinessClock`: weekly opening hours read as
local wall-clock times in the calendar's zone (exact across daylight saving changes), minus
public and extra holidays, plus extra working days. Opening at 08:00 and closing at 18:00 makes
the half-open interval `[08:00, 18:00)`: an event stamped 08:00:00 is inside, one stamped
18:00:00 is not.

- availability from incidents: the measured span is the service time within the period (cut at
  the evaluation instant), downtime is downtime within service time, and the budget is
  `(1 − target) ×` the period's service time;
- events (ratio, threshold, probes, statistic): only events stamped inside service hours count.
  Per-minute counts are masked minute by minute, which is exact because service hours begin and
  end on whole minutes (`minute_mask` refuses hours that do not).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from attain.engine.business_time import BusinessClock
from attain.engine.instant import US_PER_MINUTE, Interval, subtract
from attain.model import Agreement, Objective


def service_clock(agreement: Agreement, objective: Objective) -> BusinessClock | None:
    """The clock of the objective's service hours, or None when all hours count."""
    name = objective.service_hours
    if name is None:
        return None
    return BusinessClock(agreement.spec.calendars[name])


def minute_mask(clock: BusinessClock, first: int, minutes: int) -> npt.NDArray[np.bool_]:
    """For each minute `[first + i min, first + (i + 1) min)`: whether it lies inside service hours.

    Raises:
        ValueError: an opening or closing instant is not on a whole minute (a zone offset with
            seconds), so per-minute counts cannot be split exactly.
    """
    mask = np.zeros(minutes, dtype=np.bool_)
    for low, high in clock.open_intervals(first, first + minutes * US_PER_MINUTE):
        if (low - first) % US_PER_MINUTE or (high - first) % US_PER_MINUTE:
            raise ValueError(f"service hours open or close within a minute ({low}, {high} µs): cannot count per minute")
        mask[(low - first) // US_PER_MINUTE : (high - first) // US_PER_MINUTE] = True
    return mask


def inside(clock: BusinessClock, instants: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Whether each instant lies inside service hours (an opening instant is, a closing one is not)."""
    if instants.size == 0:
        return np.zeros(0, dtype=np.bool_)
    intervals = clock.open_intervals(int(instants.min()), int(instants.max()) + 1)
    starts = np.array([low for low, _ in intervals], dtype=np.int64)
    ends = np.array([high for _, high in intervals], dtype=np.int64)
    index = np.searchsorted(starts, instants, side="right") - 1
    found = index >= 0
    result = np.zeros(instants.size, dtype=np.bool_)
    result[found] = instants[found] < ends[index[found]]
    return result


def within(intervals: Sequence[Interval], hours: Sequence[Interval]) -> list[Interval]:
    """The parts of `intervals` inside `hours` (both sorted and merged): A ∩ H = A − (A − H)."""
    return subtract(list(intervals), subtract(list(intervals), list(hours)))
