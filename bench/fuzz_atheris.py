"""The nightly fuzz run: the YAML loader and the measurement readers under atheris (libFuzzer), for hours.

    pip install atheris==2.3.0                       # not a pinned dependency: nightly machines only
    python -m bench.fuzz_atheris yaml -max_total_time=3600 corpus/yaml
    python -m bench.fuzz_atheris csv -max_total_time=3600 corpus/csv      # also: jsonl, parquet

The targets are those of `tests/formats/test_fuzz_inputs.py` (which hypothesis runs in CI): every
input loads or raises `InvalidInput` naming the file; any other exception, or an input that takes
over 100 ms of CPU (`-timeout` catches hangs), is a finding that libFuzzer saves as `crash-*` /
`timeout-*` for a regression test. `-rss_limit_mb=2048` stops a memory blow-up.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from pathlib import Path

from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.sources.files import read_measurements

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: shop}
spec:
  title: Hosting SLA
  parties: {provider: {name: ACME Cloud}, customer: {name: Example Shop}}
  purpose: Keeps the shop online.
  services: [{name: web}]
  effective: {from: 2026-10-01}
  objectives:
    - {name: success, service: web, indicator: {kind: ratio, events: requests, bad: {where: {outcome: error}}},
       target: 99%, window: month}
"""
CPU_SECONDS = 0.1
SUFFIXES = {"csv": "requests.csv", "jsonl": "requests.jsonl", "parquet": "requests.parquet"}


def _timed(call: object) -> None:
    started = time.process_time()
    try:
        call()  # type: ignore[operator]
    except InvalidInput as error:
        if not all(problem.file for problem in error.problems):
            raise AssertionError(f"a problem without a file: {error.problems}") from None
    used = time.process_time() - started
    if used > CPU_SECONDS:
        raise AssertionError(f"{used * 1000:.0f} ms of CPU for one input")


def yaml_target(data: bytes) -> None:
    """One YAML input: loads, or a located refusal."""
    _timed(lambda: load_bundle_text(data.decode("utf-8", errors="replace"), "fuzz.yaml"))


def file_target(name: str, folder: Path) -> object:
    """The target reading `data` as the `requests` stream under `name`."""
    [agreement] = load_bundle_text(AGREEMENT, "shop.yaml").agreements

    def target(data: bytes) -> None:
        (folder / name).write_bytes(data)
        _timed(lambda: read_measurements(agreement, folder))

    (folder / name).write_bytes(b"")
    with contextlib.suppress(InvalidInput):  # the first read imports DuckDB and pyarrow: not an input's cost
        read_measurements(agreement, folder)
    return target


def main() -> None:
    """Run one target (`yaml`, `csv`, `jsonl` or `parquet`) under atheris with libFuzzer's arguments."""
    import atheris  # type: ignore[import-not-found]  # noqa: PLC0415 - a nightly-only tool

    which = sys.argv.pop(1) if len(sys.argv) > 1 else "yaml"
    folder = Path(tempfile.mkdtemp(prefix="attain-fuzz-"))
    target = yaml_target if which == "yaml" else file_target(SUFFIXES[which], folder)
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
