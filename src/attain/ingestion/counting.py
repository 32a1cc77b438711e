"""Ingesting a Parquet file as per-minute counts only (`attain ingest --buckets-only`), exactly once.

The fast path for large event files. The file's batches are known from its footer alone (each
row group cut into at most `COUNT_BATCH_ROWS` rows, `file_parts`), so the ledger is asked first
and only the row groups holding a batch not yet stored are decoded: a re-run reads the footer,
hashes the file and stops. The others are decoded on two threads, which also count each batch
per combination of filter values and minute in numpy (`attain.ingestion.tally`); the main thread
turns the combinations into each objective's good and valid per minute
(`attain.ingestion.group`), and a writer thread (`attain.ingestion.writer`) stores each batch as
one ledger entry with its minute counts and their hourly and daily rollups, a few consecutive
batches (`STORE_BATCHES`) in one transaction (all or nothing, so a killed run still leaves whole
batches) while the next are counted. Keys are
`<file sha256>:<agreement>:<stream>:counts<rows>:<batch number>` (or the user's key instead of
the first three), so a re-run or a resumed run stores exactly the batches still missing, and a
changed file (another sha256) is never taken for a stored one. Memory stays flat: at most two
decoded row groups per thread, and the counts of the batches not yet stored.

What is given up, compared with `attain.ingestion.run`: the raw events are not stored, so a new
agreement version cannot recount the past from them (re-ingest the file instead), and objectives
that need event values or rows (threshold, statistic, freshness) cannot read this stream;
`NotEligible` says so, and the file is then refused rather than half counted. Rows are not
checked one by one: a timestamp column with nulls or without a time zone makes the file
ineligible, and the normal path reports such rows.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from attain.engine.versions import InForce, in_force
from attain.ingestion.batches import late_counts, target_in
from attain.ingestion.eligibility import NotEligible, eligible, stream_objectives
from attain.ingestion.group import Classes, Groups, classes, group_counts, nonzero_rows, objective_counts
from attain.ingestion.parquet import map_groups
from attain.ingestion.run import IngestOptions, IngestReport, Progress
from attain.ingestion.tally import Tally, tally
from attain.ingestion.writer import BatchWriter
from attain.lifecycle.versions import stored_agreements
from attain.ports import CountBatch, Store, StoredResult

COUNT_BATCH_ROWS = 1 << 21
"""Rows per batch. Part of every batch key's meaning, so it must never change for a file."""
STORE_BATCHES = 4
"""Batches stored in one transaction (each with its own ledger row), fewer when they reach
`STORE_ROWS` rows: fewer commits, and the hour rows that consecutive batches share are written
once. More per transaction was slower (SQLite's page cache spills)."""
STORE_ROWS = 1 << 22
"""Rows of the batches stored in one transaction, at most about."""


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, read in 8 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


class FileDigest:
    """A file's sha256, computed on a thread from construction on (hashlib releases the GIL on large blocks).

    So hashing overlaps loading the agreement and reading the footer instead of adding to them.
    """

    def __init__(self, path: Path) -> None:
        self._found: str | BaseException = RuntimeError("not hashed")
        self._thread = threading.Thread(target=self._hash, args=(path,), name="file-digest", daemon=True)
        self._thread.start()

    def _hash(self, path: Path) -> None:
        try:
            self._found = file_digest(path)
        except BaseException as error:  # noqa: BLE001 - raised by `hexdigest` in the caller's thread
            self._found = error

    def hexdigest(self) -> str:
        """The digest, once the thread has it; its error raised here if it failed."""
        self._thread.join()
        if isinstance(self._found, BaseException):
            raise self._found
        return self._found


@dataclass(frozen=True)
class Part:
    """One batch of a file: rows `offset … offset + rows` of row group `group`, the file's batch `number`."""

    number: int
    group: int
    offset: int
    rows: int


def file_parts(metadata: pq.FileMetaData, batch_rows: int = COUNT_BATCH_ROWS) -> list[Part]:
    """A file's batches from its footer alone: each row group cut into `batch_rows` rows at most, in file order.

    The numbering is part of the keys' meaning, so it must never change for a file: it is the
    order in which `attain.ingestion.parquet.read_batches` yields a file's batches (row groups
    are never merged).
    """
    parts: list[Part] = []
    for group in range(metadata.num_row_groups):
        size = metadata.row_group(group).num_rows
        for offset in range(0, size, batch_rows):
            parts.append(Part(len(parts), group, offset, min(batch_rows, size - offset)))
    return parts


