"""Counting a Parquet file of events per objective and minute in one compiled pass, in bounded batches.

The objectives of a stream filter events on a few attributes (`service`, `good`, `status`, …).
Each batch of rows is read with pyarrow (only the timestamp and those columns), each attribute is
turned into dictionary codes, and a row's codes combine into one group number: one distinct
combination of the attribute values. `attain.engine.onepass.count_minutes` then counts rows per
group and minute in one pass, whatever the number of objectives. The groups are few (the product
of the distinct values seen), so each is classified with `attain.engine.classify` exactly as an
event with those attributes would be, by every agreement version; an objective's counts are the
sums of its groups' rows over the minutes its version is in force. The counts are therefore those
of `attain.ingestion.batches.minute_buckets` on the same rows.

It applies when every event objective of the stream classifies by attributes alone (ratio and
probe indicators), the timestamp column is a Parquet timestamp with a time zone and has no null,
and versions start on whole minutes; `eligible` says why not otherwise, and callers fall back to
the row-by-row path, which reports bad rows one by one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from attain.engine.classify import classify
from attain.engine.filter import ABSENT, text
from attain.engine.instant import US_PER_MINUTE
from attain.engine.measurement import Event, EventTable
from attain.engine.onepass import combine_codes, count_combined
from attain.engine.versions import InForce
from attain.model import AvailabilityIndicator, Objective, RatioIndicator, Selector, stream_name

BATCH_ROWS = 1 << 21
"""Rows decoded at a time: bounds memory whatever the file's size."""
PREFETCH = 2
"""Decoded row groups that may wait for the counting loop, per decoding thread."""
DECODERS = 2
"""Threads decoding row groups side by side (the machine this was tuned on has two cores)."""
TIMESTAMP = "timestamp"


class NotEligible(ValueError):
    """The file or the objectives need the row-by-row path; the message says why."""


def stream_objectives(versions: Sequence[InForce], stream: str) -> list[str]:
    """Names of the objectives (any version) counted per minute from events of `stream`, in order."""
    names: list[str] = []
    for version in versions:
        for objective in version.agreement.objectives:
            if _counted(objective, stream) and objective.name not in names:
                names.append(objective.name)
    return names


def _counted(objective: Objective, stream: str) -> bool:
    indicator = objective.indicator
    return stream_name(objective) == stream and indicator.rows == "events" and not indicator.fed_by_metric_source


def filter_keys(versions: Sequence[InForce], stream: str) -> list[str]:
    """The attribute columns the stream's objectives filter on.

    Raises:
        NotEligible: an objective of the stream needs event values (threshold, statistic) or raw
            rows (freshness), which counting by attributes cannot give.
    """
    keys: set[str] = set()
    for version in versions:
        for objective in version.agreement.objectives:
            if stream_name(objective) != stream or objective.indicator.rows != "events":
                continue
            indicator = objective.indicator
            if isinstance(indicator, RatioIndicator):
                selectors = [indicator.valid, indicator.good, indicator.bad]
            elif isinstance(indicator, AvailabilityIndicator):
                selectors = [Selector(where=indicator.where), indicator.up]
            else:
                raise NotEligible(f"objective {objective.name!r} is a {indicator.kind} indicator, which needs values")
            for selector in selectors:
                if selector is not None:
                    keys |= set(selector.where) | set(selector.where_not)
    return sorted(keys)


def eligible(path: Path, versions: Sequence[InForce], stream: str) -> list[str]:
    """The filter columns, after checking that the fast path applies to this file and stream.

    Raises:
        NotEligible: with the reason (not Parquet, timestamp type, nulls, objectives, versions).
    """
    if path.suffix.lower() != ".parquet":
        raise NotEligible("only Parquet files are counted in one pass")
    keys = filter_keys(versions, stream)
    metadata = pq.read_metadata(path)
    schema = metadata.schema.to_arrow_schema()
    if TIMESTAMP not in schema.names:
        raise NotEligible("no timestamp column")
    kind = schema.field(TIMESTAMP).type
    if not pa.types.is_timestamp(kind) or kind.tz is None:
        raise NotEligible(f"timestamp is {kind}, not a timestamp with a time zone")
    column = schema.names.index(TIMESTAMP)
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(column).statistics
        if stats is None or not stats.has_null_count or stats.null_count:
            raise NotEligible("the timestamp column may hold nulls")
    for version in versions:
        if version.start % US_PER_MINUTE:
            raise NotEligible("a version starts within a minute")
    return [k for k in keys if k in schema.names] + [k for k in keys if k not in schema.names]


