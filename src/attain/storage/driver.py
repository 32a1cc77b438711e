"""What the fast readers need of a database: a DB-API connection, its parameter marker and how it gives JSON.

The fast reads (`attain.storage.count`, `attain.storage.hour_table`, `attain.storage.version_read`,
`attain.storage.raw_read`, `attain.storage.standing_read`) talk SQL through the driver's cursor, so
the same functions serve `SqlStore` (the connection under a SQLAlchemy engine) and
`attain.storage.reader` (a `sqlite3` connection of its own, opened without importing SQLAlchemy).
Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy import Connection


class Driver(NamedTuple):
    """A DB-API connection, the marker its statements take parameters with (`?` or `%s`), and its JSON.

    `json_text`: JSON columns come back as their text (`sqlite3`), not decoded (psycopg decodes them).
    """

    connection: Any
    mark: str
    json_text: bool = False

    def json(self, value: Any) -> Any:
        """A JSON column's value as SQLAlchemy's `JSON` type gives it: decoded with `json.loads`."""
        return json.loads(value) if self.json_text and value is not None else value


def driver_of(conn: Connection) -> Driver:
    """The DB-API connection under a SQLAlchemy connection, with its marker and JSON decoding."""
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return Driver(conn.connection.dbapi_connection, mark, json_text=sqlite)


def fetch(driver: Driver, query: str, parameters: Sequence[Any]) -> list[Any]:
    """Every row of `query` run with `parameters` on a cursor of its own."""
    cursor = driver.connection.cursor()
    try:
        cursor.execute(query, tuple(parameters))
        return list(cursor.fetchall())
    finally:
        cursor.close()
