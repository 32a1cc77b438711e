"""How attain's stored evaluation grows with objectives and window days (1k/10k objectives × 7/30/90 days).

    python -m bench.scale                       # the whole table
    python -m bench.scale --objectives 10000 --days 30

For each size a SQLite store is filled with the rows the summary reads: day rollups over the
window, hour rollups of the last 3 days and minutes of the last hour, consistent with each other
(the hours sum to their days, the minutes to their hour). Older minutes and hours are left out:
the summary never reads them (every read is a primary-key range), and writing 432M minute rows for
10k objectives × 30 days into SQLite would take most of an hour. The summary is then measured in
its own process (`--measure`) under `/usr/bin/time -v`: a warm-up, then the median of 3 runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

from bench.run import ROOT, environment, timed

MINUTE = 60_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
AT = 1_793_577_600_000_000  # 2026-11-02T00:00:00Z


def names(objectives: int) -> list[str]:
    """Objective names o00000, o00001, …."""
    return [f"o{i:05d}" for i in range(objectives)]


def fill(path: Path, objectives: int, days: int, seed: int = 11) -> int:
    """Create the store at `path` with consistent day, hour and minute rows; return rows written."""
    from attain.storage import connect, upgrade  # noqa: PLC0415
    from attain.storage.hour_row import Hours  # noqa: PLC0415
    from attain.storage.hour_table import add_hours  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    engine = connect(f"sqlite:///{path}")
    upgrade(engine)
    rng = np.random.default_rng(seed)
    rate = rng.lognormal(5, 1, objectives)  # events per minute
    minutes = rng.poisson(rate[:, None], (objectives, 60)).astype(np.int64)
    minutes_bad = rng.binomial(minutes, 0.002)
    hours = rng.poisson(60 * rate[:, None], (objectives, 72)).astype(np.int64)
    hours[:, -1] = minutes.sum(axis=1)
    hours_bad = rng.binomial(hours, 0.001)
    hours_bad[:, -1] = minutes_bad.sum(axis=1)
    day_counts = rng.poisson(1440 * rate[:, None], (objectives, days)).astype(np.int64)
    day_counts[:, -3:] = hours.reshape(objectives, 3, 24).sum(axis=2)
    days_bad = rng.binomial(day_counts, 0.001)
    days_bad[:, -3:] = hours_bad.reshape(objectives, 3, 24).sum(axis=2)
    listed = names(objectives)
    written = 0
    with engine.begin() as conn:
        for table, column, valid, bad, start, span in (
            ("buckets", "minute", minutes, minutes_bad, AT - HOUR, MINUTE),
            ("bucket_hours", "hour", hours, hours_bad, AT - 3 * DAY, HOUR),
            ("bucket_days", "day", day_counts, days_bad, AT - days * DAY, DAY),
        ):
            if table == "buckets":  # minutes are stored in hour rows, through the store's writer
                o, m = np.divmod(np.arange(valid.size, dtype=np.int64), valid.shape[1])
                good = (valid - bad).ravel().astype(np.int64)
                add_hours(conn, "scale", Hours.from_counts(listed, o, start + m * span, good, valid.ravel()))
                written += valid.size
                continue
            rows = [
                (
                    "scale",
                    listed[o],
                    start + t * span,
                    int(valid[o, t] - bad[o, t]),
                    int(valid[o, t]),
                )
                for o in range(objectives)
                for t in range(valid.shape[1])
            ]
            conn.exec_driver_sql(
                f"INSERT INTO {table} (agreement, objective, {column}, good, valid) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?)",
                rows,  # type: ignore[arg-type]
            )
            written += len(rows)
    engine.dispose()
    return written


def measure(path: Path, objectives: int, days: int, runs: int) -> dict[str, object]:
    """Time the summary of every objective from the store (in this process)."""
    from attain.model import SRE_WORKBOOK_TIERS  # noqa: PLC0415
    from attain.services.summary import Goal, summarize_goals  # noqa: PLC0415
    from attain.storage import SqlStore, connect  # noqa: PLC0415

    store = SqlStore(connect(f"sqlite:///{path}"))
    goals = [Goal(n, Decimal("0.999"), days * DAY, SRE_WORKBOOK_TIERS) for n in names(objectives)]
    found = summarize_goals(store, "scale", goals, "UTC", AT)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        found = summarize_goals(store, "scale", goals, "UTC", AT)
        seconds.append(time.perf_counter() - start)
    states = {s: sum(1 for f in found if f.state == s) for s in ("page", "ticket", "ok")}
    return {"seconds": seconds, "states": states, "objectives": len(found)}


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--days", type=int, nargs="*", default=[7, 30, 90])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.objectives[0], args.days[0], args.runs)))  # noqa: T201
        return 0
    lines = [
        "| objectives | days | rows in store | median s | peak RSS MiB | states (page/ticket/ok) |",
        "|---|---|---|---|---|---|",
    ]
    results = []
    for objectives in args.objectives:
        for days in args.days:
            path = ROOT / "bench" / "data" / "scale" / f"{objectives}-{days}" / "attain.db"
            rows = fill(path, objectives, days)
            command = [sys.executable, "-m", "bench.scale", "--measure", str(path)]
            command += ["--objectives", str(objectives), "--days", str(days), "--runs", str(args.runs)]
            done, _, rss = timed(command, environment())
            found = json.loads(done.stdout.strip().splitlines()[-1])
            median = statistics.median(found["seconds"])
            states = found["states"]
            lines.append(
                f"| {objectives:,} | {days} | {rows:,} | {median:.3f} | {rss / 1024:.0f} | "
                f"{states['page']}/{states['ticket']}/{states['ok']} |"
            )
            results.append(
                {"objectives": objectives, "days": days, "rows": rows, "median": median, "rss_kib": rss} | found
            )
            print(lines[-1], flush=True)  # noqa: T201
    print("\n".join(lines))  # noqa: T201
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
