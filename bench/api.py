"""The API scenario: `GET /api/v1/agreements/{name}/status` of a 20-objective agreement under wrk.

    python -m bench.api [--duration 60] [--connections 32]

Builds a SQLite store in `bench/data/api/` (`attain apply`, `attain ingest --buckets-only` of 30
days × 20 services), creates a viewer token, starts `attain serve` (one uvicorn worker) on
127.0.0.1 and runs `wrk --latency` against the status endpoint. The default 60 s always spans a
turn of the minute, when the server refreshes the status in the background: the latencies then
include that refresh. Skips, saying why, when `attain serve` or `wrk` is not available
(`scripts/system-packages-bench` installs wrk).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.generate import Spec, generate
from bench.processes import free_port, stop, wait_ready
from bench.run import ROOT, environment

NAME = "bench"


def unavailable() -> str | None:
    """Why the scenario cannot run here, or None."""
    if shutil.which("wrk") is None:
        return "wrk is not installed (run scripts/system-packages-bench)"
    probe = subprocess.run(
        [sys.executable, "-m", "attain", "serve", "--help"], capture_output=True, text=True, check=False
    )
    if probe.returncode:
        return "`attain serve` is not available in this build"
    return None


def attain(env: dict[str, str], *arguments: str) -> str:
    """Run an attain command; its standard output."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "attain", *arguments], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode:
        raise RuntimeError(f"attain {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(data: Path, events: int) -> dict[str, str]:
    """A store with the 20-objective agreement and its counts; the environment that names it."""
    store = data / "store"
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)
    generate(Spec(events=events, services=20), data)
    (store / "requests.parquet").symlink_to((data / "events.parquet").resolve())
    env = environment(ATTAIN_DATA_DIR=str(store))
    attain(env, "apply", str(data / "agreement.yaml"))
    attain(env, "ingest", str(store / "requests.parquet"), "--agreement", NAME, "--buckets-only")
    return env


def token(env: dict[str, str]) -> str:
    """A viewer token from `attain token create`."""
    out = attain(env, "token", "create", "--role", "viewer", "--label", "bench", "--output", "json")
    found: dict[str, Any] = json.loads(out)
    return str(found["token"])


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """`attain serve` on a free port, once /healthz answers 200."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "attain", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_ready(process, f"{url}/healthz", "attain serve did not answer /healthz within 60 s")
    return process, url


def latency_ms(text: str) -> float:
    """The latency text of wrk (`812.00us`, `3.21ms`, `1.02s`) in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]


def run_wrk(url: str, bearer: str, duration: int, connections: int) -> dict[str, Any]:
    """Run wrk against the status endpoint: requests/s, p50 and p99 latency, non-2xx responses."""
    target = f"{url}/api/v1/agreements/{NAME}/status"
    request = urllib.request.Request(target, headers={"Authorization": f"Bearer {bearer}"})  # noqa: S310 - our own http URL
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        sample = json.loads(response.read())
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own http URL
        response.read()
    second_ms = (time.perf_counter() - started) * 1000
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["-H", f"Authorization: Bearer {bearer}", target]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = latency_ms(re.search(r"^\s*50%[ \t]+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = latency_ms(re.search(r"^\s*99%[ \t]+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    objectives = len(sample.get("objectives", [])) if isinstance(sample, dict) else None
    return {
        "requests_per_second": rate,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "objectives_in_response": objectives,
        "first_request_ms": first_ms,
        "second_request_ms": second_ms,
        "wrk": out,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "api")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "api.json")
    args = parser.parse_args(argv)
    reason = unavailable()
    if reason is not None:
        print(f"API scenario skipped: {reason}")  # noqa: T201
        return 0
    env = prepare(args.data, args.events)
    bearer = token(env)
    process, url = serve(env)
    try:
        found = run_wrk(url, bearer, args.duration, args.connections)
    finally:
        stop(process)
    print(  # noqa: T201
        f"GET status, 20 objectives, {args.connections} connections: {found['requests_per_second']:.0f} req/s, "
        f"p50 {found['p50_ms']:.1f} ms, p99 {found['p99_ms']:.1f} ms, non-2xx {found['non_2xx']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(found, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
