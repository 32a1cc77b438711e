"""The seams between attain's core and the outside world: what a store must do.

Adapters implement these Protocols (`attain.storage.SqlStore` on SQLite and PostgreSQL); services
depend only on them. Instants are integer microseconds since the epoch (`attain.engine.instant`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import MAX_PREC, Decimal, localcontext
from typing import TYPE_CHECKING, Any, Protocol

from attain.engine.instant import US_PER_MINUTE
from attain.errors import AttainError
from attain.stored_version import AgreementVersion as AgreementVersion  # noqa: PLC0414 - a port's record, kept here

if TYPE_CHECKING:
    from attain.engine.measurement import Announcement, CaseEvent, Event, Incident


@dataclass(frozen=True)
class Applied:
    """What `Store.apply` did: stored a new version, or found the same document already stored."""

    version: AgreementVersion
    created: bool


@dataclass(frozen=True)
class Bucket:
    """Counts of one objective in one minute: `minute` is an instant on a whole minute."""

    objective: str
    minute: int
    good: int
    valid: int
    value_count: int = 0
    value_sum: Decimal = Decimal(0)


@dataclass(frozen=True)
class Batch:
    """One atomic unit of ingestion, stored exactly once under `key` (or not at all).

    `events`, `incidents` and `case_events` belong to `stream`; `buckets` are the per-minute
    counts the events add to the agreement's objectives (added to what is stored); `adjustments`
    name closed periods that the batch changes (late data), kept visible, never silent;
    `incident_ends` close incidents that an earlier batch stored open.
    """

    key: str
    agreement: str
    stream: str
    source: str
    rows: int
    events: Sequence[Event] = ()
    incidents: Sequence[Incident] = ()
    case_events: Sequence[CaseEvent] = ()
    announcements: Sequence[Announcement] = ()
    buckets: Sequence[Bucket] = ()
    adjustments: Sequence[Adjustment] = ()
    incident_ends: Sequence[IncidentEnd] = ()


@dataclass(frozen=True)
class IncidentEnd:
    """The end of incidents stored open: every still-open incident of batch `batch` ends at `end`.

    An incident's row is part of the batch that opened it; its end arrives later in a batch of
    its own (with its own ledger key, so a retry sets nothing twice). An incident that already
    has an end keeps it.
    """

    batch: str
    end: int


@dataclass(frozen=True)
class Adjustment:
    """Late data that changed a closed period whose result was already stored."""

    agreement: str
    objective: str
    period: str
    batch: str
    rows: int
    recorded_at: int


@dataclass(frozen=True)
class LedgerEntry:
    """A batch that was stored: its key, where it came from, how many rows, when."""

    key: str
    agreement: str
    stream: str
    source: str
    rows: int
    stored_at: int


@dataclass(frozen=True)
class StoredResult:
    """The evaluation of one objective in one closed period, as stored; immutable once stored."""

    agreement: str
    version: int
    objective: str
    period: str
    start: int
    end: int
    status: str
    ratio: Decimal | None
    good: Decimal | None
    valid: Decimal | None
    data: Mapping[str, Any] = field(default_factory=dict)
    """The full period result as JSON-ready data (`attain.formats.results.period_data`)."""
    evaluated_at: int = 0


class ResultConflict(AttainError):
    """A closed period was evaluated again and gave a different result from the stored one.

    Stored results are never rewritten: late data after a period closed is recorded as an
    adjustment (see `Store.adjustments`), and the stored result stays as it was.
    """


@dataclass(frozen=True)
class CountBatch:
    """A batch of per-minute counts without raw rows (`attain ingest --buckets-only`).

    Row i adds `good[i]` and `valid[i]` to objective `objectives[objective[i]]` in the minute
    `minute[i]`. Stored atomically with its ledger entry, like `Batch`.
    """

    key: str
    agreement: str
    stream: str
    source: str
    rows: int
    """How many events the counts come from."""
    objectives: Sequence[str]
    objective: Any
    minute: Any
    good: Any
    valid: Any
    adjustments: Sequence[Adjustment] = ()

    def counts(self) -> tuple[Any, Any, Any, Any]:
        """The rows' (objective index, minute, good, valid) columns."""
        return self.objective, self.minute, self.good, self.valid


class CountReader(Protocol):
    """Reads counts in bulk from a store that keeps exact hourly and daily rollups of its minutes."""

    def count_rows(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> tuple[Any, Any, Any, Any]:
        """Stored counts of `objectives` at `resolution` (minute, hour, day) with `start <= t < end`.

        Returns:
            Four sequences of integers (int64 arrays, or lists of Python integers from the
            read-only SQLite reader at hour and day resolution): the index in `objectives`, the
            start instant, good and valid.
        """
        ...

    def count_sums(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
    ) -> list[tuple[Any, Any]]:
        """Per end, sums of good and valid per objective over `[start, end)` at `resolution`, in `objectives` order.

        Each sum is a sequence of integers: an int64 array, or a list from the read-only reader.
        """
        ...


class VersionReader(Protocol):
    """Reads stored agreement versions."""

    def agreements(self) -> list[AgreementVersion]:
        """The latest version of every agreement, by name."""
        ...

    def versions(self, name: str) -> list[AgreementVersion]:
        """Every version of one agreement, oldest first (empty when unknown)."""
        ...


class ReadStore(VersionReader, CountReader, Protocol):
    """What `attain summary` reads: versions and counts (`attain.storage.reader` on SQLite alone)."""


class MeasurementReader(Protocol):
    """Reads raw measurements and adjustments: what a stored evaluation reads beside counts."""

    def events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Event]:
        """Events of a stream with `start <= at < end`, in time order; only `agreement`'s when named."""
        ...

    def incidents(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Incident]:
        """Incidents of a stream overlapping `[start, end)` (open ones too); only `agreement`'s when named."""
        ...

    def case_events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[CaseEvent]:
        """Every event of every case with an event in `[start, end)`; only `agreement`'s when named."""
        ...

    def announcements(self, start: int, end: int, agreement: str | None = None) -> list[Announcement]:
        """Announcements overlapping `[start, end)`; only those ingested for `agreement` when named."""
        ...

    def adjustments(self, agreement: str) -> list[Adjustment]:
        """Adjustments recorded for an agreement, oldest first."""
        ...


