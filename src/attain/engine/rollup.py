"""Window totals from exact rollups: days, hours and minutes, so long windows never scan minutes.

A store keeps per-minute counts and their exact sums per hour and per UTC day. The total of
`[low, high)` is `P(high) − P(low)` with the prefix `P(x)` = the sum over `[A, x)` from an anchor
day `A`:

    P(x) = Σ days in [A, floor_day(x)) + Σ hours in [floor_day(x), floor_hour(x))
           + Σ minutes in [floor_hour(x), x)

so a 30-day attainment reads ~30 day rows, a 3-day burn rate ~72 hour rows at most, and only the
part-hours at the edges read minutes. Integer sums throughout: the totals equal those of the
minutes exactly. `needed_ranges` says which rows to read for a set of instants; `prefixes`
turns the rows into the lists of `attain.engine.summary.Prefixes`: Python integers, no numpy, so
that `attain summary NAME` loads none.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Literal

from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE

Resolution = Literal["minute", "hour", "day"]
SPAN_US: dict[Resolution, int] = {"minute": US_PER_MINUTE, "hour": US_PER_HOUR, "day": US_PER_DAY}


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


def ints(values: Any) -> list[int]:
    """Counts as a list of Python integers: a store's int64 array (`tolist`) or a list as it is."""
    return values.tolist() if hasattr(values, "tolist") else list(values)


@dataclass(frozen=True)
class Rows:
    """Rows of one resolution for several objectives: row i is objective `objective[i]` at `start[i]`."""

    objective: list[int]
    start: list[int]
    good: list[int]
    valid: list[int]

    @classmethod
    def of(cls, objective: Any, start: Any, good: Any, valid: Any) -> Rows:
        """Rows from a store's `count_rows` (int64 arrays or lists)."""
        return cls(ints(objective), ints(start), ints(good), ints(valid))

    @classmethod
    def empty(cls) -> Rows:
        """No rows."""
        return cls([], [], [], [])


Sums = tuple[list[int], list[int]]
"""Good and valid sums of every objective over one piece."""


def prefixes(
    objectives: int,
    points: Sequence[int],
    days: Rows,
    pieces: dict[tuple[Resolution, int, int], Sums],
) -> tuple[list[list[int]], list[list[int]]]:
    """`P(x)` of good and valid for every objective (rows) and point (columns).

    `days` are the day rows from the anchor day; `pieces` the sums over each part-day of hours and
    part-hour of minutes that `needed_ranges` named.
    """
    good = [[0] * len(points) for _ in range(objectives)]
    valid = [[0] * len(points) for _ in range(objectives)]
    if not points:
        return good, valid
    day_starts = sorted(set(days.start))
    slot = {d: i for i, d in enumerate(day_starts)}
    by_day_good = [[0] * (len(day_starts) + 1) for _ in range(objectives)]
    by_day_valid = [[0] * (len(day_starts) + 1) for _ in range(objectives)]
    for objective, start, g, v in zip(days.objective, days.start, days.good, days.valid, strict=True):
        by_day_good[objective][slot[start] + 1] += g
        by_day_valid[objective][slot[start] + 1] += v
    cumulative_good = [list(accumulate(row)) for row in by_day_good]
    cumulative_valid = [list(accumulate(row)) for row in by_day_valid]
    for column, point in enumerate(points):
        day, hour = _floor(point, US_PER_DAY), _floor(point, US_PER_HOUR)
        before = bisect_left(day_starts, day)  # day rows in [anchor, day)
        found = [pieces.get(("hour", day, hour)), pieces.get(("minute", hour, point))]
        for row in range(objectives):
            g, v = cumulative_good[row][before], cumulative_valid[row][before]
            for piece in found:
                if piece is not None:
                    g, v = g + piece[0][row], v + piece[1][row]
            good[row][column], valid[row][column] = g, v
    return good, valid
