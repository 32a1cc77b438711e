"""Keep each agreement version's validated model as JSON beside its YAML document.

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
    """Add `model` and `model_revision` to `agreement_versions` (empty for the versions stored so far).

    Versions without them are parsed from their YAML, as before; applying the same document
    again fills them in.
    """
    op.add_column("agreement_versions", sa.Column("model", sa.Text(), nullable=True))
    op.add_column("agreement_versions", sa.Column("model_revision", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("agreement_versions") as batch:
        batch.drop_column("model_revision")
        batch.drop_column("model")
