"""`tally`: a batch's rows per combination of filter values and minute, equal to a count row by row."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.engine.filter import ABSENT
from attain.ingestion import tally as tally_module
from attain.ingestion.eligibility import NotEligible
from attain.ingestion.tally import tally

MINUTE = 60_000_000
AT = 1_793_577_600_000_000  # 2026-11-02T00:00:00Z
KEYS = ("service", "ok", "status", "zone")


def _batch(rows: int, seed: int, unit: str = "us") -> pa.RecordBatch:
    """Random rows over three hours: strings with nulls and empties, dictionary text, booleans with nulls, ints."""
    rng = np.random.default_rng(seed)
    stamps = AT + rng.integers(0, 3 * 60 * MINUTE, rows)
    scale = {"ms": 1_000, "us": 1, "ns": 1}[unit]
    stamps = stamps // scale * scale  # whole milliseconds when the unit is ms
    raw = stamps // scale if unit == "ms" else stamps * 1_000 if unit == "ns" else stamps
    service = [["checkout", "search", "", None][i] for i in rng.integers(0, 4, rows)]
    ok = [[True, False, None][i] for i in rng.integers(0, 3, rows)]
    status = [int(v) for v in rng.choice([200, 500, 503], rows)]
    return pa.RecordBatch.from_pydict(
        {
            "timestamp": pa.array(raw, pa.timestamp(unit, tz="UTC")),
            "service": pa.array(service),
            "ok": pa.array(ok, pa.bool_()),
            "status": pa.array(status, pa.int16()),
            "region": pa.array(["eu"] * rows).dictionary_encode(),
        }
    )


def _by_hand(batch: pa.RecordBatch, keys: tuple[str, ...]) -> Counter[tuple[tuple[str, ...], int]]:
    """Rows per (values, minute), counted one row at a time in Python."""
    stamps = batch.column("timestamp")
    per_micro = {"ms": 1_000, "us": 1, "ns": 0.001}[stamps.type.unit]
    instants = [int(v * per_micro) for v in stamps.view(pa.int64()).to_pylist()]
    data = batch.drop_columns(["timestamp"]).to_pylist()
    found: Counter[tuple[tuple[str, ...], int]] = Counter()
    for micros, row in zip(instants, data, strict=True):
        values = []
        for key in keys:
            value = row.get(key)
            if value is None or value == "":
                values.append(ABSENT)
            elif isinstance(value, bool):
                values.append("true" if value else "false")
            else:
                values.append(str(value))
        found[tuple(values), micros - micros % MINUTE] += 1
    return found


def _as_counter(batch: pa.RecordBatch, keys: tuple[str, ...]) -> Counter[tuple[tuple[str, ...], int]]:
    counted = tally(batch, keys)
    found: Counter[tuple[tuple[str, ...], int]] = Counter()
    for values, row in zip(counted.values, counted.counts, strict=True):
        for column in np.flatnonzero(row).tolist():
            found[values, counted.first_minute + column * MINUTE] += int(row[column])
    return found


@pytest.mark.parametrize("unit", ["ms", "us", "ns"])
def test_the_tally_equals_a_count_row_by_row(unit: str) -> None:
    """Every (values, minute) holds as many rows as counting the rows one by one gives, in any unit."""
    batch = _batch(5_000, seed=1, unit=unit)
    keys = (*KEYS, "region")
    assert _as_counter(batch, keys) == _by_hand(batch, keys)
    assert int(tally(batch, keys).counts.sum()) == 5_000


def test_a_sliced_batch_reads_its_own_rows() -> None:
    """A batch that is a slice of a larger one (buffers with an offset) counts only its rows."""
    batch = _batch(3_000, seed=2).slice(1_001, 977)
    assert _as_counter(batch, KEYS) == _by_hand(batch, KEYS)


@pytest.mark.parametrize(("dense", "sparse", "widest"), [(0, 1 << 20, 1 << 62), (0, 0, 1 << 62), (0, 0, 1)])
def test_every_way_of_numbering_combinations_counts_the_same(
    monkeypatch: pytest.MonkeyPatch, dense: int, sparse: int, widest: int
) -> None:
    """A table over all combinations, over those present, by sort, or by rows of codes: the same counts."""
    batch = _batch(4_000, seed=3)
    expected = _by_hand(batch, KEYS)
    monkeypatch.setattr(tally_module, "DENSE_CELLS", dense)
    monkeypatch.setattr(tally_module, "SPARSE_COMBINATIONS", sparse)
    monkeypatch.setattr(tally_module, "WIDEST", widest)
    assert _as_counter(batch, KEYS) == expected


def test_a_key_the_file_lacks_is_absent_and_no_key_counts_all() -> None:
    """A missing column reads as absent in every row; without keys, rows are counted per minute alone."""
    batch = _batch(1_000, seed=4)
    assert _as_counter(batch, ("nowhere",)) == _by_hand(batch, ("nowhere",))
    assert _as_counter(batch, ()) == _by_hand(batch, ())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5 * MINUTE), st.sampled_from(["a", "b", "", None]), st.sampled_from([True, None])),
        min_size=1,
        max_size=50,
    )
)
def test_any_rows_are_counted_exactly(rows: list[tuple[int, str | None, bool | None]]) -> None:
    """For any rows, the tally equals the count row by row."""
    batch = pa.RecordBatch.from_pydict(
        {
            "timestamp": pa.array([AT + r[0] for r in rows], pa.timestamp("us", tz="UTC")),
            "service": pa.array([r[1] for r in rows], pa.string()),
            "ok": pa.array([r[2] for r in rows], pa.bool_()),
        }
    )
    assert _as_counter(batch, ("service", "ok")) == _by_hand(batch, ("service", "ok"))


def test_a_null_timestamp_is_not_eligible() -> None:
    """A null instant cannot be counted per minute: the file goes to the row-by-row path."""
    batch = pa.RecordBatch.from_pydict({"timestamp": pa.array([AT, None], pa.timestamp("us", tz="UTC"))})
    with pytest.raises(NotEligible, match="null"):
        tally(batch, ())


def test_counting_loads_neither_pandas_nor_numba(tmp_path: Path) -> None:
    """Reading the buffers directly keeps pyarrow from importing pandas, and numpy counts without numba."""
    path = tmp_path / "requests.parquet"
    pq.write_table(pa.Table.from_batches([_batch(2_000, seed=5)]), path)
    script = (
        "import sys; import pyarrow.parquet as pq; from attain.ingestion.tally import tally; "
        f"b = next(pq.ParquetFile({str(path)!r}).iter_batches()); tally(b, ('service', 'ok', 'status')); "
        "print(sorted(m for m in ('pandas', 'numba') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
