"""`SqlStore`: the `attain.ports.Store` contract on a SQLAlchemy engine (SQLite or PostgreSQL).

Every write is one transaction. A SQLite transaction takes the database's write lock at its first
write, so each write method starts with an INSERT (or DELETE): what it reads afterwards cannot
change under it. On PostgreSQL the same first statement takes the row locks that matter.

The store holds the transactions; what happens inside one lives beside its concept: `version`
(agreement versions), `ledger` (exactly once), `batch`, `bucket` and `rollup` (writes),
`raw_read` (raw rows and adjustments read back, through the driver's cursor as `count` and
`version_read`), `measurement` (events grouped), `count` (counts in bulk) and `results`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from attain.engine.measurement import Announcement, CaseEvent, Event, EventTable, Incident
from attain.ports import (
    Adjustment,
    AgreementVersion,
    Applied,
    Batch,
    Bucket,
    CountBatch,
    LedgerEntry,
    StoredResult,
)
from attain.storage import count, measurement, raw_read
from attain.storage.audit import SqlAudit
from attain.storage.batch import write_adjustments, write_batch
from attain.storage.bucket import read_buckets, replace_buckets
from attain.storage.driver import driver_of
from attain.storage.ledger import claim, claim_keys, has_batch, known_keys, ledger_entries
from attain.storage.results import read_results, save_results
from attain.storage.rollup import add_count_batches, add_counts
from attain.storage.standing_read import Ending, Review, read_ending, read_reviews
from attain.storage.version import agreement_versions, apply_version, latest_versions, mark_recounted


class SqlStore:
    """Agreements, measurements, the ingestion ledger and results in a SQL database.

    Args:
        engine: An engine from `attain.storage.connect` on a database migrated with
            `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine the store writes through: proposals, ledgers and the audit trail live beside it."""
        return self._engine

    def apply(
        self,
        name: str,
        document: str,
        effective_from: date,
        status: str,
        now: int,
        model: tuple[str, str] | None = None,
    ) -> Applied:
        """Store a new version of agreement `name`, or return the stored one with the same digest.

        The previous latest version's `effective_until` becomes the day before `effective_from`
        (the effective-date rule, `attain.engine.versions.supersede`).
        `model` is the validated agreement as (revision, JSON), kept beside the document so that
        loading needs no YAML parse; a stored version with the same document gets it when its own
        is missing or of another revision.

        Raises:
            ValueError: the new version would take effect on or before the latest version's date.
        """
        with self._engine.begin() as conn:
            return apply_version(conn, name, document, effective_from, status, now, model)

    def mark_recounted(self, name: str, version: int, now: int) -> None:
        """Record that the minute counts were recounted for `version` of agreement `name`."""
        with self._engine.begin() as conn:
            mark_recounted(conn, name, version, now)

    def agreements(self) -> list[AgreementVersion]:
        """The latest version of every agreement, by name."""
        with self._engine.connect() as conn:
            return latest_versions(conn)

    def versions(self, name: str) -> list[AgreementVersion]:
        """Every version of one agreement, oldest first (empty when unknown)."""
        with self._engine.connect() as conn:
            return agreement_versions(conn, name)

    def has_batch(self, key: str) -> bool:
        """Whether a batch with this key was stored."""
        with self._engine.connect() as conn:
            return has_batch(conn, key)

    def known_batches(self, keys: Sequence[str]) -> set[str]:
        """Which of `keys` were stored: one indexed read per 500 keys."""
        with self._engine.connect() as conn:
            return known_keys(conn, keys)

    def store_batch(self, batch: Batch, now: int) -> bool:
        """Store a whole batch atomically with its ledger entry; False (and nothing written) if known.

        The ledger row goes in first, so a concurrent or retried batch with the same key fails on
        the primary key before it writes anything else; every other row follows in the same
        transaction, so a failure anywhere leaves no trace.
        """
        with self._engine.connect() as conn:
            if not claim(conn, batch, now):
                return False
            write_batch(conn, batch)
            conn.commit()
        return True

    def ledger(self, agreement: str | None = None) -> list[LedgerEntry]:
        """Stored batches, oldest first (batches stored at the same instant by key)."""
        with self._engine.connect() as conn:
            return ledger_entries(conn, agreement)

    def events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Event]:
        """Events of a stream with `start <= at < end`, in time order (then as stored)."""
        with self._engine.connect() as conn:
            return raw_read.read_events(driver_of(conn), stream, start, end, agreement)

    def event_groups(
        self, stream: str, start: int, split: int, end: int, agreement: str | None = None
    ) -> tuple[EventTable, npt.NDArray[np.int64]]:
        """The events of `[start, end)` grouped by value and attributes, before `split` and from it, with counts.

        See `attain.storage.measurement.read_event_groups`: what `attain drivers` reads.
        """
        with self._engine.connect() as conn:
            return measurement.read_event_groups(conn, stream, start, split, end, agreement)

    def incidents(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Incident]:
        """Incidents of a stream that overlap `[start, end)` (open ones included), by start."""
        with self._engine.connect() as conn:
            return raw_read.read_incidents(driver_of(conn), stream, start, end, agreement)

    def case_events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[CaseEvent]:
        """Every event of every case that has an event in `[start, end)`, in time order."""
        with self._engine.connect() as conn:
            return raw_read.read_case_events(driver_of(conn), stream, start, end, agreement)

    def announcements(self, start: int, end: int, agreement: str | None = None) -> list[Announcement]:
        """Announcements overlapping `[start, end)`, by start; only one agreement's when named."""
        with self._engine.connect() as conn:
            return raw_read.read_announcements(driver_of(conn), start, end, agreement)

    def buckets(self, agreement: str, objective: str, start: int, end: int) -> list[Bucket]:
        """Stored per-minute counts of an objective for minutes in `[start, end)`, in order."""
        with self._engine.connect() as conn:
            return read_buckets(conn, agreement, objective, start, end)

    def replace_buckets(self, agreement: str, objective: str, start: int, buckets: Sequence[Bucket]) -> None:
        """Replace an objective's buckets from minute `start` on (after a new version changes it).

        Raises:
            ValueError: a bucket belongs to another objective or lies before `start`.
        """
        with self._engine.begin() as conn:
            replace_buckets(conn, agreement, objective, start, buckets)

    def save_results(self, results: Sequence[StoredResult]) -> None:
        """Store results of closed periods; an identical one is a no-op; all or nothing.

        Raises:
            ResultConflict: a stored result for the same agreement, objective and period differs
                in status, ratio, good or valid.
        """
        with self._engine.begin() as conn:
            save_results(conn, results)

    def results(self, agreement: str, objective: str | None = None) -> list[StoredResult]:
        """Stored results, by objective then period start."""
        with self._engine.connect() as conn:
            return read_results(conn, agreement, objective)

    def store_counts(self, batch: CountBatch, now: int) -> bool:
        """Store a count batch atomically with its ledger entry; False (and nothing written) if known.

        As `store_batch`: the ledger row goes first, the minute counts and their rollups follow in
        the same transaction.
        """
        with self._engine.connect() as conn:
            if not claim(conn, batch, now):
                return False
            add_counts(conn, batch.agreement, batch.objectives, batch.objective, batch.minute, batch.good, batch.valid)
            write_adjustments(conn, batch.adjustments)
            conn.commit()
        return True

    def store_count_batches(self, batches: Sequence[CountBatch], now: int) -> list[bool]:
        """Store count batches in one transaction, each with its ledger entry; per batch, False if it was known.

        The ledger rows go first (`claim_keys`: the known keys are skipped); the new batches'
        counts are then added as one write per agreement (`add_count_batches` adds the hours they
        share first), so a run of batches costs one commit and one upsert of each hour row.
        """
        with self._engine.connect() as conn:
            stored = claim_keys(conn, batches, now)
            chosen = [b for b, new in zip(batches, stored, strict=True) if new]
            for agreement in dict.fromkeys(b.agreement for b in chosen):
                add_count_batches(conn, agreement, [b for b in chosen if b.agreement == agreement])
            write_adjustments(conn, [a for b in chosen for a in b.adjustments])
            conn.commit()
        return stored

    def count_rows(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> tuple[Any, Any, Any, Any]:
        """Stored counts of `objectives` at `resolution` (minute, hour, day) with `start <= t < end`.

        One indexed range read per objective (the primary key leads with agreement and objective),
        through the driver, into int64 arrays: the index in `objectives`, the start, good and valid.
        """
        with self._engine.connect() as conn:
            return count.count_rows(driver_of(conn), agreement, objectives, resolution, start, end)

    def count_sums(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
    ) -> list[tuple[Any, Any]]:
        """Sums of good and valid per objective over `[start, end)` for each end, in one scan per chunk.

        Returns:
            Per end, two int64 arrays in the order of `objectives` (zero where nothing is stored).
        """
        with self._engine.connect() as conn:
            return count.count_sums(driver_of(conn), agreement, objectives, resolution, start, ends)

    def audit_head(self, tenant: str) -> tuple[int, str] | None:
        """The head of a tenant's audit chain (its last position and hash), or None before its first entry."""
        return SqlAudit(self._engine).heads().get(tenant)

    def ending(self, agreement: str) -> Ending | None:
        """The agreement's termination (`attain right exercise`), or None while it runs."""
        with self._engine.connect() as conn:
            return read_ending(driver_of(conn), agreement)

    def reviews(self, agreement: str) -> list[Review]:
        """The reviews held of the agreement, oldest first (`attain review record`)."""
        with self._engine.connect() as conn:
            return read_reviews(driver_of(conn), agreement)

    def adjustments(self, agreement: str) -> list[Adjustment]:
        """Adjustments recorded for an agreement, oldest first."""
        with self._engine.connect() as conn:
            return raw_read.read_adjustments(driver_of(conn), agreement)
