"""Ingesting a Parquet file as per-minute counts only (`attain ingest --buckets-only`), exactly once.

The fast path for large event files. The file is read in batches of at most `COUNT_BATCH_ROWS`
rows (so memory stays flat however large the file is); each batch is counted per objective and
minute in one compiled pass (`attain.ingestion.group`) and stored as one ledger entry with its
minute counts and their hourly and daily rollups, in one transaction. Keys are
`<file sha256>:<agreement>:<stream>:counts<rows>:<batch number>` (or the user's key instead of
the first three), so a re-run or a resumed run stores exactly the batches still missing.

What is given up, compared with `attain.ingestion.run`: the raw events are not stored, so a new
agreement version cannot recount the past from them (re-ingest the file instead), and objectives
that need event values or rows (threshold, statistic, freshness) cannot read this stream;
`NotEligible` says so, and the file is then refused rather than half counted. Rows are not
checked one by one: a timestamp column with nulls or without a time zone makes the file
ineligible, and the normal path reports such rows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq

from attain.engine.versions import in_force
from attain.ingestion.batches import late_counts, target_for
from attain.ingestion.eligibility import NotEligible, eligible, stream_objectives
from attain.ingestion.group import GroupCounts, Groups, batch_groups, nonzero_rows, objective_counts
from attain.ingestion.parquet import read_batches, span_of
from attain.ingestion.run import IngestOptions, IngestReport, Progress
from attain.lifecycle.versions import stored_agreements
from attain.ports import CountBatch, Store

COUNT_BATCH_ROWS = 1 << 21
"""Rows per batch. Part of every batch key's meaning, so it must never change for a file."""


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, read in 8 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def ingest_counts(
    store: Store,
    path: Path,
    agreement: str,
    now: int,
    options: IngestOptions = IngestOptions(),  # noqa: B008 - frozen, as in `ingest_file`
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest one Parquet file as per-minute counts (see the module docstring).

    Raises:
        NotEligible: the file or the stream's objectives need the row-by-row path.
    """
    agreements = stored_agreements(store, agreement)
    target = target_for(agreements[-1], path.stem, options.objective)
    if target.kind != "events":
        raise NotEligible(f"stream {target.stream!r} holds {target.kind}, not events")
    versions = in_force(agreements)
    keys = eligible(path, versions, target.stream)
    names = stream_objectives(versions, target.stream)
    total = pq.read_metadata(path).num_rows
    report = IngestReport(str(path), agreement, target.stream, total)
    base = options.key or f"{file_digest(path)}:{agreement}:{target.stream}"
    results = [r for r in store.results(agreement) if r.objective in names]
    groups = Groups(tuple(keys))
    done = 0
    for number, batch in enumerate(read_batches(path, keys, COUNT_BATCH_ROWS)):
        key = f"{base}:counts{COUNT_BATCH_ROWS}:{number}"
        done += batch.num_rows
        if store.has_batch(key):
            report.batches_known += 1
        else:
            first, minutes = span_of(batch)
            counts = GroupCounts(first, minutes)
            counts.add(*batch_groups(batch, groups))
            good, valid = objective_counts(versions, target.stream, groups, counts.counts, first, names)
            objective, minute, good_rows, valid_rows = nonzero_rows(good, valid, first)
            adjustments = late_counts(results, counts.counts, first, key, now)
            stored = store.store_counts(
                CountBatch(
                    key,
                    agreement,
                    target.stream,
                    str(path),
                    batch.num_rows,
                    names,
                    objective,
                    minute,
                    good_rows,
                    valid_rows,
                    adjustments,
                ),
                now,
            )
            report.batches_stored += stored
            report.batches_known += not stored
            report.adjustments += len(adjustments) if stored else 0
        if progress is not None:
            progress(done, total)
    return report
