"""The bulk writes that `SqlStore` makes, gathered from the modules of their concepts.

`insert` (chunked executemany, `ON CONFLICT` per dialect), `batch` (a batch's rows), `bucket`
(exact, additive minute buckets) and `rollup` (the hourly and daily sums of the minutes). This
module re-exports what `attain.storage.store` imports.
"""

from __future__ import annotations

from attain.storage.batch import write_adjustments, write_batch
from attain.storage.bucket import exact_sum, merge_buckets, upsert_buckets, write_buckets
from attain.storage.insert import CHUNK_ROWS, dialect_insert, insert_chunked
from attain.storage.rollup import add_counts, rebuild_rollups

__all__ = [
    "CHUNK_ROWS",
    "add_counts",
    "dialect_insert",
    "exact_sum",
    "insert_chunked",
    "merge_buckets",
    "rebuild_rollups",
    "upsert_buckets",
    "write_adjustments",
    "write_batch",
    "write_buckets",
]
