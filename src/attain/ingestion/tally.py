"""Counting one batch of Parquet rows per combination of filter values and minute, in numpy.

`tally` is what `attain ingest --buckets-only` and `attain summary --data` run on each batch,
on the decoding threads: it reads the Arrow buffers as numpy arrays (no copy, and without the conversion paths of
`Array.to_numpy`, which import pandas), turns each filter column into dictionary codes, combines
a row's codes into one number (mixed radix) and counts rows per (combination, minute) with one
`np.bincount`. About ten nanoseconds a row, all integer arithmetic, so exact; numpy releases the
GIL in its loops, so two threads count side by side, and no compiled kernel has to be loaded
(a numba kernel did this before: no faster at 100M rows, and half a second to import and load).

The combinations are few (the values seen of the columns the objectives filter on), each given
as the tuple of its values' texts (`attain.engine.filter.text`, `ABSENT` for null or empty), so
the caller can number and classify them exactly as `attain.ingestion.group` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from attain.engine.filter import ABSENT, text
from attain.engine.instant import US_PER_MINUTE
from attain.ingestion.eligibility import NotEligible
from attain.ingestion.parquet import TIMESTAMP

DENSE_CELLS = 1 << 22
"""Cells (combinations × minutes) counted in one table over every combination the radices allow."""
SPARSE_COMBINATIONS = 1 << 20
"""Combinations renumbered through a full table; beyond it through a sort (`np.unique`)."""
WIDEST = 1 << 62
"""Products of radices at or beyond this are combined row-wise (`np.unique` on the code rows)."""


@dataclass(frozen=True)
class Tally:
    """A batch's rows per combination (row i: `values[i]`) and minute (column j: `first_minute` + j minutes)."""

    first_minute: int
    values: list[tuple[str, ...]]
    counts: npt.NDArray[np.int64]


def buffer_values(array: pa.Array, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """The values buffer of a fixed-width Arrow array without nulls, as a numpy view (no copy)."""
    if len(array) == 0:
        return np.zeros(0, dtype=dtype)
    skip = array.offset * np.dtype(dtype).itemsize
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=skip)


def _bits(buffer: pa.Buffer, offset: int, size: int) -> npt.NDArray[np.uint8]:
    """The bits `offset … offset + size` of an Arrow bitmap, one uint8 (0 or 1) each."""
    return np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), count=offset + size, bitorder="little")[offset:]


def instants(batch: pa.RecordBatch) -> npt.NDArray[np.int64]:
    """The batch's timestamps as int64 microseconds (a view of the Arrow buffer when already in µs).

    Raises:
        NotEligible: a timestamp is null (the row-by-row path reports such rows).
    """
    stamps = batch.column(TIMESTAMP)
    if stamps.null_count:
        raise NotEligible("a timestamp is null")
    if stamps.type.unit != "us":
        stamps = stamps.cast(pa.timestamp("us", tz=stamps.type.tz))
    return buffer_values(stamps, np.int64)


def codes_of(array: pa.Array) -> tuple[npt.NDArray[Any], list[str]]:
    """Dictionary codes of a column (nulls get the last code) and the normalised text of each code.

    Without nulls the codes are the Arrow buffers themselves (no copy) or, for booleans, the
    unpacked bits.
    """
    size = len(array)
    if pa.types.is_boolean(array.type):
        flags = _bits(array.buffers()[1], array.offset, size) if size else np.zeros(0, np.uint8)
        if array.null_count:
            present = _bits(array.buffers()[0], array.offset, size)
            return np.where(present, flags, 2).astype(np.uint8), ["false", "true", ABSENT]
        return flags, ["false", "true", ABSENT]
    if not pa.types.is_dictionary(array.type):
        array = pc.dictionary_encode(array)
    indices, dictionary = array.indices, array.dictionary
    names = [ABSENT if (t := text(v)) is None or t == "" else t for v in dictionary.to_pylist()]
    names.append(ABSENT)
    codes = buffer_values(indices, indices.type.to_pandas_dtype())
    if indices.null_count:  # the values under a null are undefined: the validity bits choose
        present = _bits(indices.buffers()[0], indices.offset, size)
        codes = np.where(present, codes, len(dictionary)).astype(np.int64)
    return codes, names


def tally(batch: pa.RecordBatch, keys: tuple[str, ...]) -> Tally:
    """Rows of a batch per combination of the `keys` columns' values and minute (see the module docstring).

    A key the batch lacks counts as absent in every row. The minutes run from the batch's first
    to its last instant, so no row falls outside.
    """
    at = instants(batch)
    if at.size == 0:
        return Tally(0, [], np.zeros((0, 0), dtype=np.int64))
    low = int(at.min())
    first = low - low % US_PER_MINUTE
    minutes = (int(at.max()) - first) // US_PER_MINUTE + 1
    columns: list[npt.NDArray[Any]] = []
    names: list[list[str]] = []
    for key in keys:
        index = batch.schema.get_field_index(key)
        codes, texts = (np.zeros(at.size, np.uint8), [ABSENT]) if index < 0 else codes_of(batch.column(index))
        columns.append(codes)
        names.append(texts)
    minute = at - first
    minute //= US_PER_MINUTE
    present, row = _combinations(at.size, columns, [len(n) for n in names], minutes)
    row *= minutes
    row += minute
    counts = np.bincount(row, minlength=len(present) * minutes).reshape(len(present), minutes)
    kept = np.flatnonzero(counts.any(axis=1)).tolist()
    values = [tuple(names[k][c] for k, c in enumerate(present[i])) for i in kept]
    return Tally(first, values, counts[kept].astype(np.int64, copy=False))


def _combinations(
    rows: int, columns: list[npt.NDArray[Any]], radices: list[int], minutes: int
) -> tuple[list[tuple[int, ...]], npt.NDArray[np.intp]]:
    """Combinations of codes (each as its codes; those of every row among them) and each row's index."""
    size = 1
    for radix in radices:
        size *= radix
    if size >= WIDEST:
        stacked = np.stack([c.astype(np.int64) for c in columns], axis=1)
        distinct, inverse = np.unique(stacked, axis=0, return_inverse=True)
        return [tuple(r) for r in distinct.tolist()], inverse.reshape(-1).astype(np.intp)
    combined = np.zeros(rows, dtype=np.intp)
    for codes, radix in zip(columns, radices, strict=True):
        combined *= radix
        np.add(combined, codes, out=combined, casting="unsafe")  # codes are small and non-negative
    if size * minutes <= DENSE_CELLS:
        seen = np.arange(size)
        index = combined
    elif size <= SPARSE_COMBINATIONS:
        seen = np.flatnonzero(np.bincount(combined, minlength=size))
        renumber = np.zeros(size, dtype=np.intp)
        renumber[seen] = np.arange(seen.size)
        index = renumber[combined]
    else:
        seen, index = np.unique(combined, return_inverse=True)
    return [_digits(int(code), radices) for code in seen.tolist()], index.astype(np.intp, copy=False)


def _digits(code: int, radices: list[int]) -> tuple[int, ...]:
    """The codes of each column that a mixed-radix combination stands for."""
    digits = []
    for radix in reversed(radices):
        code, digit = divmod(code, radix)
        digits.append(digit)
    return tuple(reversed(digits))
