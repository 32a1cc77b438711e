"""What the fast readers need of a database: a DB-API connection and its parameter marker.

The fast reads (`attain.storage.count`, `attain.storage.hour_table`, `attain.storage.version_read`)
talk SQL through the driver's cursor, so the same functions serve `SqlStore` (the connection under
a SQLAlchemy engine) and `attain.storage.reader` (a `sqlite3` connection of its own, opened
without importing SQLAlchemy). Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy import Connection


class Driver(NamedTuple):
    """A DB-API connection and the marker its statements take parameters with (`?` or `%s`)."""

    connection: Any
    mark: str


def driver_of(conn: Connection) -> Driver:
    """The DB-API connection under a SQLAlchemy connection, with its marker."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return Driver(conn.connection.dbapi_connection, mark)
