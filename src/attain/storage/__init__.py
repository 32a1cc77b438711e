"""Persistence on SQLAlchemy: SQLite by default, PostgreSQL in production, migrated by Alembic.

engine = connect(settings.database_url)
upgrade(engine)
store = SqlStore(engine)
"""

from __future__ import annotations

from attain.storage.database import connect, normalise_url
from attain.storage.migrate import current_revision, head_revision, upgrade
from attain.storage.store import SqlStore

__all__ = ["SqlStore", "connect", "current_revision", "head_revision", "normalise_url", "upgrade"]
