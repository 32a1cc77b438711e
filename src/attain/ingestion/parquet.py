"""Reading the fast path's Parquet files: the timestamp and filter columns in bounded batches.

`map_groups` decodes chosen row groups on threads, works on each there and yields the results in
order with memory bounded whatever the file's size; `read_batches` yields the decoded batches of
every row group (the order and sizes that number a file's count batches, see
`attain.ingestion.counting`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

BATCH_ROWS = 1 << 21
"""Rows decoded at a time: bounds memory whatever the file's size."""
PREFETCH = 2
"""Decoded row groups that may wait for the counting loop, per decoding thread."""
DECODERS = 2
"""Threads decoding row groups side by side (the machine this was tuned on has two cores)."""
TIMESTAMP = "timestamp"
"""The column holding each event's instant."""
T = TypeVar("T")


def read_batches(path: Path, keys: Sequence[str], batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """The file's timestamp and filter columns, row group by row group, `batch_rows` at most at a time.

    `DECODERS` threads decode row groups (see `map_groups`) while the caller counts (pyarrow and
    the compiled kernels release the GIL); batches come out in file order.
    """
    groups = range(pq.read_metadata(path).num_row_groups)
    for batches in map_groups(path, keys, groups, lambda _, batches: batches, batch_rows):
        yield from batches


def map_groups(
    path: Path,
    keys: Sequence[str],
    groups: Sequence[int],
    work: Callable[[int, list[pa.RecordBatch]], T],
    batch_rows: int = BATCH_ROWS,
) -> Iterator[T]:
    """`work(group, batches)` of each of `groups`, decoded (timestamp and the `keys` present) and worked on threads.

    `DECODERS` threads take the groups in turn (thread k the groups k, k + DECODERS, … of the
    list) and run `work` on each as soon as it is decoded, so that work which releases the GIL
    (pyarrow, numpy) runs on both cores; results come out in the order of `groups`, and at most
    `PREFETCH` results wait per thread, so memory stays bounded whatever the file's size.
    """
    source = pq.ParquetFile(path, pre_buffer=False)
    columns = [TIMESTAMP, *(k for k in keys if k in source.schema_arrow.names)]
    threads = min(DECODERS, len(groups))
    queues: list[queue.Queue[T | BaseException]] = [queue.Queue(maxsize=PREFETCH) for _ in range(threads)]
    stop = threading.Event()

    def decode(first: int) -> None:
        mine = pq.ParquetFile(path, pre_buffer=False)
        try:
            for group in groups[first::threads]:
                if stop.is_set():
                    return
                batches = list(mine.iter_batches(batch_size=batch_rows, row_groups=[group], columns=columns))
                queues[first].put(work(group, batches))
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread, which raises it
            queues[first].put(error)

    workers = [
        threading.Thread(target=decode, args=(k,), name=f"parquet-decode-{k}", daemon=True) for k in range(threads)
    ]
    for worker in workers:
        worker.start()
    try:
        for index in range(len(groups)):
            item = queues[index % threads].get()
            if isinstance(item, BaseException):
                raise item
            yield item
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
