"""The engines, each computing the three answers (see `bench.answers`) the way its users would.

Raw events (`events.parquet`): attain (one pass, `attain.services.summary.summarize_file`),
pandas, DuckDB SQL and Polars lazy. Per-minute counts: attain from its own store (SqlStore on
SQLite, `summarize_stored`), DuckDB and Polars over `counts.parquet`. Each engine is a function
`(data directory, metadata) -> Answer`; `prepare` does the untimed setup (imports, connections).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.answers import WINDOWS, Answer, assemble, from_summaries

US_PER_MINUTE = 60_000_000
SOURCE = Path(__file__).resolve().parent.parent / "src"
"""This checkout's attain, which the whole commands run (not whatever the venv installed)."""
Engine = Callable[[Path, dict[str, Any]], Answer]


def iso(us: int) -> str:
    """An instant in µs as ISO 8601 UTC text."""
    return datetime.fromtimestamp(us / 1_000_000, UTC).isoformat()


def _bounds(meta: dict[str, Any]) -> tuple[int, int]:
    end = int(meta["end_us"])
    return end - period_minutes(meta) * US_PER_MINUTE, end


def period_minutes(meta: dict[str, Any]) -> int:
    """The objectives' rolling window in minutes: the data set's days."""
    return int(meta.get("days", 30)) * 1440


# attain -------------------------------------------------------------------------------------------


def attain_raw(data: Path, meta: dict[str, Any]) -> Answer:
    """Attain from the raw Parquet file: one counting pass (numpy, two decoding threads) for all three answers."""
    from attain.formats.bundle import load_bundle  # noqa: PLC0415 - each engine imports only its own stack
    from attain.services.summary import summarize_file, summary_data  # noqa: PLC0415

    agreement = load_bundle([data / "agreement.yaml"]).agreements[0]
    found = summarize_file(agreement, data / "events.parquet", "requests", int(meta["end_us"]))
    return from_summaries(summary_data(found))


def attain_store(data: Path, meta: dict[str, Any]) -> Answer:
    """Attain from its own store: SqlStore on the SQLite file that `attain ingest --buckets-only` filled."""
    from attain.services.summary import summarize_stored, summary_data  # noqa: PLC0415
    from attain.storage import SqlStore, connect  # noqa: PLC0415

    store = SqlStore(connect(f"sqlite:///{data / 'store' / 'attain.db'}"))
    return from_summaries(summary_data(summarize_stored(store, "bench", int(meta["end_us"]))))


def _command(data: Path, arguments: list[str], **env: str) -> Answer:
    """`attain ARGUMENTS --output json` as a whole command (interpreter start and imports included)."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    script = Path(sys.executable).with_name("attain")
    attain = [str(script)] if script.exists() else [sys.executable, "-m", "attain"]
    done = subprocess.run(  # noqa: S603
        [*attain, *arguments, "--output", "json"],
        capture_output=True,
        text=True,
        check=True,
        env={
            **_installed_like(),
            "PYTHONPATH": os.pathsep.join([str(SOURCE), os.environ.get("PYTHONPATH", "")]),
            **env,
        },
        cwd=data,
    )
    return from_summaries(json.loads(done.stdout))


def _installed_like() -> dict[str, str]:
    """This environment without PYTHONDONTWRITEBYTECODE: an installed attain runs from compiled byte-code.

    With it set (as in some sandboxes) every whole command would compile attain's modules again,
    about 0.1 s that no user pays; the warm-up run writes the byte-code the timed runs use.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def attain_raw_command(data: Path, meta: dict[str, Any]) -> Answer:
    """`attain summary agreement.yaml --data requests.parquet --at END`, timed as a whole command."""
    requests = data / "requests.parquet"
    if not requests.exists():
        requests.symlink_to((data / "events.parquet").resolve())
    arguments = ["summary", str(data / "agreement.yaml"), "--data", str(requests), "--at", iso(int(meta["end_us"]))]
    return _command(data, arguments)


def attain_store_command(data: Path, meta: dict[str, Any]) -> Answer:
    """`attain summary bench --at END` on the store `attain ingest --buckets-only` filled, as a whole command."""
    arguments = ["summary", "bench", "--at", iso(int(meta["end_us"]))]
    return _command(data, arguments, ATTAIN_DATA_DIR=str(data / "store"))


# DuckDB -------------------------------------------------------------------------------------------

DAY_US = 1440 * US_PER_MINUTE


