"""Stored counts read in bulk at a resolution (minute, hour or day), for many objectives at once.

The fast readers (`attain summary`, the evaluation memo) go through the driver's cursor instead of
SQLAlchemy rows: one indexed range read per chunk of at most `IN_CHUNK` objectives (the primary
key leads with agreement and objective). Minutes are stored in hour rows (`attain.storage.hour_row`).

Two shapes of the same reads: `count_rows` and `count_sums` give int64 arrays (the store's
`count_rows`/`count_sums`); `row_lists` and `sum_lists` give lists of Python integers and load no
numpy (`attain summary` on the read-only store, `attain.storage.reader`). The SQL is one text for
both. Sums of minutes decode only the hour rows at the range's edges (`attain.storage.hour_bytes`);
rows of minutes, a long read, are decoded in numpy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from attain.engine.instant import US_PER_HOUR, US_PER_MINUTE
from attain.storage.driver import Driver
from attain.storage.hour_bytes import MINUTES, minute_ints

COUNT_TABLES = {"hour": ("bucket_hours", "hour"), "day": ("bucket_days", "day")}
"""Per resolution: the table and its start column."""
READ_TABLES = COUNT_TABLES | {"minute": ("buckets", "hour")}
"""Per resolution: the table read and its start column (minutes are stored in hour rows)."""
IN_CHUNK = 500
"""Objectives per `IN (...)` list: well under SQLite's and PostgreSQL's parameter limits."""

Lists = tuple[list[int], list[int], list[int], list[int]]
"""Rows as four lists: the index in the objectives asked for, the start, good and valid."""


def count_rows(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
) -> tuple[Any, Any, Any, Any]:
    """Stored counts of `objectives` at `resolution` with `start <= t < end`.

    Returns:
        Four int64 arrays: the index in `objectives`, the start, good and valid.
    """
    import numpy as np  # noqa: PLC0415 - `row_lists` readers load no numpy

    if resolution == "minute":
        from attain.storage.hour_table import fetch_hour_counts  # noqa: PLC0415

        return _minute_rows(fetch_hour_counts(driver, agreement, objectives, start, end), objectives, start, end)
    owner, starts, good, valid = row_lists(driver, agreement, objectives, resolution, start, end)
    return tuple(np.array(c, dtype=np.int64) for c in (owner, starts, good, valid))  # type: ignore[return-value]


def row_lists(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
) -> Lists:
    """`count_rows` as lists of Python integers, without numpy.

    Raises:
        KeyError: `resolution` is not hour or day (rows of minutes are `count_rows`'s).
    """
    _, column = COUNT_TABLES[resolution]
    index = {name: i for i, name in enumerate(objectives)}
    owner: list[int] = []
    starts: list[int] = []
    good: list[int] = []
    valid: list[int] = []
    for cursor, where, parameters in _count_reads(driver, agreement, objectives, resolution, start, end):
        cursor.execute(f"SELECT objective, {column}, good, valid {where} ORDER BY objective, {column}", parameters)
        for name, at, g, v in cursor.fetchall():
            owner.append(index[name])
            starts.append(at)
            good.append(g)
            valid.append(v)
    return owner, starts, good, valid


def count_sums(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
) -> list[tuple[Any, Any]]:
    """Sums of good and valid per objective over `[start, end)` for each end, in one scan per chunk.

    Returns:
        Per end, two int64 arrays in the order of `objectives` (zero where nothing is stored).
    """
    import numpy as np  # noqa: PLC0415 - `sum_lists` readers load no numpy

    found = sum_lists(driver, agreement, objectives, resolution, start, ends)
    return [(np.array(g, dtype=np.int64), np.array(v, dtype=np.int64)) for g, v in found]


def sum_lists(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
) -> list[tuple[list[int], list[int]]]:
    """`count_sums` as lists of Python integers, without numpy."""
    if resolution == "minute":
        return _minute_sums(driver, agreement, objectives, start, ends)
    _, column = COUNT_TABLES[resolution]
    index = {name: i for i, name in enumerate(objectives)}
    found = [([0] * len(objectives), [0] * len(objectives)) for _ in ends]
    columns = ", ".join(
        f"SUM(CASE WHEN {column} < {int(e)} THEN {field} ELSE 0 END)" for e in ends for field in ("good", "valid")
    )
    for cursor, where, parameters in _count_reads(driver, agreement, objectives, resolution, start, max(ends)):
        cursor.execute(f"SELECT objective, {columns} {where} GROUP BY objective", parameters)
        for row in cursor.fetchall():
            at = index[row[0]]
            for k, (good, valid) in enumerate(found):
                good[at], valid[at] = int(row[1 + 2 * k]), int(row[2 + 2 * k])
    return found


def _minute_rows(hours: Any, objectives: Sequence[str], start: int, end: int) -> tuple[Any, Any, Any, Any]:
    """The stored minutes of hour rows in `[start, end)`, as `count_rows` returns them."""
    import numpy as np  # noqa: PLC0415

    from attain.storage.hour_row import minute_starts  # noqa: PLC0415

    index = {name: i for i, name in enumerate(objectives)}
    starts = minute_starts(hours.hour)
    keep = hours.present & (starts >= start) & (starts < end)
    owner = np.repeat(np.array([index[o] for o in hours.objective], dtype=np.int64), MINUTES).reshape(-1, MINUTES)
    return owner[keep], starts[keep], hours.good[keep], hours.valid[keep]


def _minute_sums(
    driver: Driver, agreement: str, objectives: Sequence[str], start: int, ends: Sequence[int]
) -> list[tuple[list[int], list[int]]]:
    """Per end, the sums of good and valid per objective of the stored minutes in `[start, end)`.

    Reads the hour rows holding those minutes (a summary asks for part-hours at its windows' edges)
    and decodes their arrays in Python.
    """
    index = {name: i for i, name in enumerate(objectives)}
    found = [([0] * len(objectives), [0] * len(objectives)) for _ in ends]
    first_hour = start - start % US_PER_HOUR
    for cursor, where, parameters in _count_reads(driver, agreement, objectives, "minute", first_hour, max(ends)):
        cursor.execute(f"SELECT objective, hour, good, valid {where}", parameters)
        for name, hour, good_blob, valid_blob in cursor.fetchall():
            at = index[name]
            goods, valids = minute_ints(good_blob), minute_ints(valid_blob)
            first = _slot(hour, start)
            for (good, valid), end in zip(found, ends, strict=True):
                high = _slot(hour, end)
                if first < high:
                    good[at] += sum(goods[first:high])
                    valid[at] += sum(valids[first:high])
    return found


def _slot(hour: int, instant: int) -> int:
    """The first minute of the hour row starting at `hour` that begins at or after `instant`, in 0 … 60."""
    return min(MINUTES, max(0, -((hour - instant) // US_PER_MINUTE)))


def _count_reads(
    driver: Driver, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
) -> Iterator[tuple[Any, str, tuple[Any, ...]]]:
    """Per chunk of at most `IN_CHUNK` objectives: a cursor, a `FROM … WHERE` clause, its parameters.

    The clause selects the chunk's counts at `resolution` in `[start, end)` (for minutes: the hour
    rows starting there); one driver cursor serves every chunk.
    """
    table, column = READ_TABLES[resolution]
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
