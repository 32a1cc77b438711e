"""Pulling counts from SQL engines into the store, exactly once (the service behind `attain pull`).

For each ratio objective whose `valid` selector names a SQL source (`attain.sources.sql`), the
per-minute counts of `[--from, --to)` are counted in the source engine and stored as one batch
of minute counts per objective, keyed `sql:<agreement>:<objective>:<start>:<end>` (µs). Running
the same range again stores nothing; a range that overlaps an earlier pull of the objective
without being the same range is refused, so no minute is ever counted twice.

Objectives not pulled yet that read the same table are counted by one scan of it
(`attain.sources.sql.scan`), then stored one batch per objective: a pull killed between two
batches stores the rest when run again, and those are counted by a scan of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import Engine, create_engine, make_url

from attain.engine.instant import US_PER_MINUTE, iso_utc
from attain.errors import InvalidInput, Problem
from attain.ingestion.batches import late_counts
from attain.lifecycle.versions import latest_agreement
from attain.model import Objective, stream_name
from attain.ports import CountBatch, Store, StoredResult
from attain.sources.sql import PulledCounts, SqlSource, bucket_us, sql_source
from attain.sources.sql.scan import plan_scans, pull_scan
from attain.storage import normalise_url

KEY_PREFIX = "sql"


@dataclass(frozen=True)
class Pulled:
    """What one objective's pull did: its batch key, whether it was stored, the counts, and what was read.

    `rows_read` counts the aggregated rows that carried this objective's counts (one per minute or
    hour with events). Objectives counted together share a scan: `scan` numbers it within this
    pull (None: nothing was read) and `scan_rows` is every aggregated row it read, for all of them.
    """

    objective: str
    key: str
    stored: bool
    minutes: int
    valid: int
    good: int
    rows_read: int
    scan: int | None = None
    scan_rows: int = 0
    adjustments: int = 0
    """Closed periods with a stored result that this pull added counts to (each recorded as late data)."""


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

    Returns:
        One `Pulled` per objective, in the agreement's order.

    Raises:
        InvalidInput: no such agreement or SQL-backed objective, or the range overlaps an earlier pull.
    """
    _check_range(start, end, resolution)
    chosen = _sql_objectives(latest_agreement(store, agreement).objectives, objective, agreement)
    for each, _ in chosen:
        _refuse_overlap(store, agreement, each.name, start, end)
    done = {
        o.name: Pulled(o.name, key, stored=False, minutes=0, valid=0, good=0, rows_read=0)
        for o, _ in chosen
        if store.has_batch(key := batch_key(agreement, o.name, start, end))
    }
    pending = [(o, s) for o, s in chosen if o.name not in done]
    opener = open_engine or _engine
    results = store.results(agreement) if pending else []
    scans = 0
    for url in dict.fromkeys(s.url for _, s in pending):
        mine = [(o, s) for o, s in pending if s.url == url]
        engine = opener(url)
        try:
            with engine.connect() as conn:
                for scan in plan_scans([s for _, s in mine]):
                    counted = pull_scan(conn, scan, start, end, resolution)
                    for position, counts in zip(scan.positions, counted.counts, strict=True):
                        each, source = mine[position]
                        closed = [r for r in results if r.objective == each.name]
                        pulled = _store(store, agreement, each, source, (start, end), at, counts, closed)
                        done[each.name] = replace(pulled, scan=scans, scan_rows=counted.rows_read)
                    scans += 1
        finally:
            engine.dispose()
    return [done[o.name] for o, _ in chosen]


def _store(
    store: Store,
    agreement: str,
    objective: Objective,
    source: SqlSource,
    span: tuple[int, int],
    at: int,
    pulled: PulledCounts,
    closed: Sequence[StoredResult],
) -> Pulled:
    """Store one objective's counts as one batch of minute counts (with its ledger entry, atomically).

    Counts that fall into a period whose result is already stored are recorded as late data
    (`Store.adjustments`), as `attain ingest` records them; the stored result stays as it was.
    """
    key = batch_key(agreement, objective.name, *span)
    counts = pulled.counts
    adjustments = late_counts(closed, counts.valid[np.newaxis, :], counts.first_minute, key, at)
    (index,) = np.nonzero(counts.valid)
    valid, good = int(counts.valid.sum()), int(counts.good.sum())
    redacted = make_url(source.url).render_as_string(hide_password=True)
    batch = CountBatch(
        key,
        agreement,
        stream_name(objective),
        f"sql:{redacted}",
        valid,
        (objective.name,),
        np.zeros(index.size, dtype=np.int64),
        counts.first_minute + index.astype(np.int64) * US_PER_MINUTE,
        counts.good[index],
        counts.valid[index],
        adjustments,
    )
    stored = store.store_counts(batch, at)
    recorded = len(adjustments) if stored else 0
    return Pulled(objective.name, key, stored, int(index.size), valid, good, pulled.rows_read, adjustments=recorded)


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
