"""Terminations: an agreement ended by the customer exercising a termination right.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-05
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `terminations`."""
    op.create_table(
        "terminations",
        sa.Column("agreement", sa.String(200), nullable=False),
        sa.Column("right_number", sa.Integer(), nullable=False),
        sa.Column("grants", sa.String(32), nullable=False),
        sa.Column("exercised_at", sa.BigInteger(), nullable=False),
        sa.Column("ends_at", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("agreement", name="pk_terminations"),
    )


def downgrade() -> None:
    """Drop `terminations`."""
    op.drop_table("terminations")
