"""`BatchWriter`: groups of count batches stored on a thread, in order; its failure raised in the caller."""

from __future__ import annotations

import numpy as np
import pytest

from attain.ingestion.writer import BatchWriter
from attain.ports import CountBatch
from attain.testing import MemoryStore

T0 = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


def _batch(key: str, valid: int = 1) -> CountBatch:
    """A count batch of one minute of objective `a`."""
    one = np.array([0], dtype=np.int64)
    return CountBatch(key, "acme", "api", "x", valid, ["a"], one * 0, one * 0 + T0, one * 0, one * 0 + valid)


def test_groups_are_stored_in_the_order_put() -> None:
    """Each group is one store call, in order; the callback hears which batches were new."""
    store = MemoryStore()
    heard: list[tuple[list[str], list[bool]]] = []
    with BatchWriter(store, 0, lambda batches, new: heard.append(([b.key for b in batches], new))) as writer:
        writer.put([_batch("k1"), _batch("k2")])
        writer.put([])
        writer.put([_batch("k2"), _batch("k3", 5)])
    assert heard == [(["k1", "k2"], [True, True]), (["k2", "k3"], [False, True])]
    assert [e.key for e in store.ledger()] == ["k1", "k2", "k3"]


class FailingStore(MemoryStore):
    """A store whose second write fails."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def store_count_batches(self, batches: list[CountBatch], now: int) -> list[bool]:  # type: ignore[override]
        """Store the first group; fail on the second."""
        self.calls += 1
        if self.calls == 2:
            raise OSError("disk full")
        return super().store_count_batches(batches, now)


def test_a_failed_write_is_raised_in_the_caller_and_nothing_after_it_is_stored() -> None:
    """The writer's error comes out of `put` or of leaving the block; later groups are not stored."""
    store = FailingStore()

    def write_four() -> None:
        with BatchWriter(store, 0, lambda *_: None) as writer:
            for key in ("k1", "k2", "k3", "k4"):
                writer.put([_batch(key)])

    with pytest.raises(OSError, match="disk full"):
        write_four()
    assert [e.key for e in store.ledger()] == ["k1"]


def test_an_error_of_the_caller_still_waits_for_the_groups_put() -> None:
    """When the counting fails, the groups already handed over are stored whole before the error goes on."""
    store = MemoryStore()

    def fail_after_one() -> None:
        with BatchWriter(store, 0, lambda *_: None) as writer:
            writer.put([_batch("k1")])
            raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        fail_after_one()
    assert [e.key for e in store.ledger()] == ["k1"]
