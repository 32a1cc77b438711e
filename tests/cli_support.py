"""One way for tests to run the `attain` command line: in this process, or as a process of its own.

`Cli(...)("evaluate", path)` runs `attain.cli.main` in this process under typer's `CliRunner`
isolation (stdout, stderr and the environment are the runner's), so a test pays no interpreter
start and sees the same exit codes and messages a user sees: `main` turns errors into them.
`Cli(...).process(...)` runs `python -m attain` as a subprocess, for tests that need a separate
process: its imports (`sys.modules`), its environment from the start, or real stdout bytes.
Both return a `subprocess.CompletedProcess[str]`, so a test reads `.returncode`, `.stdout` and
`.stderr` the same way whichever it uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from typer.testing import CliRunner

from attain.cli import main

SRC = Path(__file__).resolve().parents[1] / "src"
UNSET = ("ATTAIN_DATABASE_URL",)
"""Variables of the test run's environment a command never sees: each command names its own store."""


@dataclass(frozen=True)
class Cli:
    """The `attain` command line on a data directory of its own.

    Attributes:
        data_dir: ATTAIN_DATA_DIR for every command (the SQLite store is `data_dir/attain.db`).
        env: More environment variables for every command (e.g. COLUMNS).
        cwd: The working directory commands run in.
    """

    data_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None

    def with_env(self, **variables: str) -> Cli:
        """The same CLI with more environment variables."""
        return replace(self, env={**self.env, **variables})

    def __call__(self, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run `attain ARGS` in this process; the exit code and what it printed."""
        argv = ["attain", *map(str, args)]
        overrides: dict[str, str | None] = dict.fromkeys(UNSET)
        overrides |= {"ATTAIN_DATA_DIR": str(self.data_dir), **self.env}
        with CliRunner().isolation(env=overrides) as (stdout, stderr, _), _inside(cwd or self.cwd), _argv(argv):
            code = _exit_code()
            sys.stdout.flush()
            sys.stderr.flush()
            printed = stdout.getvalue().decode(), stderr.getvalue().decode()
        return subprocess.CompletedProcess(argv, code, *printed)

    def out(self, *args: str | Path) -> str:
        """Run `attain ARGS` in this process, assert it succeeded, and return its stdout."""
        done = self(*args)
        assert done.returncode == 0, f"attain {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}"
        return done.stdout

    def process_environ(self) -> dict[str, str]:
        """The environment a subprocess `attain` of this CLI runs with."""
        environ = {k: v for k, v in os.environ.items() if k not in UNSET}
        return environ | {"PYTHONPATH": str(SRC), "ATTAIN_DATA_DIR": str(self.data_dir), **self.env}

    def process(
        self, *args: str | Path, code: str | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `python -m attain ARGS` (or `python -c CODE ARGS`) as a subprocess with this CLI's environment."""
        environ = self.process_environ()
        command = [sys.executable, "-m", "attain"] if code is None else [sys.executable, "-c", code]
        return subprocess.run(
            [*command, *map(str, args)], capture_output=True, text=True, env=environ, cwd=cwd or self.cwd, check=False
        )


def _exit_code() -> int:
    """Run `attain.cli.main` on `sys.argv` and return the exit code it ends with."""
    try:
        main()
    except SystemExit as ended:
        if ended.code is None or isinstance(ended.code, int):
            return ended.code or 0
        sys.stderr.write(f"{ended.code}\n")
        return 1
    return 0


@contextmanager
def _inside(directory: Path | None) -> Iterator[None]:
    """Change the working directory for the block (when one is given)."""
    if directory is None:
        yield
        return
    before = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _argv(argv: list[str]) -> Iterator[None]:
    """`sys.argv` as a command line would set it, for the block."""
    before = sys.argv
    sys.argv = argv
    try:
        yield
    finally:
        sys.argv = before