class StatusStore(VersionReader, CountReader, MeasurementReader, Protocol):
    """What `attain status` reads: versions, counts and raw rows (`attain.storage.reader` on SQLite alone)."""


class CountStore(CountReader, Protocol):
    """A store that keeps exact hourly and daily rollups of its minutes and takes counts in bulk."""

    def has_batch(self, key: str) -> bool:
        """Whether a batch with this key was stored."""
        ...

    def known_batches(self, keys: Sequence[str]) -> set[str]:
        """Which of `keys` were stored (one read, however many keys)."""
        ...

    def store_counts(self, batch: CountBatch, now: int) -> bool:
        """Store a count batch atomically with its ledger entry; False (and nothing written) if known."""
        ...

    def store_count_batches(self, batches: Sequence[CountBatch], now: int) -> list[bool]:
        """Store count batches in one transaction, each with its ledger entry; per batch, False if it was known.

        All or nothing: the batches whose keys are new (the first of any repeated key) are stored
        together, the others skipped. Minutes that several batches share are added once.
        """
        ...


class Store(CountStore, VersionReader, MeasurementReader, Protocol):
    """Persistence for agreements, measurements, ingestion ledger and results (and counts, as `CountStore`)."""

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
            ValueError: the new version would take effect on or before the latest version's date.
        """
        ...

    def mark_recounted(self, name: str, version: int, now: int) -> None:
        """Record that the minute counts were recounted for `version` of agreement `name`."""
        ...

    def store_batch(self, batch: Batch, now: int) -> bool:
        """Store a whole batch atomically with its ledger entry; False (and nothing written) if known."""
        ...

    def ledger(self, agreement: str | None = None) -> list[LedgerEntry]:
        """Stored batches, oldest first."""
        ...

    def buckets(self, agreement: str, objective: str, start: int, end: int) -> list[Bucket]:
        """Stored per-minute counts of an objective for minutes in `[start, end)`, in order."""
        ...

    def replace_buckets(self, agreement: str, objective: str, start: int, buckets: Sequence[Bucket]) -> None:
        """Replace an objective's buckets from minute `start` on (after a new version changes it)."""
        ...

    def save_results(self, results: Sequence[StoredResult]) -> None:
        """Store results of closed periods; an identical one is a no-op.

        Raises:
            ResultConflict: a stored result for the same agreement, objective and period (its label
                and its start: one objective can have two periods with one label) differs.
        """
        ...

    def results(self, agreement: str, objective: str | None = None) -> list[StoredResult]:
        """Stored results, by objective then period start."""
        ...


@dataclass(frozen=True)
class OutboxMessage:
    """A message waiting in, or taken from, the outbox.

    Attributes:
        id: The outbox row's id.
        agreement: The agreement it concerns.
        dedup_key: Unique in the outbox (`Envelope.dedup_key`): enqueuing it twice stores it once.
        envelope: The envelope as `Envelope.to_dict` wrote it.
        attempts: Delivery attempts so far, this claim's included.
        created_at: µs instant it was enqueued.
    """

    id: int
    agreement: str
    dedup_key: str
    envelope: Mapping[str, Any]
    attempts: int
    created_at: int


class Outbox(Protocol):
    """Where decided notices wait for delivery, at least once (`attain.services.delivery`)."""

    def claim(self, now: int, limit: int, lease: int) -> list[OutboxMessage]:
        """Up to `limit` messages due at `now`, oldest first, each taken for `lease` µs and its attempts counted.

        A message claimed by a process that dies is due again when its lease ends. Two processes
        claiming at once never take the same message.
        """
        ...

    def sent(self, message_id: int, at: int) -> None:
        """Mark a claimed message delivered."""
        ...

    def failed(self, message_id: int, at: int, error: str, retry_at: int | None) -> None:
        """Record a failed attempt: due again at `retry_at`, or dead-lettered when it is None."""
        ...


def merge_buckets(buckets: Iterable[Bucket]) -> dict[tuple[str, int], Bucket]:
    """Buckets by (objective, minute), adding those that share one.

    Raises:
        ValueError: a bucket's minute is not on a whole minute.
    """
    merged: dict[tuple[str, int], Bucket] = {}
    for b in buckets:
        if b.minute % US_PER_MINUTE:
            raise ValueError(f"bucket of {b.objective!r} at {b.minute}: the minute must be a whole minute in µs")
        key = (b.objective, b.minute)
        seen = merged.get(key)
        merged[key] = b if seen is None else add_buckets(seen, b)
    return merged


def add_buckets(one: Bucket, other: Bucket) -> Bucket:
    """Two buckets of the same objective and minute as one."""
    return Bucket(
        one.objective,
        one.minute,
        one.good + other.good,
        one.valid + other.valid,
        one.value_count + other.value_count,
        exact_sum(one.value_sum, other.value_sum),
    )


def exact_sum(one: Decimal, other: Decimal) -> Decimal:
    """`one + other` without rounding to the default 28 significant digits."""
    with localcontext(prec=MAX_PREC):
        return one + other
