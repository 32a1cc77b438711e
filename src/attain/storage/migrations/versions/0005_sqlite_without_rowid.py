"""On SQLite, keep the count tables WITHOUT ROWID: rows stored in their primary key's B-tree.

A table with a composite primary key otherwise keeps two B-trees (the rows by rowid, and the key
index), so every minute written updates both. Measured on this project's benchmark data: about a
fifth less time to upsert 4.3M minute rows and half the file. PostgreSQL is unchanged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
# ruff: noqa: INP001

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("buckets", "bucket_hours", "bucket_days")


def upgrade() -> None:
    """Rebuild the three count tables WITHOUT ROWID on SQLite (rows copied as they are)."""
    _rebuild(with_rowid=False)


def downgrade() -> None:
    """Rebuild them as ordinary rowid tables again."""
    _rebuild(with_rowid=True)


def _rebuild(*, with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}):
            pass