def duckdb_queries(source: str, good: str, valid: str, time_column: str, meta: dict[str, Any]) -> list[str]:
    """The three queries as a DuckDB expert writes them: one per answer, integers throughout.

    Only the needed columns are read (DuckDB pushes the projection into `read_parquet`); the
    window filter compares the raw timestamp column with constants (row groups outside are
    skipped by their statistics); minutes and days are epoch-microsecond integers
    (`epoch_us(t) // 86400000000`), never a time-zone aware truncation per row.
    """
    start, end = _bounds(meta)
    where = f"{time_column} >= make_timestamptz({start}) AND {time_column} < make_timestamptz({end})"
    recent = (
        f"{time_column} >= make_timestamptz({end - 4320 * US_PER_MINUTE}) AND {time_column} < make_timestamptz({end})"
    )
    windows = []
    for minutes in WINDOWS.values():
        inside = f"FILTER (WHERE {time_column} >= make_timestamptz({end - minutes * US_PER_MINUTE}))"
        windows.append(f"{valid} {inside} - {good} {inside}, {valid} {inside}")
    day = f"epoch_us({time_column}) // {DAY_US} * {DAY_US}"
    return [
        f"SELECT service::VARCHAR, {good}, {valid} FROM {source} WHERE {where} GROUP BY ALL",  # noqa: S608
        f"SELECT service::VARCHAR, {day}, {good}, {valid} FROM {source} WHERE {where} GROUP BY ALL",  # noqa: S608
        f"SELECT service::VARCHAR, {', '.join(windows)} FROM {source} WHERE {recent} GROUP BY ALL",  # noqa: S608
    ]


def _duckdb_expert(source: str, good: str, valid: str, time_column: str, meta: dict[str, Any]) -> Answer:
    import duckdb  # noqa: PLC0415

    con = duckdb.connect()
    found = [con.sql(query).fetchall() for query in duckdb_queries(source, good, valid, time_column, meta)]
    return _assembled(meta, *found)


def _duckdb_naive(source: str, good: str, valid: str, time_column: str, meta: dict[str, Any]) -> Answer:
    import duckdb  # noqa: PLC0415

    start, end = _bounds(meta)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    low, high = f"TIMESTAMPTZ '{iso(start)}'", f"TIMESTAMPTZ '{iso(end)}'"
    where = f"{time_column} >= {low} AND {time_column} < {high}"
    totals = con.sql(
        f"SELECT service::VARCHAR, {good}, {valid} FROM {source} WHERE {where} GROUP BY ALL"  # noqa: S608
    ).fetchall()
    days = con.sql(
        f"SELECT service::VARCHAR, epoch_us(date_trunc('day', {time_column})), {good}, {valid} "  # noqa: S608
        f"FROM {source} WHERE {where} GROUP BY ALL"
    ).fetchall()
    inside = [f"FILTER (WHERE {time_column} >= {high} - INTERVAL {m} MINUTE)" for m in WINDOWS.values()]
    columns = ", ".join(f"{valid} {f} - COALESCE({good} {f}, 0), {valid} {f}" for f in inside)
    recent = con.sql(
        f"SELECT service::VARCHAR, {columns} FROM {source} "  # noqa: S608
        f"WHERE {time_column} >= {high} - INTERVAL 4320 MINUTE AND {time_column} < {high} GROUP BY ALL"
    ).fetchall()
    return _assembled(meta, totals, days, recent)


def _assembled(meta: dict[str, Any], totals: list[Any], days: list[Any], recent: list[Any]) -> Answer:
    day_rows: dict[str, list[list[int]]] = {}
    for name, day, g, v in days:
        day_rows.setdefault(name, []).append([int(day), int(g or 0), int(v or 0)])
    windows = {
        row[0]: {w: [int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0)] for i, w in enumerate(WINDOWS)}
        for row in recent
    }
    totals_by_name = {n: (int(g), int(v)) for n, g, v in totals}
    return assemble(meta["targets"], totals_by_name, day_rows, windows, period_minutes(meta))


def duckdb_raw(data: Path, meta: dict[str, Any]) -> Answer:
    """DuckDB SQL over the raw Parquet file as an expert writes it (`duckdb_queries`)."""
    source = f"read_parquet('{data / 'events.parquet'}')"
    return _duckdb_expert(source, "count_if(good)", "count(*)", "timestamp", meta)


def duckdb_counts(data: Path, meta: dict[str, Any]) -> Answer:
    """DuckDB SQL over the per-minute counts as an expert writes it (`duckdb_queries`)."""
    source = f"read_parquet('{data / 'counts.parquet'}')"
    return _duckdb_expert(source, "sum(good)", "sum(total)", "minute", meta)


def duckdb_raw_naive(data: Path, meta: dict[str, Any]) -> Answer:
    """DuckDB SQL over the raw Parquet file, the earlier form: time-zone aware day truncation, intervals."""
    source = f"read_parquet('{data / 'events.parquet'}')"
    return _duckdb_naive(source, "SUM(good::BIGINT)", "COUNT(*)", "timestamp", meta)


