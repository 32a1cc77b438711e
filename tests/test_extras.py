"""Heavy parts are extras: commands that need one name it when it is missing, and others never load it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from attain.errors import MissingExtra
from attain.formats.template import template_text
from attain.reports import charts
from cli_support import Cli

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "attain" / "samples"
REPORTS = (
    "attain: drawing the charts of a report (attain report, attain demo) needs the 'reports' extra (vl_convert): "
    "pip install 'attain[reports]'\n"
)


def _without(module: str) -> str:
    """Python code that runs the CLI as if `module` were not installed (an import of it fails)."""
    return f"import sys; sys.modules[{module!r}] = None; from attain.cli import main; main()"


LOADED = (
    "import sys\nfrom attain.cli import main\ntry:\n    main()\nfinally:\n"
    "    print('loaded:', *sorted(m for m in ('vl_convert',) if m in sys.modules), file=sys.stderr)\n"
)
"""Python code that runs the CLI, then prints which of the heavy modules it imported, on stderr."""


def _loaded(stderr: str) -> list[str]:
    """The line `LOADED` printed."""
    return [line for line in stderr.splitlines() if line.startswith("loaded:")]


@pytest.fixture
def cloud_uptime(tmp_path: Path) -> Path:
    """The English cloud-uptime template, whose measurements are in the samples."""
    path = tmp_path / "cloud-uptime.yaml"
    path.write_text(template_text("cloud-uptime", "en"), encoding="utf-8")
    return path


def test_report_without_vl_convert_names_the_reports_extra(attain: Cli, cloud_uptime: Path) -> None:
    """`attain report` without vl-convert exits 1 with one line saying which extra to install."""
    arguments = ("report", cloud_uptime, "--period", "2027-01", "--data", SAMPLES / "cloud-uptime")
    done = attain.process(*arguments, "--format", "html", code=_without("vl_convert"))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", REPORTS)


def test_the_error_carries_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing a chart without vl-convert raises MissingExtra, an ImportError naming the extra and the module."""
    monkeypatch.setitem(sys.modules, "vl_convert", None)
    with pytest.raises(MissingExtra) as raised:
        charts.to_svg({})
    assert (raised.value.extra, raised.value.name, raised.value.exit_code) == ("reports", "vl_convert", 1)
    assert isinstance(raised.value, ImportError)
    assert f"attain: {raised.value}\n" == REPORTS


@pytest.mark.parametrize(
    "arguments",
    [
        ("--help",),
        ("validate", "{agreement}"),
        ("explain", "{agreement}"),
        ("evaluate", "{agreement}", "--data", str(SAMPLES / "cloud-uptime"), "--at", "2027-03-01T00:00:00Z"),
        ("apply", "{agreement}"),
        ("report", "{agreement}", "--period", "2027-01", "--data", str(SAMPLES / "cloud-uptime"), "--format", "md"),
    ],
    ids=["help", "validate", "explain", "evaluate", "apply", "report-md"],
)
def test_commands_that_need_no_extra_load_none(attain: Cli, cloud_uptime: Path, arguments: tuple[str, ...]) -> None:
    """Commands that draw no chart do not import vl_convert."""
    done = attain.process(*(a.format(agreement=cloud_uptime) for a in arguments), code=LOADED)
    assert done.returncode in {0, 3}, done.stderr
    assert _loaded(done.stderr) == ["loaded:"]


def test_the_check_sees_a_loaded_extra(attain: Cli, cloud_uptime: Path) -> None:
    """The probe above does see vl_convert when a command loads it (`attain report` as HTML, with charts)."""
    arguments = ("report", cloud_uptime, "--period", "2027-01", "--data", SAMPLES / "cloud-uptime")
    done = attain.process(*arguments, "--format", "html", code=LOADED)
    assert done.returncode == 0, done.stderr
    assert _loaded(done.stderr) == ["loaded: vl_convert"]
