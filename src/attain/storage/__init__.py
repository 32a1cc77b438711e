"""Persistence on SQLAlchemy: SQLite by default, PostgreSQL in production, migrated by Alembic.

engine = connect(settings.database_url)
upgrade(engine)
store = SqlStore(engine)
outbox = SqlOutbox(store.engine)    # notices waiting for delivery, and what each receiver was told
"""

from __future__ import annotations

from attain.storage.database import connect, normalise_url
from attain.storage.migrate import current_revision, head_revision, upgrade
from attain.storage.outbox import SqlOutbox
from attain.storage.store import SqlStore

__all__ = ["SqlOutbox", "SqlStore", "connect", "current_revision", "head_revision", "normalise_url", "upgrade"]