@dataclass
class Groups:
    """The distinct combinations of filter values seen so far, each with a group number."""

    keys: tuple[str, ...]
    numbers: dict[tuple[str, ...], int] = field(default_factory=dict)

    def number(self, values: tuple[str, ...]) -> int:
        """The group number of a combination, assigned on first sight."""
        return self.numbers.setdefault(values, len(self.numbers))

    def table(self) -> EventTable:
        """One event per group, in group order, with its attributes (absent ones left out)."""
        ordered = sorted(self.numbers.items(), key=lambda item: item[1])
        return EventTable.from_events(
            [
                Event(0, None, {k: v for k, v in zip(self.keys, values, strict=True) if v != ABSENT})
                for values, _ in ordered
            ]
        )


def _codes(array: pa.Array) -> tuple[npt.NDArray[Any], list[str]]:
    """Dictionary codes of a column (nulls get the last code) and the normalised text of each code.

    Without nulls the codes are the Arrow buffers themselves (no copy) or, for booleans, the
    unpacked bits as uint8.
    """
    if pa.types.is_boolean(array.type):
        flags = array.to_numpy(zero_copy_only=False)
        if array.null_count:
            codes = np.where(array.is_null().to_numpy(zero_copy_only=False), 2, flags.astype(np.int32))
            return codes.astype(np.int32), ["false", "true", ABSENT]
        return flags.view(np.uint8), ["false", "true", ABSENT]
    if not pa.types.is_dictionary(array.type):
        array = pc.dictionary_encode(array)
    indices, dictionary = array.indices, array.dictionary
    names = [ABSENT if (t := text(v)) is None or t == "" else t for v in dictionary.to_pylist()]
    names.append(ABSENT)
    if indices.null_count:
        indices = pc.fill_null(indices, len(dictionary))
    return indices.to_numpy(zero_copy_only=False), names


LUT_LIMIT = 1 << 20
"""Combinations of one batch mapped through a full table; beyond it only those present are."""


def batch_groups(
    batch: pa.RecordBatch, groups: Groups
) -> tuple[npt.NDArray[np.int64], list[npt.NDArray[Any]], list[int], npt.NDArray[np.int32]]:
    """A batch's instants (µs), code columns, their radices and the table from combination to group."""
    stamps = batch.column(TIMESTAMP)
    if stamps.null_count:
        raise NotEligible("a timestamp is null")
    if stamps.type.unit != "us":
        stamps = stamps.cast(pa.timestamp("us", tz=stamps.type.tz))
    at = stamps.view(pa.int64()).to_numpy(zero_copy_only=False)
    columns: list[npt.NDArray[Any]] = []
    names: list[list[str]] = []
    for key in groups.keys:
        index = batch.schema.get_field_index(key)
        if index < 0:
            columns.append(np.zeros(at.size, dtype=np.uint8))
            names.append([ABSENT])
        else:
            codes, texts = _codes(batch.column(index))
            columns.append(codes)
            names.append(texts)
    radices = [len(n) for n in names]
    size = int(np.prod(np.array(radices, dtype=np.float64)))
    if size <= LUT_LIMIT:
        present = np.arange(size)
    else:
        present = np.flatnonzero(np.bincount(combine_codes([c.astype(np.int32) for c in columns], radices)))
    lut = np.zeros(int(present.max(initial=0)) + 1, dtype=np.int32)
    for code in present.tolist():
        values, rest = [], code
        for radix, texts in zip(reversed(radices), reversed(names), strict=True):
            values.append(texts[rest % radix])
            rest //= radix
        lut[code] = groups.number(tuple(reversed(values)))
    return at, columns, radices, lut