def duckdb_counts_naive(data: Path, meta: dict[str, Any]) -> Answer:
    """DuckDB SQL over the per-minute counts, the earlier form."""
    source = f"read_parquet('{data / 'counts.parquet'}')"
    return _duckdb_naive(source, "SUM(good)", "SUM(total)", "minute", meta)


# Polars -------------------------------------------------------------------------------------------


def polars_frames(frame: Any, good: Any, valid: Any, time_column: str, meta: dict[str, Any]) -> list[Any]:
    """The three lazy queries as a Polars expert writes them: integers throughout, one scan plan.

    `good` and `valid` take a row mask (or None: every row) and give the aggregation. The window
    filter compares the raw timestamp column with constants (statistics skip row groups); days are
    epoch-microsecond integers; the service stays categorical until the small aggregated frames
    are turned into rows.
    """
    import polars as pl  # noqa: PLC0415

    start, end = _bounds(meta)
    t = pl.col(time_column)

    def at(instant: int) -> Any:
        return pl.lit(instant).cast(pl.Datetime("us", "UTC"))

    window = frame.filter((t >= at(start)) & (t < at(end)))
    totals = window.group_by("service").agg(good(None).alias("g"), valid(None).alias("v"))
    day = (t.dt.epoch("us") // DAY_US * DAY_US).alias("day")
    days = window.group_by("service", day).agg(good(None).alias("g"), valid(None).alias("v"))
    aggregations = []
    for name, minutes in WINDOWS.items():
        inside = t >= at(end - minutes * US_PER_MINUTE)
        aggregations += [(valid(inside) - good(inside)).alias(f"b{name}"), valid(inside).alias(f"v{name}")]
    recent = frame.filter((t >= at(end - 4320 * US_PER_MINUTE)) & (t < at(end)))
    return [totals, days, recent.group_by("service").agg(aggregations)]


def _polars_rows(meta: dict[str, Any], totals_df: Any, days_df: Any, recent_df: Any) -> Answer:
    import polars as pl  # noqa: PLC0415

    name = pl.col("service").cast(pl.String)
    recent_rows = recent_df.select(name, *[pl.col(f"{k}{w}") for w in WINDOWS for k in "bv"]).rows()
    return _assembled(
        meta,
        totals_df.select(name, "g", "v").rows(),
        days_df.select(name, "day", "g", "v").rows(),
        recent_rows,
    )


def _polars_expert(frame: Any, good: Any, valid: Any, time_column: str, meta: dict[str, Any]) -> Answer:
    import polars as pl  # noqa: PLC0415

    return _polars_rows(meta, *pl.collect_all(polars_frames(frame, good, valid, time_column, meta)))


def _polars_naive(frame: Any, good: Any, valid: Any, time_column: str, meta: dict[str, Any]) -> Answer:
    import polars as pl  # noqa: PLC0415

    start, end = _bounds(meta)
    low, high = datetime.fromtimestamp(start / 1e6, UTC), datetime.fromtimestamp(end / 1e6, UTC)
    t = pl.col(time_column)
    window = frame.filter((t >= low) & (t < high)).with_columns(pl.col("service").cast(pl.String))
    totals = window.group_by("service").agg(good.sum().alias("g"), valid.sum().alias("v"))
    days = window.group_by("service", t.dt.truncate("1d").dt.epoch("us").alias("day")).agg(
        good.sum().alias("g"), valid.sum().alias("v")
    )
    aggregations = []
    for name, minutes in WINDOWS.items():
        inside = t >= pl.lit(high) - pl.duration(minutes=minutes)
        aggregations += [
            (valid.filter(inside).sum() - good.filter(inside).sum()).alias(f"b{name}"),
            valid.filter(inside).sum().alias(f"v{name}"),
        ]
    recent = window.filter(t >= pl.lit(high) - pl.duration(minutes=4320)).group_by("service").agg(aggregations)
    return _polars_rows(meta, *pl.collect_all([totals, days, recent]))


def polars_raw(data: Path, meta: dict[str, Any]) -> Answer:
    """Polars lazy over the raw Parquet file as an expert writes it (`polars_frames`)."""
    import polars as pl  # noqa: PLC0415

    frame = pl.scan_parquet(data / "events.parquet").select("timestamp", "service", "good")
    flag = pl.col("good")

    def good(mask: Any) -> Any:
        return (flag if mask is None else flag & mask).sum().cast(pl.Int64)

    def valid(mask: Any) -> Any:
        return pl.len().cast(pl.Int64) if mask is None else mask.sum().cast(pl.Int64)

    return _polars_expert(frame, good, valid, "timestamp", meta)


def polars_counts(data: Path, meta: dict[str, Any]) -> Answer:
    """Polars lazy over the per-minute counts as an expert writes it."""
    import polars as pl  # noqa: PLC0415

    frame = pl.scan_parquet(data / "counts.parquet").select("minute", "service", "good", "total")

    def summed(column: str) -> Any:
        return lambda mask: (pl.col(column) if mask is None else pl.col(column).filter(mask)).sum()

    return _polars_expert(frame, summed("good"), summed("total"), "minute", meta)


def polars_raw_naive(data: Path, meta: dict[str, Any]) -> Answer:
    """Polars lazy over the raw Parquet file, the earlier form (time-zone aware truncation, strings early)."""
    import polars as pl  # noqa: PLC0415

    frame = pl.scan_parquet(data / "events.parquet").select("timestamp", "service", "good")
    good = pl.col("good").cast(pl.Int64)
    return _polars_naive(frame, good, good.is_not_null().cast(pl.Int64), "timestamp", meta)


def polars_counts_naive(data: Path, meta: dict[str, Any]) -> Answer:
    """Polars lazy over the per-minute counts, the earlier form."""
    import polars as pl  # noqa: PLC0415

    frame = pl.scan_parquet(data / "counts.parquet")
    return _polars_naive(frame, pl.col("good"), pl.col("total"), "minute", meta)


# pandas -------------------------------------------------------------------------------------------


def pandas_raw(data: Path, meta: dict[str, Any]) -> Answer:
    """pandas: read the needed columns, then a groupby per answer."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    start, end = _bounds(meta)
    frame = pd.read_parquet(data / "events.parquet", columns=["timestamp", "service", "good"])
    stamps = frame["timestamp"]
    at = stamps.astype("int64") * (1_000_000 // {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1}.get(stamps.dt.unit, 1))
    if stamps.dt.unit == "ns":
        at = stamps.astype("int64") // 1_000
    frame = frame.assign(at=at, good=frame["good"].astype(np.int64))
    window = frame[(frame["at"] >= start) & (frame["at"] < end)]
    totals = window.groupby("service", observed=True)["good"].agg(["sum", "size"])
    days = window.assign(day=window["at"] - window["at"] % (1440 * US_PER_MINUTE))
    per_day = days.groupby(["service", "day"], observed=True)["good"].agg(["sum", "size"])
    recent = window[window["at"] >= end - 4320 * US_PER_MINUTE]
    columns = {}
    for name, minutes in WINDOWS.items():
        part = recent[recent["at"] >= end - minutes * US_PER_MINUTE].groupby("service", observed=True)["good"]
        counted = part.agg(["sum", "size"])
        columns[f"b{name}"] = counted["size"] - counted["sum"]
        columns[f"v{name}"] = counted["size"]
    table = pd.DataFrame(columns).fillna(0)
    recent_rows = [
        (str(service), *[int(row[f"{k}{w}"]) for w in WINDOWS for k in ("b", "v")]) for service, row in table.iterrows()
    ]
    return _assembled(
        meta,
        [(str(s), r["sum"], r["size"]) for s, r in totals.iterrows()],
        [(str(s), d, r["sum"], r["size"]) for (s, d), r in per_day.iterrows()],
        recent_rows,
    )


def prometheus(data: Path, meta: dict[str, Any]) -> Answer:  # noqa: ARG001 - the server holds the data
    """Prometheus over the backfilled per-minute counters (the server the runner started)."""
    from bench.prometheus import answer  # noqa: PLC0415

    return answer(os.environ["BENCH_PROMETHEUS_URL"], meta)


def prometheus_sloth(data: Path, meta: dict[str, Any]) -> Answer:
    """Prometheus as Sloth and Pyrra ask it: the 30-day `increase()` ratio only (not an exact answer)."""
    from bench.prometheus import sloth_ratio  # noqa: PLC0415

    sloth_ratio(os.environ["BENCH_PROMETHEUS_URL"], meta)
    del data
    return {}


ENGINES: dict[str, tuple[str, Engine]] = {
    "attain-raw": ("raw", attain_raw),
    "attain-raw-command": ("raw", attain_raw_command),
    "duckdb-raw": ("raw", duckdb_raw),
    "polars-raw": ("raw", polars_raw),
    "pandas-raw": ("raw", pandas_raw),
    "duckdb-raw-naive": ("raw", duckdb_raw_naive),
    "polars-raw-naive": ("raw", polars_raw_naive),
    "attain-store": ("counts", attain_store),
    "attain-store-command": ("counts", attain_store_command),
    "duckdb-counts": ("counts", duckdb_counts),
    "polars-counts": ("counts", polars_counts),
    "duckdb-counts-naive": ("counts", duckdb_counts_naive),
    "polars-counts-naive": ("counts", polars_counts_naive),
    "prometheus": ("counts", prometheus),
    "prometheus-increase": ("counts", prometheus_sloth),
}
"""Engine name → (input: raw events or per-minute counts, function)."""


def load_meta(data: Path) -> dict[str, Any]:
    """The data set's metadata written by `bench.generate`."""
    meta: dict[str, Any] = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    return meta
