"""The stored form of minute counts: one row per agreement, objective and hour, its minutes as arrays.

A row of `buckets` holds the hour's 60 minutes: `present`, a bitmask (bit i: minute i is stored,
so a stored zero-count minute reads back as stored), and `good`, `valid` and `value_count` as 60
little-endian signed integers (zero where no minute is stored) of the narrowest of 1, 2, 4 or 8
bytes that holds them, so the blob's length (60, 120, 240 or 480) says its width, and an empty
blob is 60 zeros (a month of a busy objective stays a few bytes per minute); `value_sum`, the JSON list
of the 60 exact decimal sums as text (`str(Decimal)`, so "2.50" stays "2.50"), NULL when each is
"0". One hour row instead of up to 60 minute rows makes a month of 100 objectives 72,000 rows
instead of 4.32 million.

`Hours` is a set of such rows in memory, decoded into (n, 60) arrays, with the arithmetic the
store needs: built from minute counts, added together exactly, encoded to and decoded from rows.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE
from attain.ports import Bucket, exact_sum
from attain.storage.hour_bytes import MINUTES

BITS = np.left_shift(np.int64(1), np.arange(MINUTES, dtype=np.int64))
"""The bit of each minute in `present`."""
WIDTHS = {1: "<i1", 2: "<i2", 4: "<i4", 8: "<i8"}
"""Bytes per minute of a stored array, and its little-endian signed type."""
LIMITS = ((1, 127), (2, 32_767), (4, 2_147_483_647))
"""Per narrow width, the largest magnitude it holds (its negative bound is one further)."""
ZERO = b""
"""60 zeros, as stored."""
ROW_COLUMNS = ("objective", "hour", "present", "good", "valid", "value_count", "value_sum")
"""The columns of a row after `agreement`, in the order of `Hours.rows` and `Hours.from_rows`."""

Ints = npt.NDArray[np.int64]
Sums = list[Decimal] | None
"""One row's value sums per minute, None when all are zero (and `str` of each is "0")."""


