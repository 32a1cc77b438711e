"""Hostile input, fuzzed: the YAML loader and the CSV / JSON Lines / Parquet readers under hypothesis.

Every input either loads or is refused as `InvalidInput` whose problems name the file (and a line
or field where there is one); nothing else escapes, each input costs under 300 ms of CPU, and the
whole run grows the process's resident memory by under 50 MB. Inputs are valid documents with random splices, random
text and bytes, and generated Parquet tables. `ATTAIN_FUZZ_EXAMPLES` sets the examples per target
(200 in CI); `bench/fuzz_atheris.py` runs the same targets under atheris for nightly use.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api_support import agreement_text
from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.model import Agreement
from attain.sources.files import read_measurements

EXAMPLES = int(os.environ.get("ATTAIN_FUZZ_EXAMPLES", "200"))
CPU_SECONDS = 0.300
"""Per input. A valid three-line CSV costs 64–111 ms of CPU on a slow day of this 2-core machine (DuckDB's
sniffer and a connection per file, its threads counted), so the bound sits well above the valid inputs
and far below what a blow-up costs (seconds)."""
RSS_GROWTH_KB = 50 * 1024
VALID = agreement_text("shop", "Example Shop")
CSV = "timestamp,outcome,region\n2026-11-01T00:00:00Z,ok,eu\n2026-11-01T00:01:00+08:00,error,us\n"
JSONL = '{"timestamp": "2026-11-01T00:00:00Z", "outcome": "ok"}\n{"timestamp": "2026-11-01T00:01:00Z", "x": 1.5}\n'
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SPLICES = st.sampled_from(
    [
        "\x00", "\u202e", "&a [1]", "*a", "!!python/object:os.system", "1e400", ".nan", "-.inf", "'", '"', "{", "[",
        ": ", "- ", "\t", "\n  ", "<<: *a", "%YAML 1.1\n---\n", "yes", "~", "0x1F", "9" * 400, "\ufeff", "\\", "#",
        "2026-13-45T25:61:00Z", "NaN", "Infinity", '{"a":', ",", '"""', "\r\n", "\xff",
    ]
)  # fmt: skip


def spliced(base: str) -> st.SearchStrategy[str]:
    """`base` with a hostile or random piece put in, or a stretch cut out, at random places."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = base
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(text)))
            if draw(st.booleans()):
                piece = draw(st.one_of(SPLICES, st.text(max_size=20)))
                text = text[:at] + piece + text[at:]
            else:
                text = text[:at] + text[at + draw(st.integers(0, 40)) :]
        return text

    return build()


def _located(error: InvalidInput, file: str) -> None:
    """Each problem names the file (a whole-file problem, such as unreadable Parquet, names no line)."""
    assert error.problems
    for problem in error.problems:
        assert problem.file.endswith(file) or file in problem.file, problem
        assert problem.message, problem


def _bounded(call: Callable[[], Any]) -> Any:
    """Run `call`, asserting it used under `CPU_SECONDS` of CPU; return what it returned or the InvalidInput."""
    started = time.process_time()
    try:
        outcome: Any = call()
    except InvalidInput as error:
        outcome = error
    used = time.process_time() - started
    assert used < CPU_SECONDS, f"{used * 1000:.0f} ms of CPU"
    return outcome


@pytest.fixture(scope="module")
def peak_memory(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The resident memory (kB) before the module's fuzzing, checked to have grown by under 50 MB after it.

    Each reader runs once first, so that imports and first-use caches (DuckDB, pyarrow, pydantic's
    validators) count neither as an input's CPU time nor as growth.
    """
    warm = tmp_path_factory.mktemp("warm")
    load_bundle_text(VALID, "warm.yaml")
    buffer = io.BytesIO()
    pq.write_table(pa.table({"timestamp": ["2026-11-01T00:00:00Z"]}), buffer)
    for name, data in (("requests.csv", CSV.encode()), ("requests.jsonl", JSONL.encode())):
        _read_file(warm, name, data, bounded=False)
    _read_file(warm, "requests.parquet", buffer.getvalue(), bounded=False)
    gc.collect()
    before = _resident_kb()
    yield before
    gc.collect()
    grown = _resident_kb() - before
    assert grown < RSS_GROWTH_KB, f"resident memory grew by {grown} kB"


