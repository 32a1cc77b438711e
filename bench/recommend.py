"""How long `attain recommend` takes over a year of counts for 100 objectives (goal: under 2 s).

    python -m bench.recommend                          # 100 objectives × 366 days, 12 monthly periods
    python -m bench.recommend --objectives 10 --days 60

A SQLite store is filled with one agreement of N ratio objectives (monthly windows, 99.9% target,
two credit tiers, a monthly fee) and, per objective, the rows `recommend` reads: the exact day and
hour rollups of every day of the year (the hours sum to their days) and the minutes of the last
hour (consistent with it). The other minutes of the year are left out: `recommend` never reads
them (period totals come from day rows, period edges here are UTC midnights, and the weekday and
hour seasonality comes from the hour rows), and writing 52.6M minute rows into SQLite would take
most of the run. Then `attain.services.recommend.recommendations` runs over every objective in
its own process under `/usr/bin/time -v`: a warm-up, then the median of the timed runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from bench.run import ROOT, environment, timed

MINUTE = 60_000_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
AT = 1_793_577_600_000_000  # 2026-11-02T00:00:00Z


def agreement_text(objectives: int, days: int) -> str:
    """An agreement of `objectives` monthly ratio objectives, in force from `days` days before `AT`."""
    from attain.engine.instant import from_us  # noqa: PLC0415

    start = from_us(AT - days * DAY).date().isoformat()
    lines = [
        "apiVersion: attain/v1",
        "kind: Agreement",
        "metadata: {name: bench}",
        "spec:",
        "  title: Benchmark SLA",
        "  purpose: Measures recommend.",
        "  parties: {provider: {name: ACME}, customer: {name: Bench}}",
        "  services: [{name: api}]",
        f"  effective: {{from: {start}}}",
        "  fee: {amount: 10000, currency: EUR, per: month}",
        "  objectives:",
    ]
    for i in range(objectives):
        lines += [
            f"    - name: o{i:03d}",
            "      service: api",
            f"      indicator: {{kind: ratio, events: s{i:03d}, bad: {{where: {{outcome: error}}}}}}",
            "      target: 99.9%",
            "      window: month",
            "      credits: [{below: 99.9%, atLeast: 99%, credit: 10%}, {below: 99%, credit: 25%}]",
        ]
    return "\n".join(lines) + "\n"


def fill(path: Path, objectives: int, days: int, seed: int = 11) -> int:
    """Create the store at `path`: the agreement, then consistent day, hour and last-hour minute rows."""
    from attain.formats.bundle import load_bundle_text  # noqa: PLC0415
    from attain.services.store import apply_bundle  # noqa: PLC0415
    from attain.storage import SqlStore, connect, upgrade  # noqa: PLC0415
    from attain.storage.hour_row import Hours  # noqa: PLC0415
    from attain.storage.hour_table import add_hours  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    engine = connect(f"sqlite:///{path}")
    upgrade(engine)
    apply_bundle(SqlStore(engine), load_bundle_text(agreement_text(objectives, days), "bench.yaml"), AT)
    rng = np.random.default_rng(seed)
    rate = rng.lognormal(5, 1, objectives)  # events per minute
    hours = rng.poisson(60 * rate[:, None], (objectives, days * 24)).astype(np.int64)
    base = rng.lognormal(np.log(0.001), 0.8, objectives)  # each objective's usual error ratio, around 0.1%
    error = np.minimum(base[:, None] * rng.uniform(0.3, 1.7, (objectives, days)), 1)  # a day's error ratio
    hours_bad = rng.binomial(hours, np.repeat(error, 24, axis=1))
    minutes = rng.multinomial(hours[:, -1], [1 / 60] * 60) if objectives else np.zeros((0, 60), dtype=np.int64)
    minutes_bad = np.stack(
        [rng.multivariate_hypergeometric(m, int(b)) for m, b in zip(minutes, hours_bad[:, -1], strict=True)]
    )
    day_counts = hours.reshape(objectives, days, 24).sum(axis=2)
    days_bad = hours_bad.reshape(objectives, days, 24).sum(axis=2)
    listed = [f"o{i:03d}" for i in range(objectives)]
    written = 0
    with engine.begin() as conn:
        for table, column, valid, bad, start, span in (
            ("buckets", "minute", minutes, minutes_bad, AT - HOUR, MINUTE),
            ("bucket_hours", "hour", hours, hours_bad, AT - days * DAY, HOUR),
            ("bucket_days", "day", day_counts, days_bad, AT - days * DAY, DAY),
        ):
            if table == "buckets":  # minutes are stored in hour rows, through the store's writer
                o, m = np.divmod(np.arange(valid.size, dtype=np.int64), valid.shape[1])
                good = (valid - bad).ravel().astype(np.int64)
                add_hours(conn, "bench", Hours.from_counts(listed, o, start + m * span, good, valid.ravel()))
                written += valid.size
                continue
            rows = [
                ("bench", listed[o], start + t * span, int(valid[o, t] - bad[o, t]), int(valid[o, t]))
                for o in range(objectives)
                for t in range(valid.shape[1])
            ]
            conn.exec_driver_sql(
                f"INSERT INTO {table} (agreement, objective, {column}, good, valid) "  # noqa: S608
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            written += len(rows)
    engine.dispose()
    return written


def measure(path: Path, runs: int) -> dict[str, object]:
    """Time the recommendations for every objective of the stored agreement (in this process)."""
    from attain.services.recommend import recommendations  # noqa: PLC0415
    from attain.storage import SqlStore, connect  # noqa: PLC0415

    store = SqlStore(connect(f"sqlite:///{path}"))
    found = recommendations(store, "bench", AT)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        found = recommendations(store, "bench", AT)
        seconds.append(time.perf_counter() - start)
    chosen: dict[str, int] = {}
    for advice in found.objectives:
        target = advice.recommendation.recommended
        key = "none" if target is None else str(target.target)
        chosen[key] = chosen.get(key, 0) + 1
    periods = {len(a.recommendation.periods) for a in found.objectives}
    return {"seconds": seconds, "objectives": len(found.objectives), "periods": sorted(periods), "recommended": chosen}


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=100)
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "recommend.json")
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.runs)))  # noqa: T201
        return 0
    path = ROOT / "bench" / "data" / "recommend" / f"{args.objectives}-{args.days}" / "attain.db"
    rows = fill(path, args.objectives, args.days)
    command = [sys.executable, "-m", "bench.recommend", "--measure", str(path), "--runs", str(args.runs)]
    done, _, rss = timed(command, environment())
    found = json.loads(done.stdout.strip().splitlines()[-1])
    median = statistics.median(found["seconds"])
    line = (
        f"| {args.objectives:,} | {args.days} | {rows:,} | {median:.3f} | {rss / 1024:.0f} | "
        f"{found['periods']} | {found['recommended']} |"
    )
    print("| objectives | days | rows in store | median s | peak RSS MiB | periods | recommended |")  # noqa: T201
    print("|---|---|---|---|---|---|---|")  # noqa: T201
    print(line)  # noqa: T201
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {"objectives": args.objectives, "days": args.days, "rows": rows, "median": median, "rss_kib": rss}
    args.out.write_text(json.dumps(result | found, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
