"""Add the API's tables: hashed API tokens and stored idempotent responses.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

NAME = 200
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create `tokens` and `idempotency`."""
    op.create_table(
        "tokens",
        sa.Column("id", _ID, nullable=False, autoincrement=True),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("party", sa.String(NAME), nullable=True),
        sa.Column("label", sa.String(NAME), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.UniqueConstraint("digest", name="uq_tokens_digest"),
    )
    op.create_table(
        "idempotency",
        sa.Column("key", sa.String(NAME), nullable=False),
        sa.Column("scope", sa.String(NAME), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_idempotency"),
    )


def downgrade() -> None:
    """Drop the API's tables."""
    op.drop_table("idempotency")
    op.drop_table("tokens")