def _resident_kb() -> int:
    """This process's resident set size now, in kB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * resource.getpagesize() // 1024


def _load_yaml(text: str) -> None:
    outcome = _bounded(lambda: load_bundle_text(text, "fuzz.yaml"))
    if isinstance(outcome, InvalidInput):
        _located(outcome, "fuzz.yaml")
    elif outcome.problems:
        _located(InvalidInput(outcome.problems), "fuzz.yaml")


@FUZZ
@given(text=spliced(VALID))
def test_spliced_agreements_load_or_are_refused_with_a_location(peak_memory: Any, text: str) -> None:
    """A valid agreement with hostile splices: loads, or each problem names fuzz.yaml and a line or field."""
    del peak_memory
    _load_yaml(text)


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text_as_yaml_is_refused_with_a_location(peak_memory: Any, text: str) -> None:
    """Arbitrary text: never an exception other than a located InvalidInput, never `CPU_SECONDS` of CPU."""
    del peak_memory
    _load_yaml(text)


def _agreement() -> Agreement:
    [agreement] = load_bundle_text(VALID, "shop.yaml").agreements
    return agreement


def _read_file(folder: Path, name: str, data: bytes, *, bounded: bool = True) -> None:
    """Write `data` as the `requests` stream (and empty other streams) and read the agreement's measurements."""
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(data)
    (folder / "outages.csv").write_text("start,end\n", encoding="utf-8")
    agreement = _agreement()
    if not bounded:
        with contextlib.suppress(InvalidInput):
            read_measurements(agreement, folder)
        return
    outcome = _bounded(lambda: read_measurements(agreement, folder))
    if isinstance(outcome, InvalidInput):
        _located(outcome, str(folder))


@FUZZ
@given(text=spliced(CSV))
def test_spliced_csv_reads_or_is_refused_with_a_location(peak_memory: Any, tmp_path: Path, text: str) -> None:
    """A CSV with hostile splices (NUL, BOM, bidi, stray quotes) reads or gets located problems."""
    del peak_memory
    _read_file(tmp_path, "requests.csv", text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(text=spliced(JSONL))
def test_spliced_json_lines_read_or_are_refused_with_a_location(peak_memory: Any, tmp_path: Path, text: str) -> None:
    """JSON Lines with hostile splices (NaN, 400 digits, deep brackets) read or get located problems."""
    del peak_memory
    _read_file(tmp_path, "requests.jsonl", text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(["requests.csv", "requests.jsonl", "requests.parquet"]))
def test_random_bytes_in_any_format_are_refused_with_a_location(
    peak_memory: Any, tmp_path: Path, data: bytes, suffix: str
) -> None:
    """Random bytes (invalid UTF-8, truncated Parquet) under each suffix: located problems, no crash."""
    del peak_memory
    _read_file(tmp_path, suffix, data)


COLUMN_VALUES = st.one_of(
    st.lists(st.text(max_size=40), min_size=1, max_size=5),
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=5),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=5),
    st.lists(st.binary(max_size=20), min_size=1, max_size=5),
    st.lists(st.lists(st.integers(0, 9), max_size=3), min_size=1, max_size=5),
    st.lists(st.datetimes(), min_size=1, max_size=5),
    st.lists(st.none(), min_size=1, max_size=5),
)


@FUZZ
@given(columns=st.dictionaries(st.sampled_from(["timestamp", "outcome", "value", "x", ""]), COLUMN_VALUES, max_size=4))
def test_generated_parquet_reads_or_is_refused_with_a_location(
    peak_memory: Any, tmp_path: Path, columns: dict[str, list[Any]]
) -> None:
    """Parquet files of generated columns (any type, nested lists, nulls, naive datetimes) read or get located problems."""
    del peak_memory
    length = min((len(v) for v in columns.values()), default=0)
    table = pa.table({name: values[:length] for name, values in columns.items()}) if columns else pa.table({})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    _read_file(tmp_path, "requests.parquet", buffer.getvalue())


HOSTILE_FILES = {
    "requests.csv": b"\xff\xfe\x00garbage,\n\x00\x00",
    "requests.jsonl": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "requests.parquet": b"PAR1" + b"\x00" * 1000 + b"PAR1",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_the_cli_exits_2_with_a_location_and_no_traceback(tmp_path: Path, name: str) -> None:
    """`attain ingest` of a hostile file: exit 2, the file named, no Python traceback."""
    agreement = tmp_path / "shop.yaml"
    agreement.write_text(VALID, encoding="utf-8")
    data = tmp_path / name
    data.write_bytes(HOSTILE_FILES[name])
    env = os.environ | {"ATTAIN_DATA_DIR": str(tmp_path / "data")}
    env.pop("ATTAIN_DATABASE_URL", None)
    attain = [sys.executable, "-m", "attain"]
    applied = subprocess.run([*attain, "apply", str(agreement)], env=env, capture_output=True, text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    command = [*attain, "ingest", str(data), "--agreement", "shop"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
