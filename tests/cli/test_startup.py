"""Start-up: `attain --help` imports no command, and a command imports only the libraries it uses.

Each check runs `python -X importtime -m attain ...` in a fresh interpreter and reads the modules
it imported from stderr, so the budget is a list of modules, never a time that a busy machine could
break. The times themselves are in `bench/startup.py` and docs/performance.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from attain.cli.app import COMMANDS, load_command
from attain.settings import agreement_cache_dir
from attain.testing import agreement, agreement_yaml, ratio_objective
from cli_support import SRC

HELP_PACKAGES = {"attain", "typer", "shellingham", "annotated_doc"}
HELP_PACKAGES |= {"_distutils_hack", "sitecustomize", "org"}  # site's hooks; `org`: the stdlib's Jython probe
"""Every package outside the standard library that `attain --help` may import: typer and its own."""

HELP_ATTAIN = {"attain", "attain.actor", "attain.cli", "attain.cli.app", "attain.cli.options", "attain.errors"}
HELP_ATTAIN |= {"attain.settings", "attain.cli.start"}
"""Every attain module `attain --help` may import: the command table and the error tree, no command."""

HEAVY = {
    "alembic",
    "duckdb",
    "fastapi",
    "httpx",
    "jinja2",
    "llvmlite",
    "numba",
    "pandas",
    "polars",
    "psycopg",
    "pyarrow",
    "starlette",
    "uvicorn",
    "vl_convert",
    "weasyprint",
}
"""Libraries that `attain status` and `attain summary NAME` on a current SQLite store never need."""

AT = "2026-11-02T00:00:00Z"
END_US = 1_793_577_600_000_000
MINUTE = 60_000_000


def imported(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> set[str]:
    """The modules that `python -X importtime -m attain ARGS` imported, from its stderr."""
    environ = {k: v for k, v in os.environ.items() if k != "ATTAIN_DATABASE_URL"} | (env or {})
    environ["PYTHONPATH"] = os.pathsep.join([str(SRC), environ.get("PYTHONPATH", "")])
    command = [sys.executable, "-X", "importtime", "-m", "attain", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=environ, cwd=cwd, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", result.stderr, flags=re.MULTILINE))


def packages(modules: set[str]) -> set[str]:
    """The top-level packages of `modules` that are not in the standard library."""
    return {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names)


def test_help_imports_the_command_table_and_no_command() -> None:
    """`attain --help` loads typer and attain's table of commands: no pydantic, SQLAlchemy, rich or numpy."""
    modules = imported("--help")
    assert packages(modules) <= HELP_PACKAGES
    assert {m for m in modules if m.split(".")[0] == "attain"} <= HELP_ATTAIN


def test_help_lists_every_command_with_its_help() -> None:
    """Every command of the table is listed by `attain --help` with the start of its help."""
    environ = os.environ | {"PYTHONPATH": str(SRC), "COLUMNS": "400"}
    result = subprocess.run(
        [sys.executable, "-m", "attain", "--help"], capture_output=True, text=True, env=environ, check=True
    )
    for name, entry in COMMANDS.items():
        assert re.search(rf"^\s+{re.escape(name)}\s+{re.escape(entry.help[:30])}", result.stdout, re.MULTILINE), name


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_help_is_the_commands_own(name: str) -> None:
    """A table entry names the module that registers the command, and repeats the first paragraph of its help."""
    command = load_command(name)
    assert command.name == name
    first = " ".join((command.help or "").split("\n\n")[0].split())
    assert COMMANDS[name].help == first


