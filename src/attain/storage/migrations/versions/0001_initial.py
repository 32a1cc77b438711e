"""Create attain's whole schema: agreements, ledger, measurements, buckets, results, adjustments.

Revision ID: 0001
Revises:
Create Date: 2026-01-01

Written out column by column (not `metadata.create_all`) so that later changes to
`attain.storage.schema` never change what this revision did.
"""
# ruff: noqa: INP001

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

NAME = 200
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[int]:
    """The autoincrementing surrogate key."""
    return sa.Column("id", _ID, nullable=False, autoincrement=True)


def _batch(table: str) -> list[SchemaItem]:
    """The column naming the batch a row came in with, its foreign key to the ledger."""
    return [
        sa.Column("batch", sa.String(NAME), nullable=False),
        sa.ForeignKeyConstraint(["batch"], ["ledger.key"], name=f"fk_{table}_batch_ledger"),
    ]


def upgrade() -> None:
    """Create every table and index."""
    op.create_table(
        "agreements",
        _id(),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agreements"),
        sa.UniqueConstraint("name", name="uq_agreements_name"),
    )
    op.create_table(
        "agreement_versions",
        _id(),
        sa.Column("agreement_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("stored_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agreement_versions"),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name="fk_agreement_versions_agreement_id_agreements"
        ),
        sa.UniqueConstraint("agreement_id", "version", name="uq_agreement_versions_agreement_id_version"),
    )
    op.create_index("ix_agreement_versions_agreement_id_digest", "agreement_versions", ["agreement_id", "digest"])
    op.create_table(
        "ledger",
        sa.Column("key", sa.String(NAME), nullable=False),
        sa.Column("agreement", sa.String(NAME), nullable=False),
        sa.Column("stream", sa.String(NAME), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("stored_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_ledger"),
    )
    op.create_index("ix_ledger_agreement_stored_at", "ledger", ["agreement", "stored_at"])
    op.create_index("ix_ledger_stored_at", "ledger", ["stored_at"])
    _create_measurements()
    _create_derived()


def _create_measurements() -> None:
    """Create the tables of what sources measured: events, incidents, cases, announcements."""
    op.create_table(
        "events",
        _id(),
        *_batch("events"),
        sa.Column("stream", sa.String(NAME), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_stream_at", "events", ["stream", "at"])
    op.create_index("ix_events_batch", "events", ["batch"])
    op.create_table(
        "incidents",
        _id(),
        *_batch("incidents"),
        sa.Column("stream", sa.String(NAME), nullable=False),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_stream_start_at", "incidents", ["stream", "start_at"])
    op.create_index("ix_incidents_batch", "incidents", ["batch"])
    op.create_table(
        "case_events",
        _id(),
        *_batch("case_events"),
        sa.Column("stream", sa.String(NAME), nullable=False),
        sa.Column("case_id", sa.String(NAME), nullable=False),
        sa.Column("type", sa.String(NAME), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_events"),
    )
    op.create_index("ix_case_events_stream_at", "case_events", ["stream", "at"])
    op.create_index("ix_case_events_stream_case_id", "case_events", ["stream", "case_id"])
    op.create_index("ix_case_events_batch", "case_events", ["batch"])
    op.create_table(
        "announcements",
        _id(),
        *_batch("announcements"),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("announced_at", sa.BigInteger(), nullable=False),
        sa.Column("objectives", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_announcements"),
    )
    op.create_index("ix_announcements_start_at", "announcements", ["start_at"])
    op.create_index("ix_announcements_batch", "announcements", ["batch"])


def _create_derived() -> None:
    """Create the tables computed from measurements: buckets, results, adjustments."""
    op.create_table(
        "buckets",
        sa.Column("agreement", sa.String(NAME), nullable=False),
        sa.Column("objective", sa.String(NAME), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("good", sa.BigInteger(), nullable=False),
        sa.Column("valid", sa.BigInteger(), nullable=False),
        sa.Column("value_count", sa.BigInteger(), nullable=False),
        sa.Column("value_sum", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("agreement", "objective", "minute", name="pk_buckets"),
    )
    op.create_table(
        "results",
        sa.Column("agreement", sa.String(NAME), nullable=False),
        sa.Column("objective", sa.String(NAME), nullable=False),
        sa.Column("period", sa.String(NAME), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.BigInteger(), nullable=False),
        sa.Column("end_at", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("ratio", sa.Text(), nullable=True),
        sa.Column("good", sa.Text(), nullable=True),
        sa.Column("valid", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("evaluated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("agreement", "objective", "period", name="pk_results"),
    )
    op.create_index("ix_results_agreement_objective_start_at", "results", ["agreement", "objective", "start_at"])
    op.create_table(
        "adjustments",
        _id(),
        *_batch("adjustments"),
        sa.Column("agreement", sa.String(NAME), nullable=False),
        sa.Column("objective", sa.String(NAME), nullable=False),
        sa.Column("period", sa.String(NAME), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_adjustments"),
    )
    op.create_index("ix_adjustments_agreement_recorded_at", "adjustments", ["agreement", "recorded_at"])
    op.create_index("ix_adjustments_batch", "adjustments", ["batch"])


def downgrade() -> None:
    """Drop every table, dependants first."""
    for table in (
        "adjustments",
        "results",
        "buckets",
        "announcements",
        "case_events",
        "incidents",
        "events",
        "ledger",
        "agreement_versions",
        "agreements",
    ):
        op.drop_table(table)
