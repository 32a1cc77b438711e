"""google's slo-generator as a peer, run by its own Python (it is not a dependency of attain).

    python -m bench.run --slo-generator /tmp/slogen/bin/python …

slo-generator computes a report per SLO and error-budget-policy step by asking a backend for good
and bad counts over the step's window. `bench.slogen` writes a job file (per service: the minute
counts as cumulative sums), then runs this module's `main` under slo-generator's interpreter: a
custom backend (`CountsBackend`) answers each window from the cumulative sums, so the time measured
is slo-generator's own work per objective, not a metrics backend's. Steps: the 30-day window and
the SRE workbook's long windows (1h, 6h, 1d, 3d). The 30-day good and bad counts are checked
against the reference answer.

This file must import nothing outside the standard library at module level: it runs in a venv
that has only slo-generator.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

STEPS = (("30d", 30 * 86_400), ("1h", 3_600), ("6h", 21_600), ("1d", 86_400), ("3d", 259_200))
JOB: dict[str, Any] = {}


class CountsBackend:
    """An slo-generator backend answering good/bad over a window from cumulative minute counts."""

    def __init__(self, client: Any = None, **kwargs: Any) -> None:
        del client, kwargs

    def good_bad_ratio(self, timestamp: float, window: int, slo_config: dict[str, Any]) -> tuple[int, int]:
        """(good, bad) events of the SLO's service over `[timestamp − window, timestamp)`."""
        service = slo_config["metadata"]["labels"]["service_name"]
        totals, bads = JOB["total"][service], JOB["bad"][service]
        end = (int(timestamp) - JOB["start"]) // 60
        low = max(0, end - window // 60)
        total, bad = totals[end] - totals[low], bads[end] - bads[low]
        return total - bad, bad


def write_job(data: Path, meta: dict[str, Any], out: Path) -> None:
    """The job for `main`: cumulative per-minute totals and bad counts per service."""
    import numpy as np  # noqa: PLC0415 - runs in attain's venv, unlike the rest of this file
    import pyarrow.parquet as pq  # noqa: PLC0415

    table = pq.read_table(data / "counts.parquet")
    start = int(meta["start_us"])
    minutes = (int(meta["end_us"]) - start) // 60_000_000
    names = sorted(meta["targets"])
    row = {n: i for i, n in enumerate(names)}
    column = (table.column("minute").cast("int64").to_numpy() - start) // 60_000_000
    rows = np.array([row[s] for s in table.column("service").to_pylist()])
    total = np.zeros((len(names), minutes + 1), dtype=np.int64)
    bad = np.zeros((len(names), minutes + 1), dtype=np.int64)
    total[rows, column + 1] = table.column("total").to_numpy()
    bad[rows, column + 1] = table.column("total").to_numpy() - table.column("good").to_numpy()
    job = {
        "start": start // 1_000_000,
        "end": int(meta["end_us"]) // 1_000_000,
        "targets": meta["targets"],
        "total": {n: np.cumsum(total[i]).tolist() for i, n in enumerate(names)},
        "bad": {n: np.cumsum(bad[i]).tolist() for i, n in enumerate(names)},
    }
    out.write_text(json.dumps(job), encoding="utf-8")


def _configs() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    steps = [
        {
            "name": name,
            "window": seconds,
            "burn_rate_threshold": 1,
            "alert": False,
            "message_alert": "a",
            "message_ok": "o",
        }
        for name, seconds in STEPS
    ]
    config = {
        "backends": {"bench.slogen.CountsBackend": {}},
        "error_budget_policies": {"default": {"steps": steps}},
        "exporters": {},
    }
    slos = [
        {
            "apiVersion": "sre.google.com/v2",
            "kind": "ServiceLevelObjective",
            "metadata": {
                "name": f"{name}-availability",
                "labels": {"service_name": name, "feature_name": "all", "slo_name": "availability"},
            },
            "spec": {
                "description": "bench",
                "backend": "bench.slogen.CountsBackend",
                "method": "good_bad_ratio",
                "service_level_indicator": {},
                "goal": float(target),
                "error_budget_policy": "default",
            },
        }
        for name, target in sorted(JOB["targets"].items())
    ]
    return config, slos


def main() -> None:
    """Under slo-generator's Python: `python -m bench.slogen JOB RUNS`; prints timings and 30-day counts."""
    import logging  # noqa: PLC0415

    from slo_generator.compute import compute  # noqa: PLC0415

    logging.disable(logging.CRITICAL)
    sys.modules["bench.slogen"] = sys.modules[__name__]  # the backend slo-generator imports is this module
    JOB.update(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    runs = int(sys.argv[2])
    config, slos = _configs()
    counts: dict[str, list[int]] = {}
    seconds = []
    for run in range(runs + 1):
        started = time.perf_counter()
        for slo in slos:
            for report in compute(slo, config, timestamp=JOB["end"]):
                if report["error_budget_policy_step_name"] == "30d":
                    name = slo["metadata"]["labels"]["service_name"]
                    counts[name] = [report.get("good_events_count", 0), report.get("bad_events_count", 0)]
        if run:
            seconds.append(time.perf_counter() - started)
    print(json.dumps({"seconds": seconds, "median": statistics.median(seconds), "counts": counts}))  # noqa: T201


if __name__ == "__main__":
    main()


def run(data: Path, meta: dict[str, Any], python: str, runs: int) -> dict[str, Any]:
    """Write the job, run slo-generator under `python`, check its 30-day counts against the counts file."""
    import subprocess  # noqa: PLC0415

    from bench.run import environment, timed  # noqa: PLC0415

    job = data / "slogen-job.json"
    write_job(data, meta, job)
    done, _, rss = timed([python, "-m", "bench.slogen", str(job), str(runs)], environment())
    del subprocess
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    job_data = json.loads(job.read_text(encoding="utf-8"))
    expected = {
        n: [t[-1] - b[-1], b[-1]] for (n, t), b in zip(job_data["total"].items(), job_data["bad"].values(), strict=True)
    }
    wrong = {n: (c, expected.get(n)) for n, c in found["counts"].items() if c != expected.get(n)}
    job.unlink()
    return {
        "input": "counts",
        "seconds": found["seconds"],
        "median": found["median"],
        "peak_rss_kib": rss,
        "objectives": len(found["counts"]),
        "wrong_30d_counts": wrong,
    }
