"""Alembic's entry point for attain: runs migrations on the connection `attain.storage.migrate` passes.

`attain.storage.migrate.upgrade` puts an open connection into `config.attributes["connection"]`;
when Alembic's own command line runs this file instead, the URL comes from `sqlalchemy.url` or
`ATTAIN_DATABASE_URL` (read here, at migration time, never at import of the package).
"""
# ruff: noqa: INP001

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from attain.storage.database import connect
from attain.storage.schema import metadata


def _run(connection: Connection) -> None:
    """Run the pending migrations on one connection, in one transaction."""
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    """Migrate the connection given by the caller, or one opened from the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or os.environ["ATTAIN_DATABASE_URL"]
    engine = connect(url)
    try:
        with engine.connect() as opened:
            _run(opened)
            opened.commit()
    finally:
        engine.dispose()


_main()
