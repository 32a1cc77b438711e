"""Per-minute counts with exact hourly and daily rollups, in memory: the count tables of `MemoryStore`.

The same arithmetic as `attain.storage.bucket` and `attain.storage.rollup`: minute counts add up,
a minute's exact `value_sum` adds without rounding, and every count added to a minute is added to
its hour and its UTC day at the same time, so the rollups are always the exact sums of the minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np

from attain.engine.instant import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE
from attain.ports import Bucket, add_buckets, merge_buckets

SPANS = {"minute": US_PER_MINUTE, "hour": US_PER_HOUR, "day": US_PER_DAY}
"""The resolutions `count_rows` and `count_sums` accept, with their length in µs."""

_IN_CHUNK = 500
"""Objectives per read, as `SqlStore` reads them (its rows come back ordered within each chunk)."""

Key = tuple[str, str, int]
"""(agreement, objective, start of the minute, hour or day)."""


class Counts:
    """Minute buckets of every agreement and objective, and their hourly and daily sums."""

    def __init__(self) -> None:
        self.minutes: dict[Key, Bucket] = {}
        self._rollups: dict[str, dict[Key, list[int]]] = {"hour": {}, "day": {}}

    def add(self, agreement: str, buckets: Iterable[Bucket]) -> None:
        """Add minute buckets to the stored ones of the same minute, and to their hours and days."""
        for b in buckets:
            key = (agreement, b.objective, b.minute)
            seen = self.minutes.get(key) or Bucket(b.objective, b.minute, 0, 0, 0, Decimal(0))
            zero = b.value_sum.is_zero()  # as SQL: a new minute starts at 0, and a zero sum is not added
            self.minutes[key] = (
                add_buckets(seen, b) if not zero else replace(add_buckets(seen, b), value_sum=seen.value_sum)
            )
            self._add_rollups(agreement, b.objective, b.minute, b.good, b.valid)

    def add_counts(self, agreement: str, objectives: Sequence[str], rows: Iterable[tuple[int, int, int, int]]) -> None:
        """Add count rows (index in `objectives`, instant, good, valid), each to the minute it falls in."""
        for o, at, good, valid in rows:
            minute = at - at % US_PER_MINUTE
            self.add(agreement, [Bucket(objectives[o], minute, good, valid)])

    def replace(self, agreement: str, objective: str, start: int, buckets: Sequence[Bucket]) -> None:
        """Replace an objective's minutes from `start` on, then recompute its hours and days from there."""
        for key in [k for k in self.minutes if k[:2] == (agreement, objective) and k[2] >= start]:
            del self.minutes[key]
        for b in merge_buckets(buckets).values():
            self.minutes[agreement, objective, b.minute] = b
        for resolution, table in self._rollups.items():
            span = SPANS[resolution]
            low = start - start % span
            for key in [k for k in table if k[:2] == (agreement, objective) and k[2] >= low]:
                del table[key]
            for (a, o, minute), b in self.minutes.items():
                if (a, o) == (agreement, objective) and minute >= low:
                    sums = table.setdefault((a, o, minute - minute % span), [0, 0])
                    sums[0] += b.good
                    sums[1] += b.valid

    def _add_rollups(self, agreement: str, objective: str, minute: int, good: int, valid: int) -> None:
        """Add one minute's counts to its hour and its day."""
        for resolution, table in self._rollups.items():
            sums = table.setdefault((agreement, objective, minute - minute % SPANS[resolution]), [0, 0])
            sums[0] += good
            sums[1] += valid

    def rows_as_arrays(self, *args: Any) -> tuple[Any, Any, Any, Any]:
        """`rows(*args)` as four int64 arrays (index, start, good, valid)."""
        table = np.array(self.rows(*args), dtype=np.int64).reshape(-1, 4)
        return table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy(), table[:, 3].copy()

    def rows(self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int) -> list[Any]:
        """(index in `objectives`, start, good, valid) with `start <= t < end`, by chunk, objective, time.

        Raises:
            KeyError: `resolution` is not minute, hour or day.
        """
        table = self._table(resolution)
        index = {name: i for i, name in enumerate(objectives)}
        found: list[tuple[int, int, int, int]] = []
        for low in range(0, len(objectives), _IN_CHUNK):
            chunk = set(objectives[low : low + _IN_CHUNK])
            picked = sorted(
                (o, t, g, v)
                for (a, o, t), (g, v) in table.items()
                if a == agreement and o in chunk and start <= t < end
            )
            found += [(index[o], t, g, v) for o, t, g, v in picked]
        return found

    def sums(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
    ) -> list[tuple[Any, Any]]:
        """Per end, int64 arrays of good and valid per objective over `[start, end)`, in `objectives` order."""
        sums = np.zeros((2 * len(ends), len(objectives)), dtype=np.int64)
        for o, t, g, v in self.rows(agreement, objectives, resolution, start, max(ends)):
            for k, end in enumerate(ends):
                if t < end:
                    sums[2 * k, o] += g
                    sums[2 * k + 1, o] += v
        return [(sums[2 * k], sums[2 * k + 1]) for k in range(len(ends))]

    def _table(self, resolution: str) -> dict[Key, list[int]]:
        """The table of a resolution; minutes are read as [good, valid]."""
        if resolution == "minute":
            return {key: [b.good, b.valid] for key, b in self.minutes.items()}
        return self._rollups[resolution]