@dataclass
class Hours:
    """Hour rows in memory: row i is `objective[i]` at `hour[i]` (µs of the hour's start), arrays (n, 60)."""

    objective: list[str]
    hour: Ints
    present: npt.NDArray[np.bool_]
    good: Ints
    valid: Ints
    value_count: Ints
    value_sum: list[Sums]

    def __len__(self) -> int:
        """The number of rows."""
        return len(self.objective)

    def keys(self) -> list[tuple[str, int]]:
        """(objective, hour) of each row."""
        return list(zip(self.objective, self.hour.tolist(), strict=True))

    @classmethod
    def empty(cls, keys: Sequence[tuple[str, int]]) -> Hours:
        """Rows of the given keys with nothing stored."""
        n = len(keys)
        zeros = np.zeros((n, MINUTES), dtype=np.int64)
        hour = np.array([h for _, h in keys], dtype=np.int64).reshape(n)
        present = np.zeros((n, MINUTES), dtype=bool)
        return cls([o for o, _ in keys], hour, present, zeros, zeros.copy(), zeros.copy(), [None] * n)

    @classmethod
    def from_counts(cls, objectives: Sequence[str], objective: Ints, minute: Ints, good: Ints, valid: Ints) -> Hours:
        """Rows of count arrays (row i: `objectives[objective[i]]` at `minute[i]`); repeated minutes add up."""
        hour = minute - minute % US_PER_HOUR
        slot = (minute - hour) // US_PER_MINUTE
        low, high = (int(hour.min()), int(hour.max())) if hour.size else (0, 0)
        key = objective * (1 + (high - low) // US_PER_HOUR) + (hour - low) // US_PER_HOUR
        if key.size > 1 and not bool(np.all(key[1:] >= key[:-1])):  # the ingestion hands them over sorted
            order = np.argsort(key, kind="stable")
            objective, hour, slot, key, good, valid = (a[order] for a in (objective, hour, slot, key, good, valid))
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        row = np.cumsum(first) - 1
        names = [objectives[i] for i in objective[first].tolist()]
        rows = cls.empty(list(zip(names, hour[first].tolist(), strict=True)))
        cell = row * MINUTES + slot
        if cell.size < 2 or bool(np.all(cell[1:] > cell[:-1])):  # each minute once (as ingested): assign
            rows.present.reshape(-1)[cell] = True
            rows.good.reshape(-1)[cell] = good
            rows.valid.reshape(-1)[cell] = valid
            return rows
        at = (row, slot)
        rows.present[at] = True
        np.add.at(rows.good, at, good)
        np.add.at(rows.valid, at, valid)
        return rows

    @classmethod
    def from_buckets(cls, buckets: Iterable[Bucket]) -> Hours:
        """Rows of minute buckets (each already on a whole minute; repeated minutes add up, exactly)."""
        listed = list(buckets)
        names = sorted({b.objective for b in listed})
        index = {name: i for i, name in enumerate(names)}
        objective = np.array([index[b.objective] for b in listed], dtype=np.int64)
        minute = np.array([b.minute for b in listed], dtype=np.int64)
        rows = cls.from_counts(
            names,
            objective,
            minute,
            np.array([b.good for b in listed], dtype=np.int64),
            np.array([b.valid for b in listed], dtype=np.int64),
        )
        where = {key: i for i, key in enumerate(rows.keys())}
        for b in listed:
            hour = b.minute - b.minute % US_PER_HOUR
            i, slot = where[b.objective, hour], (b.minute - hour) // US_PER_MINUTE
            rows.value_count[i, slot] += b.value_count
            if b.value_sum.is_zero() and str(b.value_sum) == "0":
                continue
            sums = rows.value_sum[i] or [Decimal(0)] * MINUTES
            sums[slot] = exact_sum(sums[slot], b.value_sum)
            rows.value_sum[i] = sums
        return rows

    @classmethod
    def joined(cls, parts: Sequence[Hours]) -> Hours:
        """The rows of all `parts` as one set: rows of the same key (objective, hour) added together, exactly.

        Rows keep the order in which their key first appears.
        """
        if len(parts) <= 1:
            return parts[0] if parts else cls.empty([])
        present, good, valid, count = (
            np.concatenate([getattr(p, name) for p in parts]) for name in ("present", "good", "valid", "value_count")
        )
        sums = [s for p in parts for s in p.value_sum]
        spans = sorted((int(p.hour.min()), int(p.hour.max())) for p in parts if len(p))
        if all(a[1] < b[0] for a, b in itertools.pairwise(spans)):  # no hour in two parts (batches in time order)
            objective = [o for p in parts for o in p.objective]
            return cls(objective, np.concatenate([p.hour for p in parts]), present, good, valid, count, sums)
        keys = [k for part in parts for k in part.keys()]  # noqa: SIM118 - Hours.keys, not a mapping's
        index: dict[tuple[str, int], int] = {}
        for key in keys:
            index.setdefault(key, len(index))
        joined = cls.empty(list(index))
        rows = np.array([index[k] for k in keys], dtype=np.int64)
        np.logical_or.at(joined.present, rows, present)
        for mine, theirs in ((joined.good, good), (joined.valid, valid), (joined.value_count, count)):
            np.add.at(mine, rows, theirs)
        for row, added in zip(rows.tolist(), sums, strict=True):
            if added is not None:
                mine_sums = joined.value_sum[row] or [Decimal(0)] * MINUTES
                joined.value_sum[row] = [exact_sum(a, b) for a, b in zip(mine_sums, added, strict=True)]
        return joined

    def take(self, order: Sequence[int]) -> Hours:
        """The rows in `order` (indexes into these rows)."""
        at = np.array(order, dtype=np.int64)
        return Hours(
            [self.objective[i] for i in order],
            self.hour[at],
            self.present[at],
            self.good[at],
            self.valid[at],
            self.value_count[at],
            [self.value_sum[i] for i in order],
        )

    def add(self, other: Hours) -> None:
        """Add `other` (rows of the same keys, in the same order) to these rows, exactly."""
        if self.keys() != other.keys():
            raise ValueError("Hours.add: the rows must have the same keys in the same order")
        self.present |= other.present
        self.good += other.good
        self.valid += other.valid
        self.value_count += other.value_count
        for i, theirs in enumerate(other.value_sum):
            if theirs is not None:
                mine = self.value_sum[i] or [Decimal(0)] * MINUTES
                self.value_sum[i] = [exact_sum(a, b) for a, b in zip(mine, theirs, strict=True)]

    def masks(self) -> Ints:
        """The `present` bitmask of each row."""
        masks: Ints = (self.present.astype(np.int64) * BITS).sum(axis=1)
        return masks

    def rows(self, agreement: str) -> list[tuple[Any, ...]]:
        """The rows as stored: (agreement, *ROW_COLUMNS), blobs little-endian."""
        good, valid, count = (encode_ints(a) for a in (self.good, self.valid, self.value_count))
        return [
            (agreement, o, h, m, good[i], valid[i], count[i], encode_sums(sums))
            for i, (o, h, m, sums) in enumerate(
                zip(self.objective, self.hour.tolist(), self.masks().tolist(), self.value_sum, strict=True)
            )
        ]

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]]) -> Hours:
        """Rows read back as (*ROW_COLUMNS), in any order."""
        n = len(rows)
        hour = np.array([r[1] for r in rows], dtype=np.int64).reshape(n)
        mask = np.array([r[2] for r in rows], dtype=np.int64).reshape(n, 1)
        return cls(
            [r[0] for r in rows],
            hour,
            (mask & BITS) != 0,
            decode_ints([r[3] for r in rows]),
            decode_ints([r[4] for r in rows]),
            decode_ints([r[5] for r in rows]),
            [decode_sums(r[6]) for r in rows],
        )

    def buckets(self, start: int, end: int) -> list[Bucket]:
        """The stored minutes in `[start, end)`, by objective and minute as the rows are ordered."""
        found = []
        for i, (objective, hour) in enumerate(self.keys()):
            sums = self.value_sum[i]
            for slot in np.flatnonzero(self.present[i]).tolist():
                minute = hour + slot * US_PER_MINUTE
                if start <= minute < end:
                    found.append(
                        Bucket(
                            objective,
                            minute,
                            int(self.good[i, slot]),
                            int(self.valid[i, slot]),
                            int(self.value_count[i, slot]),
                            Decimal(0) if sums is None else sums[slot],
                        )
                    )
        return found

    def clear_from(self, minute: int) -> None:
        """Forget every stored minute from `minute` on (the rows stay, possibly with nothing stored)."""
        starts = self.hour[:, None] + np.arange(MINUTES, dtype=np.int64) * US_PER_MINUTE
        gone = starts >= minute
        self.present[gone] = False
        for array in (self.good, self.valid, self.value_count):
            array[gone] = 0
        for i, sums in enumerate(self.value_sum):
            if sums is not None:
                kept = [Decimal(0) if g else s for g, s in zip(gone[i].tolist(), sums, strict=True)]
                self.value_sum[i] = kept if any(str(s) != "0" for s in kept) else None


