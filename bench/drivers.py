"""How fast `attain drivers` answers over a year of per-minute events for 100 objectives.

    python -m bench.drivers                      # 100 objectives on 10 streams, 365 days
    python -m bench.drivers --streams 2 --days 60

A SQLite store holds one agreement of `streams × 10` ratio objectives. Each stream gets one
event per minute for `days` days (525,600 a year), each with four attributes (region, endpoint,
status, customer); the ten objectives of a stream differ in which endpoints they count as
valid, so each classifies the rows its own way. The rows are written with plain SQL (the
ingestion path is measured elsewhere), then `attain.services.drivers.drivers` ranks the last
whole month against the month before: one warm-up, then the median of 3 runs, wall-clock and
CPU time (this process's; SQLite runs in it), with the machine's load average beside them.

What the time is made of: the store keeps attributes only with the raw rows, not with the
minute counts, so drivers read the two months' events; the database groups them by value and
attributes (`SqlStore.event_groups`) and sends one row per distinct group, which the engine
classifies weighted by the counts. It grows with the events of those two months and the number
of streams, not with the year or with the objectives on one stream.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from attain.engine.instant import to_us
from attain.services.drivers import drivers
from attain.services.store import apply_text
from attain.storage import SqlStore, connect, upgrade

MINUTE = 60_000_000
START = datetime(2025, 11, 1, tzinfo=UTC)
AT = to_us(datetime(2026, 11, 1, tzinfo=UTC))
PERIOD = "2026-10"
REGIONS = ("eu-west", "eu-central", "us-east", "ap-south")
ENDPOINTS = tuple(f"/api/e{i}" for i in range(8))
STATUSES = ("ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "5xx", "timeout")
CUSTOMERS = tuple(f"c{i:02d}" for i in range(20))


def agreement_yaml(streams: int) -> str:
    """An agreement of `streams × 10` ratio objectives, ten per stream, each valid on a different pair of endpoints."""
    lines = [
        "apiVersion: attain/v1",
        "kind: Agreement",
        "metadata: {name: bench}",
        "spec:",
        "  title: Bench",
        "  parties: {provider: {name: P}, customer: {name: C}}",
        "  purpose: bench",
        "  effective: {from: 2025-11-01}",
        "  objectives:",
    ]
    for s in range(streams):
        for o in range(10):
            pair = f"[{ENDPOINTS[o % 8]}, {ENDPOINTS[(o + 3) % 8]}]"
            lines += [
                f"    - name: s{s}-o{o}",
                (
                    f"      indicator: {{kind: ratio, events: s{s}, valid: {{where: {{endpoint: {pair}}}}},"
                    " good: {where: {status: ok}}}"
                ),
                "      target: 99.5%",
                "      window: month",
            ]
    return "\n".join(lines) + "\n"


def fill(path: Path, streams: int, days: int, seed: int = 7) -> int:
    """Create the store: the agreement, then one event per minute per stream; return the rows written."""
    engine = connect(f"sqlite:///{path}")
    upgrade(engine)
    apply_text(SqlStore(engine), agreement_yaml(streams), "bench.yaml", now=0)
    engine.dispose()
    rng = np.random.default_rng(seed)
    minutes = days * 24 * 60
    first = to_us(START)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    written = 0
    for s in range(streams):
        key = f"bench-s{s}"
        con.execute("INSERT INTO ledger VALUES (?, 'bench', ?, 'bench', ?, 0)", (key, f"s{s}", minutes))
        picks = [rng.integers(0, len(values), minutes) for values in (REGIONS, ENDPOINTS, STATUSES, CUSTOMERS)]
        rows = (
            (
                key,
                f"s{s}",
                first + i * MINUTE,
                json.dumps(
                    {
                        "region": REGIONS[picks[0][i]],
                        "endpoint": ENDPOINTS[picks[1][i]],
                        "status": STATUSES[picks[2][i]],
                        "customer": CUSTOMERS[picks[3][i]],
                    }
                ),
            )
            for i in range(minutes)
        )
        con.executemany("INSERT INTO events (batch, stream, at, value, attributes) VALUES (?, ?, ?, NULL, ?)", rows)
        con.commit()
        written += minutes
    con.close()
    return written


def measure(path: Path, runs: int = 3) -> dict[str, object]:
    """Time `drivers` for the month before AT against the month before that: a warm-up, then `runs` runs."""
    engine = connect(f"sqlite:///{path}")
    store = SqlStore(engine)
    begun = time.perf_counter()
    report = drivers(store, "bench", PERIOD, AT)
    first = time.perf_counter() - begun
    times, cpu = [], []
    for _ in range(runs):
        begun, used = time.perf_counter(), time.process_time()
        drivers(store, "bench", PERIOD, AT)
        times.append(time.perf_counter() - begun)
        cpu.append(time.process_time() - used)
    engine.dispose()
    split = [o for o in report.objectives if o.drivers is not None]
    return {
        "objectives": len(report.objectives),
        "split": len(split),
        "bad_events": sum(o.drivers.bad for o in split if o.drivers is not None),
        "first_seconds": round(first, 3),
        "median_seconds": round(statistics.median(times), 3),
        "median_cpu_seconds": round(statistics.median(cpu), 3),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Fill a store (unless --store names one already filled) and print the timing as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=10, help="streams of ten objectives each (default 10: 100)")
    parser.add_argument("--days", type=int, default=365, help="days of per-minute events (default 365)")
    parser.add_argument("--store", type=Path, default=Path("bench-drivers.db"), help="the SQLite file")
    parser.add_argument("--reuse", action="store_true", help="measure the store as it is, without filling it")
    args = parser.parse_args(argv)
    rows = None
    if not args.reuse:
        args.store.unlink(missing_ok=True)
        begun = time.perf_counter()
        rows = fill(args.store, args.streams, args.days)
        filled = {"filled_rows": rows, "fill_seconds": round(time.perf_counter() - begun, 1)}
        sys.stdout.write(json.dumps(filled) + "\n")
        sys.stdout.flush()
    sys.stdout.write(json.dumps(measure(args.store)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