@dataclass
class BatchCounts:
    """What turns one batch's tally into its count batch: the stream's objectives, versions and stored results."""

    agreement: str
    stream: str
    source: str
    versions: Sequence[InForce]
    names: list[str]
    results: list[StoredResult]
    groups: Groups
    now: int
    classified: tuple[int, Classes] | None = None
    """The classes of the groups numbered so far (how many, and which): kept until a new group appears."""

    def batch(self, key: str, rows: int, tallied: Tally) -> CountBatch:
        """The count batch of a tally: good and valid per objective and minute, and the late-data adjustments."""
        first = tallied.first_minute
        counts = group_counts(tallied, self.groups)
        if self.classified is None or self.classified[0] < len(self.groups.numbers):
            self.classified = (len(self.groups.numbers), classes(self.versions, self.stream, self.groups, self.names))
        good, valid = objective_counts(
            self.versions, self.stream, self.groups, counts, first, self.names, self.classified[1]
        )
        objective, minute, good_rows, valid_rows = nonzero_rows(good, valid, first)
        adjustments = late_counts(self.results, counts, first, key, self.now)
        return CountBatch(
            key,
            self.agreement,
            self.stream,
            self.source,
            rows,
            self.names,
            objective,
            minute,
            good_rows,
            valid_rows,
            adjustments,
        )


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
    digest = FileDigest(path) if options.key is None else None
    agreements = stored_agreements(store, agreement)
    target = target_in(agreements, path.stem, options.objective)
    if target.kind != "events":
        raise NotEligible(f"stream {target.stream!r} holds {target.kind}, not events")
    versions = in_force(agreements)
    keys = tuple(eligible(path, versions, target.stream))
    names = stream_objectives(versions, target.stream)
    parts = file_parts(pq.read_metadata(path))
    report = IngestReport(str(path), agreement, target.stream, sum(p.rows for p in parts))
    base = f"{digest.hexdigest()}:{agreement}:{target.stream}" if digest else str(options.key)
    known = store.known_batches([_key(base, p) for p in parts])
    missing = [p for p in parts if _key(base, p) not in known]
    report.batches_known = len(parts) - len(missing)
    results = [r for r in store.results(agreement) if r.objective in names]
    counter = BatchCounts(agreement, target.stream, str(path), versions, names, results, Groups(keys), now)
    done = [report.rows - sum(p.rows for p in missing)]

    def stored(batches: list[CountBatch], new: list[bool]) -> None:  # on the writer's thread
        for batch, fresh in zip(batches, new, strict=True):
            report.batches_stored += fresh
            report.batches_known += not fresh
            report.adjustments += len(batch.adjustments) if fresh else 0
        done[0] += sum(b.rows for b in batches)
        if progress is not None:
            progress(done[0], report.rows)

    pending: list[CountBatch] = []
    with BatchWriter(store, now, stored) as writer:
        for tallied in _tallies(path, keys, missing):
            pending += [counter.batch(_key(base, part), part.rows, counted) for part, counted in tallied]
            if len(pending) >= STORE_BATCHES or sum(b.rows for b in pending) >= STORE_ROWS:
                writer.put(pending)
                pending = []
        writer.put(pending)
    return report


def _key(base: str, part: Part) -> str:
    return f"{base}:counts{COUNT_BATCH_ROWS}:{part.number}"


def _tallies(path: Path, keys: tuple[str, ...], parts: list[Part]) -> Iterator[list[tuple[Part, Tally]]]:
    """The tally of each part, row group by row group (decoded and counted on the decoding threads)."""
    if not parts:
        return iter(())
    by_group: dict[int, list[Part]] = {}
    for part in parts:
        by_group.setdefault(part.group, []).append(part)

    def work(group: int, batches: list[pa.RecordBatch]) -> list[tuple[Part, Tally]]:
        mine = by_group[group]
        return [(p, tally(b, keys)) for p, b in zip(mine, _cut(batches, mine), strict=True)]

    return map_groups(path, keys, list(by_group), work, COUNT_BATCH_ROWS)


def _cut(batches: list[pa.RecordBatch], parts: list[Part]) -> list[pa.RecordBatch]:
    """The rows of each part (of one row group) out of the row group's decoded batches.

    pyarrow decodes a row group in batches of exactly `COUNT_BATCH_ROWS` (the last one shorter),
    so each part is one of them; were it not so, the part is sliced out of them all.
    """
    at, offset = {}, 0
    for batch in batches:
        at[offset] = batch
        offset += batch.num_rows
    cut = []
    for part in parts:
        found = at.get(part.offset)
        if found is None or found.num_rows != part.rows:
            table = pa.Table.from_batches(batches).slice(part.offset, part.rows)
            found = pa.RecordBatch.from_arrays([c.combine_chunks() for c in table.columns], schema=table.schema)
        cut.append(found)
    return cut