def read_batches(path: Path, keys: Sequence[str], batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """The file's timestamp and filter columns, row group by row group, `batch_rows` at most at a time.

    `DECODERS` threads decode row groups (thread k the groups k, k + DECODERS, …) while the caller
    counts (pyarrow and the compiled kernels release the GIL); batches come out in file order, and
    at most `PREFETCH` decoded row groups wait per thread, so memory stays bounded.
    """
    source = pq.ParquetFile(path, pre_buffer=False)
    present = [k for k in keys if k in source.schema_arrow.names]
    groups = source.num_row_groups
    queues: list[queue.Queue[list[pa.RecordBatch] | BaseException]] = [
        queue.Queue(maxsize=PREFETCH) for _ in range(DECODERS)
    ]
    stop = threading.Event()

    def decode(first: int) -> None:
        mine = pq.ParquetFile(path, pre_buffer=False)
        try:
            for group in range(first, groups, DECODERS):
                if stop.is_set():
                    return
                columns = [TIMESTAMP, *present]
                queues[first].put(list(mine.iter_batches(batch_size=batch_rows, row_groups=[group], columns=columns)))
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread, which raises it
            queues[first].put(error)

    workers = [
        threading.Thread(target=decode, args=(k,), name=f"parquet-decode-{k}", daemon=True) for k in range(DECODERS)
    ]
    for worker in workers:
        worker.start()
    try:
        for group in range(groups):
            item = queues[group % DECODERS].get()
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        _drain(workers, queues)


def _drain(workers: list[threading.Thread], queues: list[queue.Queue[Any]]) -> None:
    """Empty the queues until every decoding thread has seen the stop and ended."""
    for worker, waiting in zip(workers, queues, strict=True):
        while worker.is_alive():
            try:
                waiting.get(timeout=0.01)
            except queue.Empty:
                continue


@dataclass
class GroupCounts:
    """Rows per group and minute over `[first_minute, first_minute + minutes)`, growing with the groups."""

    first_minute: int
    minutes: int
    counts: npt.NDArray[np.int64] = field(init=False)
    outside: int = 0

    def __post_init__(self) -> None:
        self.counts = np.zeros((0, self.minutes), dtype=np.int64)

    def add(
        self,
        at: npt.NDArray[np.int64],
        columns: list[npt.NDArray[Any]],
        radices: list[int],
        lut: npt.NDArray[np.int32],
    ) -> None:
        """Count a batch (combinations of its code columns mapped to groups by `lut`)."""
        needed = int(lut.max(initial=0)) + 1
        if self.counts.shape[0] < needed:
            grown = np.zeros((max(needed, 2 * self.counts.shape[0]), self.minutes), dtype=np.int64)
            grown[: self.counts.shape[0]] = self.counts
            self.counts = grown
        self.outside += count_combined(at, columns, radices, lut, self.first_minute, self.counts)


def count_file(path: Path, keys: Sequence[str], first_minute: int, minutes: int) -> tuple[Groups, GroupCounts]:
    """Rows of a Parquet file per group and minute, one bounded batch at a time."""
    groups = Groups(tuple(keys))
    counts = GroupCounts(first_minute, minutes)
    for batch in read_batches(path, keys):
        counts.add(*batch_groups(batch, groups))
    return groups, counts


def objective_counts(
    versions: Sequence[InForce],
    stream: str,
    groups: Groups,
    counts: npt.NDArray[np.int64],
    first_minute: int,
    names: Sequence[str],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Good and valid per objective (rows, in `names` order) and minute, each minute by its version."""
    minutes = counts.shape[1]
    good = np.zeros((len(names), minutes), dtype=np.int64)
    valid = np.zeros((len(names), minutes), dtype=np.int64)
    table = groups.table()
    rows = {name: i for i, name in enumerate(names)}
    for version in versions:
        low = max(0, -(-(version.start - first_minute) // US_PER_MINUTE))
        high = minutes if version.end is None else min(minutes, (version.end - first_minute) // US_PER_MINUTE)
        if high <= low:
            continue
        for objective in version.agreement.objectives:
            if not _counted(objective, stream):
                continue
            indicator = objective.indicator
            assert isinstance(indicator, RatioIndicator | AvailabilityIndicator)
            is_valid, is_good = classify(indicator, table)
            row = rows[objective.name]
            seen = min(table.size, counts.shape[0])  # groups first seen later have no rows here
            part = counts[:seen, low:high]
            valid[row, low:high] = part[is_valid[:seen]].sum(axis=0)
            good[row, low:high] = part[is_good[:seen]].sum(axis=0)
    return good, valid


def nonzero_rows(
    good: npt.NDArray[np.int64], valid: npt.NDArray[np.int64], first_minute: int
) -> tuple[npt.NDArray[np.int64], ...]:
    """The (objective row, minute instant, good, valid) of every minute with a valid event."""
    rows, columns = np.nonzero(valid)
    minute = first_minute + columns.astype(np.int64) * US_PER_MINUTE
    return rows.astype(np.int64), minute, good[rows, columns], valid[rows, columns]


def span_of(batch: pa.RecordBatch) -> tuple[int, int]:
    """The first minute and the number of minutes a batch's timestamps cover."""
    stamps: Any = batch.column(TIMESTAMP)
    if stamps.type.unit != "us":
        stamps = stamps.cast(pa.timestamp("us", tz=stamps.type.tz))
    bounds = pc.min_max(stamps.view(pa.int64()))
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    first = low - low % US_PER_MINUTE
    return first, (high - first) // US_PER_MINUTE + 1
