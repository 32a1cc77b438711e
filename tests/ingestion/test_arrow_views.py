"""Arrow columns become NumPy arrays by viewing their buffers, exactly, without importing pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from attain.engine.filter import ABSENT
from attain.ingestion.tally import buffer_values, codes_of, instants

FLAGS = [True, False, None, True, True, False, False, True, True, False, True, None, False]


@pytest.mark.parametrize("offset", range(9))
@pytest.mark.parametrize("length", [0, 1, 3, 4])
def test_boolean_bits_follow_the_slice_offset(offset: int, length: int) -> None:
    """Each flag of a slice starting anywhere in a byte reads as its code: 0 false, 1 true, 2 null."""
    sliced = pa.array(FLAGS, type=pa.bool_()).slice(offset, length)
    expected = FLAGS[offset : offset + length]
    codes, names = codes_of(sliced)
    assert names == ["false", "true", ABSENT]
    assert codes.tolist() == [2 if flag is None else int(flag) for flag in expected]


@pytest.mark.parametrize("kind", [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32()])
def test_integer_values_follow_the_slice_offset(kind: pa.DataType) -> None:
    """A sliced integer array of any width reads back its own values, as a view (no copy)."""
    values = [0, 1, 2, 100, 7, 127, 3, 5, 9, 11]
    array = pa.array(values, type=kind)
    for offset in range(4):
        got = buffer_values(array.slice(offset, 5), kind.to_pandas_dtype())
        assert got.tolist() == values[offset : offset + 5]
        assert got.dtype.itemsize == kind.bit_width // 8
        assert not got.flags.owndata
    assert buffer_values(array.slice(3, 0), kind.to_pandas_dtype()).tolist() == []


def test_a_timestamp_viewed_as_integers_is_its_microseconds() -> None:
    """The view of a timestamp column is the epoch microseconds pyarrow stores."""
    stamps = pa.array([0, 59_999_999, 60_000_000, -1], type=pa.timestamp("us", tz="UTC")).slice(1)
    assert instants(pa.RecordBatch.from_arrays([stamps], ["timestamp"])).tolist() == [59_999_999, 60_000_000, -1]


def test_counting_a_file_does_not_import_pandas(tmp_path: Path) -> None:
    """Counting a Parquet file per group and minute leaves pandas unimported (0.23 s of start-up)."""
    table = pa.table(
        {
            "timestamp": pa.array(np.arange(1000, dtype=np.int64) * 1_000_000, type=pa.timestamp("us", tz="UTC")),
            "service": pa.array(["a", "b"] * 500).dictionary_encode(),
            "good": pa.array([True, False, True, None] * 250),
        }
    )
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from attain.ingestion.group import count_file\n"
        f"groups, counts = count_file(Path({str(path)!r}), ['service', 'good'], 0, 17)\n"
        "print(int(counts.counts.sum()), counts.outside, 'pandas' in sys.modules)\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={"PYTHONPATH": src}
    )
    # 1,000 rows, one a second: minutes 0..16 hold them all (16 minutes 40 s)
    assert done.stdout.split() == ["1000", "0", "False"]
