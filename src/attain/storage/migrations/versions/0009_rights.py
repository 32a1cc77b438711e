"""Termination rights as a ledger: each right granted, its exercise deadline, and whether it was used.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `rights`; rights granted before appear when `attain rights NAME` first looks."""
    op.create_table(
        "rights",
        sa.Column("agreement", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("objective", sa.String(200), nullable=False),
        sa.Column("granted_at", sa.BigInteger(), nullable=False),
        sa.Column("grants", sa.String(32), nullable=False),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("agreement", "number", name="pk_rights"),
        sa.UniqueConstraint(
            "agreement", "objective", "granted_at", "grants", name="uq_rights_agreement_objective_granted_at_grants"
        ),
    )


def downgrade() -> None:
    """Drop `rights`."""
    op.drop_table("rights")
