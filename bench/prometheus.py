"""The Prometheus path, as Sloth and Pyrra users run it: per-minute counters, backfilled, queried with PromQL.

`backfill` writes the per-minute counts as two OpenMetrics counters per service
(`bench_requests_total`, `bench_errors_total`, one sample every `step` minutes, by default
`STEP_MINUTES`: the count of events before that instant; every window edge of the answers falls on
a sample, so differences are exact; at 5 minutes promtool, which writes one block per 2 hours,
backfills 5× fewer samples than a 1-minute scrape would hold, in a fifth of the time; `--prometheus-step 1`
in `bench.run` gives the scrape resolution)
and turns them into TSDB blocks with `promtool tsdb create-blocks-from openmetrics`. `serve` starts
`prometheus` on 127.0.0.1 over those blocks. `answer` asks for the three answers at the end instant:

- exact counts as counter differences, `c @ end − c @ (end − W)` (`offset`), which equal the
  event counts because a sample sits on every window edge;
- Sloth's and Pyrra's form, `sum(increase(errors[30d])) / sum(increase(requests[30d]))`, timed
  too (`increase()` extrapolates to the window's edges, so its ratios are not exact counts).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from bench.answers import WINDOWS, Answer, assemble
from bench.processes import free_port, wait_ready

MINUTE_US = 60_000_000
STEP_MINUTES = 5
REQUESTS = "bench_requests_total"
ERRORS = "bench_errors_total"


def available() -> bool:
    """Whether Debian's prometheus and promtool are installed."""
    return shutil.which("prometheus") is not None and shutil.which("promtool") is not None


