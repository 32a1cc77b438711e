"""The credit ledger: one entry per closed period owing a credit, from owed to issued, rejected or expired.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `credits`; entries for past periods appear when `attain credits NAME` first looks."""
    op.create_table(
        "credits",
        sa.Column("agreement", sa.String(200), nullable=False),
        sa.Column("period", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("share", sa.Text(), nullable=False),
        sa.Column("amount", sa.Text(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("owed_at", sa.BigInteger(), nullable=False),
        sa.Column("deadline", sa.BigInteger(), nullable=True),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("claimed_at", sa.BigInteger(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("agreement", "period", name="pk_credits"),
    )


def downgrade() -> None:
    """Drop `credits`."""
    op.drop_table("credits")
