"""Run the benchmark: generate data, ingest it into attain's store, run every engine, compare, report.

    python -m bench.run --events 10m            # or 100m, 10k, any count
    python -m bench.run --events 100m --runs 5 --engines attain-raw,duckdb-raw,polars-raw

Each engine runs in its own process (`bench.worker`) under `/usr/bin/time -v` when it is there
(peak RSS); the table shows the median of the timed runs and each engine's time divided by the
fastest expert peer's on the same input (not attain, not a -naive form). The answers of all
engines must agree exactly, else the run fails.
Results are written as JSON (default `bench/results/<events>.json`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import prometheus, slogen
from bench.answers import check
from bench.engines import ENGINES, load_meta
from bench.generate import Spec, generate
from bench.processes import stop

ROOT = Path(__file__).resolve().parent.parent
TIME = Path("/usr/bin/time")
REFERENCE = "duckdb-counts"
"""The reference answer: the generator's exact per-minute counts, summed by DuckDB."""


def parse_count(text: str) -> int:
    """`10m` → 10,000,000; `10k` → 10,000; a plain number as is."""
    factor = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1].lower(), 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run a command; return the process, wall seconds and peak RSS in KiB (0 without /usr/bin/time)."""
    wrapped = [str(TIME), "-v", *command] if TIME.exists() else command
    start = time.perf_counter()
    done = subprocess.run(wrapped, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return done, seconds, int(found.group(1)) if found else 0


def environment(**extra: str) -> dict[str, str]:
    """The environment for child processes: `bench` importable, no inherited database URL, byte-code written."""
    # no PYTHONDONTWRITEBYTECODE: the commands run from compiled byte-code, as an installed attain does
    env = {k: v for k, v in os.environ.items() if k not in {"ATTAIN_DATABASE_URL", "PYTHONDONTWRITEBYTECODE"}}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env | extra


def prepare(data: Path, spec: Spec) -> dict[str, Any]:
    """Generate the data set unless it is there with the same parameters."""
    meta_file = data / "meta.json"
    if meta_file.exists():
        meta = load_meta(data)
        if all(meta.get(k) == v for k, v in vars(spec).items()):
            return meta
    return generate(spec, data)


def ingest(data: Path) -> dict[str, Any]:
    """`attain apply` then `attain ingest --buckets-only` into a new SQLite store, twice (exactly once)."""
    store = data / "store"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    requests = store / "requests.parquet"
    requests.symlink_to((data / "events.parquet").resolve())
    env = environment(ATTAIN_DATA_DIR=str(store))
    attain = [sys.executable, "-m", "attain"]
    timed([*attain, "apply", str(data / "agreement.yaml")], env)
    command = [*attain, "ingest", str(requests), "--agreement", "bench", "--buckets-only", "--output", "json"]
    first, seconds, rss = timed(command, env)
    again, seconds_again, _ = timed(command, env)
    report, repeat = json.loads(first.stdout)[0], json.loads(again.stdout)[0]
    if repeat["batches_stored"] != 0:
        raise RuntimeError(f"re-ingesting stored {repeat['batches_stored']} batches again: not exactly once")
    rows = int(report["rows"])
    return {
        "rows": rows,
        "seconds": seconds,
        "events_per_second": rows / seconds,
        "peak_rss_kib": rss,
        "batches": report["batches_stored"],
        "rerun_seconds": seconds_again,
        "rerun_batches_stored": repeat["batches_stored"],
        "database_bytes": sum(f.stat().st_size for f in store.glob("attain.db*")),
    }


def run_engine(name: str, data: Path, runs: int, out: Path) -> dict[str, Any]:
    """One engine in its own process; its timings, peak RSS and answer file."""
    answer = out / f"{name}.json"
    command = [sys.executable, "-m", "bench.worker", name, str(data), "--runs", str(runs), "--answer", str(answer)]
    done, _, rss = timed(command, environment())
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result |= {"median": statistics.median(result["seconds"]), "peak_rss_kib": rss, "answer": str(answer)}
    return result


def run_prometheus(
    data: Path, meta: dict[str, Any], engines: list[str], runs: int, answers: Path, step: int = prometheus.STEP_MINUTES
) -> dict[str, Any]:
    """Backfill, start prometheus, run its engines against it, stop it (skipped when not installed)."""
    if not engines:
        return {"engines": {}}
    if not prometheus.available():
        print("prometheus or promtool not installed: skipping (scripts/system-packages-bench)", file=sys.stderr)  # noqa: T201
        return {"engines": {}, "skipped": "prometheus or promtool not installed"}
    found: dict[str, Any] = {"backfill": prometheus.backfill(data, meta, step)}
    process, url = prometheus.serve(data)
    try:
        results = {}
        for name in engines:
            answer = answers / f"{name}.json"
            command = [sys.executable, "-m", "bench.worker", name, str(data), "--runs", str(runs)]
            command += ["--answer", str(answer)]
            done, _, _ = timed(command, environment(BENCH_PROMETHEUS_URL=url))
            result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
            result |= {"median": statistics.median(result["seconds"]), "answer": str(answer)}
            results[name] = result
        server = prometheus.memory_kib(process)
        for result in results.values():
            result["peak_rss_kib"] = server
        found["engines"] = results
    finally:
        stop(process, 30)
    return found


def compare(results: dict[str, dict[str, Any]], targets: dict[str, str]) -> dict[str, list[str]]:
    """Each engine's differences from the reference answer (or from the first engine)."""
    answers = {n: json.loads(Path(r["answer"]).read_text(encoding="utf-8")) for n, r in results.items()}
    reference = answers.get(REFERENCE) or next(iter(answers.values()))
    return {name: check(reference, answer, targets) for name, answer in answers.items()}