def write_openmetrics(data: Path, out: Path, meta: dict[str, Any], step: int = STEP_MINUTES) -> int:
    """The per-minute counts as cumulative counters, one sample every `step` minute ends; returns the samples."""
    table = pq.read_table(data / "counts.parquet")
    start = int(meta["start_us"])
    minutes = (int(meta["end_us"]) - start) // MINUTE_US
    names = sorted(meta["targets"])
    index = {n: i for i, n in enumerate(names)}
    column = (table.column("minute").cast("int64").to_numpy() - start) // MINUTE_US
    rows = np.array([index[s] for s in table.column("service").to_pylist()], dtype=np.int64)
    total = np.zeros((len(names), minutes), dtype=np.int64)
    bad = np.zeros((len(names), minutes), dtype=np.int64)
    total[rows, column] = table.column("total").to_numpy()
    bad[rows, column] = table.column("total").to_numpy() - table.column("good").to_numpy()
    steps = range(step - 1, minutes, step)
    stamps = [str((start + (m + 1) * MINUTE_US) // 1_000_000) for m in steps]
    first = str(start // 1_000_000)
    samples = 0
    with out.open("w", encoding="utf-8") as handle:
        for metric, counts in ((REQUESTS, total), (ERRORS, bad)):
            family = metric.removesuffix("_total")
            handle.write(f"# HELP {family} Benchmark events.\n# TYPE {family} counter\n")
            for row, name in enumerate(names):
                series = f'{metric}{{service="{name}"}}'
                running = np.cumsum(counts[row])[step - 1 :: step].tolist()
                handle.write(f"{series} 0 {first}\n")
                handle.write("".join(f"{series} {v} {t}\n" for v, t in zip(running, stamps, strict=True)))
                samples += len(running) + 1
        handle.write("# EOF\n")
    return samples


def backfill(data: Path, meta: dict[str, Any], step: int = STEP_MINUTES) -> dict[str, float]:
    """Write OpenMetrics and create TSDB blocks under `data/prometheus`; returns the seconds each took."""
    root = data / "prometheus"
    shutil.rmtree(root, ignore_errors=True)
    (root / "tsdb").mkdir(parents=True)
    started = time.perf_counter()
    samples = write_openmetrics(data, root / "counts.om", meta, step)
    written = time.perf_counter()
    subprocess.run(  # noqa: S603
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", str(root / "counts.om"), str(root / "tsdb")],  # noqa: S607
        check=True,
        capture_output=True,
    )
    (root / "counts.om").unlink()
    seconds = time.perf_counter() - written
    return {"samples": samples, "step_minutes": step, "write_seconds": written - started, "promtool_seconds": seconds}


def serve(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start prometheus over the backfilled blocks; return the process and its URL once it is ready."""
    root = data / "prometheus"
    (root / "prometheus.yml").write_text("global: {scrape_interval: 1h}\nscrape_configs: []\n", encoding="utf-8")
    port = free_port()
    log = (root / "prometheus.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [  # noqa: S607
            "prometheus",
            f"--config.file={root / 'prometheus.yml'}",
            f"--storage.tsdb.path={root / 'tsdb'}",
            "--storage.tsdb.retention.time=100y",
            f"--web.listen-address=127.0.0.1:{port}",
            "--query.lookback-delta=5m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    log.close()  # the child holds its own copy
    url = f"http://127.0.0.1:{port}"
    wait_ready(process, f"{url}/-/ready", f"prometheus did not become ready; see {root / 'prometheus.log'}")
    return process, url


def query(url: str, promql: str, at: float) -> list[dict[str, Any]]:
    """An instant query's result vector."""
    body = urllib.parse.urlencode({"query": promql, "time": f"{at:.3f}"}).encode()
    with urllib.request.urlopen(f"{url}/api/v1/query", data=body, timeout=120) as response:  # noqa: S310
        found: dict[str, Any] = json.loads(response.read())
    if found.get("status") != "success":
        raise RuntimeError(f"{promql}: {found}")
    result: list[dict[str, Any]] = found["data"]["result"]
    return result


def _by_service(result: list[dict[str, Any]]) -> dict[str, int]:
    return {r["metric"]["service"]: int(float(r["value"][1])) for r in result}


def _delta(url: str, metric: str, at: float, minutes: int) -> dict[str, int]:
    return _by_service(query(url, f"{metric} - {metric} offset {minutes}m", at))


def memory_kib(process: subprocess.Popen[bytes]) -> int:
    """The server's peak resident memory (VmHWM) in KiB, 0 when unknown."""
    try:
        for line in Path(f"/proc/{process.pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def answer(url: str, meta: dict[str, Any]) -> Answer:
    """The three answers from PromQL at the end instant (exact counter differences)."""
    end = int(meta["end_us"]) / 1_000_000
    count = int(meta.get("days", 30))
    valid30, bad30 = _delta(url, REQUESTS, end, count * 1440), _delta(url, ERRORS, end, count * 1440)
    totals = {s: (v - bad30.get(s, 0), v) for s, v in valid30.items()}
    days: dict[str, list[list[int]]] = {}
    for day in range(count):
        day_end = end - (count - 1 - day) * 86_400
        valid, bad = _delta(url, REQUESTS, day_end, 1440), _delta(url, ERRORS, day_end, 1440)
        for service, events in valid.items():
            start_us = int((day_end - 86_400) * 1_000_000)
            days.setdefault(service, []).append([start_us, events - bad.get(service, 0), events])
    windows: dict[str, dict[str, list[int]]] = {}
    for name, minutes in WINDOWS.items():
        valid, bad = _delta(url, REQUESTS, end, minutes), _delta(url, ERRORS, end, minutes)
        for service, events in valid.items():
            windows.setdefault(service, {})[name] = [bad.get(service, 0), events]
    return assemble(meta["targets"], totals, days, windows, count * 1440)


def sloth_ratio(url: str, meta: dict[str, Any]) -> dict[str, float]:
    """Sloth's and Pyrra's 30-day error ratio per service, `increase()` over `increase()` (floats)."""
    end = int(meta["end_us"]) / 1_000_000
    promql = (
        f"sum by (service) (increase({ERRORS}[{meta.get('days', 30)}d])) "
        f"/ sum by (service) (increase({REQUESTS}[{meta.get('days', 30)}d]))"
    )
    return {r["metric"]["service"]: float(r["value"][1]) for r in query(url, promql, end)}
