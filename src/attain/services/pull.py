"""Pulling counts from SQL engines into the store, exactly once (the service behind `attain pull`).

For each ratio objective whose `valid` selector names a SQL source (`attain.sources.sql`), the
aggregation query runs in the source engine for `[--from, --to)` and its per-minute counts are
stored as one batch of buckets keyed `sql:<agreement>:<objective>:<start>:<end>` (µs). Running the
same range again stores nothing; a range that overlaps an earlier pull of the objective without
being the same range is refused, so no minute is ever counted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, make_url

from attain.engine.instant import US_PER_MINUTE, iso_utc
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import latest_agreement
from attain.model import Objective, stream_name
from attain.ports import Batch, Bucket, Store
from attain.sources.sql import SqlSource, bucket_us, pull_counts, sql_source
from attain.storage import normalise_url

KEY_PREFIX = "sql"


@dataclass(frozen=True)
class Pulled:
    """What one objective's pull did: its batch key, whether it was stored, and the counts."""

    objective: str
    key: str
    stored: bool
    minutes: int
    valid: int
    good: int
    rows_read: int


def batch_key(agreement: str, objective: str, start: int, end: int) -> str:
    """The idempotency key of one objective's pull of `[start, end)`."""
    return f"{KEY_PREFIX}:{agreement}:{objective}:{start}:{end}"


def pull(
    store: Store,
    agreement: str,
    start: int,
    end: int,
    at: int,
    objective: str | None = None,
    resolution: str = "minute",
    open_engine: Callable[[str], Engine] | None = None,
) -> list[Pulled]:
    """Pull `[start, end)` for the agreement's SQL-backed objectives (or the one named), exactly once.

    Raises:
        InvalidInput: no such agreement or SQL-backed objective, or the range overlaps an earlier pull.
    """
    _check_range(start, end, resolution)
    chosen = _sql_objectives(latest_agreement(store, agreement).objectives, objective, agreement)
    for each, _ in chosen:
        _refuse_overlap(store, agreement, each.name, start, end)
    opener = open_engine or _engine
    return [_pull_one(store, agreement, each, source, (start, end), at, resolution, opener) for each, source in chosen]


def _pull_one(
    store: Store,
    agreement: str,
    objective: Objective,
    source: SqlSource,
    span: tuple[int, int],
    at: int,
    resolution: str,
    opener: Callable[[str], Engine],
) -> Pulled:
    key = batch_key(agreement, objective.name, *span)
    if store.has_batch(key):
        return Pulled(objective.name, key, stored=False, minutes=0, valid=0, good=0, rows_read=0)
    engine = opener(source.url)
    try:
        with engine.connect() as conn:
            pulled = pull_counts(conn, source, span[0], span[1], resolution)
    finally:
        engine.dispose()
    counts = pulled.counts
    buckets = [
        Bucket(objective.name, counts.first_minute + i * US_PER_MINUTE, int(counts.good[i]), int(counts.valid[i]))
        for i in range(counts.valid.size)
        if counts.valid[i]
    ]
    valid, good = int(counts.valid.sum()), int(counts.good.sum())
    redacted = make_url(source.url).render_as_string(hide_password=True)
    batch = Batch(key, agreement, stream_name(objective), f"sql:{redacted}", valid, buckets=buckets)
    stored = store.store_batch(batch, at)
    return Pulled(objective.name, key, stored, len(buckets), valid, good, pulled.rows_read)


def _check_range(start: int, end: int, resolution: str) -> None:
    try:
        step = bucket_us(resolution)
    except ValueError as error:
        raise InvalidInput([Problem("<pull>", None, None, "--resolution", str(error), "")]) from None
    if end <= start or start % step or end % step:
        message = f"[{iso_utc(start)}, {iso_utc(end)}) is not a forward range of whole {resolution}s"
        hint = f"give --from before --to, both on a whole {resolution} (e.g. 2027-01-01T00:00:00Z)"
        raise InvalidInput([Problem("<pull>", None, None, "--from/--to", message, hint)])


def _engine(url: str) -> Engine:
    return create_engine(normalise_url(url))


def _sql_objectives(
    objectives: tuple[Objective, ...] | list[Objective], name: str | None, agreement: str
) -> list[tuple[Objective, SqlSource]]:
    found = [(o, s) for o in objectives if (s := sql_source(o)) is not None]
    chosen = [(o, s) for o, s in found if name is None or o.name == name]
    if not chosen:
        known = ", ".join(o.name for o, _ in found) or "none"
        what = f"no SQL-backed objective {name!r}" if name else "no SQL-backed objective"
        hint = f"SQL-backed ratio objectives of {agreement}: {known}"
        raise InvalidInput([Problem("<pull>", None, None, "--objective", f"{agreement} has {what}", hint)])
    return chosen


def _refuse_overlap(store: Store, agreement: str, objective: str, start: int, end: int) -> None:
    prefix = f"{KEY_PREFIX}:{agreement}:{objective}:"
    for entry in store.ledger(agreement):
        if not entry.key.startswith(prefix):
            continue
        low, high = (int(part) for part in entry.key.rsplit(":", 2)[1:])
        if low < end and start < high and (low, high) != (start, end):
            message = (
                f"{agreement}/{objective}: [{iso_utc(start)}, {iso_utc(end)}) overlaps the earlier pull "
                f"[{iso_utc(low)}, {iso_utc(high)}) (batch {entry.key})"
            )
            hint = "pull only minutes not pulled yet: end at or before the earlier start, or start at or after its end"
            raise InvalidInput([Problem("<pull>", None, None, "--from/--to", message, hint)])
