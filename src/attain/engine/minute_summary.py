"""The summary of goals from per-minute counts (`attain summary FILE --data`): prefixes in numpy, then `summary`.

The raw path counts minutes into goals × minutes int64 arrays (`attain.ingestion.tally`); this
module sums them at the few instants a summary needs (`attain.engine.summary.points`) and hands the
prefixes, as Python integers, to `attain.engine.summary.summarize_prefixes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
import numpy.typing as npt

from attain.engine.instant import US_PER_MINUTE
from attain.engine.summary import BURN_WINDOWS, Goal, Prefixes, Summary, points, summarize_prefixes

Counts = npt.NDArray[np.int64]


def summarize(
    goals: Sequence[Goal],
    good: Counts,
    valid: Counts,
    first_minute: int,
    at: int,
    edges: Sequence[int] = (),
    windows: Sequence[timedelta] = BURN_WINDOWS,
) -> list[Summary]:
    """The summary of each goal from its row of per-minute counts (shape: goals × minutes).

    Column `i` counts `[first_minute + i min, first_minute + (i + 1) min)`; `at` must be a minute
    boundary within the columns. `edges` are instants that cut the period into spans (days).
    """
    if good.shape != valid.shape or good.ndim != 2 or good.shape[0] != len(goals):
        raise ValueError(f"need goals × minutes arrays, got {good.shape} and {valid.shape} for {len(goals)} goals")
    if first_minute % US_PER_MINUTE or at % US_PER_MINUTE:
        raise ValueError("first_minute and at must lie on whole minutes")
    end = (at - first_minute) // US_PER_MINUTE
    if not 0 <= end <= good.shape[1]:
        raise ValueError(f"at {at} lies outside the counts, which cover {good.shape[1]} minutes")
    instants = points(first_minute, at, edges, goals, windows)
    columns = [(p - first_minute) // US_PER_MINUTE for p in instants]
    prefix_good, prefix_valid = _prefix_at(good, columns), _prefix_at(valid, columns)
    index = {p: i for i, p in enumerate(instants)}
    prefixes = Prefixes(first_minute, index, prefix_good.tolist(), prefix_valid.tolist())
    return summarize_prefixes(goals, prefixes, at, edges, windows)


def _prefix_at(counts: Counts, columns: list[int]) -> Counts:
    """Sums of each row before each column, by one cumulative sum per segment between columns."""
    out = np.zeros((counts.shape[0], len(columns)), dtype=np.int64)
    previous, running = 0, np.zeros(counts.shape[0], dtype=np.int64)
    for k, column in enumerate(columns):
        running = running + counts[:, previous:column].sum(axis=1)
        out[:, k] = running
        previous = column
    return out
