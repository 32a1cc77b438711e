"""Reading the fast path's Parquet files: the timestamp and filter columns in bounded batches.

`read_batches` decodes row groups on threads and yields them in file order with memory bounded
whatever the file's size; `span_of` gives the minutes a batch covers.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from attain.engine.instant import US_PER_MINUTE

BATCH_ROWS = 1 << 21
"""Rows decoded at a time: bounds memory whatever the file's size."""
PREFETCH = 2
"""Decoded row groups that may wait for the counting loop, per decoding thread."""
DECODERS = 2
"""Threads decoding row groups side by side (the machine this was tuned on has two cores)."""
TIMESTAMP = "timestamp"
"""The column holding each event's instant."""


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


def span_of(batch: pa.RecordBatch) -> tuple[int, int]:
    """The first minute and the number of minutes a batch's timestamps cover."""
    stamps: Any = batch.column(TIMESTAMP)
    if stamps.type.unit != "us":
        stamps = stamps.cast(pa.timestamp("us", tz=stamps.type.tz))
    bounds = pc.min_max(stamps.view(pa.int64()))
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    first = low - low % US_PER_MINUTE
    return first, (high - first) // US_PER_MINUTE + 1
