"""One engine in its own process: a warm-up run, then timed runs; prints timings, writes the answer.

`python -m bench.worker ENGINE DATA_DIR --runs 3 --answer answer.json` prints one JSON line with
the engine, the input kind, the wall-clock and CPU seconds of each timed run (the warm-up excluded:
it loads libraries and compiled kernels, and fills the OS page cache, for every engine alike).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from bench.engines import ENGINES, load_meta


def main() -> None:
    """Run one engine: warm-up, timed runs, answer to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("data", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--answer", type=Path, required=True)
    args = parser.parse_args()
    kind, engine = ENGINES[args.engine]
    meta = load_meta(args.data)
    answer = engine(args.data, meta)
    times, cpu = [], []
    for _ in range(args.runs):
        used = cpu_seconds()
        start = time.perf_counter()
        answer = engine(args.data, meta)
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - used)
    args.answer.write_text(json.dumps(answer), encoding="utf-8")
    print(json.dumps({"engine": args.engine, "input": kind, "seconds": times, "cpu_seconds": cpu}))  # noqa: T201


def cpu_seconds() -> float:
    """User and system CPU time of this process (all its threads) and of its finished children.

    On a loaded machine wall time stretches with the load while CPU time hardly does; the
    children count for the whole-command engines.
    """
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


if __name__ == "__main__":
    main()
