"""CPU seconds each Parquet reader needs to decode the raw path's columns (timestamp, service, good).

    python -m bench.decoders bench/data/100m/events.parquet

Reads the whole file with pyarrow (what `attain summary --data` uses), Polars and DuckDB (into
Arrow), the timestamp alone and the three columns; prints wall and CPU seconds (user + system,
all threads) of two runs after a warm-up. CPU seconds are the figure to compare on a loaded
machine.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from pathlib import Path

COLUMNS = ["timestamp", "service", "good"]


def measure(read: Callable[[], object], runs: int = 2) -> list[tuple[float, float]]:
    """Wall and CPU seconds of each run after one warm-up."""
    read()
    found = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        read()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
        found.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    return found


def main() -> None:
    """Command line (see the module docstring)."""
    import duckdb  # noqa: PLC0415 - the readers compared
    import polars as pl  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    path = parser.parse_args().file
    con = duckdb.connect()
    readers: dict[str, Callable[[], object]] = {
        "pyarrow timestamp": lambda: pq.read_table(path, columns=["timestamp"]),
        "pyarrow 3 columns": lambda: pq.read_table(path, columns=COLUMNS),
        "polars timestamp": lambda: pl.read_parquet(path, columns=["timestamp"]),
        "polars 3 columns": lambda: pl.read_parquet(path, columns=COLUMNS),
        "duckdb 3 columns": lambda: con.sql(
            f"SELECT epoch_us(timestamp), service, good FROM read_parquet('{path}')"  # noqa: S608
        ).to_arrow_table(),
    }
    for name, read in readers.items():
        runs = ", ".join(f"{wall:.2f} s wall / {cpu:.2f} s CPU" for wall, cpu in measure(read))
        print(f"{name}: {runs}", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
