"""SQL over the hour rows of `buckets` (`attain.storage.hour_row`): additive writes under a lock, range reads.

The rows go through the driver's cursor as plain tuples (`executemany`), as the fast readers of
`attain.storage.count` do. SQL cannot add the stored arrays by itself. On SQLite, `add_hours` is
still one additive upsert (`INSERT … ON CONFLICT DO UPDATE`), with two functions registered on the
connection that add stored arrays and decimal lists (`attain.storage.hour_row.add_blobs`,
`add_sum_texts`); the statement runs under SQLite's single writer lock. On PostgreSQL it is a
read-modify-write under row locks: the keys not stored yet are inserted empty (`ON CONFLICT DO
NOTHING`), the keys' rows are read `FOR UPDATE` in key order (so two writers never wait on each
other in a circle), added to in numpy and exact decimals, and written back. Either way two
concurrent ingests add up exactly, as the per-minute `good = good + excluded.good` did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from attain.engine.instant import US_PER_HOUR
from attain.storage.driver import Driver, driver_of
from attain.storage.hour_row import BITS, ZERO, Hours, Ints, add_blobs, add_sum_texts, decode_ints

if TYPE_CHECKING:
    from sqlalchemy import Connection

CHUNK_KEYS = 500
"""Objectives per read (the `IN` list) and keys per PostgreSQL `unnest` read."""
SELECTED = "objective, hour, present, good, valid, value_count, value_sum"
COLUMNS = f"agreement, {SELECTED}"
"""The columns read, in the order `Hours.from_rows` takes."""
COUNTED = "objective, hour, present, good, valid"
"""The columns a count read needs (`HourCounts`)."""


def add_hours(conn: Connection, agreement: str, new: Hours) -> None:
    """Add hour rows to the stored ones of the same agreement, objective and hour, exactly."""
    if not len(new):
        return
    if conn.dialect.name == "postgresql":  # rows locked in key order, so two writers never wait in a circle
        keys = new.keys()
        _add_locked(conn, agreement, new.take(sorted(range(len(keys)), key=keys.__getitem__)))
        return
    raw = conn.connection.dbapi_connection
    raw.create_function("attain_add_ints", 2, add_blobs, deterministic=True)  # type: ignore[union-attr]
    raw.create_function("attain_add_sums", 2, add_sum_texts, deterministic=True)  # type: ignore[union-attr]
    conn.exec_driver_sql(
        f"INSERT INTO buckets ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "  # noqa: S608 - constants only
        "ON CONFLICT (agreement, objective, hour) DO UPDATE SET present = buckets.present | excluded.present, "
        "good = attain_add_ints(buckets.good, excluded.good), valid = attain_add_ints(buckets.valid, excluded.valid), "
        "value_count = attain_add_ints(buckets.value_count, excluded.value_count), "
        "value_sum = attain_add_sums(buckets.value_sum, excluded.value_sum)",
        new.rows(agreement),
    )


def _add_locked(conn: Connection, agreement: str, new: Hours) -> None:
    """PostgreSQL: insert the missing keys empty, lock the keys' rows in order, add, write back."""
    keys = new.keys()
    conn.exec_driver_sql(
        f"INSERT INTO buckets ({COLUMNS}) VALUES (%s, %s, %s, 0, %s, %s, %s, NULL) "  # noqa: S608 - constants only
        "ON CONFLICT (agreement, objective, hour) DO NOTHING",
        [(agreement, o, h, ZERO, ZERO, ZERO) for o, h in keys],
    )
    stored = stored_hours(conn, agreement, keys)
    stored.add(new)
    update_hours(conn, agreement, stored)


def update_hours(conn: Connection, agreement: str, rows: Hours) -> None:
    """Write stored rows back (their keys are stored)."""
    mark = mark_of(conn)
    conn.exec_driver_sql(
        f"UPDATE buckets SET present = {mark}, good = {mark}, valid = {mark}, value_count = {mark}, "  # noqa: S608
        f"value_sum = {mark} WHERE agreement = {mark} AND objective = {mark} AND hour = {mark}",
        [(*row[3:], *row[:3]) for row in rows.rows(agreement)],
    )


