"""Store minute counts as one row per agreement, objective and hour, its 60 minutes as arrays.

`buckets` held one row per minute: a month of 100 objectives is 4.32 million rows whatever the
number of events, and writing them was most of `attain ingest --buckets-only`. Now a row holds an
hour: `present` (bit i: minute i is stored), `good`, `valid`, `value_count` as blobs of 60
little-endian signed integers of the narrowest width of 1, 2, 4 or 8 bytes (empty when all are
zero), `value_sum` as the JSON list of the 60 decimal texts (NULL when each is "0").
Both directions copy every stored minute exactly, its decimal text included (see
`attain.storage.hour_row`, which this migration does not import so that it stays as written).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
# ruff: noqa: INP001, S608

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

NAME = 200
US_PER_MINUTE = 60_000_000
US_PER_HOUR = 3_600_000_000
CHUNK = 5_000
"""Rows per executemany while copying."""


MINUTE_COLUMNS = "agreement, objective, minute, good, valid, value_count, value_sum"
HOUR_COLUMNS = "agreement, objective, hour, present, good, valid, value_count, value_sum"


def upgrade() -> None:
    """Move the minute rows into hour rows."""
    _rename("buckets", "buckets_minutes")
    _create_hours("buckets")
    minutes = _read(f"SELECT {MINUTE_COLUMNS} FROM buckets_minutes ORDER BY agreement, objective, minute")
    _copy(_hour_rows(minutes), f"INSERT INTO buckets ({HOUR_COLUMNS}) VALUES ({{}})", 8)
    op.drop_table("buckets_minutes")


def downgrade() -> None:
    """Move the hour rows back into minute rows."""
    _rename("buckets", "buckets_by_hour")
    _create_minutes("buckets")
    hours = _read(f"SELECT {HOUR_COLUMNS} FROM buckets_by_hour ORDER BY agreement, objective, hour")
    _copy(_minute_rows(hours), f"INSERT INTO buckets ({MINUTE_COLUMNS}) VALUES ({{}})", 7)
    op.drop_table("buckets_by_hour")


def _rename(old: str, new: str) -> None:
    """Rename a table (and its primary key on PostgreSQL, where constraint names are the schema's)."""
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")


def _create_hours(name: str) -> None:
    op.create_table(
        name,
        sa.Column("agreement", sa.String(NAME), nullable=False),
        sa.Column("objective", sa.String(NAME), nullable=False),
        sa.Column("hour", sa.BigInteger(), nullable=False),
        sa.Column("present", sa.BigInteger(), nullable=False),
        sa.Column("good", sa.LargeBinary(), nullable=False),
        sa.Column("valid", sa.LargeBinary(), nullable=False),
        sa.Column("value_count", sa.LargeBinary(), nullable=False),
        sa.Column("value_sum", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("agreement", "objective", "hour", name=f"pk_{name}"),
        sqlite_with_rowid=False,
    )


def _create_minutes(name: str) -> None:
    op.create_table(
        name,
        sa.Column("agreement", sa.String(NAME), nullable=False),
        sa.Column("objective", sa.String(NAME), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("good", sa.BigInteger(), nullable=False),
        sa.Column("valid", sa.BigInteger(), nullable=False),
        sa.Column("value_count", sa.BigInteger(), nullable=False),
        sa.Column("value_sum", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("agreement", "objective", "minute", name=f"pk_{name}"),
        sqlite_with_rowid=False,
    )


def _read(query: str) -> Iterator[tuple[Any, ...]]:
    """The query's rows, fetched a chunk at a time (a server-side cursor on PostgreSQL)."""
    result = op.get_bind().exec_driver_sql(query, execution_options={"stream_results": True})
    while chunk := result.fetchmany(CHUNK):
        yield from (tuple(row) for row in chunk)


def _copy(rows: Iterator[tuple[Any, ...]], insert: str, width: int) -> None:
    """Insert rows with executemany, `CHUNK` at a time."""
    bind = op.get_bind()
    mark = "?" if bind.dialect.paramstyle == "qmark" else "%s"
    statement = insert.format(", ".join([mark] * width))
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            bind.exec_driver_sql(statement, chunk)
            chunk = []
    if chunk:
        bind.exec_driver_sql(statement, chunk)


def _hour_rows(minutes: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Minute rows (ordered by agreement, objective, minute) as hour rows."""
    key: tuple[str, str, int] | None = None
    row: dict[str, Any] = {}
    for agreement, objective, minute, good, valid, count, total in minutes:
        if minute % US_PER_MINUTE:
            raise ValueError(f"buckets: {agreement!r} {objective!r} minute {minute} is not on a whole minute")
        hour = minute - minute % US_PER_HOUR
        if (agreement, objective, hour) != key:
            if key is not None:
                yield _hour_row(key, row)
            key = (agreement, objective, hour)
            row = {"present": 0, "good": [0] * 60, "valid": [0] * 60, "count": [0] * 60, "sums": ["0"] * 60}
        slot = (minute - hour) // US_PER_MINUTE
        row["present"] |= 1 << slot
        row["good"][slot], row["valid"][slot], row["count"][slot], row["sums"][slot] = good, valid, count, total
    if key is not None:
        yield _hour_row(key, row)


def _hour_row(key: tuple[str, str, int], row: dict[str, Any]) -> tuple[Any, ...]:
    sums = row["sums"]
    text = None if all(s == "0" for s in sums) else json.dumps(sums, separators=(",", ":"))
    return (*key, row["present"], _blob(row["good"]), _blob(row["valid"]), _blob(row["count"]), text)


def _minute_rows(hours: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Hour rows as the minute rows they hold."""
    for agreement, objective, hour, present, good, valid, count, total in hours:
        sums = ["0"] * 60 if total is None else json.loads(total)
        goods, valids, counts = _ints(good), _ints(valid), _ints(count)
        for slot in range(60):
            if present >> slot & 1:
                minute = hour + slot * US_PER_MINUTE
                yield agreement, objective, minute, goods[slot], valids[slot], counts[slot], sums[slot]


def _blob(values: list[int]) -> bytes:
    """60 integers as stored: empty when all are zero, else little-endian in the narrowest of 1, 2, 4, 8 bytes."""
    if not any(values):
        return b""
    size = max(*values, -1 - min(values))
    width = next(w for w in (1, 2, 4, 8) if size < 1 << (8 * w - 1))
    return b"".join(v.to_bytes(width, "little", signed=True) for v in values)


def _ints(blob: Any) -> list[int]:
    """60 integers from their stored blob."""
    data = bytes(blob)
    if not data:
        return [0] * 60
    width = len(data) // 60
    return [int.from_bytes(data[i : i + width], "little", signed=True) for i in range(0, 60 * width, width)]
