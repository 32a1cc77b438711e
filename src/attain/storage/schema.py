"""The tables attain stores into, as SQLAlchemy Core metadata (portable to SQLite and PostgreSQL).

Instants are `BigInteger` microseconds since the epoch. Exact decimals are `Text` holding the
canonical `str(Decimal)`: SQLite has no exact decimal type (its NUMERIC keeps 15 significant
digits), and text round-trips any `Decimal` exactly, scale included, on both engines. Attributes
are `JSON`. The migration `0001_initial` creates exactly these tables; a test compares them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names that are the same on every engine, so migrations can name them."""

NAME = 200
"""Maximum length of names and keys (agreement, objective, stream, batch key)."""


class ExactDecimal(TypeDecorator[Decimal]):
    """A `Decimal` stored as its canonical text, so that it reads back identical."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:  # noqa: ARG002
        """Turn a `Decimal` into text; refuse anything else rather than store an inexact value.

        Raises:
            TypeError: the value is not a `Decimal` (a float would already have lost digits).
        """
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"expected a Decimal, got {type(value).__name__} {value!r}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:  # noqa: ARG002
        """Read the text back as a `Decimal`."""
        return None if value is None else Decimal(value)


def _id() -> Column[int]:
    """A surrogate key that autoincrements on both engines (SQLite needs INTEGER for that)."""
    return Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)


def _batch() -> Column[str]:
    """The ledger key of the batch a row came in with."""
    return Column("batch", String(NAME), ForeignKey("ledger.key"), nullable=False)


metadata = MetaData(naming_convention=NAMING_CONVENTION)

agreements = Table(
    "agreements",
    metadata,
    _id(),
    Column("name", String(NAME), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("name"),
)

agreement_versions = Table(
    "agreement_versions",
    metadata,
    _id(),
    Column("agreement_id", BigInteger().with_variant(Integer(), "sqlite"), ForeignKey("agreements.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("document", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("effective_until", Date, nullable=True),
    Column("status", String(32), nullable=False),
    Column("stored_at", BigInteger, nullable=False),
    Column("model", Text, nullable=True),
    Column("model_revision", String(64), nullable=True),
    Column("recounted_at", BigInteger, nullable=True),
    UniqueConstraint("agreement_id", "version"),
    Index(None, "agreement_id", "digest"),
)

ledger = Table(
    "ledger",
    metadata,
    Column("key", String(NAME), nullable=False),
    Column("agreement", String(NAME), nullable=False),
    Column("stream", String(NAME), nullable=False),
    Column("source", Text, nullable=False),
    Column("rows", BigInteger, nullable=False),
    Column("stored_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("key"),
    Index(None, "agreement", "stored_at"),
    Index(None, "stored_at"),
)

events = Table(
    "events",
    metadata,
    _id(),
    _batch(),
    Column("stream", String(NAME), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("value", ExactDecimal, nullable=True),
    Column("attributes", JSON, nullable=False),
    Index(None, "stream", "at"),
    Index(None, "batch"),
)

incidents = Table(
    "incidents",
    metadata,
    _id(),
    _batch(),
    Column("stream", String(NAME), nullable=False),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=True),
    Column("attributes", JSON, nullable=False),
    Index(None, "stream", "start_at"),
    Index(None, "batch"),
)

case_events = Table(
    "case_events",
    metadata,
    _id(),
    _batch(),
    Column("stream", String(NAME), nullable=False),
    Column("case_id", String(NAME), nullable=False),
    Column("type", String(NAME), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("attributes", JSON, nullable=False),
    Index(None, "stream", "at"),
    Index(None, "stream", "case_id"),
    Index(None, "batch"),
)

announcements = Table(
    "announcements",
    metadata,
    _id(),
    _batch(),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("announced_at", BigInteger, nullable=False),
    Column("objectives", JSON, nullable=False),
    Index(None, "start_at"),
    Index(None, "batch"),
)

buckets = Table(
    "buckets",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("objective", String(NAME), nullable=False),
    Column("hour", BigInteger, nullable=False),
    Column("present", BigInteger, nullable=False),
    Column("good", LargeBinary, nullable=False),
    Column("valid", LargeBinary, nullable=False),
    Column("value_count", LargeBinary, nullable=False),
    Column("value_sum", Text, nullable=True),
    PrimaryKeyConstraint("agreement", "objective", "hour"),
    sqlite_with_rowid=False,  # the rows live in the key's B-tree: one tree to write
)
"""Minute counts, one row per agreement, objective and hour: the hour's 60 minutes as arrays.

