"""What evaluations on stored data can share while the stored data stays the same.

An agreement's status is evaluated again when the minute turns, though nothing was stored since
the last evaluation. Reading a year of minute counts is most of that work (about 0.4 s for 20
objectives on SQLite); the engine itself needs a tenth of it. `EvaluationMemo` keeps, per
agreement and objective, the minute counts last read and the parsed agreement versions, so that
such an evaluation reads nothing it has already read.

Exactness: an entry is tagged with the data's generation (`SqlAccess.generation`, or any value
that changes whenever data is stored) under which it was read, and served only to a caller that
names the same generation. Rows are read from the range's first minute up to `HORIZON_US` past
the instant asked for, so a later instant of the same generation (the next minutes) finds every
stored row it needs, rows stamped slightly in the future included. Memory is bounded: entries
are dropped oldest first beyond `budget_bytes`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from attain.engine.instant import US_PER_DAY, US_PER_MINUTE
from attain.engine.measurement import MinuteCounts
from attain.ingestion.run import parse_version
from attain.model import Agreement
from attain.ports import AgreementVersion, Store

HORIZON_US = US_PER_DAY
"""How far past the instant asked for the counts are read: a cached entry serves later instants up to there."""
DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024
"""How many bytes of minute counts a memo keeps at most."""
_INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class _Entry:
    generation: Hashable
    first: int
    """The first minute read: the entry serves ranges that start here or later."""
    horizon: int
    """Rows were read up to here (exclusive): the entry serves instants up to here."""
    counts: MinuteCounts
    """Trimmed to the minutes between the first and last stored row (zeros outside)."""

    @property
    def size(self) -> int:
        return int(self.counts.good.nbytes + self.counts.valid.nbytes)


class EvaluationMemo:
    """Parsed agreement versions (by digest) and minute counts (by agreement, objective, generation).

    Safe to share between threads: the maps are guarded by a lock; two threads missing the same
    entry at once both read it (no wrong answer, only a repeated read).
    """

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._lock = threading.Lock()
        self._parsed: dict[str, Agreement] = {}
        self._counts: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def agreement(self, version: AgreementVersion) -> Agreement:
        """A stored version's agreement, parsed once per document (a digest never changes meaning)."""
        with self._lock:
            found = self._parsed.get(version.digest)
        if found is None:
            found = parse_version(version)
            with self._lock:
                self._parsed[version.digest] = found
        return found

    def view(self, generation: Hashable) -> MemoView:
        """The memo as seen by an evaluation of data at `generation`."""
        return MemoView(self, generation)

    @property
    def bytes(self) -> int:
        """Bytes of minute counts kept now."""
        return self._bytes

    def counts(
        self, store: Store, name: str, objective: str, first: int, at: int, generation: Hashable
    ) -> MinuteCounts:
        """The stored minute counts of one objective covering `[first, at)`, read once per generation."""
        key = (name, objective)
        with self._lock:
            entry = self._counts.get(key)
            if entry is not None and entry.generation == generation and entry.first <= first and at <= entry.horizon:
                self._counts.move_to_end(key)
                self.hits += 1
                return entry.counts
            self.misses += 1
        horizon = at + HORIZON_US
        entry = _Entry(generation, first, horizon, read_counts(store, name, objective, first, horizon))
        with self._lock:
            old = self._counts.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            if entry.size <= self.budget_bytes:
                self._counts[key] = entry
                self._bytes += entry.size
            while self._bytes > self.budget_bytes:
                _, dropped = self._counts.popitem(last=False)
                self._bytes -= dropped.size
        return entry.counts


@dataclass(frozen=True)
class MemoView:
    """An `EvaluationMemo` bound to the generation of the data an evaluation reads."""

    memo: EvaluationMemo
    generation: Hashable

    def agreement(self, version: AgreementVersion) -> Agreement:
        """See `EvaluationMemo.agreement`."""
        return self.memo.agreement(version)

    def counts(self, store: Store, name: str, objective: str, first: int, at: int) -> MinuteCounts:
        """See `EvaluationMemo.counts`."""
        return self.memo.counts(store, name, objective, first, at, self.generation)


def read_counts(store: Store, name: str, objective: str, first: int, end: int) -> MinuteCounts:
    """The stored minute counts of one objective over `[first, end)`, as arrays from the first stored minute.

    The arrays start at the first stored minute and stop after the last (the engine reads zeros
    outside them); int32 when every count fits, to halve the memory a memo keeps.
    """
    _, starts, goods, valids = store.count_rows(name, [objective], "minute", first, end)
    starts = np.asarray(starts, dtype=np.int64)
    if starts.size == 0:
        return MinuteCounts(first, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    low = int(starts.min())
    index = (starts - low) // US_PER_MINUTE
    size = int(index.max()) + 1
    goods, valids = np.asarray(goods, dtype=np.int64), np.asarray(valids, dtype=np.int64)
    small = max(int(goods.max()), int(valids.max())) <= _INT32_MAX and min(int(goods.min()), int(valids.min())) >= 0
    good, valid = (_dense(size, index, column, np.int32 if small else np.int64) for column in (goods, valids))
    return MinuteCounts(low, good, valid)


def _dense(size: int, index: Any, values: Any, dtype: type[np.int32 | np.int64]) -> Any:
    """`values` placed at `index` in a read-only array of zeros (shared between evaluations)."""
    found = np.zeros(size, dtype=dtype)
    found[index] = values  # one stored row per minute (the primary key), so plain assignment
    found.flags.writeable = False
    return found
