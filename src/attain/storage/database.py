"""Open a SQLAlchemy engine on SQLite (the default) or PostgreSQL, configured for safe writes.

SQLite runs in WAL mode with `synchronous=FULL` (a committed batch survives a power cut),
foreign keys on and a busy timeout, set on every new connection. PostgreSQL URLs may name the
psycopg driver or not: `postgresql://` is rewritten to `postgresql+psycopg://`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another writer's lock before failing."""

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def connect(url: str | URL, **engine_options: Any) -> Engine:
    """Create an engine for `url`; for a SQLite file, create its directory first.

    Args:
        url: A SQLAlchemy URL such as `sqlite:///data/attain.db` or `postgresql://user@host/db`.
        **engine_options: Passed to `sqlalchemy.create_engine` (e.g. `connect_args`).

    Returns:
        The engine; connections are opened lazily.

    Raises:
        ValueError: the URL names a database other than SQLite or PostgreSQL.
    """
    parsed = normalise_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        _create_parent(parsed)
        engine = create_engine(parsed, **engine_options)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if backend == "postgresql":
        engine_options.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **engine_options)
    raise ValueError(
        f"unsupported database {parsed.render_as_string(hide_password=True)!r}; "
        "use sqlite:///path/to/attain.db or postgresql://user@host/database"
    )


def display_url(url: str | URL) -> str:
    """`url` as it may be printed or logged: any password replaced by `***`."""
    return make_url(url).render_as_string(hide_password=True)


def normalise_url(url: str | URL) -> URL:
    """Parse `url`, choosing the psycopg (version 3) driver for a bare `postgresql://` URL.

    Args:
        url: A SQLAlchemy URL.

    Returns:
        The parsed URL, with `postgresql+psycopg` for PostgreSQL without a driver.
    """
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _create_parent(url: URL) -> None:
    """Create the directory of a SQLite file (nothing for an in-memory database)."""
    database = url.database or ""
    if database in {"", ":memory:"} or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Set the durability and integrity pragmas on a new SQLite connection."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
