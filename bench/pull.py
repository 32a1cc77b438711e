"""`attain pull` of 30 days × 100 objectives from a large PostgreSQL table: time, CPU and rows moved.

    .venv/bin/python bench/pull.py [--rows 100000000] [--objectives 100] [--days 30] [--url URL]
        [--resolutions minute,hour] [--no-index] [--old-src DIR] [--out FILE]

The table `events (ts timestamptz, objective int, ok boolean)` is generated inside PostgreSQL with
`generate_series` (nothing travels from Python), in a schema of its own that is dropped at the end,
with the index a DBA gives such a table, `(objective, ts)`. Row g is objective `g % objectives`,
at `start + g × span / rows`, and bad when `(g / objectives) % 1000 = 0`, so each objective has
`rows / objectives` valid events of which `ceil(rows / objectives / 1000)` are bad: the bench checks
the pulled totals against that. An agreement with one SQL-backed objective per value
(`valid: where objective = k`, `good: where ok`) is applied to a fresh SQLite store, and
`attain pull` runs as a whole command, once per resolution (minute, then hour, each into a fresh
store). It reports wall time, the CPU of the command and of the PostgreSQL server, the aggregated
rows that came back, and the buckets stored.

`--old-src DIR` runs the same command a second time with `DIR` (another checkout's `src`, e.g. from
`git archive <commit> src`) first on the Python path, to compare two versions in one run. The
PostgreSQL CPU is that of every server process (the live ones, plus what the postmaster collected
from those that exited), so other work on the same server counts too.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from sqlalchemy import create_engine, make_url, text

DEFAULT_URL = os.environ.get("ATTAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = datetime(2027, 1, 1, tzinfo=UTC)


def generate(url: str, schema: str, rows: int, objectives: int, days: int, index: bool = True) -> dict[str, float]:
    """Create the schema, the table, its rows and (unless not `index`) its index; seconds each step took."""
    engine = create_engine(url)
    span_s = days * 86_400
    steps: dict[str, float] = {}
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(text(f'CREATE UNLOGGED TABLE "{schema}".events (ts timestamptz, objective int, ok boolean)'))
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            text(
                f'INSERT INTO "{schema}".events '  # noqa: S608 - our own generated names and numbers
                f"SELECT timestamptz '{START.isoformat()}' + make_interval(secs => g::float8 * {span_s} / {rows}), "
                f"g % {objectives}, (g / {objectives}) % 1000 <> 0 FROM generate_series(0, {rows - 1}::bigint) g"
            )
        )
    steps["insert_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        if index:
            conn.execute(text(f'CREATE INDEX ON "{schema}".events (objective, ts)'))
        conn.execute(text(f'ANALYZE "{schema}".events'))
    steps["index_s"] = time.perf_counter() - started
    engine.dispose()
    return steps


def agreement_yaml(url: str, schema: str, objectives: int) -> str:
    """One SQL-backed ratio objective per objective number, all on the generated table."""
    lines = [
        "apiVersion: attain/v1",
        "kind: Agreement",
        "metadata: {name: pulled}",
        "spec:",
        "  title: Pulled",
        "  parties: {provider: {name: P}, customer: {name: C}}",
        "  purpose: bench",
        "  timeZone: UTC",
        "  effective: {from: 2026-12-01}",
        "  services: [{name: svc}]",
        "  objectives:",
    ]
    for k in range(objectives):
        lines += [
            f"    - name: o{k:03d}",
            "      service: svc",
            "      indicator:",
            "        kind: ratio",
            f"        events: e{k:03d}",
            (
                f"        valid: {{metric: {{type: SQL, spec: {{url: '{url}', schema: {schema}, table: events,"
                f' timestamp: ts, where: "objective = {k}"}}}}}}'
            ),
            '        good: {metric: {type: SQL, spec: {where: "ok"}}}',
            "      target: 99%",
            "      window: {calendar: month}",
        ]
    return "\n".join(lines) + "\n"


def attain(args: list[str], data_dir: Path, src: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m attain ARGS` on the SQLite store in `data_dir`, from `src` (default: this checkout's)."""
    src = src or Path(__file__).resolve().parents[1] / "src"
    env = {k: v for k, v in os.environ.items() if k not in {"ATTAIN_DATABASE_URL", "PYTHONDONTWRITEBYTECODE"}}
    env |= {"ATTAIN_DATA_DIR": str(data_dir), "PYTHONPATH": os.pathsep.join([str(src), env.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "attain", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our command


class BackendCpu:
    """CPU seconds of the PostgreSQL backends of one role, sampled from /proc while they run.

    Only the server processes that serve `role` count (the bench's own role), so other work on the
    same server does not; a backend's last 0.1 s before it exits may be missed.
    """

    def __init__(self, role: str) -> None:
        self.role, self._stop = role, threading.Event()
        self.ticks: dict[str, int] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        """CPU seconds seen so far, all backends together."""
        return sum(self.ticks.values()) / int(os.sysconf("SC_CLK_TCK"))

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def _sample(self) -> None:
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if title.startswith("postgres: ") and f" {self.role} " in title:
                    line = (proc / "stat").read_text()
                    fields = line[line.rindex(")") + 2 :].split()
                    self.ticks[proc.name] = max(self.ticks.get(proc.name, 0), int(fields[11]) + int(fields[12]))
            except OSError:  # the process ended meanwhile
                continue


def pull_once(
    agreement: Path, days: int, resolution: str, scratch: Path, role: str, src: Path | None = None
) -> dict[str, object]:
    """Apply the agreement to a fresh store and time one whole `attain pull` of the days (wall and CPU)."""
    form = "old" if src else "new"
    data_dir = scratch / f"store-{resolution}-{form}"
    attain(["apply", str(agreement)], data_dir, src)
    end = START + timedelta(days=days)
    window = ["--from", START.isoformat(), "--to", end.isoformat(), "--resolution", resolution, "--output", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with BackendCpu(role) as server:
        done = attain(["pull", "pulled", *window], data_dir, src)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    results = json.loads(done.stdout)
    # objectives counted together share a scan: count its rows once (the old form has no scans)
    scans = {r["scan"]: r["scan_rows"] for r in results if r.get("scan") is not None}
    moved = sum(scans.values()) if scans else sum(r["rows_read"] for r in results)
    return {
        "form": form,
        "resolution": resolution,
        "wall_s": round(wall, 2),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        "postgres_cpu_s": round(server.seconds, 2),
        "objectives": len(results),
        "queries": len(scans) if scans else len(results),
        "rows_moved": moved,
        "buckets_stored": sum(r["minutes"] for r in results),
        "valid": sum(r["valid"] for r in results),
        "good": sum(r["good"] for r in results),
    }


def main(argv: list[str] | None = None) -> int:
    """Generate, pull at minute and hour resolution, check the totals, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--objectives", type=int, default=100)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--resolutions", default="minute,hour")
    parser.add_argument("--no-index", action="store_true", help="leave out the (objective, ts) index")
    parser.add_argument("--old-src", type=Path, help="also run the command from this src directory")
    options = parser.parse_args(argv)
    schema = f"attain_bench_pull_{secrets.token_hex(4)}"
    admin = create_engine(options.url)
    try:
        load = os.getloadavg()
        steps = generate(options.url, schema, options.rows, options.objectives, options.days, not options.no_index)
        with admin.begin() as conn:  # a role of the bench's own, so that its server CPU can be told apart
            conn.execute(text(f'CREATE ROLE "{schema}" LOGIN'))
            conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{schema}"'))
            conn.execute(text(f'GRANT SELECT ON "{schema}".events TO "{schema}"'))
        reader = make_url(options.url).set(username=schema).render_as_string(hide_password=False)
        with tempfile.TemporaryDirectory(prefix="attain-pull-") as scratch:
            agreement = Path(scratch) / "pulled.yaml"
            agreement.write_text(agreement_yaml(reader, schema, options.objectives))
            runs = []
            for resolution in options.resolutions.split(","):
                runs.append(pull_once(agreement, options.days, resolution, Path(scratch), schema))
                if options.old_src:
                    runs.append(pull_once(agreement, options.days, resolution, Path(scratch), schema, options.old_src))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{schema}"'))
        admin.dispose()
    per_objective = options.rows // options.objectives
    bad = options.objectives * math.ceil(per_objective / 1000)
    for run in runs:
        assert (run["valid"], run["good"]) == (options.rows, options.rows - bad), run
    summary = {
        "rows": options.rows,
        "objectives": options.objectives,
        "days": options.days,
        "postgres": make_url(options.url).render_as_string(hide_password=True),
        "load_average": load,
        "load_average_after": os.getloadavg(),
        **{k: round(v, 1) for k, v in steps.items()},
        "pulls": runs,
    }
    lines = [
        (
            f"{options.rows:,} rows, {options.objectives} objectives × {options.days} days; "
            f"generated in {steps['insert_s']:.1f} s, indexed in {steps['index_s']:.1f} s; load {load[0]:.2f}"
        ),
        (
            "| form | resolution | whole command | its CPU | PostgreSQL CPU | queries | rows moved "
            "| buckets stored | valid, good (checked) |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['form']} | {r['resolution']} | {r['wall_s']} s | {r['cpu_s']} s | {r['postgres_cpu_s']} s "
        f"| {r['queries']} | {r['rows_moved']:,} | {r['buckets_stored']:,} | {r['valid']:,}, {r['good']:,} |"
        for r in runs
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if options.out:
        options.out.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
