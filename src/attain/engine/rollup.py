"""Window totals from exact rollups: days, hours and minutes, so long windows never scan minutes.

A store keeps per-minute counts and their exact sums per hour and per UTC day. The total of
`[low, high)` is `P(high) − P(low)` with the prefix `P(x)` = the sum over `[A, x)` from an anchor
day `A`:

    P(x) = Σ days in [A, floor_day(x)) + Σ hours in [floor_day(x), floor_hour(x))
           + Σ minutes in [floor_hour(x), x)

so a 30-day attainment reads ~30 day rows, a 3-day burn rate ~72 hour rows at most, and only the
part-hours at the edges read minutes. Integer sums throughout: the totals equal those of the
minutes exactly. `needed_ranges` says which rows to read for a set of instants; `prefixes`
turns the rows into `attain.engine.summary.Prefixes` arrays.
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
    """The rows to read so that `P(x)` follows for every point x.

    The day rows from the anchor day, then each point's part-day of hours and part-hour of minutes
    (distinct, non-empty, in order).

    Raises:
        ValueError: a point not on a whole minute.
    """
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
    found: list[tuple[Resolution, int, int]] = []
    for piece in wanted:
        if piece[2] > piece[1] and piece not in found:
            found.append(piece)
    return found


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


Sums = tuple[Int64s, Int64s]
"""Good and valid sums of every objective over one piece."""


def prefixes(
    objectives: int,
    points: Sequence[int],
    days: Rows,
    pieces: dict[tuple[Resolution, int, int], Sums],
) -> tuple[Int64s, Int64s]:
    """`P(x)` of good and valid for every objective (rows) and point (columns).

    `days` are the day rows from the anchor day; `pieces` the sums over each part-day of hours and
    part-hour of minutes that `needed_ranges` named.
    """
    good = np.zeros((objectives, len(points)), dtype=np.int64)
    valid = np.zeros((objectives, len(points)), dtype=np.int64)
    if not points:
        return good, valid
    day_starts = sorted(set(days.start.tolist()))
    slot = {d: i for i, d in enumerate(day_starts)}
    by_day_good = np.zeros((objectives, len(day_starts) + 1), dtype=np.int64)
    by_day_valid = np.zeros((objectives, len(day_starts) + 1), dtype=np.int64)
    columns = np.array([slot[d] for d in days.start.tolist()], dtype=np.int64)
    np.add.at(by_day_good, (days.objective, columns + 1), days.good)
    np.add.at(by_day_valid, (days.objective, columns + 1), days.valid)
    cumulative_good, cumulative_valid = np.cumsum(by_day_good, axis=1), np.cumsum(by_day_valid, axis=1)
    starts = np.array(day_starts, dtype=np.int64)
    for column, point in enumerate(points):
        day, hour = _floor(point, US_PER_DAY), _floor(point, US_PER_HOUR)
        before = int(np.searchsorted(starts, day))  # day rows in [anchor, day)
        good[:, column] = cumulative_good[:, before]
        valid[:, column] = cumulative_valid[:, before]
        for piece in (("hour", day, hour), ("minute", hour, point)):
            found = pieces.get(piece)
            if found is not None:
                good[:, column] += found[0]
                valid[:, column] += found[1]
    return good, valid
