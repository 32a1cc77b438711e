"""CPU time and memory of reading the costliest YAML and JSON texts under 1 MiB (issue 19's bound).

    python -m bench.yaml_bounds [--runs 7] [--out bench/results/yaml-bounds.json]

The cases are generated at the size limit: the most values allowed in the shapes that cost most per
byte (flat mappings, long sequences of one-character scalars, flow sequences, nesting at the depth
limit, many documents), the longest scalars, and texts refused only at their end. Each is read
`--runs` times in this process; the least CPU time (`time.process_time`) is reported, so that other
work on a shared machine counts as little as it can, with the median beside it, and the peak
allocation of one read (`tracemalloc`). The goal is 100 ms of CPU for every case; the load average
is printed with the table, since a loaded machine slows even a process's own CPU time (shared
caches, no turbo). `tests/formats/test_source_bounds.py` runs the same cases as a regression guard
with a looser bound.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time
import tracemalloc
from pathlib import Path

from attain.errors import InvalidDocument
from attain.formats.source import MAX_BYTES, MAX_NODES, read_text

SIZE = MAX_BYTES - 64
COMMENT = "#" + "x" * 98 + "\n"
GOAL_SECONDS = 0.100


def _padded(body: str) -> str:
    """`body` followed by 100-byte comment lines up to just under 1 MiB."""
    return body + COMMENT * ((SIZE - len(body.encode("utf-8"))) // len(COMMENT))


def _chain() -> str:
    """A sequence item holding 49 nested mappings (50 levels, the most allowed) and a value."""
    keys = "".join("  " * (depth + 1) + f"k{depth}:\n" for depth in range(1, 49))
    return "- k0:\n" + keys + "  " * 50 + "v\n"


WORST = {
    "flat mapping, 4,999 keys with 190-byte values": "".join(f"k{i}: {'v' * 190}\n" for i in range(4_999)),
    "sequence of 9,999 one-digit scalars": _padded("- 1\n" * 9_999),
    "flow sequence of 9,999 numbers": _padded("[" + "1," * 9_998 + "1]\n"),
    "99 chains nested 50 deep": _padded(_chain() * 99),
    "3,333 documents": _padded("---\na: 1\n" * 3_333),
    "one plain scalar of 1 MiB": "a: " + "x" * (SIZE - 10) + "\n",
    "one double-quoted scalar of escapes": 'a: "' + "x\\t" * ((SIZE - 10) // 3) + '"\n',
    "2,000 JSON surrogate pairs on one line": _padded('{"t": "' + "\\ud83d\\ude00" * 2_000 + '", "n": 1}\n'),
}
"""Valid texts (within every limit) that cost the most to read."""

REFUSED = {
    "a syntax error after 9,999 values": (_padded("- 1\n" * 9_999 + "a: [\n"), 10_000, "not valid YAML"),
    "260,000 values": ("- 1\n" * 260_000, MAX_NODES, f"more than {MAX_NODES} values"),
    "an alias after 9,999 values": ("- 1\n" * 9_999 + "- *x\n" + "- 1\n" * 200_000, 10_000, "aliases"),
    "a NUL at the end": ("a: " + "x" * (SIZE - 20) + "\x00\n", 1, "U+0000"),
    "a line separator at the end": ("- 1\n" * 9_999 + "a: b\u2028c\n", 10_000, "U+2028 (LINE SEPARATOR)"),
}
"""Texts refused late (or for their size in values): the text, the line the problem names, a part of its message."""


def read_once(text: str) -> object:
    """What one read of `text` gives: the documents, or the refusal."""
    try:
        return read_text(text, "big.yaml")
    except InvalidDocument as error:
        return error


def cpu_times(text: str, runs: int) -> list[float]:
    """The CPU seconds of `runs` reads of `text` in this process."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        read_once(text)
        times.append(time.process_time() - started)
    return times


def peak_allocation(text: str) -> int:
    """The peak bytes `tracemalloc` sees allocated during one read of `text`."""
    tracemalloc.start()
    with contextlib.suppress(InvalidDocument):
        read_text(text, "big.yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(runs: int) -> list[dict[str, object]]:
    """One row per case: its name, size, outcome, least and median CPU milliseconds and peak allocation."""
    rows: list[dict[str, object]] = []
    cases = [(name, text, "loads") for name, text in WORST.items()]
    cases += [(name, case[0], "refused") for name, case in REFUSED.items()]
    for name, text, expected in cases:
        outcome = read_once(text)
        got = "refused" if isinstance(outcome, InvalidDocument) else "loads"
        times = cpu_times(text, runs)
        rows.append(
            {
                "case": name,
                "bytes": len(text.encode("utf-8")),
                "outcome": got,
                "expected": expected,
                "least_ms": round(min(times) * 1000, 1),
                "median_ms": round(statistics.median(times) * 1000, 1),
                "peak_mb": round(peak_allocation(text) / 1e6, 1),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring); 1 when a case misses its outcome or the 100 ms goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    rows = measure(args.runs)
    load_after = os.getloadavg()
    lines = ["| case | bytes | outcome | least ms | median ms | peak MB |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {r['case']} | {r['bytes']:,} | {r['outcome']} | {r['least_ms']} | {r['median_ms']} | {r['peak_mb']} |"
        for r in rows
    ]
    lines.append(f"\nload average before {load_before[0]:.2f}, after {load_after[0]:.2f}; {args.runs} reads each")
    print("\n".join(lines))  # noqa: T201
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        payload = {"rows": rows, "load_average": {"before": load_before, "after": load_after}}
        args.out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    wrong = [r for r in rows if r["outcome"] != r["expected"]]
    slow = [r for r in rows if float(str(r["least_ms"])) >= GOAL_SECONDS * 1000]
    return 1 if wrong or slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
