"""Window totals from exact rollups: days, hours and minutes, so long windows never scan minutes.

A store keeps per-minute counts and their exact sums per hour and per UTC day. The total of
`[low, high)` is `P(high) − P(low)` with the prefix `P(x)` = the sum over `[A, x)` from an anchor
day `A`:

    P(x) = Σ days in [A, floor_day(x)) + Σ hours in [floor_day(x), floor_hour(x))
           + Σ minutes in [floor_hour(x), x)

so a 30-day attainment reads ~30 day rows, a 3-day burn rate ~72 hour rows at most, and only the
part-hours at the edges read minutes. Integer sums throughout: the totals equal those of the
minutes exactly. `needed_ranges` says which rows to read for a set of instants; `PrefixTotals`
turns the rows into `attain.engine.onepass.Totals`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE

Resolution = Literal["minute", "hour", "day"]
SPAN_US: dict[Resolution, int] = {"minute": US_PER_MINUTE, "hour": US_PER_HOUR, "day": US_PER_DAY}
Int64s = npt.NDArray[np.int64]


def _floor(instant: int, span: int) -> int:
    return instant - instant % span


def needed_ranges(points: Iterable[int]) -> list[tuple[Resolution, int, int]]:
    """The half-open ranges of rows per resolution from which `P(x)` follows for every point x."""
    listed = sorted(set(points))
    if not listed:
        return []
    if any(p % US_PER_MINUTE for p in listed):
        raise ValueError("instants must lie on whole minutes")
    anchor = _floor(listed[0], US_PER_DAY)
    wanted: list[tuple[Resolution, int, int]] = [("day", anchor, _floor(listed[-1], US_PER_DAY))]
    for point in listed:
        day, hour = _floor(point, US_PER_DAY), _floor(point, US_PER_HOUR)
        wanted += [("hour", day, hour), ("minute", hour, point)]
    merged: list[tuple[Resolution, int, int]] = []
    for resolution in ("day", "hour", "minute"):
        spans = sorted((a, b) for r, a, b in wanted if r == resolution and b > a)
        for low, high in spans:
            if merged and merged[-1][0] == resolution and low <= merged[-1][2]:
                merged[-1] = (resolution, merged[-1][1], max(merged[-1][2], high))
            else:
                merged.append((resolution, low, high))
    return merged


@dataclass(frozen=True)
class Rows:
    """Rows of one resolution for several objectives: row i is objective `objective[i]` at `start[i]`."""

    objective: Int64s
    start: Int64s
    good: Int64s
    valid: Int64s

    @classmethod
    def empty(cls) -> Rows:
        """No rows."""
        nothing = np.zeros(0, dtype=np.int64)
        return cls(nothing, nothing, nothing, nothing)


def prefixes(
    objectives: int, points: Sequence[int], rows: dict[Resolution, Rows]
) -> tuple[Int64s, Int64s]:
    """`P(x)` of good and valid for every objective (rows) and point (columns), from the rows read."""
    good = np.zeros((objectives, len(points)), dtype=np.int64)
    valid = np.zeros((objectives, len(points)), dtype=np.int64)
    if not points:
        return good, valid
    anchor = _floor(min(points), US_PER_DAY)
    for column, point in enumerate(points):
        day, hour = _floor(point, US_PER_DAY), _floor(point, US_PER_HOUR)
        for resolution, low, high in (("day", anchor, day), ("hour", day, hour), ("minute", hour, point)):
            found = rows.get(resolution)  # type: ignore[call-overload]
            if found is None or high <= low:
                continue
            chosen = (found.start >= low) & (found.start < high)
            np.add.at(good[:, column], found.objective[chosen], found.good[chosen])
            np.add.at(valid[:, column], found.objective[chosen], found.valid[chosen])
    return good, valid


@dataclass(frozen=True)
class PrefixTotals:
    """`onepass.Totals` of one objective from its prefixes at known points."""

    first: int
    index: dict[int, int]
    good: Int64s
    valid: Int64s

    def between(self, low: int, high: int) -> tuple[int, int]:
        """Good and valid in `[low, high)`; both ends must be among the points.

        Raises:
            KeyError: an end that is not one of the points the prefixes were computed at.
        """
        a, b = self.index[low], self.index[high]
        return int(self.good[b] - self.good[a]), int(self.valid[b] - self.valid[a])
