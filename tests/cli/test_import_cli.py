"""`attain import` run through the CLI: a draft agreement that validate and apply accept, unmapped items on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Cli

DATA = Path(__file__).resolve().parents[1] / "conformance" / "data"
SLO = DATA / "slo-generator" / "samples" / "prometheus" / "slo_prom_metrics_availability_ratio.yaml"
CONFIG = DATA / "slo-generator" / "samples" / "config.yaml"
OPENSLO_SLO = DATA / "openslo" / "spec-examples" / "v1" / "budgeting-method" / "occurences-slo.yaml"


def test_import_writes_an_agreement_that_validate_and_apply_accept(attain: Cli, tmp_path: Path) -> None:
    """The slo-generator sample and its config become prom.yaml; stderr lists the 3 unmapped items; apply stores it."""
    out = tmp_path / "prom.yaml"
    done = attain("import", SLO, CONFIG, "--to", "attain/v1", "--name", "prom", "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    # labels feature_name/slo_name, the default policy's burn-rate steps, the exporters; then the summary.
    assert [line.split(": ")[1] for line in lines[:3]] == [
        "metadata.labels",
        "spec.error_budget_policy",
        "spec.exporters",
    ]
    assert lines[3] == f"wrote {out}: 1 objective(s), 3 item(s) not carried over"
    assert attain("validate", out).returncode == 0
    assert attain("apply", out).returncode == 0
    assert "prom" in attain.out("agreements")


def test_import_json_lists_the_agreement_and_the_unmapped_items(attain: Cli) -> None:
    """--output json gives the agreement's data, each unmapped item with file, line and path, and what each file was read as."""
    done = attain("import", SLO, CONFIG, "--output", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["agreement"]["metadata"]["name"] == "imported"
    assert data["agreement"]["spec"]["objectives"][0]["target"] == "99.9%"
    assert [(u["line"], u["path"]) for u in data["unmapped"]] == [
        (6, "metadata.labels"),
        (10, "spec.error_budget_policy"),
        (14, "spec.exporters"),
    ]
    assert [r["format"] for r in data["read"]] == ["slo-generator config", "slo-generator SLO"]


def test_import_to_stdout_names_the_agreement_after_the_file(attain: Cli) -> None:
    """Without --name and --out, one file gives an agreement named after it, written to stdout."""
    done = attain("import", OPENSLO_SLO)
    assert done.returncode == 0, done.stderr
    assert "\n  name: occurences-slo\n" in done.stdout


def test_import_refuses_what_holds_no_objective(attain: Cli) -> None:
    """The shared slo-generator config alone holds no SLO: exit 2, nothing written to stdout."""
    done = attain("import", CONFIG)
    assert (done.returncode, done.stdout) == (2, "")
    assert "no objective to import" in done.stderr


def test_apply_of_a_foreign_spec_points_at_import(attain: Cli) -> None:
    """`attain apply` of a Sloth spec is refused with a hint to run `attain import` on that file."""
    assert attain("db", "upgrade").returncode == 0
    spec = DATA / "sloth" / "examples" / "no-alerts.yml"
    done = attain("apply", spec)
    assert done.returncode == 2
    assert f"`attain import {spec} --out agreement.yaml` drafts an attain/v1 Agreement from it" in done.stderr