@pytest.fixture(scope="module")
def read_commands(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The modules `apply` (a new store), `status` and `summary` (on that store, current) imported, by command."""
    here = tmp_path_factory.mktemp("read-commands")
    (here / "shop.yaml").write_text(
        agreement_yaml(agreement(time_zone="UTC", effective_from="2026-10-01", objectives=[ratio_objective("ok")]))
    )
    env = {"ATTAIN_DATA_DIR": str(here / "data")}
    return {
        "apply": imported("apply", str(here / "shop.yaml"), env=env),
        "status": imported("status", "shop", "--at", AT, env=env),
        "summary": imported("summary", "shop", "--at", AT, env=env),
    }


def test_status_and_summary_on_a_current_store_load_no_heavy_library(read_commands: dict[str, set[str]]) -> None:
    """On a store at the latest revision, status and summary load no Alembic, numba, pyarrow or web stack."""
    assert "alembic" in packages(read_commands["apply"])  # a new store: migrated
    assert packages(read_commands["status"]) & HEAVY == set()
    assert packages(read_commands["summary"]) & HEAVY == set()


READ_SKIPS = {
    "ruamel.yaml",
    "sqlalchemy.dialects.postgresql",
    "attain.formats.bundle",
    "attain.formats.native",
    "attain.formats.source",
    "attain.ingestion.batches",
    "attain.ingestion.run",
    "attain.reports.explanation",
    "attain.services.files",
    "attain.storage.outbox",
}
"""Modules that reading the store (`status`, `summary`) never needs: the YAML reader and the document
checks (stored versions load from their model JSON), ingestion, the outbox, PostgreSQL's dialect on SQLite."""

PLAIN_SKIPS = {"typer", "click", "attain.cli.app", "attain.cli.store"}
"""A plain `status` or `summary` command line never loads typer or the typer commands (`attain.cli.start`)."""

SUMMARY_SKIPS = {
    "sqlalchemy",
    "babel",
    "attain.storage.store",
    "attain.storage.database",
    "attain.storage.schema",
    "attain.cli.output",
    "attain.engine.evaluate",
    "attain.engine.versions",
    "attain.engine.case",
    "attain.services.store",
}
"""`summary NAME` on a current SQLite store reads it through `sqlite3` alone (`attain.storage.reader`): no
SQLAlchemy, no store tables, no general engine (its prefix sums only), no printing beyond its table."""


@pytest.mark.parametrize("command", ["status", "summary"])
def test_reading_the_store_loads_no_yaml_ingestion_outbox_or_postgresql(
    read_commands: dict[str, set[str]], command: str
) -> None:
    """`attain status` and `attain summary` on a current SQLite store load none of `READ_SKIPS`; `apply` does."""
    assert read_commands[command] & READ_SKIPS == set()
    assert {"ruamel.yaml", "attain.formats.native", "attain.formats.source"} <= read_commands["apply"]


@pytest.mark.parametrize("command", ["status", "summary"])
def test_plain_read_commands_load_no_typer(read_commands: dict[str, set[str]], command: str) -> None:
    """A plain `status` or `summary` command line runs without typer, click or the typer commands; `apply` loads them."""
    assert {m.split(".")[0] for m in read_commands[command]} & PLAIN_SKIPS == set()
    assert read_commands[command] & PLAIN_SKIPS == set()
    assert {"typer", "attain.cli.app"} <= read_commands["apply"]


STATUS_SKIPS = {
    "sqlalchemy",
    "babel",
    "attain.storage.store",
    "attain.storage.database",
    "attain.storage.schema",
    "attain.storage.right",
    "attain.storage.review",
}
"""`status` on a current SQLite store reads it through `sqlite3` alone too (`attain.storage.reader`): its
raw rows, termination and reviews included; nor babel (`attain.cli.money`). It still loads the general engine."""


def test_summary_on_sqlite_loads_no_sqlalchemy_or_general_engine(read_commands: dict[str, set[str]]) -> None:
    """`summary NAME` on a current SQLite store loads none of `SUMMARY_SKIPS`."""
    summary = read_commands["summary"]
    assert {m.split(".")[0] for m in summary} & SUMMARY_SKIPS == set()
    assert summary & SUMMARY_SKIPS == set()
    assert {"attain.storage.reader", "sqlite3"} <= summary


def test_status_on_sqlite_loads_no_sqlalchemy(read_commands: dict[str, set[str]]) -> None:
    """`status` on a current SQLite store loads none of `STATUS_SKIPS`, through the reader; `apply` loads SQLAlchemy."""
    status = read_commands["status"]
    assert {m.split(".")[0] for m in status} & STATUS_SKIPS == set()
    assert status & STATUS_SKIPS == set()
    assert {"attain.storage.reader", "sqlite3", "attain.engine.evaluate"} <= status
    assert "sqlalchemy" in read_commands["apply"]


WARM_SUMMARY_SKIPS = {"numpy", "pydantic", "pydantic_core", "attain.model.agreement", "attain.services.agreement_cache"}
"""What `summary NAME` never loads once its plan is cached (`attain.services.summary_plan`): no model, no numpy."""


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_warm_summary_loads_no_model_or_numpy(tmp_path: Path, output: str) -> None:
    """With its plan cached, `summary NAME` reads the goals as JSON: no pydantic, no model, no numpy; JSON, no rich.

    A rolling objective with the workbook's alert tiers, counts stored, so that every read and
    formula of the summary runs; the first run (cache cold) parses the version and loads the model.
    """
    objective = ratio_objective("checkout", window={"rolling": "7d"}, alerting="sre-workbook")
    (tmp_path / "shop.yaml").write_text(
        agreement_yaml(agreement(time_zone="Europe/Paris", effective_from="2026-10-01", objectives=[objective]))
    )
    stamps = [END_US - 90 * MINUTE + i * 7 * MINUTE for i in range(12)]
    table = pa.table(
        {"timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")), "ok": [i % 5 != 0 for i in range(12)]}
    )
    pq.write_table(table, tmp_path / "requests.parquet")
    env = {"ATTAIN_DATA_DIR": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    imported("apply", str(tmp_path / "shop.yaml"), env=env)
    imported("ingest", "--agreement", "shop", str(tmp_path / "requests.parquet"), env=env)
    args = ["summary", "shop", "--at", AT, *(["--output", "json"] if output == "json" else [])]
    cold = imported(*args, env=env)
    warm = imported(*args, env=env)
    assert {"pydantic", "attain.services.agreement_cache"} <= cold
    assert len(list((tmp_path / "cache").rglob("*.plan.json"))) == 1
    assert warm & WARM_SUMMARY_SKIPS == set()
    assert {"attain.storage.reader", "attain.engine.summary"} <= warm
    assert ("rich" in packages(warm)) is (output == "text")


def test_summary_of_a_file_loads_no_compiler_and_writes_nothing_here(tmp_path: Path) -> None:
    """`attain summary --data` counts in numpy (no numba, no pandas) and leaves the working directory empty."""
    (tmp_path / "shop.yaml").write_text(
        agreement_yaml(
            agreement(time_zone="UTC", effective_from="2026-10-01", objectives=[ratio_objective("checkout")])
        )
    )
    stamps = [END_US - 3 * MINUTE + i for i in range(10)]
    table = pa.table({"timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")), "ok": [i >= 2 for i in range(10)]})
    pq.write_table(table, tmp_path / "requests.parquet")
    here = tmp_path / "here"
    here.mkdir()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "ATTAIN_DATA_DIR": str(tmp_path / "data")}
    args = ("summary", str(tmp_path / "shop.yaml"), "--data", str(tmp_path / "requests.parquet"), "--at", AT)
    loaded = packages(imported(*args, env=env, cwd=here))
    assert "pyarrow" in loaded
    assert {"numba", "llvmlite", "pandas"} & loaded == set()
    assert list(here.iterdir()) == []


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", "/home/u/.cache/attain/agreements"),
        ({"XDG_CACHE_HOME": "/var/cache/u"}, "linux", "/var/cache/u/attain/agreements"),
        ({"XDG_CACHE_HOME": "relative"}, "linux", "/home/u/.cache/attain/agreements"),  # the spec ignores relative
        ({}, "darwin", "/home/u/Library/Caches/attain/agreements"),
        ({"LOCALAPPDATA": "/c/Users/u/AppData/Local"}, "win32", "/c/Users/u/AppData/Local/attain/agreements"),
    ],
)
def test_the_cache_dir_follows_the_platforms_convention(environ: dict[str, str], platform: str, expected: str) -> None:
    """XDG on Linux (absolute XDG_CACHE_HOME only), Library/Caches on macOS, LOCALAPPDATA on Windows."""
    assert agreement_cache_dir(environ, Path("/home/u"), platform) == Path(expected)


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_attain_runs_numpy_with_one_blas_thread_unless_told(given: str | None, expected: str) -> None:
    """`main` sets OPENBLAS_NUM_THREADS to 1 before numpy loads (it spins a thread per core), keeping a given value."""
    code = (
        "import os, sys; sys.argv = ['attain', '--version-unknown']\n"
        "from attain.cli.start import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'])"
    )
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | {"PYTHONPATH": str(SRC)}
    if given is not None:
        environ["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, check=False)
    assert done.stdout.strip() == expected, done.stderr
