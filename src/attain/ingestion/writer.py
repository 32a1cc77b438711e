"""Storing count batches on a thread of their own, in order, while the next ones are counted.

A transaction's commit waits for the disk (SQLite's WAL with `synchronous=FULL` syncs it: tens of
milliseconds here), and SQLite's own work and the wait release the GIL; so `BatchWriter` stores
each group of batches (`Store.store_count_batches`, one transaction) on one thread while the
ingestion thread counts the next. The order of the transactions is the order the groups were
handed over, and each is all or nothing, so a run killed at any moment leaves whole batches, as
when they were stored in line. At most `WAITING` groups wait, so memory stays bounded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self

from attain.ports import CountBatch, Store

WAITING = 1
"""Groups of batches handed over and not yet being stored."""

Stored = Callable[[list[CountBatch], list[bool]], None]
"""Called on the writer's thread after each group is stored, with which of its batches were new."""


class BatchWriter:
    """Stores groups of count batches on a thread, one transaction each, in the order they are put.

    Use as a context manager: leaving it waits for the groups already put to be stored (or, after
    an error, for the writer to stop) and raises the writer's error, if any, in the caller.
    """

    def __init__(self, store: Store, now: int, stored: Stored) -> None:
        self._store, self._now, self._stored = store, now, stored
        self._queue: queue.Queue[list[CountBatch] | None] = queue.Queue(maxsize=WAITING)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="count-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batches := self._queue.get()) is not None:
            if self._error is not None:
                continue  # after a failure nothing more is stored; the queue is only drained
            try:
                self._stored(batches, self._store.store_count_batches(batches, self._now))
            except BaseException as error:  # noqa: BLE001 - raised in the caller's thread
                self._error = error

    def put(self, batches: list[CountBatch]) -> None:
        """Hand over a group of batches (waits while `WAITING` groups wait); raises an earlier failure."""
        if self._error is not None:
            raise self._error
        if batches:
            self._queue.put(batches)

    def __enter__(self) -> Self:
        """The writer, its thread started."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        """Wait for the groups put so far to be stored; raise the writer's failure unless one is already raised."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and error is None:
            raise self._error
