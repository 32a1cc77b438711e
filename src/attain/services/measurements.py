"""Reading what the engine needs from the store: minute counts for event objectives, raw rows for the rest.

The bottom of a stored evaluation (`attain.services.store.evaluate_stored`) and of a stored
report (`attain.services.documents`): it reads through the `Store` port only. Minute counts are
read through a `CountsReader`, `read_counts` by default or an `attain.services.memo` view that
reuses counts already read for the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from attain.engine.classify import minute_floor
from attain.engine.instant import US_PER_DAY, US_PER_MINUTE
from attain.engine.measurement import EventTable, Measurements, MinuteCounts
from attain.model import Agreement, FreshnessIndicator, StatisticIndicator, stream_name
from attain.ports import CountReader, StatusStore

LOOKBACK_US = 92 * US_PER_DAY
"""How far before the range raw events, incidents and cases are read: a freshness objective's last
backup before the range, a ticket opened before it."""
_INT32_MAX = 2**31 - 1

CountsReader = Callable[[StatusStore, str, str, int, int], MinuteCounts]
"""Reads `(store, agreement, objective, first, at)` → the objective's minute counts covering `[first, at)`."""


def read_counts(store: CountReader, name: str, objective: str, first: int, end: int) -> MinuteCounts:
    """The stored minute counts of one objective over `[first, end)`, compacted (see `compact_counts`)."""
    _, starts, goods, valids = store.count_rows(name, [objective], "minute", first, end)
    starts = np.asarray(starts, dtype=np.int64)
    if starts.size == 0:
        return MinuteCounts(first, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    low = int(starts.min())
    index = (starts - low) // US_PER_MINUTE
    dense = []
    for values in (goods, valids):
        column = np.zeros(int(index.max()) + 1, dtype=np.int64)
        column[index] = values  # one stored row per minute (the primary key), so plain assignment
        dense.append(column)
    return compact_counts(low, dense[0], dense[1])


def compact_counts(start: int, good: Any, valid: Any) -> MinuteCounts:
    """Dense int64 counts from minute `start`, trimmed to the minutes with valid events.

    The engine reads zeros outside the arrays. int32 when every count fits, to halve the memory a
    memo keeps; read-only, since evaluations share them.
    """
    seen = np.flatnonzero(valid)
    if seen.size == 0:
        return MinuteCounts(start, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    a, b = int(seen[0]), int(seen[-1]) + 1
    small = int(valid.max()) <= _INT32_MAX  # 0 <= good <= valid
    trimmed = []
    for column in (good, valid):
        part = column[a:b].astype(np.int32 if small else np.int64)
        part.flags.writeable = False
        trimmed.append(part)
    return MinuteCounts(start + a * US_PER_MINUTE, trimmed[0], trimmed[1])


def stored_measurements(
    store: StatusStore,
    name: str,
    agreements: Sequence[Agreement],
    since: int,
    at: int,
    reader: CountsReader = read_counts,
) -> Measurements:
    """What the engine needs from the store: counts for event objectives (through `reader`), raw rows for the rest."""
    objectives = {o.name: o for a in agreements for o in a.objectives}
    events, counts, incidents, cases = {}, {}, {}, {}
    first = minute_floor(since)
    for objective in objectives.values():
        stream, kind = stream_name(objective), objective.indicator.rows
        if kind == "incidents":
            incidents[stream] = store.incidents(stream, since - LOOKBACK_US, at, name)
        elif kind == "cases":
            cases[stream] = store.case_events(stream, since - LOOKBACK_US, at, name)
        elif isinstance(objective.indicator, StatisticIndicator | FreshnessIndicator):
            events[stream] = EventTable.from_events(store.events(stream, since - LOOKBACK_US, at, name))
        else:
            counts[objective.name] = reader(store, name, objective.name, first, at)
    announcements = store.announcements(since - LOOKBACK_US, at, name)
    return Measurements(events=events, incidents=incidents, cases=cases, announcements=announcements, counts=counts)
