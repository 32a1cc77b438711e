"""Counting a Parquet file of events per objective and minute in one pass, by groups.

The objectives of a stream filter events on a few attributes (`service`, `good`, `status`, …).
Each row group is read with pyarrow on one of two threads (only the timestamp and those columns,
`attain.ingestion.parquet.map_groups`) and counted there per combination of attribute values and
minute in numpy (`attain.ingestion.tally`); each combination becomes a group number: one distinct
combination of the attribute values. The counts are per group and minute, whatever the number
of objectives. The groups are few (the product of the distinct values seen), so each
is classified with `attain.engine.classify` exactly as an event with those attributes would be,
by every agreement version; an objective's counts are the sums of its groups' rows over the
minutes its version is in force. The counts are therefore those of
`attain.ingestion.batches.minute_buckets` on the same rows. Whether a file and stream can be
counted so is decided first (`attain.ingestion.eligibility`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq

from attain.engine.classify import classify
from attain.engine.filter import ABSENT
from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import Event, EventTable
from attain.engine.versions import InForce
from attain.ingestion.eligibility import counted
from attain.ingestion.parquet import map_groups
from attain.ingestion.tally import Tally, tally
from attain.model import AvailabilityIndicator, RatioIndicator


@dataclass
class Groups:
    """The distinct combinations of filter values seen so far, each with a group number."""

    keys: tuple[str, ...]
    numbers: dict[tuple[str, ...], int] = field(default_factory=dict)

    def number(self, values: tuple[str, ...]) -> int:
        """The group number of a combination, assigned on first sight."""
        return self.numbers.setdefault(values, len(self.numbers))

    def table(self) -> EventTable:
        """One event per group, in group order, with its attributes (absent ones left out)."""
        ordered = sorted(self.numbers.items(), key=lambda item: item[1])
        return EventTable.from_events(
            [
                Event(0, None, {k: v for k, v in zip(self.keys, values, strict=True) if v != ABSENT})
                for values, _ in ordered
            ]
        )


@dataclass
class GroupCounts:
    """Rows per group and minute over `[first_minute, first_minute + minutes)`, growing with the groups."""

    first_minute: int
    minutes: int
    counts: npt.NDArray[np.int64] = field(init=False)
    outside: int = 0

    def __post_init__(self) -> None:
        self.counts = np.zeros((0, self.minutes), dtype=np.int64)

    def add(self, tallied: Tally, groups: Groups) -> None:
        """Add a batch's tally (its combinations numbered in `groups`); rows outside the minutes are counted apart."""
        rows = group_counts(tallied, groups)
        if self.counts.shape[0] < rows.shape[0]:
            grown = np.zeros((max(rows.shape[0], 2 * self.counts.shape[0]), self.minutes), dtype=np.int64)
            grown[: self.counts.shape[0]] = self.counts
            self.counts = grown
        offset = (tallied.first_minute - self.first_minute) // US_PER_MINUTE
        low, high = max(0, offset), min(self.minutes, offset + rows.shape[1])
        inside = 0
        if high > low:
            part = rows[:, low - offset : high - offset]
            self.counts[: rows.shape[0], low:high] += part
            inside = int(part.sum())
        self.outside += int(rows.sum()) - inside


def group_counts(tallied: Tally, groups: Groups) -> npt.NDArray[np.int64]:
    """A tally's rows per group (numbered in `groups`, new combinations added) and minute."""
    rows = [groups.number(values) for values in tallied.values]
    counts = np.zeros((len(groups.numbers), tallied.counts.shape[1]), dtype=np.int64)
    if len(set(rows)) == len(rows):
        counts[rows] = tallied.counts
    else:  # two combinations may read the same (a null and an empty text)
        np.add.at(counts, rows, tallied.counts)
    return counts


def count_file(path: Path, keys: Sequence[str], first_minute: int, minutes: int) -> tuple[Groups, GroupCounts]:
    """Rows of a Parquet file per group and minute, row groups decoded and tallied on two threads."""
    groups = Groups(tuple(keys))
    counts = GroupCounts(first_minute, minutes)
    wanted = tuple(keys)
    row_groups = list(range(pq.ParquetFile(path).metadata.num_row_groups))
    for tallies in map_groups(path, keys, row_groups, lambda _, batches: [tally(b, wanted) for b in batches]):
        for tallied in tallies:
            counts.add(tallied, groups)
    return groups, counts


Classes = list[tuple[InForce, list[tuple[int, npt.NDArray[np.intp], npt.NDArray[np.intp]]]]]
"""Per version, each counted objective's row and the groups it counts as valid and as good."""


def classes(versions: Sequence[InForce], stream: str, groups: Groups, names: Sequence[str]) -> Classes:
    """Each version's counted objectives with the groups (numbered so far) they count as valid and good.

    Each group is classified as an event with its attributes (`attain.engine.classify`), so the
    counts are those of classifying every event.
    """
    table = groups.table()
    rows = {name: i for i, name in enumerate(names)}
    found: Classes = []
    for version in versions:
        mine = []
        for objective in version.agreement.objectives:
            if not counted(objective, stream):
                continue
            indicator = objective.indicator
            assert isinstance(indicator, RatioIndicator | AvailabilityIndicator)
            is_valid, is_good = classify(indicator, table)
            mine.append((rows[objective.name], np.flatnonzero(is_valid), np.flatnonzero(is_good)))
        found.append((version, mine))
    return found


def objective_counts(
    versions: Sequence[InForce],
    stream: str,
    groups: Groups,
    counts: npt.NDArray[np.int64],
    first_minute: int,
    names: Sequence[str],
    classified: Classes | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Good and valid per objective (rows, in `names` order) and minute, each minute by its version.

    `classified` (from `classes`, for at least the groups that `counts` has rows for) saves
    classifying the groups again.
    """
    minutes = counts.shape[1]
    good = np.zeros((len(names), minutes), dtype=np.int64)
    valid = np.zeros((len(names), minutes), dtype=np.int64)
    seen = counts.shape[0]  # groups first seen later have no rows here
    for version, objectives in classified or classes(versions, stream, groups, names):
        low = max(0, -(-(version.start - first_minute) // US_PER_MINUTE))
        high = minutes if version.end is None else min(minutes, (version.end - first_minute) // US_PER_MINUTE)
        if high <= low:
            continue
        part = counts[:, low:high]
        for row, is_valid, is_good in objectives:
            valid[row, low:high] = part[is_valid[is_valid < seen]].sum(axis=0)
            good[row, low:high] = part[is_good[is_good < seen]].sum(axis=0)
    return good, valid


def nonzero_rows(
    good: npt.NDArray[np.int64], valid: npt.NDArray[np.int64], first_minute: int
) -> tuple[npt.NDArray[np.int64], ...]:
    """The (objective row, minute instant, good, valid) of every minute with a valid event."""
    rows, columns = np.nonzero(valid)
    minute = first_minute + columns.astype(np.int64) * US_PER_MINUTE
    return rows.astype(np.int64), minute, good[rows, columns], valid[rows, columns]
