"""Inserts that the store's writes share: chunked executemany, and `ON CONFLICT` per dialect."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, func, select

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

CHUNK_ROWS = 1_000
"""Rows per executemany; bounds memory and statement size for very large batches."""


def dialect_insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports `ON CONFLICT` on the connection's engine.

    Each dialect's module loads on first use: a command on SQLite never loads PostgreSQL's.
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415

        return insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415

    return sqlite_insert(table)


def insert_chunked(conn: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert `rows` with executemany, `CHUNK_ROWS` at a time."""
    for chunk in chunks(rows):
        conn.execute(table.insert(), chunk)


def chunks(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    """`rows` in lists of at most `CHUNK_ROWS`."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        yield chunk


def next_number(conn: Connection, table: Table, agreement: str) -> int:
    """The next number of `table`'s rows of one agreement (1 for the first): proposals, rights, reviews, requests."""
    last = conn.execute(select(func.coalesce(func.max(table.c.number), 0)).where(table.c.agreement == agreement))
    return int(last.scalar_one()) + 1
