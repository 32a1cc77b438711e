"""Writing into a store migrated to an older revision with today's `SqlStore`, for migration tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from attain.storage import schema


@contextmanager
def audit_tables(engine: Engine) -> Iterator[None]:
    """The audit tables (revision 0006) for the block's writes, dropped after it as if they never were.

    Today's store appends an audit entry with every write; a store at an older revision has no
    table for it. The entries written inside the block are dropped with the tables, so the store
    is left exactly as the older revision's code would have left it.
    """
    tables = [schema.audit, schema.audit_heads]
    schema.metadata.create_all(engine, tables=tables)
    try:
        yield
    finally:
        schema.metadata.drop_all(engine, tables=tables)
