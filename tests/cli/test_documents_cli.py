"""`attain render` and `attain report` write documents: PDF bytes go to a file or a pipe, never to a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from attain.formats.template import template_text
from cli_support import SRC, Cli

SAMPLES = SRC / "attain" / "samples"
REFUSED = "Invalid value for --out: a PDF is not for a terminal: pass --out FILE (or pipe to a file)"


@pytest.fixture
def cloud_uptime(tmp_path: Path) -> Path:
    """The English cloud-uptime template, whose measurements are in the samples."""
    path = tmp_path / "cloud-uptime.yaml"
    path.write_text(template_text("cloud-uptime", "en"), encoding="utf-8")
    return path


def command_line(cli: Cli, *arguments: str | Path) -> tuple[list[str], dict[str, str]]:
    """`python -m attain ARGUMENTS` and the environment of `cli`, 200 columns wide so that no message folds."""
    environ = {k: v for k, v in os.environ.items() if k != "ATTAIN_DATABASE_URL"}
    environ |= {"PYTHONPATH": str(SRC), "ATTAIN_DATA_DIR": str(cli.data_dir), "COLUMNS": "200"}
    return [sys.executable, "-m", "attain", *map(str, arguments)], environ


def report_pdf(agreement: Path) -> tuple[str | Path, ...]:
    """The arguments of a PDF report of January 2027 from the sample measurements, without --out."""
    return ("report", agreement, "--period", "2027-01", "--data", SAMPLES / "cloud-uptime", "--format", "pdf")


@pytest.mark.parametrize("verb", ["report", "render"])
def test_a_pdf_for_a_terminal_is_refused(attain: Cli, cloud_uptime: Path, verb: str) -> None:
    """With stdout on a terminal and no --out, a PDF is refused with exit 2, a hint to pass --out, and no bytes written."""
    arguments = report_pdf(cloud_uptime) if verb == "report" else ("render", cloud_uptime, "--format", "pdf")
    command, environ = command_line(attain, *arguments)
    terminal, inside = pty.openpty()
    try:
        running = subprocess.Popen(command, stdout=inside, stderr=subprocess.PIPE, env=environ, cwd=attain.cwd)
        os.close(inside)
        written = _drain(terminal)  # read while it runs: a full terminal buffer would block the writer
        stderr = running.communicate(timeout=120)[1].decode()
    finally:
        os.close(terminal)
    assert running.returncode == 2
    assert REFUSED in stderr
    assert written == b""


def test_a_pdf_through_a_pipe_is_written(attain: Cli, cloud_uptime: Path) -> None:
    """With stdout on a pipe and no --out, the PDF's bytes are written to it as before."""
    command, environ = command_line(attain, *report_pdf(cloud_uptime))
    done = subprocess.run(command, capture_output=True, env=environ, cwd=attain.cwd, check=False, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"%PDF-")


def _drain(terminal: int) -> bytes:
    """Everything written to the terminal's other end, until every writer has closed it."""
    chunks = []
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # Linux reports the closed other end as EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
