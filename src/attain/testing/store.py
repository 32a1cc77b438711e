"""`MemoryStore`: the `attain.ports.Store` contract in memory, for tests of code that takes a store.

It keeps the semantics of `attain.storage.SqlStore` that callers rely on: a batch is stored
exactly once under its key, all or nothing; versions are numbered and dated the same way; minute
counts add up exactly and keep hourly and daily rollups; a stored result never changes; reads
use half-open ranges and return what was stored as the database would (decimals exact,
attributes through JSON). It passes the same contract tests (`tests/storage/test_store_contract.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from attain.engine.instant import iso_utc
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
    ResultConflict,
    StoredResult,
    merge_buckets,
)
from attain.testing.counts import Counts


@dataclass(frozen=True)
class _Row:
    """A stored measurement with the batch (and so the agreement) it came in with."""

    agreement: str
    stream: str
    item: Any
    batch: str = ""


def _json(value: Any) -> Any:
    """`value` as a JSON column gives it back."""
    return json.loads(json.dumps(value))


class MemoryStore:
    """Agreements, measurements, the ingestion ledger, counts and results in memory.

    A fresh instance is empty; nothing is shared between instances. Not thread-safe.
    """

    def __init__(self) -> None:
        self._versions: dict[str, list[AgreementVersion]] = {}
        self._ledger: dict[str, LedgerEntry] = {}
        self._rows: list[_Row] = []
        self._counts = Counts()
        self._results: dict[tuple[str, str, str, int], StoredResult] = {}
        self._adjustments: list[Adjustment] = []

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

        Raises:
            ValueError: the new version would take effect on or before the latest version's date
                (`attain.engine.versions.supersede`, the rule `SqlStore` applies too).
        """
        digest = hashlib.sha256(document.encode()).hexdigest()
        rows = self._versions.setdefault(name, [])
        same = next((i for i, row in enumerate(rows) if row.digest == digest), None)
        if same is not None:
            if model is not None and rows[same].model_revision != model[0]:
                rows[same] = replace(rows[same], model_revision=model[0], model=model[1])
            return Applied(rows[same], created=False)
        latest = rows[-1] if rows else None
        if latest is not None:
            until = supersede(name, latest.version, latest.effective_from, effective_from)
            rows[-1] = replace(latest, effective_until=until)
        revision, text = model if model is not None else (None, None)
        number = 1 if latest is None else latest.version + 1
        recounted = now if number == 1 else None  # a first version has nothing stored to recount
        created = AgreementVersion(
            name, number, document, digest, effective_from, None, status, now, text, revision, recounted
        )
        rows.append(created)
        return Applied(created, created=True)

    def mark_recounted(self, name: str, version: int, now: int) -> None:
        """Record that the minute counts were recounted for `version` of agreement `name`."""
        rows = self._versions.get(name, [])
        for i, row in enumerate(rows):
            if row.version == version:
                rows[i] = replace(row, recounted_at=now)

    def agreements(self) -> list[AgreementVersion]:
        """The latest version of every agreement, by name."""
        return [rows[-1] for _, rows in sorted(self._versions.items()) if rows]

    def versions(self, name: str) -> list[AgreementVersion]:
        """Every version of one agreement, oldest first (empty when unknown)."""
        return list(self._versions.get(name, []))

    def generation(self) -> tuple[int, ...]:
        """A fingerprint of what is stored, like `SqlAccess.generation` without its token counts.

        It changes whenever a batch or a version is stored and when a recount is marked done.
        """
        versions = [v for rows in self._versions.values() for v in rows]
        return (
            len(self._ledger),
            max((e.stored_at for e in self._ledger.values()), default=0),
            len(versions),
            sum(v.recounted_at is not None for v in versions),
        )

    def has_batch(self, key: str) -> bool:
        """Whether a batch with this key was stored."""
        return key in self._ledger

    def known_batches(self, keys: Sequence[str]) -> set[str]:
        """Which of `keys` were stored."""
        return {k for k in keys if k in self._ledger}

    def store_batch(self, batch: Batch, now: int) -> bool:
        """Store a whole batch with its ledger entry; False (and nothing written) if the key is known.

        Everything is checked before anything is kept, so a failure leaves no trace.

        Raises:
            TypeError: an event's value is not a `Decimal` (or None), or attributes are not JSON.
            ValueError: a bucket is not on a whole minute, or an adjustment names an unknown batch.
        """
        if batch.key in self._ledger:
            return False
        for event in batch.events:
            if event.value is not None and not isinstance(event.value, Decimal):
                raise TypeError(f"expected a Decimal, got {type(event.value).__name__} {event.value!r}")
        merged = merge_buckets(batch.buckets)
        self._check_adjustments(batch.key, batch.adjustments)
        a, s = batch.agreement, batch.stream
        rows = [_Row(a, s, Event(e.at, e.value, _json(dict(e.attributes)))) for e in batch.events]
        rows += [_Row(a, s, Incident(i.start, i.end, _json(dict(i.attributes))), batch.key) for i in batch.incidents]
        rows += [_Row(a, s, CaseEvent(c.case, c.type, c.at, _json(dict(c.attributes)))) for c in batch.case_events]
        rows += [
            _Row(a, "", Announcement(n.start, n.end, ExclusionKind(str(n.kind)), n.announced_at, tuple(n.objectives)))
            for n in batch.announcements
        ]
        self._claim(batch, now)
        self._rows += rows
        self._end_incidents(batch)
        self._counts.add(a, merged.values())
        self._adjustments += batch.adjustments
        return True

    def _end_incidents(self, batch: Batch) -> None:
        ends = {e.batch: e.end for e in batch.incident_ends}
        for index, row in enumerate(self._rows):
            if isinstance(row.item, Incident) and row.item.end is None and row.batch in ends:
                self._rows[index] = replace(row, item=Incident(row.item.start, ends[row.batch], row.item.attributes))

    def store_counts(self, batch: CountBatch, now: int) -> bool:
        """Store a count batch with its ledger entry; False (and nothing written) if the key is known."""
        if batch.key in self._ledger:
            return False
        self._check_adjustments(batch.key, batch.adjustments)
        self._claim(batch, now)
        columns = (batch.objective, batch.minute, batch.good, batch.valid)
        rows = zip(*(list(map(int, column)) for column in columns), strict=True)
        self._counts.add_counts(batch.agreement, batch.objectives, rows)
        self._adjustments += batch.adjustments
        return True

    def store_count_batches(self, batches: Sequence[CountBatch], now: int) -> list[bool]:
        """Store count batches, each with its ledger entry; per batch, False if its key was known (or repeated)."""
        for batch in batches:
            self._check_adjustments(batch.key, batch.adjustments)
        return [self.store_counts(batch, now) for batch in batches]

    def ledger(self, agreement: str | None = None) -> list[LedgerEntry]:
        """Stored batches, oldest first (batches stored at the same instant by key)."""
        found = [e for e in self._ledger.values() if agreement is None or e.agreement == agreement]
        return sorted(found, key=lambda e: (e.stored_at, e.key))

    def events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Event]:
        """Events of a stream with `start <= at < end`, in time order (then as stored)."""
        found = [e for e in self._of(Event, stream, agreement) if start <= e.at < end]
        return sorted(found, key=lambda e: e.at)

    def incidents(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Incident]:
        """Incidents of a stream that overlap `[start, end)` (open ones included), by start."""
        found = [i for i in self._of(Incident, stream, agreement) if i.start < end and (i.end is None or i.end > start)]
        return sorted(found, key=lambda i: i.start)

    def case_events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[CaseEvent]:
        """Every event of every case that has an event in `[start, end)`, in time order."""
        mine = self._of(CaseEvent, stream, agreement)
        touched = {c.case for c in mine if start <= c.at < end}
        return sorted((c for c in mine if c.case in touched), key=lambda c: c.at)

    def announcements(self, start: int, end: int, agreement: str | None = None) -> list[Announcement]:
        """Announcements overlapping `[start, end)`, by start; only one agreement's when named."""
        found = [n for n in self._of(Announcement, None, agreement) if n.start < end and n.end > start]
        return sorted(found, key=lambda n: n.start)

    def buckets(self, agreement: str, objective: str, start: int, end: int) -> list[Bucket]:
        """Stored per-minute counts of an objective for minutes in `[start, end)`, in order."""
        found = [
            b for (a, o, m), b in self._counts.minutes.items() if (a, o) == (agreement, objective) and start <= m < end
        ]
        return sorted(found, key=lambda b: b.minute)

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
        self._counts.replace(agreement, objective, start, buckets)

    def count_rows(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> tuple[Any, Any, Any, Any]:
        """Stored counts of `objectives` at `resolution` (minute, hour, day) with `start <= t < end`.

        Returns:
            Four int64 arrays: the index in `objectives`, the start instant, good and valid.
        """
        return self._counts.rows_as_arrays(agreement, objectives, resolution, start, end)

    def count_sums(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
    ) -> list[tuple[Any, Any]]:
        """Per end, sums of good and valid per objective over `[start, end)` at `resolution`, in `objectives` order."""
        return self._counts.sums(agreement, objectives, resolution, start, ends)

    def save_results(self, results: Sequence[StoredResult]) -> None:
        """Store results of closed periods; an identical one is a no-op; all or nothing.

        Raises:
            ResultConflict: a stored result for the same agreement, objective and period differs
                in status, ratio, good or valid.
        """
        kept = dict(self._results)
        for result in results:
            key = (result.agreement, result.objective, result.period, result.start)
            stored = kept.setdefault(key, replace(result, data=_json(dict(result.data))))
            before = (stored.status, stored.ratio, stored.good, stored.valid)
            given = (result.status, result.ratio, result.good, result.valid)
            if before != given:
                raise ResultConflict(
                    f"agreement {result.agreement!r}, objective {result.objective!r}, period {result.period!r} "
                    f"(from {iso_utc(result.start)}): "
                    f"stored (status, ratio, good, valid) = {before}, the new evaluation gives {given}; "
                    "a closed period's result never changes silently: record late data as an adjustment"
                )
        self._results = kept

    def results(self, agreement: str, objective: str | None = None) -> list[StoredResult]:
        """Stored results, by objective then period start."""
        found = [r for r in self._results.values() if r.agreement == agreement and objective in {None, r.objective}]
        return sorted(found, key=lambda r: (r.objective, r.start, r.period))

    def adjustments(self, agreement: str) -> list[Adjustment]:
        """Adjustments recorded for an agreement, oldest first."""
        return sorted((j for j in self._adjustments if j.agreement == agreement), key=lambda j: j.recorded_at)

    def _claim(self, batch: Batch | CountBatch, now: int) -> None:
        """Write the batch's ledger entry."""
        entry = LedgerEntry(batch.key, batch.agreement, batch.stream, batch.source, batch.rows, now)
        self._ledger[batch.key] = entry

    def _check_adjustments(self, key: str, adjustments: Sequence[Adjustment]) -> None:
        """Refuse adjustments naming a batch that is neither stored nor this one (a foreign key in SQL).

        Raises:
            ValueError: an adjustment names an unknown batch.
        """
        for j in adjustments:
            if j.batch != key and j.batch not in self._ledger:
                raise ValueError(f"adjustment of {j.objective!r} in {j.period!r} names unknown batch {j.batch!r}")

    def _of(self, kind: type[Any], stream: str | None, agreement: str | None) -> list[Any]:
        """Stored items of one type (and stream, when given), only `agreement`'s when named."""
        return [
            r.item
            for r in self._rows
            if isinstance(r.item, kind)
            and (stream is None or r.stream == stream)
            and (agreement is None or r.agreement == agreement)
        ]
