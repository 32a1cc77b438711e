"""Add exact hourly and daily rollups of the per-minute buckets, filled from the stored minutes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

NAME = 200
_SPANS = (("bucket_hours", "hour", 3_600_000_000), ("bucket_days", "day", 86_400_000_000))


def upgrade() -> None:
    """Create `bucket_hours` and `bucket_days` and sum the stored minutes into them."""
    for table, column, span in _SPANS:
        op.create_table(
            table,
            sa.Column("agreement", sa.String(NAME), nullable=False),
            sa.Column("objective", sa.String(NAME), nullable=False),
            sa.Column(column, sa.BigInteger(), nullable=False),
            sa.Column("good", sa.BigInteger(), nullable=False),
            sa.Column("valid", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("agreement", "objective", column, name=f"pk_{table}"),
        )
        op.execute(
            f"INSERT INTO {table} (agreement, objective, {column}, good, valid) "  # noqa: S608 - constants only
            f"SELECT agreement, objective, minute - (minute % {span}), SUM(good), SUM(valid) FROM buckets "
            f"GROUP BY agreement, objective, minute - (minute % {span})"
        )


def downgrade() -> None:
    """Drop the rollups."""
    op.drop_table("bucket_days")
    op.drop_table("bucket_hours")
