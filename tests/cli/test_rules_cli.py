"""`attain rules` run through the CLI."""

from __future__ import annotations

from pathlib import Path

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