def minute_starts(hour: Ints) -> Ints:
    """The (n, 60) minute starts of rows starting at `hour`."""
    return hour.reshape(-1, 1) + np.arange(MINUTES, dtype=np.int64) * US_PER_MINUTE


def encode_sums(sums: Sums) -> str | None:
    """The stored `value_sum` of one row: JSON text of 60 decimal strings, or None when each is "0"."""
    if sums is None:
        return None
    texts = [str(s) for s in sums]
    return None if all(t == "0" for t in texts) else json.dumps(texts, separators=(",", ":"))


def decode_sums(text: str | None) -> Sums:
    """One row's value sums from their stored text."""
    return None if text is None else [Decimal(t) for t in json.loads(text)]


def encode_ints(values: Ints) -> list[bytes]:
    """Each row of an (n, 60) array as stored.

    Empty when all are zero, else 60 little-endian signed integers of the narrowest width
    (1, 2, 4 or 8 bytes) that holds the row.
    """
    size = np.maximum(values.max(axis=1, initial=0), -1 - values.min(axis=1, initial=0))
    width = np.full(size.shape, 8, dtype=np.int64)
    for bytes_, limit in reversed(LIMITS):
        width[size <= limit] = bytes_
    found = [ZERO] * len(values)
    for bytes_, kind in WIDTHS.items():
        rows = np.flatnonzero((width == bytes_) & values.any(axis=1))
        if rows.size:
            joined, step = values[rows].astype(kind).tobytes(), bytes_ * MINUTES
            for j, i in enumerate(rows.tolist()):
                found[i] = joined[j * step : (j + 1) * step]
    return found


def add_blobs(one: bytes | None, other: bytes | None) -> bytes:
    """The stored form of the sum of two stored arrays (SQLite's `attain_add_ints`)."""
    total = decode_ints([one or ZERO, other or ZERO]).sum(axis=0, keepdims=True)
    return encode_ints(total)[0]


def add_sum_texts(one: str | None, other: str | None) -> str | None:
    """The stored form of the sum of two stored `value_sum`s (SQLite's `attain_add_sums`)."""
    if one is None or other is None:
        return one if other is None else other
    pairs = zip(json.loads(one), json.loads(other), strict=True)
    return encode_sums([exact_sum(Decimal(a), Decimal(b)) for a, b in pairs])


def decode_ints(blobs: Sequence[Any]) -> Ints:
    """(n, 60) int64 arrays from stored blobs (bytes or memoryview), of any widths."""
    found = np.zeros((len(blobs), MINUTES), dtype=np.int64)
    by_width: dict[int, list[int]] = {}
    for i, blob in enumerate(blobs):
        if len(blob):
            by_width.setdefault(len(blob) // MINUTES, []).append(i)
    for width, rows in by_width.items():
        joined = b"".join(bytes(blobs[i]) for i in rows)
        found[rows] = np.frombuffer(joined, dtype=WIDTHS[width]).reshape(len(rows), MINUTES)
    return found
