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
    """Attain from the raw Parquet file: one bounded, compiled pass for all three answers."""
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


# DuckDB -------------------------------------------------------------------------------------------


def _duckdb(source: str, good: str, valid: str, time_column: str, meta: dict[str, Any]) -> Answer:
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
    """DuckDB SQL over the raw Parquet file, one query per answer."""
    source = f"read_parquet('{data / 'events.parquet'}')"
    return _duckdb(source, "SUM(good::BIGINT)", "COUNT(*)", "timestamp", meta)


def duckdb_counts(data: Path, meta: dict[str, Any]) -> Answer:
    """DuckDB SQL over the per-minute counts, one query per answer."""
    source = f"read_parquet('{data / 'counts.parquet'}')"
    return _duckdb(source, "SUM(good)", "SUM(total)", "minute", meta)


# Polars -------------------------------------------------------------------------------------------


def _polars(frame: Any, good: Any, valid: Any, time_column: str, meta: dict[str, Any]) -> Answer:
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
    totals_df, days_df, recent_df = pl.collect_all([totals, days, recent])
    recent_rows = [
        (row["service"], *[x for w in WINDOWS for x in (row[f"b{w}"], row[f"v{w}"])])
        for row in recent_df.iter_rows(named=True)
    ]
    return _assembled(
        meta,
        totals_df.select("service", "g", "v").rows(),
        days_df.select("service", "day", "g", "v").rows(),
        recent_rows,
    )


def polars_raw(data: Path, meta: dict[str, Any]) -> Answer:
    """Polars lazy over the raw Parquet file, the three answers collected together."""
    import polars as pl  # noqa: PLC0415

    frame = pl.scan_parquet(data / "events.parquet").select("timestamp", "service", "good")
    good = pl.col("good").cast(pl.Int64)
    return _polars(frame, good, good.is_not_null().cast(pl.Int64), "timestamp", meta)


def polars_counts(data: Path, meta: dict[str, Any]) -> Answer:
    """Polars lazy over the per-minute counts."""
    import polars as pl  # noqa: PLC0415

    frame = pl.scan_parquet(data / "counts.parquet")
    return _polars(frame, pl.col("good"), pl.col("total"), "minute", meta)


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
    "duckdb-raw": ("raw", duckdb_raw),
    "polars-raw": ("raw", polars_raw),
    "pandas-raw": ("raw", pandas_raw),
    "attain-store": ("counts", attain_store),
    "duckdb-counts": ("counts", duckdb_counts),
    "polars-counts": ("counts", polars_counts),
    "prometheus": ("counts", prometheus),
    "prometheus-increase": ("counts", prometheus_sloth),
}
"""Engine name → (input: raw events or per-minute counts, function)."""


def load_meta(data: Path) -> dict[str, Any]:
    """The data set's metadata written by `bench.generate`."""
    meta: dict[str, Any] = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    return meta
