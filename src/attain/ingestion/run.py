"""Ingesting a file into the store exactly once.

The file is read and checked whole first: by default one bad row rejects the file and nothing is
stored; with `skip_bad` the bad rows go to `<file>.rejects.csv` with their reason and the rest is
stored. The good rows are cut into chunks of `CHUNK_ROWS` in file order; each chunk is one batch,
keyed `<key>:<chunk number>` where the key is the sha256 of the file's bytes (with the
agreement and stream) or the key the user passes. A batch is stored atomically with its ledger
entry, so a batch is either wholly stored or not at all, and a stored key is never stored again:
re-ingesting a file, or running again after a crash, stores exactly the chunks still missing.
The chunk size is fixed, so the keys of a file never change between runs.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
from attain.engine.versions import InForce
from attain.errors import InvalidInput, Problem
from attain.formats.spreadsheet import defuse_cell
from attain.ingestion.batches import ANNOUNCEMENTS, Target, late_data, minute_buckets, target_in
from attain.ingestion.reader import BadRow, Measurement, parse_rows
from attain.lifecycle.versions import load_in_force
from attain.model import stream_name
from attain.ports import Batch, Store, StoredResult

CHUNK_ROWS = 10_000
"""Rows per batch. Part of every batch key's meaning, so it must never change for a file."""


@dataclass
class IngestReport:
    """What one file's ingestion did."""

    file: str
    agreement: str
    stream: str
    rows: int
    batches_stored: int = 0
    batches_known: int = 0
    rejected: list[Problem] = field(default_factory=list)
    reject_file: str | None = None
    adjustments: int = 0


Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) after each batch."""


@dataclass(frozen=True)
class IngestOptions:
    """How to read and key a file.

    Attributes:
        objective: The objective whose stream the rows are (default: by the file's name).
        key: The idempotency key (default: the file's sha256 with agreement and stream).
        zone: Time zone for timestamps written without an offset (default: refuse them).
        skip_bad: Store the good rows and write the bad ones to a reject file.
    """

    objective: str | None = None
    key: str | None = None
    zone: str | None = None
    skip_bad: bool = False


def ingest_file(
    store: Store,
    path: Path,
    agreement: str,
    now: int,
    options: IngestOptions = IngestOptions(),
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest one file for one agreement (see the module docstring)."""
    versions = load_in_force(store, agreement)
    target = target_in([v.agreement for v in versions], path.stem, options.objective)
    zone = ZoneInfo(options.zone) if options.zone else None
    rows, bad = parse_rows(path, target.kind, target.value_column, zone)
    report = IngestReport(str(path), agreement, target.stream, len(rows) + len(bad))
    if bad:
        if not options.skip_bad:
            raise InvalidInput([b.problem for b in bad])
        report.rejected = [b.problem for b in bad]
        report.reject_file = str(_write_rejects(path, bad))
    base = options.key or f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{agreement}:{target.stream}"
    results = store.results(agreement)
    for index in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[index : index + CHUNK_ROWS]
        batch_key = f"{base}:{index // CHUNK_ROWS}"
        if store.has_batch(batch_key):
            report.batches_known += 1
        else:
            batch = build_batch(batch_key, target, str(path), chunk, versions, results, now)
            if store.store_batch(batch, now):
                report.batches_stored += 1
                report.adjustments += len(batch.adjustments)
            else:
                report.batches_known += 1
        if progress is not None:
            progress(min(index + CHUNK_ROWS, len(rows)), len(rows))
    return report


def build_batch(
    key: str,
    target: Target,
    source: str,
    rows: Sequence[Measurement],
    versions: Sequence[InForce],
    results: Sequence[StoredResult],
    now: int,
) -> Batch:
    """One batch of a target's rows, with the minute buckets and late-data adjustments they cause."""
    events = [r for r in rows if isinstance(r, Event)]
    incidents = [r for r in rows if isinstance(r, Incident)]
    cases = [r for r in rows if isinstance(r, CaseEvent)]
    announcements = [r for r in rows if isinstance(r, Announcement)]
    instants = [e.at for e in events] + [i.start for i in incidents] + [c.at for c in cases]
    affected = [r for r in results if _reads(versions, r.objective, target.stream)]
    return Batch(
        key=key,
        agreement=target.agreement,
        stream=target.stream,
        source=source,
        rows=len(rows),
        events=events,
        incidents=incidents,
        case_events=cases,
        announcements=announcements,
        buckets=minute_buckets(versions, target.stream, events) if events else (),
        adjustments=late_data(affected, instants, key, now) if target.stream != ANNOUNCEMENTS else (),
    )


def _reads(versions: Sequence[InForce], objective: str, stream: str) -> bool:
    return any(stream_name(o) == stream for v in versions for o in v.agreement.objectives if o.name == objective)


def _write_rejects(path: Path, bad: Sequence[BadRow]) -> Path:
    out = path.with_name(f"{path.name}.rejects.csv")
    names = sorted({k for row in bad for k in row.fields})
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([defuse_cell(cell) for cell in ("row", *names, "reason")])
        for row in bad:
            reason = f"{row.problem.path}: {row.problem.message}"
            cells = [row.number, *(row.fields.get(n, "") for n in names), reason]
            writer.writerow([defuse_cell(cell) for cell in cells])
    return out
