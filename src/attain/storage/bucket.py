"""Minute buckets in the store: exact, additive upserts of counts and value sums.

The minutes are stored in hour rows (`attain.storage.hour_row`), written and read by
`attain.storage.hour_table`; this module keeps the per-minute contract of `Store`. Every write of
minute buckets also adds them to the hourly and daily rollups (`attain.storage.rollup`) in the same
transaction; replacing an objective's minutes from a minute on rebuilds its rollups from there.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from attain.engine.instant import US_PER_HOUR
from attain.ports import Bucket, merge_buckets
from attain.storage.hour_row import Hours
from attain.storage.hour_table import add_hours, mark_of, read_hours, stored_hours, update_hours
from attain.storage.rollup import add_rollups, rebuild_rollups


def write_buckets(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Insert buckets where none are stored (duplicates in `buckets` are added together)."""
    upsert_buckets(conn, agreement, buckets)


def upsert_buckets(conn: Connection, agreement: str, buckets: Sequence[Bucket]) -> None:
    """Add `buckets` to the stored counts of the same agreement, objective and minute.

    Raises:
        ValueError: a bucket's minute is not on a whole minute (nothing written).
    """
    merged = merge_buckets(buckets)
    if not merged:
        return
    hours = Hours.from_buckets(merged.values())
    add_hours(conn, agreement, hours)
    add_rollups(conn, agreement, hours)


def read_buckets(conn: Connection, agreement: str, objective: str, start: int, end: int) -> list[Bucket]:
    """Stored per-minute counts of an objective for minutes in `[start, end)`, in order."""
    return read_hours(conn, agreement, [objective], start, end).buckets(start, end)


def replace_buckets(conn: Connection, agreement: str, objective: str, start: int, buckets: Sequence[Bucket]) -> None:
    """Replace an objective's buckets from minute `start` on, and its rollups from there.

    Raises:
        ValueError: a bucket belongs to another objective or lies before `start` (nothing written).
    """
    for b in buckets:
        if b.objective != objective or b.minute < start:
            raise ValueError(
                f"replace_buckets({agreement!r}, {objective!r}, {start}): got a bucket of objective "
                f"{b.objective!r} at minute {b.minute}; pass only this objective's buckets from start on"
            )
    merged = merge_buckets(buckets)
    hour = start - start % US_PER_HOUR
    mark = mark_of(conn)
    where = f"WHERE agreement = {mark} AND objective = {mark} AND hour "
    first = hour + US_PER_HOUR if start > hour else hour
    conn.exec_driver_sql(f"DELETE FROM buckets {where}>= {mark}", (agreement, objective, first))  # noqa: S608
    if start > hour:  # the hour of `start` keeps its minutes before `start`
        kept = stored_hours(conn, agreement, [(objective, hour)])
        kept.clear_from(start)
        if len(kept) and kept.present.any():
            update_hours(conn, agreement, kept)
        else:
            conn.exec_driver_sql(f"DELETE FROM buckets {where}= {mark}", (agreement, objective, hour))  # noqa: S608
    add_hours(conn, agreement, Hours.from_buckets(merged.values()))
    rebuild_rollups(conn, agreement, objective, start)
