"""Stored counts read in bulk at a resolution (minute, hour or day), for many objectives at once.

The fast readers (`attain summary`, the evaluation memo) go through the driver's cursor instead of
SQLAlchemy rows: one indexed range read per chunk of at most `IN_CHUNK` objectives (the primary
key leads with agreement and objective), into int64 arrays. Minutes are stored in hour rows
(`attain.storage.hour_row`): at minute resolution the rows are read the same way and their
arrays decoded and cut to the range in numpy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any

import numpy as np

from attain.storage.driver import Driver
from attain.storage.hour_row import MINUTES, minute_starts
from attain.storage.hour_table import HourCounts, fetch_hour_counts

COUNT_TABLES = {"hour": ("bucket_hours", "hour"), "day": ("bucket_days", "day")}
"""Per resolution: the table and its start column."""
IN_CHUNK = 500
"""Objectives per `IN (...)` list: well under SQLite's and PostgreSQL's parameter limits."""


def count_rows(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
) -> tuple[Any, Any, Any, Any]:
    """Stored counts of `objectives` at `resolution` with `start <= t < end`.

    Returns:
        Four int64 arrays: the index in `objectives`, the start, good and valid.
    """
    if resolution == "minute":
        return _minute_rows(fetch_hour_counts(driver, agreement, objectives, start, end), objectives, start, end)
    _, column = COUNT_TABLES[resolution]
    index = {name: i for i, name in enumerate(objectives)}
    lengths: list[tuple[str, int]] = []
    values: list[tuple[int, int, int]] = []
    for cursor, where, parameters in _count_reads(driver, agreement, objectives, resolution, start, end):
        cursor.execute(f"SELECT {column}, good, valid {where} ORDER BY objective, {column}", parameters)
        found = cursor.fetchall()
        if len(objectives) == 1:  # every row is the one objective's: no second scan to count them
            lengths += [(objectives[0], len(found))] if found else []
        else:
            cursor.execute(f"SELECT objective, COUNT(*) {where} GROUP BY objective ORDER BY objective", parameters)
            lengths += cursor.fetchall()
        values += found
    flat = np.fromiter(chain.from_iterable(values), dtype=np.int64, count=3 * len(values)).reshape(-1, 3)
    owner = np.repeat(
        np.array([index[name] for name, _ in lengths], dtype=np.int64),
        np.array([count for _, count in lengths], dtype=np.int64),
    )
    return owner, flat[:, 0].copy(), flat[:, 1].copy(), flat[:, 2].copy()


def count_sums(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
) -> list[tuple[Any, Any]]:
    """Sums of good and valid per objective over `[start, end)` for each end, in one scan per chunk.

    Returns:
        Per end, two int64 arrays in the order of `objectives` (zero where nothing is stored).
    """
    if resolution == "minute":
        return _minute_sums(fetch_hour_counts(driver, agreement, objectives, start, max(ends)), objectives, start, ends)
    _, column = COUNT_TABLES[resolution]
    index = {name: i for i, name in enumerate(objectives)}
    sums = np.zeros((2 * len(ends), len(objectives)), dtype=np.int64)
    columns = ", ".join(
        f"SUM(CASE WHEN {column} < {int(e)} THEN {field} ELSE 0 END)" for e in ends for field in ("good", "valid")
    )
    for cursor, where, parameters in _count_reads(driver, agreement, objectives, resolution, start, max(ends)):
        cursor.execute(f"SELECT objective, {columns} {where} GROUP BY objective", parameters)
        found = cursor.fetchall()
        if found:
            rows = [index[row[0]] for row in found]
            sums[:, rows] = np.array([row[1:] for row in found], dtype=np.int64).T
    return [(sums[2 * k], sums[2 * k + 1]) for k in range(len(ends))]


def _minute_rows(hours: HourCounts, objectives: Sequence[str], start: int, end: int) -> tuple[Any, Any, Any, Any]:
    """The stored minutes of hour rows in `[start, end)`, as `count_rows` returns them."""
    index = {name: i for i, name in enumerate(objectives)}
    starts = minute_starts(hours.hour)
    keep = hours.present & (starts >= start) & (starts < end)
    owner = np.repeat(np.array([index[o] for o in hours.objective], dtype=np.int64), MINUTES).reshape(-1, MINUTES)
    return owner[keep], starts[keep], hours.good[keep], hours.valid[keep]


def _minute_sums(
    hours: HourCounts, objectives: Sequence[str], start: int, ends: Sequence[int]
) -> list[tuple[Any, Any]]:
    """Per end, the sums of good and valid per objective of the hour rows' minutes in `[start, end)`."""
    index = {name: i for i, name in enumerate(objectives)}
    row = np.array([index[o] for o in hours.objective], dtype=np.int64)
    starts = minute_starts(hours.hour)
    found = []
    for end in ends:
        keep = (starts >= start) & (starts < end)
        good = np.zeros(len(objectives), dtype=np.int64)
        valid = np.zeros(len(objectives), dtype=np.int64)
        np.add.at(good, row, np.where(keep, hours.good, 0).sum(axis=1))
        np.add.at(valid, row, np.where(keep, hours.valid, 0).sum(axis=1))
        found.append((good, valid))
    return found


def _count_reads(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
) -> Iterator[tuple[Any, str, tuple[Any, ...]]]:
    """Per chunk of at most `IN_CHUNK` objectives: a cursor, a `FROM … WHERE` clause, its parameters.

    The clause selects the chunk's counts at `resolution` in `[start, end)`; one driver cursor
    serves every chunk.
    """
    table, column = COUNT_TABLES[resolution]
    mark = driver.mark
    cursor = driver.connection.cursor()
    try:
        for low in range(0, len(objectives), IN_CHUNK):
            chunk = list(objectives[low : low + IN_CHUNK])
            marks = ", ".join([mark] * len(chunk))
            where = (
                f"FROM {table} WHERE agreement = {mark} AND objective IN ({marks}) "
                f"AND {column} >= {mark} AND {column} < {mark}"
            )
            yield cursor, where, (agreement, *chunk, start, end)
    finally:
        cursor.close()
