"""Whole-command start-up times: `attain --help`, `attain status NAME` and `attain summary NAME` on the demo store.

    .venv/bin/python bench/startup.py [--runs 20] [--store DIR] [--out startup.json]
        [--source before=/path/to/other/src --source after=src]

Each command runs as a process of its own, as a user runs it (`python -m attain ...`), `--runs`
times after one warm-up run (which writes the byte-code and agreement caches a second run
finds: `$XDG_CACHE_HOME/attain`, see `attain.services.agreement_cache`). It reports per command
the fastest and the median wall time, and the fastest and the median CPU time (user + system) of
the process, which a busy machine inflates less than wall time; a goal is met when the median
wall time is within it. The demo store is made first in a temporary directory (`attain demo
--at AT`) unless `--store` names one. PYTHONDONTWRITEBYTECODE
is removed from the commands' environment: an installed attain has its byte-code compiled.

With `--source LABEL=SRC` (twice or more) each run of each command runs once per source tree in
turn (`PYTHONPATH=SRC`), so that two versions of attain share the machine's load alike; every
tree reads the same store.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AT = "2026-11-20T12:00:00Z"
"""The instant the demo store is made for and read at, so that every run does the same work."""

COMMANDS = {
    "attain --help": ["--help"],
    "attain status api-latency": ["status", "api-latency", "--at", AT],
    "attain summary api-latency": ["summary", "api-latency", "--at", AT],
}
"""What is timed, by label: the goals are 150 ms for --help and 300 ms for status and summary."""

GOALS_S = {"attain --help": 0.150, "attain status api-latency": 0.300, "attain summary api-latency": 0.300}


SRC = Path(__file__).resolve().parents[1] / "src"


def environment(store: Path, src: Path = SRC) -> dict[str, str]:
    """The commands' environment: the demo store, byte-code caching on, no database URL from outside."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE", "ATTAIN_DATABASE_URL"}}
    return env | {"ATTAIN_DATA_DIR": str(store), "PYTHONPATH": os.pathsep.join([str(src), env.get("PYTHONPATH", "")])}


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one `python -m attain ARGS` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "attain", *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own command
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(runs: int, store: Path, sources: dict[str, Path] | None = None) -> list[dict[str, object]]:
    """Each command's fastest and median wall time and median CPU time over `runs` runs, per source tree.

    The source trees take turns within each run of a command, so that they share the load alike.
    """
    envs = {label: environment(store, src) for label, src in (sources or {"": SRC}).items()}
    rows: list[dict[str, object]] = []
    for label, args in COMMANDS.items():
        for env in envs.values():
            run_once(args, env)  # warm-up: byte-code and kernel caches
        times: dict[str, list[tuple[float, float]]] = {tree: [] for tree in envs}
        for _ in range(runs):
            for tree, env in envs.items():
                times[tree].append(run_once(args, env))
        for tree, found in times.items():
            rows.append(_row(f"{label} ({tree})" if tree else label, found, GOALS_S[label]))
    return rows


def _row(label: str, times: list[tuple[float, float]], goal: float) -> dict[str, object]:
    walls, cpus = [w for w, _ in times], [c for _, c in times]
    return {
        "command": label,
        "wall_min_s": round(min(walls), 3),
        "wall_median_s": round(statistics.median(walls), 3),
        "cpu_min_s": round(min(cpus), 3),
        "cpu_median_s": round(statistics.median(cpus), 3),
        "goal_s": goal,
        "met": statistics.median(walls) <= goal,
    }


def make_demo(directory: Path) -> Path:
    """Make the demo store in `directory` at `AT`; return the directory."""
    env = environment(directory)
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "attain", "demo", "--dir", str(directory), "--at", AT],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return directory


def main(argv: list[str] | None = None) -> int:
    """Measure, print a Markdown table and the load average, and write JSON to `--out` if given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--store", type=Path, help="an existing demo directory (default: a new one)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--source", action="append", default=[], help="LABEL=SRC: a source tree to time (repeat)")
    options = parser.parse_args(argv)
    sources = {label: Path(src).resolve() for label, _, src in (s.partition("=") for s in options.source)} or None
    with tempfile.TemporaryDirectory(prefix="attain-startup-") as scratch:
        store = options.store or make_demo(Path(scratch) / "demo")
        load = os.getloadavg()
        rows = measure(options.runs, store, sources)
        after = os.getloadavg()
    lines = [
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after: {after[0]:.2f}; {options.runs} runs",
        "| command | wall, fastest | wall, median | CPU, fastest | CPU, median | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r['command']}` | {r['wall_min_s']} s | {r['wall_median_s']} s | {r['cpu_min_s']} s "
        f"| {r['cpu_median_s']} s | {r['goal_s']} s | {'yes' if r['met'] else 'no'} |"
        for r in rows
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if options.out:
        found = {"load_average": load, "load_after": after, "runs": options.runs, "commands": rows}
        options.out.write_text(json.dumps(found, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
