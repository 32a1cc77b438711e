"""Terminations (an agreement ended by an exercised termination right) and the yearly credit cap's record.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-05
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `terminations`; give `credits` the amount before the yearly cap and why it was capped."""
    op.add_column("credits", sa.Column("uncapped", sa.Text(), nullable=True))
    op.add_column("credits", sa.Column("capped", sa.Text(), nullable=True))
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
    """Drop `terminations` and the yearly cap's columns of `credits`."""
    op.drop_table("terminations")
    with op.batch_alter_table("credits") as batch:
        batch.drop_column("capped")
        batch.drop_column("uncapped")
