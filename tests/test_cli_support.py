"""The `attain` fixture runs the CLI in this process exactly as a user's process runs it."""

from __future__ import annotations

import os
from pathlib import Path

from cli_support import Cli


def test_in_process_and_subprocess_print_and_exit_alike(attain: Cli, tmp_path: Path) -> None:
    """An invalid file exits 2 with the same stdout and stderr in this process as in a subprocess."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: attain/v2\n", encoding="utf-8")
    inside, outside = attain("validate", bad), attain.process("validate", bad)
    assert (inside.returncode, inside.stdout, inside.stderr) == (outside.returncode, outside.stdout, outside.stderr)
    assert inside.returncode == 2
    assert inside.stderr.startswith(f"{bad}:1:13: apiVersion: unsupported apiVersion 'attain/v2'")


def test_the_environment_is_the_commands_only_while_it_runs(attain: Cli) -> None:
    """ATTAIN_DATA_DIR is set for the command and the test's environment is as before afterwards."""
    before = dict(os.environ)
    done = attain.with_env(COLUMNS="123")("db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"database at the latest schema: sqlite:///{attain.data_dir}/attain.db\n"
    assert dict(os.environ) == before
