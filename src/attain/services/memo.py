"""What evaluations on stored data can share while the stored data stays the same.

An agreement's status is evaluated again when the minute turns, though nothing was stored since
the last evaluation. Reading a year of minute counts is most of that work (about 0.4 s for 20
objectives on SQLite); the engine itself needs a tenth of it. `EvaluationMemo` keeps, per
agreement and objective, the minute counts last read and the parsed agreement versions, so that
such an evaluation reads nothing it has already read.

Exactness: an entry is tagged with the data's generation (`SqlAccess.generation`, or any value
that changes whenever data is stored) under which it was read, and served as it is only to a
caller that names the same generation. Rows are read over whole UTC days, from the day of the
range's first minute to the day after `HORIZON_US` past the instant asked for, so a later instant
of the same generation (the next minutes) finds every stored row it needs, rows stamped slightly
in the future included.

After new data (another generation) an entry is brought up to date instead of read again: the
store keeps exact day sums of the minutes (`bucket_days`), and minute counts only ever grow
while the agreement's versions and their recounts stay the same (a new version's recount is the
one writer that replaces minutes, and it changes the versions' key). A day whose stored good and
valid sums equal the entry's holds the same minutes (any added count raises that day's valid
sum), so only the days whose sums differ are read again. Memory is bounded: entries are dropped
oldest first beyond `budget_bytes`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from attain.engine.instant import US_PER_DAY, US_PER_MINUTE
from attain.engine.measurement import MinuteCounts
from attain.lifecycle.versions import parse_version
from attain.model import Agreement
from attain.ports import AgreementVersion, StatusStore
from attain.services.measurements import CountsReader, compact_counts, read_counts

HORIZON_US = US_PER_DAY
"""How far past the instant asked for the counts are read: a cached entry serves later instants up to there."""
DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024
"""How many bytes of minute counts a memo keeps at most."""
MINUTES_PER_DAY = US_PER_DAY // US_PER_MINUTE


@dataclass(frozen=True)
class _Entry:
    generation: Hashable
    versions: Hashable
    """The agreement's versions and recounts when read (`versions_key`): patched only while the same."""
    first: int
    """The first minute read, a UTC midnight: the entry serves ranges that start here or later."""
    horizon: int
    """Rows were read up to here (exclusive), a UTC midnight: the entry serves instants up to here."""
    counts: MinuteCounts
    """Trimmed to the minutes between the first and last stored row (zeros outside)."""
    day_good: Any
    """Sums of `counts` per UTC day from `first` (int64), compared with the stored day sums."""
    day_valid: Any

    @property
    def size(self) -> int:
        return int(self.counts.good.nbytes + self.counts.valid.nbytes + self.day_good.nbytes + self.day_valid.nbytes)

    def serves(self, first: int, at: int) -> bool:
        return self.first <= first and at <= self.horizon


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
        """Counts served as kept (same generation)."""
        self.misses = 0
        """Counts read whole."""
        self.patches = 0
        """Counts brought up to date by reading only the days that changed."""

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
        self,
        store: StatusStore,
        name: str,
        objective: str,
        first: int,
        at: int,
        generation: Hashable,
        versions: Hashable,
    ) -> MinuteCounts:
        """The stored minute counts of one objective covering `[first, at)`, read once per generation.

        `versions` is the agreement's `versions_key` now: an entry read under other versions (or
        before a recount finished) is read again whole, never patched.
        """
        key = (name, objective)
        with self._lock:
            entry = self._counts.get(key)
            if entry is not None and entry.generation == generation and entry.serves(first, at):
                self._counts.move_to_end(key)
                self.hits += 1
                return entry.counts
        if entry is not None and entry.versions == versions and entry.serves(first, at):
            fresh = _patched(store, name, objective, entry, generation)
            with self._lock:
                self.patches += 1
        else:
            low = first - first % US_PER_DAY
            # An agreement not yet in force asks from a `first` after `at`: an empty span, not a negative one.
            high = max(low, -(-(at + HORIZON_US) // US_PER_DAY) * US_PER_DAY)
            fresh = _entry(generation, versions, low, high, read_counts(store, name, objective, low, high))
            with self._lock:
                self.misses += 1
        self._keep(key, fresh)
        return fresh.counts

    def _keep(self, key: tuple[str, str], entry: _Entry) -> None:
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


@dataclass(frozen=True)
class MemoView:
    """An `EvaluationMemo` bound to the generation of the data an evaluation reads."""

    memo: EvaluationMemo
    generation: Hashable

    def agreement(self, version: AgreementVersion) -> Agreement:
        """See `EvaluationMemo.agreement`."""
        return self.memo.agreement(version)

    def reader(self, versions: Sequence[AgreementVersion]) -> CountsReader:
        """A reader of minute counts through the memo, for an agreement whose stored versions are `versions`."""
        key = versions_key(versions)

        def read(store: StatusStore, name: str, objective: str, first: int, at: int) -> MinuteCounts:
            return self.memo.counts(store, name, objective, first, at, self.generation, key)

        return read


def versions_key(versions: Sequence[AgreementVersion]) -> tuple[tuple[str, int | None], ...]:
    """What must stay the same for kept counts to be patched: each version's digest and recount."""
    return tuple((v.digest, v.recounted_at) for v in versions)


def _entry(generation: Hashable, versions: Hashable, first: int, horizon: int, counts: MinuteCounts) -> _Entry:
    good, valid = _day_sums(counts, first, horizon)
    return _Entry(generation, versions, first, horizon, counts, good, valid)


def _day_sums(counts: MinuteCounts, first: int, horizon: int) -> tuple[Any, Any]:
    """Sums of the counts per UTC day over `[first, horizon)` (both midnights), int64."""
    days = (horizon - first) // US_PER_DAY
    sums = []
    for column in (counts.good, counts.valid):
        dense = np.zeros(days * MINUTES_PER_DAY, dtype=np.int64)
        offset = (counts.first_minute - first) // US_PER_MINUTE
        dense[offset : offset + column.size] = column
        sums.append(dense.reshape(days, MINUTES_PER_DAY).sum(axis=1))
    return sums[0], sums[1]


def _patched(store: StatusStore, name: str, objective: str, entry: _Entry, generation: Hashable) -> _Entry:
    """The entry brought up to `generation`: the days whose stored day sums differ are read again."""
    days = (entry.horizon - entry.first) // US_PER_DAY
    _, starts, goods, valids = store.count_rows(name, [objective], "day", entry.first, entry.horizon)
    index = (np.asarray(starts, dtype=np.int64) - entry.first) // US_PER_DAY
    good, valid = np.zeros(days, dtype=np.int64), np.zeros(days, dtype=np.int64)
    good[index], valid[index] = goods, valids
    changed = np.flatnonzero((good != entry.day_good) | (valid != entry.day_valid))
    if changed.size == 0:
        return _Entry(generation, entry.versions, entry.first, entry.horizon, entry.counts, good, valid)
    low = entry.first + int(changed[0]) * US_PER_DAY
    high = entry.first + (int(changed[-1]) + 1) * US_PER_DAY
    counts = _merged(entry.counts, read_counts(store, name, objective, low, high), low, high)
    return _entry(generation, entry.versions, entry.first, entry.horizon, counts)


def _merged(kept: MinuteCounts, fresh: MinuteCounts, low: int, high: int) -> MinuteCounts:
    """`kept` with the minutes of `[low, high)` replaced by `fresh`'s."""
    spans = [(c.first_minute, c.first_minute + c.good.size * US_PER_MINUTE) for c in (kept, fresh) if c.good.size]
    if not spans:
        return fresh
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    merged = []
    for old, new in ((kept.good, fresh.good), (kept.valid, fresh.valid)):
        dense = np.zeros((end - start) // US_PER_MINUTE, dtype=np.int64)
        at = (kept.first_minute - start) // US_PER_MINUTE
        dense[at : at + old.size] = old
        dense[max(0, (low - start) // US_PER_MINUTE) : max(0, (high - start) // US_PER_MINUTE)] = 0
        at = (fresh.first_minute - start) // US_PER_MINUTE
        dense[at : at + new.size] = new
        merged.append(dense)
    return compact_counts(start, merged[0], merged[1])
