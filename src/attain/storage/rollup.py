"""The hourly and daily rollups (`bucket_hours`, `bucket_days`): always the exact sums of the minutes.

Every write of minute counts adds them to the rollups in the same transaction. `add_counts` is
the bulk form for count arrays (the fast ingestion path): it adds the minutes to their hour rows
(`attain.storage.hour_table`) and upserts the rollups with the driver's `executemany` (SQLite) or
`COPY` (PostgreSQL) and plain tuples, without building a mapping per row. `rebuild_rollups`
recomputes them from the stored minutes (decoded in numpy) after minutes were replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Table, delete

from attain.engine.instant import US_PER_DAY, US_PER_HOUR
from attain.ports import CountBatch
from attain.storage import schema as s
from attain.storage.hour_row import Hours
from attain.storage.hour_table import add_hours, read_hours

ROLLUPS = ((s.bucket_hours, "hour", US_PER_HOUR), (s.bucket_days, "day", US_PER_DAY))
"""The rollup tables: (table, start column, span in µs)."""


def add_rollups(conn: Connection, agreement: str, hours: Hours) -> int:
    """Add the minutes of hour rows to the hourly and daily rollups; the number of rollup rows written."""
    if not len(hours):
        return 0
    names = sorted(set(hours.objective))
    index = {name: i for i, name in enumerate(names)}
    objective = np.array([index[o] for o in hours.objective], dtype=np.int64)
    good, valid = hours.good.sum(axis=1), hours.valid.sum(axis=1)
    written = 0
    for table, column, span in ROLLUPS:
        keys, sums = _grouped(objective, hours.hour - hours.hour % span, good, valid)
        rows = [
            (agreement, names[o], t, g, v)
            for o, t, g, v in zip(keys[0].tolist(), keys[1].tolist(), sums[0].tolist(), sums[1].tolist(), strict=True)
        ]
        written += len(rows)
        _upsert_rows(conn, table, column, rows)
    return written


def add_counts(
    conn: Connection,
    agreement: str,
    objectives: Sequence[str],
    objective: npt.NDArray[np.int64],
    minute: npt.NDArray[np.int64],
    good: npt.NDArray[np.int64],
    valid: npt.NDArray[np.int64],
) -> int:
    """Add counts (row i: `objectives[objective[i]]`, `minute[i]`, good, valid) to minutes and rollups.

    Rows may repeat a minute; the sums are exact integers. Returns the number of rows written
    to all tables (hour rows of minutes, hours, days).
    """
    hours = Hours.from_counts(objectives, objective, minute, good, valid)
    add_hours(conn, agreement, hours)
    return len(hours) + add_rollups(conn, agreement, hours)


def add_count_batches(conn: Connection, agreement: str, batches: Sequence[CountBatch]) -> int:
    """Add the counts of several batches of one agreement to minutes and rollups, as one write.

    Each batch becomes hour rows on its own (in key order, as ingested), and the rows are joined
    with the hours that batches share added together (`Hours.joined`), so an hour row that two
    consecutive batches both reach is upserted once. Returns the rows written, as `add_counts`.
    """
    hours = Hours.joined(
        [Hours.from_counts(b.objectives, *(np.asarray(a, dtype=np.int64) for a in b.counts())) for b in batches]
    )
    add_hours(conn, agreement, hours)
    return len(hours) + add_rollups(conn, agreement, hours)


def _grouped(
    objective: npt.NDArray[np.int64],
    start: npt.NDArray[np.int64],
    good: npt.NDArray[np.int64],
    valid: npt.NDArray[np.int64],
) -> tuple[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Sums of good and valid per distinct (objective, start), sorted."""
    order = np.lexsort((start, objective))
    o, t = objective[order], start[order]
    first = np.ones(o.size, dtype=bool)
    first[1:] = (o[1:] != o[:-1]) | (t[1:] != t[:-1])
    cuts = np.flatnonzero(first)
    return (o[cuts], t[cuts]), (np.add.reduceat(good[order], cuts), np.add.reduceat(valid[order], cuts))


def _upsert_rows(conn: Connection, table: Table, column: str, rows: list[tuple[Any, ...]]) -> None:
    """Additive upsert of (agreement, objective, start, good, valid) tuples through the driver."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_upsert(conn, table, column, rows)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} (agreement, objective, {column}, good, valid) "  # noqa: S608 - names are ours
        f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark}) "
        f"ON CONFLICT (agreement, objective, {column}) DO UPDATE SET "
        f"good = {table.name}.good + excluded.good, valid = {table.name}.valid + excluded.valid"
    )
    for index in range(0, len(rows), 50_000):
        conn.exec_driver_sql(statement, rows[index : index + 50_000])


def _copy_upsert(conn: Connection, table: Table, column: str, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one additive INSERT … SELECT … ON CONFLICT."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS attain_counts "
            "(agreement TEXT, objective TEXT, start_at BIGINT, good BIGINT, valid BIGINT) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE attain_counts")
        with cursor.copy("COPY attain_counts (agreement, objective, start_at, good, valid) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table.name} (agreement, objective, {column}, good, valid) "  # noqa: S608 - names are ours
            f"SELECT agreement, objective, start_at, good, valid FROM attain_counts "
            f"ON CONFLICT (agreement, objective, {column}) DO UPDATE SET "
            f"good = {table.name}.good + excluded.good, valid = {table.name}.valid + excluded.valid"
        )
    finally:
        cursor.close()


def rebuild_rollups(conn: Connection, agreement: str, objective: str, start: int) -> None:
    """Recompute an objective's rollups from its stored minutes, for the hours and days from `start` on."""
    low = start - start % US_PER_DAY
    hours = read_hours(conn, agreement, [objective], low, 2**62)
    for table, column, span in ROLLUPS:
        first = start - start % span
        conn.execute(
            delete(table).where(
                table.c.agreement == agreement, table.c.objective == objective, table.c[column] >= first
            )
        )
        keep = hours.hour >= first
        if not keep.any():
            continue
        (_, starts), (good, valid) = _grouped(
            np.zeros(int(keep.sum()), dtype=np.int64),
            hours.hour[keep] - hours.hour[keep] % span,
            hours.good[keep].sum(axis=1),
            hours.valid[keep].sum(axis=1),
        )
        rows = [
            (agreement, objective, t, g, v)
            for t, g, v in zip(starts.tolist(), good.tolist(), valid.tolist(), strict=True)
        ]
        _upsert_rows(conn, table, column, rows)