def best_peers(results: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Per input, the fastest peer as an expert writes it (not attain, not a naive or partial form)."""
    partial = {"prometheus-increase", "slo-generator"}
    best: dict[str, str] = {}
    for name, r in results.items():
        if name.startswith("attain") or name.endswith("-naive") or name in partial:
            continue
        if r["input"] not in best or r["median"] < results[best[r["input"]]]["median"]:
            best[r["input"]] = name
    return best


def table(results: dict[str, dict[str, Any]], ingested: dict[str, Any] | None) -> str:
    """The results as a Markdown table, each time divided by the best expert peer's on the same input."""
    lines = [
        "| engine | input | median s | runs s | CPU s (median) | peak RSS MiB | ÷ best peer's time |",
        "|---|---|---|---|---|---|---|",
    ]
    best = {kind: results[name]["median"] for kind, name in best_peers(results).items()}
    for name, r in sorted(results.items(), key=lambda item: (item[1]["input"], item[1]["median"])):
        ratio = r["median"] / best[r["input"]] if r["input"] in best else float("nan")
        runs = " ".join(f"{s:.3f}" for s in r["seconds"])
        cpu = f"{statistics.median(r['cpu_seconds']):.2f}" if r.get("cpu_seconds") else "-"
        label = f"{name} (30d ratio only)" if name in {"prometheus-increase", "slo-generator"} else name
        lines.append(
            f"| {label} | {r['input']} | {r['median']:.3f} | {runs} | {cpu} "
            f"| {r['peak_rss_kib'] / 1024:.0f} | {ratio:.2f} |"
        )
    lines.append("")
    lines.append("peak RSS of prometheus rows: the server's; prometheus-increase answers the 30-day ratio only.")
    if ingested:
        lines.append("")
        lines.append(
            f"ingest (`attain ingest --buckets-only`, SQLite): {ingested['rows']:,} events in "
            f"{ingested['seconds']:.2f} s = {ingested['events_per_second'] / 1e6:.2f} M events/s, "
            f"peak RSS {ingested['peak_rss_kib'] / 1024:.0f} MiB, {ingested['batches']} batches; "
            f"re-run stored {ingested['rerun_batches_stored']} in {ingested['rerun_seconds']:.2f} s"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring); returns the exit status (1 when engines disagree)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10m", help="events to generate: 10k, 10m, 100m, …")
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated engine names")
    parser.add_argument("--data", type=Path, default=None, help="data directory (default bench/data/<events>)")
    parser.add_argument("--out", type=Path, default=None, help="JSON results (default bench/results/<events>.json)")
    parser.add_argument(
        "--slo-generator",
        default=os.environ.get("BENCH_SLO_GENERATOR_PYTHON"),
        help="the python of a venv with slo-generator installed (optional engine)",
    )
    parser.add_argument(
        "--prometheus-step",
        type=int,
        default=prometheus.STEP_MINUTES,
        help="minutes between backfilled Prometheus samples (1 = scrape resolution; much slower to backfill)",
    )
    args = parser.parse_args(argv)
    label = args.events.lower()
    data = args.data or ROOT / "bench" / "data" / label
    out = args.out or ROOT / "bench" / "results" / f"{label}.json"
    spec = Spec(parse_count(args.events), args.services, args.days)
    meta = prepare(data, spec)
    load_before = os.getloadavg()
    engines = [e for e in args.engines.split(",") if e]
    ingested = ingest(data) if "attain-store" in engines else None
    answers = data / "answers"
    answers.mkdir(exist_ok=True)
    wanted = [e for e in engines if not e.startswith("prometheus")]
    results = {name: run_engine(name, data, args.runs, answers) for name in wanted}
    chosen = [e for e in engines if e.startswith("prometheus")]
    extra = run_prometheus(data, meta, chosen, args.runs, answers, args.prometheus_step)
    results |= extra.pop("engines")
    if REFERENCE not in results and len(results) > 1:
        results[REFERENCE] = run_engine(REFERENCE, data, 1, answers)
    problems = compare({n: r for n, r in results.items() if n != "prometheus-increase"}, meta["targets"])
    if args.slo_generator:
        results["slo-generator"] = slogen.run(data, meta, args.slo_generator, args.runs)
        wrong = results["slo-generator"]["wrong_30d_counts"]
        problems["slo-generator"] = [f"{n}: 30-day good/bad {c} != {e}" for n, (c, e) in wrong.items()]
    load = {"before": load_before, "after": os.getloadavg()}
    report = table(results, ingested)
    report += f"\n\nload average (1, 5, 15 min) before: {load['before']}, after: {load['after']}"
    print(report)  # noqa: T201
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = {"spec": vars(spec), "rows": meta["rows"], "ingest": ingested, "engines": results, "problems": problems}
    summary["prometheus"] = extra
    summary["load_average"] = load
    out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    bad = {name: found for name, found in problems.items() if found}
    for name, found in bad.items():
        print(f"DISAGREEMENT {name}: {len(found)} difference(s), first: {found[:5]}", file=sys.stderr)  # noqa: T201
    print(f"engines agree: {not bad}; results in {out}")  # noqa: T201
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