`present` is a bitmask of the minutes stored (bit i: minute i); `good`, `valid` and `value_count`
are 60 little-endian int64 (zero where no minute is stored); `value_sum` is the JSON list of the
60 exact decimal sums as text, NULL when each is "0". See `attain.storage.hour_row`.
"""

results = Table(
    "results",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("objective", String(NAME), nullable=False),
    Column("period", String(NAME), nullable=False),
    Column("version", Integer, nullable=False),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("status", String(32), nullable=False),
    Column("ratio", ExactDecimal, nullable=True),
    Column("good", ExactDecimal, nullable=True),
    Column("valid", ExactDecimal, nullable=True),
    Column("data", JSON, nullable=False),
    Column("evaluated_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("agreement", "objective", "period", "start_at"),
    Index(None, "agreement", "objective", "start_at"),
)
"""Results of closed periods, one per agreement, objective and period: its label and its start.

The start is in the key because one objective can have two periods with one label: a later
version that moves its window to another zone (Shanghai's day 2027-03-29, then UTC's).
"""

adjustments = Table(
    "adjustments",
    metadata,
    _id(),
    _batch(),
    Column("agreement", String(NAME), nullable=False),
    Column("objective", String(NAME), nullable=False),
    Column("period", String(NAME), nullable=False),
    Column("rows", BigInteger, nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    Index(None, "agreement", "recorded_at"),
    Index(None, "batch"),
)

tokens = Table(
    "tokens",
    metadata,
    _id(),
    Column("prefix", String(32), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("party", String(NAME), nullable=True),
    Column("label", String(NAME), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=True),
    Column("revoked_at", BigInteger, nullable=True),
    UniqueConstraint("digest"),
)

idempotency = Table(
    "idempotency",
    metadata,
    Column("key", String(NAME), nullable=False),
    Column("scope", String(NAME), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("stored_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("scope", "key"),
)

bucket_hours = Table(
    "bucket_hours",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("objective", String(NAME), nullable=False),
    Column("hour", BigInteger, nullable=False),
    Column("good", BigInteger, nullable=False),
    Column("valid", BigInteger, nullable=False),
    PrimaryKeyConstraint("agreement", "objective", "hour"),
    sqlite_with_rowid=False,
)
"""Exact hourly sums of `buckets` (good, valid), kept in the same transaction, so long windows need no minutes."""

bucket_days = Table(
    "bucket_days",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("objective", String(NAME), nullable=False),
    Column("day", BigInteger, nullable=False),
    Column("good", BigInteger, nullable=False),
    Column("valid", BigInteger, nullable=False),
    PrimaryKeyConstraint("agreement", "objective", "day"),
    sqlite_with_rowid=False,
)
"""Exact sums of `buckets` per UTC day (good, valid), kept like `bucket_hours`."""

audit = Table(
    "audit",
    metadata,
    _id(),
    Column("tenant", String(NAME), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("actor", String(NAME), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("before", String(64), nullable=True),
    Column("after", String(64), nullable=True),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("tenant", "position"),
    Index(None, "at"),
)
"""The audit trail, one hash chain per tenant (`attain.storage.audit`); triggers refuse UPDATE and DELETE."""

audit_heads = Table(
    "audit_heads",
    metadata,
    Column("tenant", String(NAME), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    PrimaryKeyConstraint("tenant"),
)
"""Each audit chain's last position and hash; its row is the lock that keeps one tenant's chain in order."""

proposals = Table(
    "proposals",
    metadata,
    _id(),
    Column("agreement", String(NAME), nullable=False),
    Column("number", Integer, nullable=False),
    Column("document", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("side", String(16), nullable=False),
    Column("author", String(NAME), nullable=False),
    Column("note", Text, nullable=False),
    Column("terms", Integer, nullable=False),
    Column("waive_notice", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("proposed_at", BigInteger, nullable=False),
    Column("decided_by", String(NAME), nullable=True),
    Column("decided_side", String(16), nullable=True),
    Column("decided_at", BigInteger, nullable=True),
    Column("reason", Text, nullable=True),
    Column("version", Integer, nullable=True),
    UniqueConstraint("agreement", "number"),
)
"""Proposed versions, kept apart from `agreement_versions` so that none is judged until accepted."""

credit_ledger = Table(
    "credits",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("period", String(NAME), nullable=False),
    Column("version", Integer, nullable=False),
    Column("share", ExactDecimal, nullable=False),
    Column("amount", ExactDecimal, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("objectives", JSON, nullable=False),
    Column("state", String(16), nullable=False),
    Column("owed_at", BigInteger, nullable=False),
    Column("deadline", BigInteger, nullable=True),
    Column("claimed_by", String(NAME), nullable=True),
    Column("claimed_at", BigInteger, nullable=True),
    Column("decided_by", String(NAME), nullable=True),
    Column("decided_at", BigInteger, nullable=True),
    Column("reason", Text, nullable=True),
    Column("reference", Text, nullable=True),
    Column("issued_at", BigInteger, nullable=True),
    Column("uncapped", ExactDecimal, nullable=True),
    Column("capped", Text, nullable=True),
    Column("start_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("agreement", "period", "start_at"),
)
"""The credit ledger: one entry per closed period that owes a credit (its label and start), and where it stands."""

rights = Table(
    "rights",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("number", Integer, nullable=False),
    Column("objective", String(NAME), nullable=False),
    Column("granted_at", BigInteger, nullable=False),
    Column("grants", String(32), nullable=False),
    Column("periods", JSON, nullable=False),
    Column("deadline", BigInteger, nullable=True),
    Column("state", String(16), nullable=False),
    Column("decided_by", String(NAME), nullable=True),
    Column("decided_at", BigInteger, nullable=True),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("agreement", "number"),
    UniqueConstraint("agreement", "objective", "granted_at", "grants"),
)
"""Termination rights granted to the customer, numbered per agreement, and what became of them."""

reviews = Table(
    "reviews",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("number", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("participants", JSON, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("proposal", Integer, nullable=True),
    Column("recorded_by", String(NAME), nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("agreement", "number"),
)
"""Reviews of an agreement held by the parties: when, who, what came of it (and the proposal it led to)."""

exclusion_requests = Table(
    "exclusion_requests",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("objectives", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("side", String(16), nullable=False),
    Column("author", String(NAME), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("decided_by", String(NAME), nullable=True),
    Column("decided_side", String(16), nullable=True),
    Column("decided_at", BigInteger, nullable=True),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("agreement", "number"),
)
"""Requests to exclude time (maintenance, force majeure, an incident not to count), decided by the other party."""

notice_states = Table(
    "notice_states",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("receiver", String(NAME), nullable=False),
    Column("key", String(NAME * 2), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("firing", Boolean, nullable=False),
    Column("since", BigInteger, nullable=False),
    Column("last_sent", BigInteger, nullable=False),
    Column("sequence", Integer, nullable=False),
    PrimaryKeyConstraint("agreement", "receiver", "key"),
)
"""What was last told to each receiver of an agreement about each condition key (`NoticeState`)."""

outbox = Table(
    "outbox",
    metadata,
    _id(),
    Column("agreement", String(NAME), nullable=False),
    Column("dedup_key", String(NAME * 4), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("receiver", String(NAME), nullable=False),
    Column("party", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("claimed_until", BigInteger, nullable=True),
    Column("sent_at", BigInteger, nullable=True),
    Column("last_error", Text, nullable=True),
    UniqueConstraint("dedup_key"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "agreement", "created_at"),
)
"""Messages waiting for delivery, delivered, or dead-lettered: `envelope` is `Envelope.to_dict` as JSON text."""


jobs = Table(
    "jobs",
    metadata,
    Column("job", String(64), nullable=False),
    Column("key", String(NAME), nullable=False),
    Column("done_at", BigInteger, nullable=False),
    Column("detail", JSON, nullable=False),
    PrimaryKeyConstraint("job", "key"),
)
"""What the scheduler did, once each: a row per (job, key), written in the transaction of the job's effect."""

scheduler_lease = Table(
    "scheduler_lease",
    metadata,
    Column("name", String(64), nullable=False),
    Column("holder", String(NAME), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("name"),
)
"""On SQLite, which scheduler process may tick and until when (PostgreSQL holds an advisory lock instead)."""


terminations = Table(
    "terminations",
    metadata,
    Column("agreement", String(NAME), nullable=False),
    Column("right_number", Integer, nullable=False),
    Column("grants", String(32), nullable=False),
    Column("exercised_at", BigInteger, nullable=False),
    Column("ends_at", BigInteger, nullable=False),
    Column("actor", String(NAME), nullable=False),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("agreement"),
)
"""Agreements the customer terminated by exercising a right: which right, when, and the instant it ends."""