def read_hours(conn: Connection, agreement: str, objectives: Sequence[str], start: int, end: int) -> Hours:
    """The stored hour rows of `objectives` that hold minutes of `[start, end)`, by objective and hour."""
    return fetch_hours(driver_of(conn), agreement, objectives, start, end)


def fetch_hours(driver: Driver, agreement: str, objectives: Sequence[str], start: int, end: int) -> Hours:
    """`read_hours` through a driver (`attain.storage.driver`): what the read-only store calls too."""
    return Hours.from_rows(_fetch(driver, SELECTED, agreement, objectives, start, end))


class HourCounts(NamedTuple):
    """Hour rows' counts alone, what count reads need: row i is `objective[i]` at `hour[i]`, arrays (n, 60)."""

    objective: list[str]
    hour: Ints
    present: npt.NDArray[np.bool_]
    good: Ints
    valid: Ints


def fetch_hour_counts(driver: Driver, agreement: str, objectives: Sequence[str], start: int, end: int) -> HourCounts:
    """As `fetch_hours`, counts alone: value counts and sums (no count needs them) are neither read nor decoded."""
    rows = _fetch(driver, COUNTED, agreement, objectives, start, end)
    n = len(rows)
    mask = np.array([r[2] for r in rows], dtype=np.int64).reshape(n, 1)
    return HourCounts(
        [r[0] for r in rows],
        np.array([r[1] for r in rows], dtype=np.int64).reshape(n),
        (mask & BITS) != 0,
        decode_ints([r[3] for r in rows]),
        decode_ints([r[4] for r in rows]),
    )


def _fetch(
    driver: Driver, columns: str, agreement: str, objectives: Sequence[str], start: int, end: int
) -> list[Sequence[Any]]:
    """`columns` of the hour rows of `objectives` that hold minutes of `[start, end)`, by objective and hour."""
    mark = driver.mark
    found: list[Sequence[Any]] = []
    cursor = driver.connection.cursor()
    try:
        for low in range(0, len(objectives), CHUNK_KEYS):
            chunk = list(objectives[low : low + CHUNK_KEYS])
            marks = ", ".join([mark] * len(chunk))
            cursor.execute(
                f"SELECT {columns} FROM buckets WHERE agreement = {mark} AND objective IN ({marks}) "  # noqa: S608
                f"AND hour >= {mark} AND hour < {mark} ORDER BY objective, hour",
                (agreement, *chunk, start - start % US_PER_HOUR, end),
            )
            found += cursor.fetchall()
    finally:
        cursor.close()
    return found


def stored_hours(conn: Connection, agreement: str, keys: Sequence[tuple[str, int]]) -> Hours:
    """The stored rows of `keys` (sorted), in their order, locked for update (those not stored are skipped).

    SQLite reads each chunk's objectives over the keys' span of hours and keeps the keys asked
    for (the transaction already holds the database's write lock); PostgreSQL locks exactly
    the keys, in order.
    """
    mark = mark_of(conn)
    found: list[Sequence[Any]] = []
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for low in range(0, len(keys), CHUNK_KEYS):
            chunk = keys[low : low + CHUNK_KEYS]
            if conn.dialect.name == "postgresql":
                cursor.execute(
                    f"SELECT {SELECTED} FROM buckets WHERE agreement = %s AND (objective, hour) IN "  # noqa: S608
                    "(SELECT * FROM unnest(%s::text[], %s::bigint[])) ORDER BY objective, hour FOR UPDATE",
                    (agreement, [o for o, _ in chunk], [h for _, h in chunk]),
                )
            else:
                names = sorted({o for o, _ in chunk})
                marks = ", ".join([mark] * len(names))
                hours = [h for _, h in chunk]
                cursor.execute(
                    f"SELECT {SELECTED} FROM buckets WHERE agreement = {mark} AND objective IN ({marks}) "  # noqa: S608
                    f"AND hour >= {mark} AND hour <= {mark}",
                    (agreement, *names, min(hours), max(hours)),
                )
            found += cursor.fetchall()
    finally:
        cursor.close()
    where = {(row[0], row[1]): row for row in found}
    return Hours.from_rows([where[key] for key in keys if key in where])


def mark_of(conn: Connection) -> str:
    """The driver's parameter marker."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"
