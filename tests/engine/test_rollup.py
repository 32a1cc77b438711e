"""Totals from day, hour and minute rollups equal the sums of the minutes, for any span."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.rollup import Rows, needed_ranges, prefixes
from attain.engine.summary import Prefixes

MINUTE = 60_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
START = 1_793_577_600_000_000 - 5 * DAY


def _rows(good: np.ndarray, valid: np.ndarray, span: int) -> Rows:
    """Rollups of one objective's minutes (from START) at `span` µs."""
    per = span // MINUTE
    starts = START + np.arange(good.size // per, dtype=np.int64) * span
    g, v = good.reshape(-1, per).sum(axis=1), valid.reshape(-1, per).sum(axis=1)
    return Rows.of(np.zeros(starts.size, dtype=np.int64), starts, g, v)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 5 * 1440), min_size=2, max_size=6), st.integers(0, 2**32))
def test_prefix_totals_equal_minute_sums(cuts: list[int], seed: int) -> None:
    """For random instants, every total between two of them equals the sum over the minutes."""
    rng = np.random.default_rng(seed)
    valid = rng.integers(0, 5, 5 * 1440).astype(np.int64)
    good = (valid - rng.integers(0, 2, valid.size)).clip(0)
    points = sorted({START + c * MINUTE for c in cuts})
    wanted = needed_ranges(points)
    assert all(r != "minute" or high - low < HOUR for r, low, high in wanted)
    rows = {"minute": _rows(good, valid, MINUTE), "hour": _rows(good, valid, HOUR), "day": _rows(good, valid, DAY)}
    days, pieces = rows["day"], {}
    for resolution, low, high in wanted:
        found = rows[resolution]
        inside = [low <= s < high for s in found.start]
        kept = [
            [x for x, keep in zip(column, inside, strict=True) if keep]
            for column in (found.objective, found.start, found.good, found.valid)
        ]
        if resolution == "day":
            days = Rows(*kept)
        else:
            pieces[(resolution, low, high)] = ([sum(kept[2])], [sum(kept[3])])
    g, v = prefixes(1, points, days, pieces)
    totals = Prefixes(points[0], {p: i for i, p in enumerate(points)}, g, v)
    for low, high in itertools.pairwise(points):
        a, b = (low - START) // MINUTE, (high - START) // MINUTE
        assert totals.between(0, low, high) == (int(good[a:b].sum()), int(valid[a:b].sum()))


def test_a_thirty_day_window_on_midnights_reads_no_minutes() -> None:
    """Instants on midnights need day rows only."""
    assert [r for r, _, _ in needed_ranges([START, START + 30 * DAY])] == ["day"]
