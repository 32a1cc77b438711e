"""`SqlStore`: the `attain.ports.Store` contract on a SQLAlchemy engine (SQLite or PostgreSQL).

Every write is one transaction. A SQLite transaction takes the database's write lock at its first
write, so each write method starts with an INSERT (or DELETE): what it reads afterwards cannot
change under it. On PostgreSQL the same first statement takes the row locks that matter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Row, Select, Table, func, select, update
from sqlalchemy.exc import IntegrityError

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.engine.versions import supersede
from attain.model import ExclusionKind
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
from attain.storage import schema as s
from attain.storage.results import save_results, stored_result
from attain.storage.writing import (
    add_counts,
    dialect_insert,
    rebuild_rollups,
    write_adjustments,
    write_batch,
    write_buckets,
)

_VERSION_COLUMNS = (
    s.agreement_versions.c.version,
    s.agreement_versions.c.document,
    s.agreement_versions.c.digest,
    s.agreement_versions.c.effective_from,
    s.agreement_versions.c.effective_until,
    s.agreement_versions.c.status,
    s.agreement_versions.c.stored_at,
    s.agreement_versions.c.model,
    s.agreement_versions.c.model_revision,
    s.agreement_versions.c.recounted_at,
)


class SqlStore:
    """Agreements, measurements, the ingestion ledger and results in a SQL database.

    Args:
        engine: An engine from `attain.storage.connect` on a database migrated with
            `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

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
        digest = hashlib.sha256(document.encode()).hexdigest()
        v = s.agreement_versions
        with self._engine.begin() as conn:
            agreement_id = _lock_agreement(conn, name, now)
            stored = conn.execute(
                select(*_VERSION_COLUMNS).where(v.c.agreement_id == agreement_id).order_by(v.c.version)
            )
            rows = stored.all()
            same = next((row for row in rows if row.digest == digest), None)
            if same is not None:
                if model is not None and same.model_revision != model[0]:
                    conn.execute(
                        update(v)
                        .where(v.c.agreement_id == agreement_id, v.c.version == same.version)
                        .values(model_revision=model[0], model=model[1])
                    )
                    refreshed = replace(_version(name, same), model_revision=model[0], model=model[1])
                    return Applied(refreshed, created=False)
                return Applied(_version(name, same), created=False)
            latest = rows[-1] if rows else None
            if latest is not None:
                until = supersede(name, latest.version, latest.effective_from, effective_from)
                conn.execute(
                    update(v)
                    .where(v.c.agreement_id == agreement_id, v.c.version == latest.version)
                    .values(effective_until=until)
                )
            revision, text = model if model is not None else (None, None)
            number = 1 if latest is None else latest.version + 1
            recounted = now if number == 1 else None  # a first version has nothing stored to recount
            created = AgreementVersion(
                name, number, document, digest, effective_from, None, status, now, text, revision, recounted
            )
            conn.execute(
                v.insert().values(
                    agreement_id=agreement_id,
                    version=created.version,
                    document=document,
                    digest=digest,
                    effective_from=effective_from,
                    effective_until=None,
                    status=status,
                    stored_at=now,
                    model=text,
                    model_revision=revision,
                    recounted_at=recounted,
                )
            )
        return Applied(created, created=True)

    def mark_recounted(self, name: str, version: int, now: int) -> None:
        """Record that the minute counts were recounted for `version` of agreement `name`."""
        a, v = s.agreements, s.agreement_versions
        owner = select(a.c.id).where(a.c.name == name).scalar_subquery()
        with self._engine.begin() as conn:
            conn.execute(update(v).where(v.c.agreement_id == owner, v.c.version == version).values(recounted_at=now))

    def agreements(self) -> list[AgreementVersion]:
        """The latest version of every agreement, by name."""
        a, v = s.agreements, s.agreement_versions
        latest = select(v.c.agreement_id, func.max(v.c.version).label("version")).group_by(v.c.agreement_id).subquery()
        query = (
            select(a.c.name, *_VERSION_COLUMNS)
            .join(v, v.c.agreement_id == a.c.id)
            .join(latest, (latest.c.agreement_id == v.c.agreement_id) & (latest.c.version == v.c.version))
            .order_by(a.c.name)
        )
        with self._engine.connect() as conn:
            return [_version(row.name, row) for row in conn.execute(query)]

    def versions(self, name: str) -> list[AgreementVersion]:
        """Every version of one agreement, oldest first (empty when unknown)."""
        a, v = s.agreements, s.agreement_versions
        query = select(*_VERSION_COLUMNS).join(a, a.c.id == v.c.agreement_id).where(a.c.name == name)
        with self._engine.connect() as conn:
            return [_version(name, row) for row in conn.execute(query.order_by(v.c.version))]

    def has_batch(self, key: str) -> bool:
        """Whether a batch with this key was stored."""
        with self._engine.connect() as conn:
            return _has_batch(conn, key)

    def store_batch(self, batch: Batch, now: int) -> bool:
        """Store a whole batch atomically with its ledger entry; False (and nothing written) if known.

        The ledger row goes in first, so a concurrent or retried batch with the same key fails on
        the primary key before it writes anything else; every other row follows in the same
        transaction, so a failure anywhere leaves no trace.
        """
        with self._engine.connect() as conn:
            if not _claim(conn, batch, now):
                return False
            write_batch(conn, batch)
            conn.commit()
        return True

    def ledger(self, agreement: str | None = None) -> list[LedgerEntry]:
        """Stored batches, oldest first (batches stored at the same instant by key)."""
        t = s.ledger
        query = select(t.c.key, t.c.agreement, t.c.stream, t.c.source, t.c.rows, t.c.stored_at)
        if agreement is not None:
            query = query.where(t.c.agreement == agreement)
        with self._engine.connect() as conn:
            return [LedgerEntry(*row) for row in conn.execute(query.order_by(t.c.stored_at, t.c.key))]

    def events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Event]:
        """Events of a stream with `start <= at < end`, in time order (then as stored)."""
        t = s.events
        query = (
            select(t.c.at, t.c.value, t.c.attributes)
            .where(t.c.stream == stream, t.c.at >= start, t.c.at < end)
            .order_by(t.c.at, t.c.id)
        )
        with self._engine.connect() as conn:
            return [Event(row.at, row.value, row.attributes) for row in conn.execute(_of(query, t, agreement))]

    def incidents(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Incident]:
        """Incidents of a stream that overlap `[start, end)` (open ones included), by start."""
        t = s.incidents
        query = (
            select(t.c.start_at, t.c.end_at, t.c.attributes)
            .where(t.c.stream == stream, t.c.start_at < end, t.c.end_at.is_(None) | (t.c.end_at > start))
            .order_by(t.c.start_at, t.c.id)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(_of(query, t, agreement))
            return [Incident(row.start_at, row.end_at, row.attributes) for row in rows]

    def case_events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[CaseEvent]:
        """Every event of every case that has an event in `[start, end)`, in time order."""
        t = s.case_events
        touched = _of(select(t.c.case_id).where(t.c.stream == stream, t.c.at >= start, t.c.at < end), t, agreement)
        query = (
            select(t.c.case_id, t.c.type, t.c.at, t.c.attributes)
            .where(t.c.stream == stream, t.c.case_id.in_(touched))
            .order_by(t.c.at, t.c.id)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(_of(query, t, agreement))
            return [CaseEvent(row.case_id, row.type, row.at, row.attributes) for row in rows]

    def announcements(self, start: int, end: int, agreement: str | None = None) -> list[Announcement]:
        """Announcements overlapping `[start, end)`, by start; only one agreement's when named."""
        t = s.announcements
        query = (
            select(t.c.start_at, t.c.end_at, t.c.kind, t.c.announced_at, t.c.objectives)
            .where(t.c.start_at < end, t.c.end_at > start)
            .order_by(t.c.start_at, t.c.id)
        )
        query = _of(query, t, agreement)
        with self._engine.connect() as conn:
            return [
                Announcement(row.start_at, row.end_at, ExclusionKind(row.kind), row.announced_at, tuple(row.objectives))
                for row in conn.execute(query)
            ]

    def buckets(self, agreement: str, objective: str, start: int, end: int) -> list[Bucket]:
        """Stored per-minute counts of an objective for minutes in `[start, end)`, in order."""
        t = s.buckets
        query = (
            select(t.c.objective, t.c.minute, t.c.good, t.c.valid, t.c.value_count, t.c.value_sum)
            .where(t.c.agreement == agreement, t.c.objective == objective, t.c.minute >= start, t.c.minute < end)
            .order_by(t.c.minute)
        )
        with self._engine.connect() as conn:
            return [Bucket(*row) for row in conn.execute(query)]

    def replace_buckets(self, agreement: str, objective: str, start: int, buckets: Sequence[Bucket]) -> None:
        """Replace an objective's buckets from minute `start` on (after a new version changes it).

        Raises:
            ValueError: a bucket belongs to another objective or lies before `start`.
        """
        for bucket in buckets:
            if bucket.objective != objective or bucket.minute < start:
                raise ValueError(
                    f"replace_buckets({agreement!r}, {objective!r}, {start}): got a bucket of objective "
                    f"{bucket.objective!r} at minute {bucket.minute}; pass only this objective's buckets from start on"
                )
        t = s.buckets
        with self._engine.begin() as conn:
            conn.execute(t.delete().where(t.c.agreement == agreement, t.c.objective == objective, t.c.minute >= start))
            write_buckets(conn, agreement, buckets)
            rebuild_rollups(conn, agreement, objective, start)

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
        t = s.results
        query = select(t).where(t.c.agreement == agreement)
        if objective is not None:
            query = query.where(t.c.objective == objective)
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(t.c.objective, t.c.start_at, t.c.period))
            return [stored_result(row) for row in rows]

    def store_counts(self, batch: CountBatch, now: int) -> bool:
        """Store a count batch atomically with its ledger entry; False (and nothing written) if known.

        As `store_batch`: the ledger row goes first, the minute counts and their rollups follow in
        the same transaction.
        """
        with self._engine.connect() as conn:
            if not _claim(conn, batch, now):
                return False
            add_counts(conn, batch.agreement, batch.objectives, batch.objective, batch.minute, batch.good, batch.valid)
            write_adjustments(conn, batch.adjustments)
            conn.commit()
        return True

    def count_rows(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> tuple[Any, Any, Any, Any]:
        """Stored counts of `objectives` at `resolution` (minute, hour, day) with `start <= t < end`.

        One indexed range read per objective (the primary key leads with agreement and objective),
        through the driver, into int64 arrays: the index in `objectives`, the start, good and valid.
        """
        _, column = _COUNT_TABLES[resolution]
        index = {name: i for i, name in enumerate(objectives)}
        lengths: list[tuple[str, int]] = []
        values: list[tuple[int, int, int]] = []
        for cursor, where, parameters in self._count_reads(agreement, objectives, resolution, start, end):
            cursor.execute(f"SELECT objective, COUNT(*) {where} GROUP BY objective ORDER BY objective", parameters)
            lengths += cursor.fetchall()
            cursor.execute(f"SELECT {column}, good, valid {where} ORDER BY objective, {column}", parameters)
            values += cursor.fetchall()
        flat = np.fromiter(chain.from_iterable(values), dtype=np.int64, count=3 * len(values)).reshape(-1, 3)
        owner = np.repeat(
            np.array([index[name] for name, _ in lengths], dtype=np.int64),
            np.array([count for _, count in lengths], dtype=np.int64),
        )
        return owner, flat[:, 0].copy(), flat[:, 1].copy(), flat[:, 2].copy()

    def count_sums(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
    ) -> list[tuple[Any, Any]]:
        """Sums of good and valid per objective over `[start, end)` for each end, in one scan per chunk.

        Returns:
            Per end, two int64 arrays in the order of `objectives` (zero where nothing is stored).
        """
        _, column = _COUNT_TABLES[resolution]
        index = {name: i for i, name in enumerate(objectives)}
        sums = np.zeros((2 * len(ends), len(objectives)), dtype=np.int64)
        columns = ", ".join(
            f"SUM(CASE WHEN {column} < {int(e)} THEN {field} ELSE 0 END)" for e in ends for field in ("good", "valid")
        )
        for cursor, where, parameters in self._count_reads(agreement, objectives, resolution, start, max(ends)):
            cursor.execute(f"SELECT objective, {columns} {where} GROUP BY objective", parameters)
            found = cursor.fetchall()
            if found:
                rows = [index[row[0]] for row in found]
                sums[:, rows] = np.array([row[1:] for row in found], dtype=np.int64).T
        return [(sums[2 * k], sums[2 * k + 1]) for k in range(len(ends))]

    def _count_reads(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> Iterator[tuple[Any, str, tuple[Any, ...]]]:
        """Per chunk of at most `_IN_CHUNK` objectives: a cursor, a `FROM … WHERE` clause, its parameters.

        The clause selects the chunk's counts at `resolution` in `[start, end)`; one connection
        and one driver cursor serve every chunk.
        """
        table, column = _COUNT_TABLES[resolution]
        with self._engine.connect() as conn:
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                for low in range(0, len(objectives), _IN_CHUNK):
                    chunk = list(objectives[low : low + _IN_CHUNK])
                    marks = ", ".join([mark] * len(chunk))
                    where = (
                        f"FROM {table} WHERE agreement = {mark} AND objective IN ({marks}) "
                        f"AND {column} >= {mark} AND {column} < {mark}"
                    )
                    yield cursor, where, (agreement, *chunk, start, end)
            finally:
                cursor.close()

    def adjustments(self, agreement: str) -> list[Adjustment]:
        """Adjustments recorded for an agreement, oldest first."""
        t = s.adjustments
        query = (
            select(t.c.agreement, t.c.objective, t.c.period, t.c.batch, t.c.rows, t.c.recorded_at)
            .where(t.c.agreement == agreement)
            .order_by(t.c.recorded_at, t.c.id)
        )
        with self._engine.connect() as conn:
            return [Adjustment(*row) for row in conn.execute(query)]


_COUNT_TABLES = {"minute": ("buckets", "minute"), "hour": ("bucket_hours", "hour"), "day": ("bucket_days", "day")}
_IN_CHUNK = 500
"""Objectives per `IN (...)` list: well under SQLite's and PostgreSQL's parameter limits."""


def _of(query: Select[Any], table: Table, agreement: str | None) -> Select[Any]:
    """Only the rows ingested for `agreement` (through their batch's ledger entry), when named."""
    if agreement is None:
        return query
    return query.join(s.ledger, s.ledger.c.key == table.c.batch).where(s.ledger.c.agreement == agreement)


def _lock_agreement(conn: Connection, name: str, now: int) -> int:
    """Create the agreement's row if new, lock it against concurrent applies, and return its id."""
    a = s.agreements
    conn.execute(
        dialect_insert(conn, a).values(name=name, created_at=now).on_conflict_do_nothing(index_elements=[a.c.name])
    )
    found: int = conn.execute(select(a.c.id).where(a.c.name == name).with_for_update()).scalar_one()
    return found


def _version(name: str, row: Row[*tuple[Any, ...]]) -> AgreementVersion:
    """An `AgreementVersion` from a row of `_VERSION_COLUMNS`."""
    return AgreementVersion(
        name,
        row.version,
        row.document,
        row.digest,
        row.effective_from,
        row.effective_until,
        row.status,
        row.stored_at,
        row.model,
        row.model_revision,
        row.recounted_at,
    )


def _has_batch(conn: Connection, key: str) -> bool:
    """Whether the ledger holds `key`."""
    return conn.execute(select(s.ledger.c.key).where(s.ledger.c.key == key)).first() is not None


def _claim(conn: Connection, batch: Batch | CountBatch, now: int) -> bool:
    """Insert the batch's ledger row, the first write of its transaction; False if the key is stored.

    Any other integrity error (not a duplicate key) is raised.
    """
    try:
        conn.execute(
            s.ledger.insert().values(
                key=batch.key,
                agreement=batch.agreement,
                stream=batch.stream,
                source=batch.source,
                rows=batch.rows,
                stored_at=now,
            )
        )
    except IntegrityError:
        conn.rollback()
        if _has_batch(conn, batch.key):
            return False
        raise
    return True
