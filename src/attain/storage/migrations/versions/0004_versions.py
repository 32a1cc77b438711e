"""Keep each agreement version's validated model as JSON beside its YAML document, and when it was recounted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add `model`, `model_revision` and `recounted_at` to `agreement_versions`.

    Versions stored so far get no model (they are parsed from their YAML, as before; applying the
    same document again fills it in) and count as recounted when stored (the recount used to run
    right after the version was stored).
    """
    op.add_column("agreement_versions", sa.Column("model", sa.Text(), nullable=True))
    op.add_column("agreement_versions", sa.Column("model_revision", sa.String(64), nullable=True))
    op.add_column("agreement_versions", sa.Column("recounted_at", sa.BigInteger(), nullable=True))
    op.execute("UPDATE agreement_versions SET recounted_at = stored_at")


def downgrade() -> None:
    """Drop the three columns."""
    with op.batch_alter_table("agreement_versions") as batch:
        batch.drop_column("recounted_at")
        batch.drop_column("model_revision")
        batch.drop_column("model")
