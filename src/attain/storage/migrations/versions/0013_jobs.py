"""The scheduler's jobs (each done once, recorded with its effect) and, for SQLite, its lease.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `jobs` and `scheduler_lease`."""
    op.create_table(
        "jobs",
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("done_at", sa.BigInteger(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("job", "key", name="pk_jobs"),
    )
    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_scheduler_lease"),
    )


def downgrade() -> None:
    """Drop `scheduler_lease` and `jobs`."""
    op.drop_table("scheduler_lease")
    op.drop_table("jobs")
