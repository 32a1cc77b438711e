"""`attain rules` run through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import Cli
from rules_support import SPEC, groups_by_name, load_yaml, write_file


def test_cli_writes_rules_and_reports_bad_labels(attain: Cli, tmp_path: Path) -> None:
    """`attain rules` writes the file with the extra label; a malformed --extra-label exits 2."""
    spec, out = write_file(tmp_path, "spec.yaml", SPEC), tmp_path / "rules.yaml"
    done = attain("rules", str(spec), "--out", str(out), "--extra-label", "team=payments")
    assert done.returncode == 0, done.stderr
    first = groups_by_name(load_yaml(out.read_text()))["sloth-slo-sli-recordings-api-availability"]["rules"][0]
    assert first["labels"]["team"] == "payments"
    bad = attain("rules", str(spec), "--extra-label", "no-equals")
    assert bad.returncode == 2
    assert "--extra-label: not a label: 'no-equals'" in bad.stderr


VALIDATE = Path(__file__).resolve().parents[1] / "conformance" / "data" / "sloth" / "validate" / "validate"


@pytest.mark.parametrize(
    ("flags", "code"),
    [
        (["--fs-exclude", "bad", "--ignore-slo-duplicates"], 0),  # Sloth's case 04: excluding the bad files
        (["--fs-include", "good", "--ignore-slo-duplicates"], 0),  # 05: including only the good ones
        (["--fs-exclude", ".*"], 2),  # 06: nothing left to validate fails
        (["--fs-exclude", "bad", "--fs-include", ".*-aa.*", "--ignore-slo-duplicates"], 0),  # 07: exclude wins
        (["--fs-include", "good-aa"], 0),  # good-ab and good-ba repeat good-aa's ids, but are not read
        (["--fs-include", "good-a"], 2),  # good-aa and good-ab both read: their SLO ids repeat
    ],
)
def test_validate_filters_the_files_found_in_folders_as_sloth_does(attain: Cli, flags: list[str], code: int) -> None:
    """--fs-exclude and --fs-include choose the files read from a folder; ids in files left out are no duplicates."""
    done = attain("rules", "--validate", *flags, VALIDATE)
    assert done.returncode == code, done.stderr
