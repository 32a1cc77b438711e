"""Reviews of an agreement: when held, by whom, the outcome, and the proposal it led to.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `reviews`."""
    op.create_table(
        "reviews",
        sa.Column("agreement", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("proposal", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("agreement", "number", name="pk_reviews"),
    )


def downgrade() -> None:
    """Drop `reviews`."""
    op.drop_table("reviews")
