"""When bad events happen: good and valid by local weekday and by local hour of day.

The input is hourly counts (the store's hour rollups, or minutes summed per hour): each hour's
start instant is placed in the agreement's time zone, and its counts are added to its weekday
(Monday = 0) and its hour of day (0–23). Each bucket's attainment is good ÷ valid, exact. An hour
that starts at a non-whole local hour (a zone with a half-hour offset) counts in the local hour it
starts in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from attain.engine.instant import from_us
from attain.engine.period import zone
from attain.engine.rate import occurrence_ratio


@dataclass(frozen=True)
class Slot:
    """One weekday or hour of day: its good and valid totals and attainment (None without valid)."""

    index: int
    good: int
    valid: int

    @property
    def ratio(self) -> Decimal | None:
        """Good ÷ valid (rounded toward −∞ to 28 digits), None when nothing was valid."""
        return occurrence_ratio(self.good, self.valid)


@dataclass(frozen=True)
class Seasonality:
    """Counts by local weekday (7 slots, Monday first) and by local hour of day (24 slots)."""

    weekdays: tuple[Slot, ...]
    hours: tuple[Slot, ...]

    def worst(self, slots: tuple[Slot, ...]) -> Slot | None:
        """The slot with the lowest attainment (the earliest of equals); None when none has data."""
        scored = [s for s in slots if s.ratio is not None]
        return min(scored, key=lambda s: (s.ratio, s.index)) if scored else None


def seasonality(
    starts: npt.NDArray[np.int64], good: npt.NDArray[np.int64], valid: npt.NDArray[np.int64], zone_name: str
) -> Seasonality:
    """Add hourly counts (row i starts at `starts[i]`, µs) into local weekdays and hours of `zone_name`."""
    [found] = seasonalities(np.zeros(starts.size, dtype=np.int64), starts, good, valid, zone_name, 1)
    return found


def seasonalities(
    objective: Int64s, starts: Int64s, good: Int64s, valid: Int64s, zone_name: str, objectives: int
) -> list[Seasonality]:
    """`seasonality` of several objectives at once: row i belongs to objective `objective[i]` (0 … objectives − 1).

    Each distinct hour is placed in the zone once, however many objectives share it.
    """
    local = zone(zone_name)
    distinct, position = np.unique(starts, return_inverse=True)
    weekday = np.empty(distinct.size, dtype=np.int64)
    hour = np.empty(distinct.size, dtype=np.int64)
    for i, instant in enumerate(distinct.tolist()):
        moment = from_us(int(instant)).astimezone(local)
        weekday[i], hour[i] = moment.weekday(), moment.hour
    days = _sums(objective * 7 + weekday[position], good, valid, objectives * 7).reshape(2, objectives, 7)
    hours = _sums(objective * 24 + hour[position], good, valid, objectives * 24).reshape(2, objectives, 24)
    return [Seasonality(_slots(days[:, o]), _slots(hours[:, o])) for o in range(objectives)]


Int64s = npt.NDArray[np.int64]


def _sums(index: Int64s, good: Int64s, valid: Int64s, size: int) -> Int64s:
    """Good and valid summed per index (exact int64 sums), as a (2, size) array."""
    found = np.zeros((2, size), dtype=np.int64)
    np.add.at(found[0], index, good)
    np.add.at(found[1], index, valid)
    return found


def _slots(sums: Int64s) -> tuple[Slot, ...]:
    return tuple(Slot(i, int(sums[0, i]), int(sums[1, i])) for i in range(sums.shape[1]))
