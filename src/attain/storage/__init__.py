"""Persistence on SQLAlchemy: SQLite by default, PostgreSQL in production, migrated by Alembic.

engine = connect(settings.database_url)
upgrade(engine)
store = SqlStore(engine)
outbox = SqlOutbox(store.engine)    # notices waiting for delivery, and what each receiver was told

The names are imported on first use (PEP 562): a command that reads the store (`attain status`)
does not load the outbox, the migrations' module or the other tables' code with the package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attain.storage.database import connect, normalise_url
    from attain.storage.migrate import current_revision, head_revision, upgrade
    from attain.storage.outbox import SqlOutbox
    from attain.storage.store import SqlStore

_HOMES = {
    "connect": "attain.storage.database",
    "normalise_url": "attain.storage.database",
    "current_revision": "attain.storage.migrate",
    "head_revision": "attain.storage.migrate",
    "upgrade": "attain.storage.migrate",
    "SqlOutbox": "attain.storage.outbox",
    "SqlStore": "attain.storage.store",
}
"""Where each re-exported name lives."""

__all__ = ["SqlOutbox", "SqlStore", "connect", "current_revision", "head_revision", "normalise_url", "upgrade"]


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
