"""Open a SQLAlchemy engine on SQLite (the default) or PostgreSQL, configured for safe writes.

SQLite runs in WAL mode with `synchronous=FULL` (a committed batch survives a power cut),
foreign keys on and a busy timeout, set on every new connection. PostgreSQL URLs may name the
psycopg driver or not: `postgresql://` is rewritten to `postgresql+psycopg://`.

Durability is read back, not assumed: every new connection checks that SQLite really is in WAL
mode with `synchronous` FULL or EXTRA (a file system without shared memory refuses WAL quietly),
and that PostgreSQL has `fsync` and `synchronous_commit` on (a server, role or database may turn
them off, and `off` loses the last commits on a crash). A weaker setting raises
`UnsafeDurability` unless the caller allows it, in which case it is logged as a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from attain.errors import UnsafeDurability

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another writer's lock before failing."""

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)
_SQLITE_SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
_SQLITE_DURABLE = {"FULL", "EXTRA"}
_POSTGRES_DURABLE = {"fsync": ("on",), "synchronous_commit": ("on", "remote_write", "remote_apply")}
"""PostgreSQL settings read back on each connection and the values each may have, the one asked for first
(`remote_write` and `remote_apply` wait for more than `on`)."""

_log = logging.getLogger("attain.storage")

Check = Callable[[str, str, str, str], None]
"""Called with (database, setting, found, wanted) when a durability setting is weaker than wanted."""


def connect(url: str | URL, *, unsafe_durability: bool = False, **engine_options: Any) -> Engine:
    """Create an engine for `url`; for a SQLite file, create its directory first.

    Args:
        url: A SQLAlchemy URL such as `sqlite:///data/attain.db` or `postgresql://user@host/db`.
        unsafe_durability: Log a setting that could lose committed writes instead of refusing it.
        **engine_options: Passed to `sqlalchemy.create_engine` (e.g. `connect_args`).

    Returns:
        The engine; connections are opened lazily, and each new one is checked.

    Raises:
        ValueError: the URL names a database other than SQLite or PostgreSQL.
    """
    parsed = normalise_url(url)
    backend = parsed.get_backend_name()
    check = _warn if unsafe_durability else _refuse
    if backend == "sqlite":
        _create_parent(parsed)
        engine = create_engine(parsed, **engine_options)
        in_memory = _in_memory(parsed)
        event.listen(engine, "connect", lambda dbapi, _record: _configure_sqlite(dbapi, check, in_memory=in_memory))
        return engine
    if backend == "postgresql":
        engine_options.setdefault("pool_pre_ping", True)
        engine = create_engine(parsed, **engine_options)
        event.listen(engine, "connect", lambda dbapi, _record: check_postgres(dbapi, check))
        return engine
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


def _in_memory(url: URL) -> bool:
    """Whether a SQLite URL names an in-memory database, which has no journal to keep."""
    database = url.database or ""
    return database in {"", ":memory:"} or url.query.get("mode") == "memory" or "mode=memory" in database


def _refuse(database: str, setting: str, found: str, wanted: str) -> None:
    raise UnsafeDurability(database, setting, found, wanted)


def _warn(database: str, setting: str, found: str, wanted: str) -> None:
    _log.warning(
        "unsafe durability allowed: %s: %s is %r, not %r; a crash may lose committed writes",
        database,
        setting,
        found,
        wanted,
    )


def _configure_sqlite(dbapi_connection: Any, check: Check, *, in_memory: bool) -> None:
    """Set the durability and integrity pragmas on a new SQLite connection, then read them back."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
    if not in_memory:
        check_sqlite(dbapi_connection, check)


def check_sqlite(dbapi_connection: Any, check: Check) -> None:
    """Read back `journal_mode` and `synchronous` of a SQLite connection; `check` any weaker than WAL and FULL."""
    cursor = dbapi_connection.cursor()
    try:
        journal = str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        level = int(cursor.execute("PRAGMA synchronous").fetchone()[0])
    finally:
        cursor.close()
    if journal != "wal":
        check("SQLite", "journal_mode", journal, "wal")
    synchronous = _SQLITE_SYNCHRONOUS.get(level, str(level))
    if synchronous not in _SQLITE_DURABLE:
        check("SQLite", "synchronous", synchronous, "FULL")


def check_postgres(dbapi_connection: Any, check: Check) -> None:
    """Read back `fsync` and `synchronous_commit` of a PostgreSQL connection; `check` any that is off or local."""
    cursor = dbapi_connection.cursor()
    try:
        found = {}
        for setting in _POSTGRES_DURABLE:
            cursor.execute(f"SHOW {setting}")
            found[setting] = str(cursor.fetchone()[0])
    finally:
        cursor.close()
        dbapi_connection.rollback()  # SHOW opened a transaction; the pool hands the connection out clean
    for setting, accepted in _POSTGRES_DURABLE.items():
        if found[setting] not in accepted:
            check("PostgreSQL", setting, found[setting], accepted[0])
